import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-connection TCP server on 127.0.0.1 that plays a script, for the failures a real server rarely
/// shows: silence, garbage, injected data after STARTTLS, a connection cut mid-command.
final class ScriptedServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let finished = DispatchSemaphore(value: 0)

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
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
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
        guard let script else { finished.signal(); return }
        let finished = self.finished
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            if connection >= 0 {
                script(Connection(descriptor: connection))
                close(connection)
            }
            finished.signal()
        }
    }

    /// Stops listening (the kernel still completes handshakes until then: a "silent" server).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        _ = finished.wait(timeout: .now() + 5)
    }
}
