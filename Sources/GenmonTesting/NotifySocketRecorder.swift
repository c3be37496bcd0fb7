import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's `NOTIFY_SOCKET`: bound in the abstract namespace
/// (or at a path), it records every notification a child sends, read by a plain thread.
public final class NotifySocketRecorder: Sendable {
    /// The value for `NOTIFY_SOCKET` (`@genmon-test-…` or the path).
    public let address: String
    private let descriptor: Int32
    private let state = Mutex<(messages: [(at: ContinuousClock.Instant, text: String)], closed: Bool)>(([], false))

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameter path: a filesystem path to bind to; nil binds a fresh abstract name.
    public init(path: String? = nil) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        let address = path ?? "@genmon-test-\(UUID().uuidString)"
        var bytes = Array(address.utf8)
        if path == nil { bytes[0] = 0 } else { unlink(address) }
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { sunPath in
            for (index, byte) in bytes.enumerated() where index < sunPath.count { sunPath[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0 else {
            close(descriptor)
            throw Failure(description: "bind \(address): \(String(cString: strerror(errno)))")
        }
        self.address = address
        self.descriptor = descriptor
        let thread = Thread { [self] in self.receive() }
        thread.start()
    }

    deinit { close(descriptor) }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !state.withLock({ $0.closed }) {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { continue }
            let text = String(decoding: buffer.prefix(count), as: UTF8.self)
            state.withLock { $0.messages.append((ContinuousClock.now, text)) }
        }
    }

    /// Stops reading (the descriptor closes when the recorder goes).
    public func stop() { state.withLock { $0.closed = true } }

    /// Every datagram so far, with when it arrived.
    public var messages: [(at: ContinuousClock.Instant, text: String)] { state.withLock { $0.messages } }

    /// Every line so far (a datagram may hold several).
    public var lines: [String] { messages.flatMap { $0.text.split(separator: "\n").map(String.init) } }

    /// Waits until a line satisfies `condition`; the line, or nil after `timeout`.
    public func waitForLine(timeout: Duration = .seconds(30), _ condition: @escaping (String) -> Bool) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: condition) { return line }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return lines.first(where: condition)
    }
}
