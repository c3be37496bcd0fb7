#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where systemd listens for a service's notifications (`NOTIFY_SOCKET`): a path, or a name in the
/// abstract namespace (written with a leading `@`).
public struct NotifySocketAddress: Sendable, Equatable {
    /// The bytes of `sun_path` to send to (a leading NUL for the abstract namespace, no trailing NUL).
    public let pathBytes: [UInt8]

    /// The longest `sun_path` the kernel takes (108 bytes on Linux).
    public static let maximumLength = 108

    /// Why a `NOTIFY_SOCKET` value cannot be used.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        /// Only `/path` and `@name` are systemd's; `vsock:` and relative paths are refused.
        case unsupported(String)

        public var description: String {
            switch self {
            case .empty: "NOTIFY_SOCKET is empty"
            case let .tooLong(length): "NOTIFY_SOCKET is \(length) bytes; at most \(NotifySocketAddress.maximumLength) fit"
            case let .unsupported(value): "NOTIFY_SOCKET '\(value)' is neither an absolute path nor an @abstract name"
            }
        }
    }

    /// Reads the environment's value: `/run/systemd/notify` or `@/org/freedesktop/systemd1/notify/…`.
    public init(_ value: String) throws(Problem) {
        var bytes = Array(value.utf8)
        guard let first = bytes.first else { throw .empty }
        switch first {
        case UInt8(ascii: "/"): break
        case UInt8(ascii: "@"): bytes[0] = 0
        default: throw .unsupported(value)
        }
        guard bytes.count > 1 || first == UInt8(ascii: "/") else { throw .unsupported(value) }
        guard bytes.count <= Self.maximumLength else { throw .tooLong(bytes.count) }
        guard !bytes.dropFirst().contains(0) else { throw .unsupported(value) }
        pathBytes = bytes
    }

    public var isAbstract: Bool { pathBytes.first == 0 }
}

/// A datagram socket that sends notifications to systemd, as `sd_notify(3)` does, without libsystemd.
/// Sending never blocks (a full queue drops the message, which the next one repeats).
public final class NotifySocket: Sendable {
    public let address: NotifySocketAddress
    private let descriptor: Int32

    /// Why a notification could not be sent.
    public struct Failure: Error, CustomStringConvertible {
        public let operation: String
        public let code: Int32
        public var description: String { "\(operation): \(String(cString: strerror(code)))" }
    }

    public init(address: NotifySocketAddress) throws(Failure) {
        #if canImport(Glibc)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_DGRAM
        #endif
        let descriptor = socket(AF_UNIX, type, 0)
        guard descriptor >= 0 else { throw Failure(operation: "socket", code: errno) }
        self.address = address
        self.descriptor = descriptor
    }

    /// The socket named by `NOTIFY_SOCKET` in `environment`, or nil when genmon does not run under systemd.
    public static func fromEnvironment(_ environment: [String: String]) throws -> NotifySocket? {
        guard let value = environment["NOTIFY_SOCKET"] else { return nil }
        return try NotifySocket(address: NotifySocketAddress(value))
    }

    deinit { close(descriptor) }

    /// Sends one notification (`READY=1`, `STATUS=…`, `WATCHDOG=1`, several lines at once).
    public func send(_ message: String) throws(Failure) {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = address.pathBytes
        withUnsafeMutableBytes(of: &storage.sun_path) { path in
            for (index, byte) in pathBytes.enumerated() where index < path.count { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + pathBytes.count)
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
        guard sent >= 0 else { throw Failure(operation: "sendto", code: errno) }
    }
}
