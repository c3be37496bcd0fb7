import Foundation

/// The lines genmon sends to systemd (see `sd_notify(3)`): one datagram may carry several.
public enum ServiceNotification: Sendable, Equatable {
    /// Start-up is done: the command socket and the web app listen.
    case ready
    /// A one-line state for `systemctl status`.
    case status(String)
    /// The poll loop is alive.
    case watchdog
    /// Graceful shutdown has begun.
    case stopping

    /// The line as systemd reads it. A status is one line: newlines become spaces.
    public var line: String {
        switch self {
        case .ready: "READY=1"
        case let .status(text): "STATUS=" + text.map { $0.isNewline ? " " : String($0) }.joined()
        case .watchdog: "WATCHDOG=1"
        case .stopping: "STOPPING=1"
        }
    }

    /// The datagram for several notifications at once.
    public static func datagram(_ notifications: [ServiceNotification]) -> String {
        notifications.map(\.line).joined(separator: "\n")
    }
}

/// The watchdog systemd expects (`WATCHDOG_USEC`, for this process when `WATCHDOG_PID` says so).
public struct WatchdogSettings: Sendable, Equatable {
    /// systemd restarts the service when no `WATCHDOG=1` came for this long.
    public let timeout: Duration

    public init(timeout: Duration) { self.timeout = timeout }

    /// The watchdog from the environment, or nil when there is none for this process.
    public static func fromEnvironment(_ environment: [String: String], processID: Int32) -> WatchdogSettings? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != processID { return nil }
        return WatchdogSettings(timeout: .microseconds(microseconds))
    }

    /// How often genmon looks at the poll loop: three looks per timeout, so one slow cycle is forgiven.
    public var checkInterval: Duration { timeout / 3 }
}

/// Decides whether the poll loop is alive: it is when its progress counter moved since the last
/// look. A silent controller still moves it (each read times out and the loop goes on); only a loop
/// stuck in one place does not, and then no `WATCHDOG=1` goes out and systemd restarts genmon.
public struct WatchdogJudge: Sendable, Equatable {
    private var lastSeen: UInt64?

    public init() {}

    /// True when `WATCHDOG=1` should be sent for this look.
    public mutating func shouldPet(progress: UInt64) -> Bool {
        defer { lastSeen = progress }
        return lastSeen != progress
    }
}
