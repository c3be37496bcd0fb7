import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private network for one child process: a new network namespace (`unshare -rn`, no root and no
/// change to the host's network needed) whose loopback also carries a TEST-NET address, so a
/// test can talk to the child from an address that is not loopback, as a neighbour on the LAN
/// would. Sockets are opened inside it from a thread that joins the namespace (`setns`) just for
/// that; once open they work from anywhere.
public enum PrivateNetwork {
    /// The address a stranger has inside the private network (RFC 5737 TEST-NET-1).
    public static let strangerAddress = "192.0.2.2"
    /// More stranger addresses, for floods from many hosts.
    public static let moreStrangers = (10...29).map { "192.0.2.\($0)" }

    static let unshare = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether this machine lets an unprivileged-looking process make one (kernel and tools); the
    /// reason when it does not, for a test's skip message.
    public static let unavailableReason: String? = {
        guard let unshare, let ip else { return "unshare (util-linux) or ip (iproute2) is not installed" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: unshare)
        process.arguments = ["-rn", ip, "link", "set", "lo", "up"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "cannot run unshare: \(error)" }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : "the kernel does not allow a private network namespace here (unshare -rn failed)"
    }()

    public static var isAvailable: Bool { unavailableReason == nil }

    /// The command line that runs `executable arguments` inside a new private network with
    /// loopback up and the stranger addresses on it.
    public static func wrap(_ executable: String, _ arguments: [String], shellPrefix: String = "") -> (URL, [String]) {
        let addresses = ([strangerAddress] + moreStrangers).map { "\(ip ?? "ip") addr add \($0)/32 dev lo" }.joined(separator: " && ")
        let script = "\(ip ?? "ip") link set lo up && \(addresses) && \(shellPrefix) exec \"$0\" \"$@\""
        return (URL(fileURLWithPath: unshare ?? "/usr/bin/unshare"), ["-rn", "/bin/sh", "-c", script, executable] + arguments)
    }

    /// Opens a TCP connection inside the network of process `pid`, from `source` (an address of
    /// that network, or any) to `host:port`. Blocking descriptor; runs on a thread of its own.
    public static func connect(inNetworkOf pid: Int32?, from source: String?, to host: String, port: Int,
                               timeout: Duration = .seconds(5)) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try connectBlocking(pid: pid, source: source, host: host, port: port, timeout: timeout) })
            }.start()
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// On the calling thread, which is left in the other network when `pid` is given (call it on
    /// a thread of its own then).
    public static func connectBlocking(pid: Int32?, source: String?, host: String, port: Int, timeout: Duration) throws -> Int32 {
        if let pid {
            let namespace = open("/proc/\(pid)/ns/net", O_RDONLY | O_CLOEXEC)
            guard namespace >= 0 else { throw Failure(description: "cannot open the network namespace of \(pid): \(String(cString: strerror(errno)))") }
            defer { close(namespace) }
            guard joinNamespace(namespace) == 0 else {
                throw Failure(description: "cannot join the network namespace of \(pid): \(String(cString: strerror(errno)))")
            }
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = try address(source, port: 0)
            let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard bound == 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw Failure(description: "bind to \(source): \(reason)")
            }
        }
        var remote = try address(host, port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "connect to \(host):\(port): \(reason)")
        }
        return fd
    }

    /// setns(fd, CLONE_NEWNET): a GNU function Swift's Glibc module does not import.
    static func joinNamespace(_ fd: Int32) -> Int32 {
        typealias SetNS = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else {
            errno = ENOSYS
            return -1
        }
        let cloneNewNet: Int32 = 0x4000_0000
        return unsafeBitCast(symbol, to: SetNS.self)(fd, cloneNewNet)
    }

    static func address(_ text: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, text, &address.sin_addr) == 1 else { throw Failure(description: "not an IPv4 address: \(text)") }
        return address
    }
}

/// The original's socket protocol over a blocking descriptor, for clients running on threads of
/// their own (a flood, or a client inside a private network).
public final class BlockingCommandClient: @unchecked Sendable {
    private let fd: Int32
    private var pending: [UInt8] = []

    /// Takes the descriptor (closed with the client) and reads the greeting.
    public init(fd: Int32) throws {
        self.fd = fd
        _ = try readReply(terminator: nil)
    }

    deinit { close(fd) }

    /// Connects (on a thread of its own, in the network of `pid` when given) and reads the greeting.
    public static func connect(inNetworkOf pid: Int32? = nil, from source: String? = nil, to host: String = "127.0.0.1",
                               port: Int) async throws -> BlockingCommandClient {
        let fd = try await PrivateNetwork.connect(inNetworkOf: pid, from: source, to: host, port: port)
        return try await BlockingCommandClient.onThread { try BlockingCommandClient(fd: fd) }
    }

    /// Runs blocking work on a thread of its own, off the cooperative pool.
    public static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Sends `bytes` whole (blocking until the peer has taken them all, as a simple client's
    /// `sendall` does), then reads the reply up to `EndOfMessage`.
    public func sendAllThenRead(_ bytes: [UInt8]) throws -> String {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw PrivateNetwork.Failure(description: "send after \(sent) bytes: \(String(cString: strerror(errno)))") }
            sent += count
        }
        return try readReply(terminator: Array("EndOfMessage".utf8))
    }

    /// True once the peer has closed the connection (a read returns end of file).
    public func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    /// Sends `generator: <command>` and returns the reply up to `EndOfMessage`.
    public func command(_ command: String) throws -> String {
        let request = Array(("generator: " + command + "\n").utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw PrivateNetwork.Failure(description: "send: \(String(cString: strerror(errno)))") }
            sent += count
        }
        return try readReply(terminator: Array("EndOfMessage".utf8))
    }

    /// Up to and including `terminator`, or whatever the first read brings when nil.
    private func readReply(terminator: [UInt8]?) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let terminator, let range = pending.firstRange(of: terminator) {
                let reply = Array(pending[..<range.upperBound])
                pending.removeSubrange(..<range.upperBound)
                return String(decoding: reply, as: UTF8.self)
            }
            if terminator == nil, !pending.isEmpty {
                defer { pending.removeAll() }
                return String(decoding: pending, as: UTF8.self)
            }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { throw PrivateNetwork.Failure(description: count == 0 ? "closed by genmon" : "recv: \(String(cString: strerror(errno)))") }
            pending += buffer[0..<count]
        }
    }
}
