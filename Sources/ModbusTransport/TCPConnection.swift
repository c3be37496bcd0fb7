#if canImport(Glibc)
import Foundation
import Glibc
import Synchronization
#endif

/// TCP byte streams: to a serial-to-TCP bridge (raw RTU frames) or a Modbus TCP device.
public enum TCPConnection {
    /// A stream to `host:port` that reconnects by itself whenever the peer goes away.
    ///
    /// The first connection attempt happens before this returns; if it fails the stream keeps trying
    /// in the background (a bridge that boots after genmon is normal) unless `failFast` is set.
    public static func stream(
        host: String, port: Int, connectTimeout: Duration = .seconds(5),
        maximumReconnectDelay: Duration = .seconds(10), failFast: Bool = false
    ) throws(TransportError) -> DescriptorStream {
        let source = DescriptorSource(
            description: "tcp://\(host):\(port)", kind: .tcp, reconnects: true, maximumReconnectDelay: maximumReconnectDelay,
            open: { cancelFD throws(TransportError) in try connect(host: host, port: port, timeout: connectTimeout, cancelFD: cancelFD) }
        )
        return try DescriptorStream(source: source, failFastOnFirstOpen: failFast)
    }

    /// Resolves `host` and connects to the first address that answers within `timeout`.
    static func connect(host: String, port: Int, timeout: Duration, cancelFD: Int32) throws(TransportError) -> Int32 {
        let endpoint = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .hostNotFound(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }

        var lastReason = "no address to try"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastReason = POSIX.errorText(); continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
                var entries = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0), pollfd(fd: cancelFD, events: Int16(POLLIN), revents: 0)]
                _ = poll(&entries, 2, POSIX.pollTimeout(until: .now + timeout))
                if entries[1].revents != 0 {
                    Glibc.close(fd)
                    throw .connectionFailed(endpoint: endpoint, reason: "cancelled")
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                if entries[0].revents & Int16(POLLOUT) != 0, getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 {
                    configure(fd)
                    return fd
                }
                lastReason = entries[0].revents == 0 ? "no answer within \(timeout)" : POSIX.errorText(error)
            } else {
                lastReason = POSIX.errorText()
            }
            Glibc.close(fd)
        }
        throw .connectionFailed(endpoint: endpoint, reason: lastReason)
    }

    /// Small frames go out at once (no Nagle delay), and keep-alive notices a bridge that vanished.
    static func configure(_ fd: Int32) {
        var on: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, size)
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, size)
        var idle: Int32 = 30, interval: Int32 = 10, probes: Int32 = 3
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idle, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, &interval, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, &probes, size)
    }
}

/// A listening TCP socket that hands each accepted connection over as a `DescriptorStream`.
///
/// Used by the simulator (RTU over TCP and Modbus TCP) and by tests. Its thread blocks in poll()
/// until a client connects or the listener is closed.
public final class TCPListener: Sendable {
    /// The port actually bound (useful when 0 asked the system to choose).
    public let port: Int
    public let host: String
    /// Connections in the order they were accepted; finishes when the listener closes.
    public let connections: AsyncStream<DescriptorStream>
    private let fd: Int32
    private let wake: (read: Int32, write: Int32)
    private let closed = Atomic(false)

    public init(host: String = "127.0.0.1", port: Int = 0, backlog: Int32 = 8) throws(TransportError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else { throw .hostNotFound(host: host, reason: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        // The wake pipe first: nothing to close if it cannot be made.
        let wake = try POSIX.wakePipe()
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else {
            let reason = POSIX.errorText()
            POSIX.closePipe(wake)
            throw .system(call: "socket", reason: reason)
        }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, backlog) == 0 else {
            let reason = POSIX.errorText()
            Glibc.close(fd)
            POSIX.closePipe(wake)
            throw .connectionFailed(endpoint: "\(host):\(port)", reason: "cannot listen: \(reason)")
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        let boundPort: UInt16 = withUnsafeBytes(of: &address) { raw in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
        self.fd = fd
        self.host = host
        self.port = Int(boundPort)
        self.wake = wake
        let (stream, continuation) = AsyncStream<DescriptorStream>.makeStream()
        self.connections = stream
        let listenFD = fd, wakeFD = wake.read, description = "\(host):\(boundPort)"
        let thread = Thread {
            Self.acceptLoop(listenFD: listenFD, wakeFD: wakeFD, description: description, continuation: continuation)
        }
        thread.name = "genmon-listen \(description)"
        thread.start()
    }

    /// Stops accepting; connections already handed out stay open.
    public func close() {
        // Once only: the accept thread closes the read end when it stops, and a write to a pipe
        // nobody reads would raise SIGPIPE.
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wake.write, &byte, 1)
    }

    /// A listener nobody holds stops too: closing the write end wakes the thread (hang-up).
    deinit { Glibc.close(wake.write) }

    private static func acceptLoop(listenFD: Int32, wakeFD: Int32, description: String, continuation: AsyncStream<DescriptorStream>.Continuation) {
        defer {
            Glibc.close(listenFD)
            Glibc.close(wakeFD)
            continuation.finish()
        }
        while true {
            var entries = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            guard poll(&entries, 2, -1) >= 0 || errno == EINTR else { return }
            if entries[1].revents != 0 { return }
            guard entries[0].revents != 0 else { continue }
            let client = accept(listenFD, nil, nil)
            guard client >= 0 else { continue }
            guard (try? POSIX.makeNonBlocking(client)) != nil else { Glibc.close(client); continue }
            TCPConnection.configure(client)
            let source = DescriptorSource(description: "client of \(description)", kind: .tcp, reconnects: false, open: { _ in client })
            if let stream = try? DescriptorStream(source: source) {
                continuation.yield(stream)
            } else {
                Glibc.close(client)
            }
        }
    }
}
