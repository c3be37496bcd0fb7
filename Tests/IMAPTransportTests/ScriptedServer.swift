import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A one-connection TCP server on 127.0.0.1 that plays a script, for the failures a real server rarely
/// shows: silence, garbage, injected data after STARTTLS, a connection cut mid-command.
final class ScriptedServer: Sendable {
    let port: Int
    /// The listening socket and the accepted connection, while open. Whoever closes one does it under
    /// this lock and forgets it, so `stop` never touches a descriptor number reused meanwhile.
    private let sockets: Sockets
    /// With a script, its thread closes both sockets when the script ends.
    private let hasScript: Bool

    private final class Sockets: Sendable {
        let open: Mutex<(listener: Int32?, connection: Int32?)>
        init(listener: Int32) { open = Mutex((listener, nil)) }
    }

    /// What the script can do with the accepted connection.
    struct Connection {
        let descriptor: Int32

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// Reads up to and including the next LF (nil when the peer closed).
        func readLine() -> String? {
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while recv(descriptor, &byte, 1, 0) == 1 {
                line.append(byte)
                if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
            }
            return nil
        }
    }

    /// Starts listening; `script` runs on its own thread once a client connects (nil: never accept).
    init(_ script: (@Sendable (Connection) -> Void)?) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 4) == 0 else { close(listener); throw TestFailure("cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        sockets = Sockets(listener: listener)
        hasScript = script != nil
        guard let script else { return }
        let sockets = self.sockets
        Thread.detachNewThread {
            let accepted = accept(listener, nil, nil)
            if accepted >= 0 {
                sockets.open.withLock { $0.connection = accepted }
                script(Connection(descriptor: accepted))
            }
            sockets.open.withLock { sockets in
                _ = sockets.connection.take().map(close)
                _ = sockets.listener.take().map(close)
            }
        }
    }

    /// Stops listening (the kernel still completes handshakes until then: a "silent" server) and cuts
    /// the connection, so a script waiting for the client ends on its own thread; nothing waits for it.
    func stop() {
        sockets.open.withLock { sockets in
            if let listener = sockets.listener { shutdown(listener, Int32(SHUT_RDWR)) }
            if let connection = sockets.connection { shutdown(connection, Int32(SHUT_RDWR)) }
            if !hasScript { _ = sockets.listener.take().map(close) }
        }
    }
}
