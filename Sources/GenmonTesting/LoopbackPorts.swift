import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ports on 127.0.0.1 for servers the tests start.
public enum LoopbackPort {
    /// A port that was free a moment ago (another test may take it before a server binds it).
    public static func free() throws -> Int {
        try RefusingPortDescriptor().closed()
    }

    /// Whether a socket is bound to `port`: a server has it (binding with SO_REUSEADDR, as servers
    /// do, ignores connections in TIME_WAIT; a probe by binding starts nothing in the server).
    public static func isTaken(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = RefusingPortDescriptor.loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) != 0 }
        }
    }

    /// Waits until nothing holds any of `ports` (a stopped server's helpers may close them late);
    /// false when one is still taken after `timeout`.
    public static func waitUntilFree(_ ports: [Int], timeout: Duration = .seconds(10)) async -> Bool {
        await RunningProcess.poll(until: .now + timeout) { !ports.contains(where: isTaken) }
    }
}

/// A loopback TCP port that is bound but not listening, held for as long as this value lives:
/// connecting to it is refused for certain, and no other test can take it meanwhile (a port freed
/// by closing a server may be handed to the next server any test starts).
public final class RefusingPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let bound = try RefusingPortDescriptor()
        port = bound.port
        descriptor = bound.take()
    }

    deinit { close(descriptor) }
}

/// A TCP socket bound to a free loopback port.
struct RefusingPortDescriptor {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Hands the descriptor to its owner.
    func take() -> Int32 { fd }

    /// Closes the socket, freeing the port, and returns the port.
    func closed() -> Int {
        close(fd)
        return port
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }
}

/// A loopback TCP port with a listener on it that accepts nothing: for "the port is taken" tests.
public final class ListeningPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let refusing = try RefusingPortDescriptor()
        guard listen(refusing.fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        descriptor = refusing.take()
        port = refusing.port
    }

    deinit { close(descriptor) }
}
