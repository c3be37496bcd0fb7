#if canImport(Glibc)
import Glibc
#endif

/// How many file descriptors genmon may use, and how they are shared out so that the process
/// never runs out: a process that does (libdispatch, SQLite and the serial port all need one at
/// unpredictable moments) can crash or lose its database. At start the soft limit is raised to
/// the hard limit; a reserve is kept for everything that is not a client connection (the serial
/// port or bridge, both databases with their journals, listeners, the event loops, logs, files
/// read on request); the rest is split between the command socket and the web server, each
/// capped at what is configured.
public struct DescriptorBudget: Sendable, Equatable {
    /// Descriptors kept for everything but client connections.
    public static let reserve = 96

    /// The soft limit after raising it.
    public var limit: Int
    /// Connections the command socket may hold.
    public var socketConnections: Int
    /// Connections the web server serves, and those it may be answering 503 at the same time.
    public var webConnections: Int
    public var webRefusing: Int
    /// True when the limit made a cap smaller than configured.
    public var reduced: Bool

    /// Shares `limit` descriptors out, no cap above what is configured.
    public init(limit: Int, socketConnections: Int, webConnections: Int, webRefusing: Int = 64) {
        let available = max(limit - Self.reserve, 8)
        let socket = max(1, min(socketConnections, available / 4))
        let refusing = max(0, min(webRefusing, available / 8))
        let web = max(1, min(webConnections, available - socket - refusing))
        self.limit = limit
        self.socketConnections = socket
        self.webConnections = web
        self.webRefusing = refusing
        reduced = socket < socketConnections || web < webConnections
    }

    /// Raises the soft limit on open files to the hard limit (capped at `ceiling`, so a huge hard
    /// limit does not size tables needlessly); returns the soft limit now in force.
    @discardableResult
    public static func raiseLimit(ceiling: Int = 65_536) -> Int {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return 1024 }
        let target = min(limits.rlim_max, rlim_t(ceiling))
        if limits.rlim_cur < target {
            var raised = limits
            raised.rlim_cur = target
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        return Int(min(limits.rlim_cur, rlim_t(Int.max)))
    }
}
