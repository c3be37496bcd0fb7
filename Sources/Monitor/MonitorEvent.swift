import Foundation

/// Something that happened, as it happened: the stream every notifier and log is fed from.
public struct MonitorEvent: Sendable, Equatable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case info, warning, critical

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public enum Kind: Sendable, Equatable, Hashable, Codable {
        case controllerDetected(name: String)
        case engineStateChanged(from: String, to: String)
        case switchStateChanged(from: String, to: String)
        /// An alarm (shutdown) or warning became active; `code` is the ALARMS.txt code when known.
        case alarmRaised(text: String, code: Int?, isWarning: Bool)
        case alarmCleared(text: String)
        case outageStarted(utilityVolts: Int)
        case outageEnded(duration: TimeInterval)
        /// The utility came back while genmon was not running: the outage lasted at most `duration`,
        /// of which the last `unseenFor` nobody watched.
        case outageEndedWhileStopped(duration: TimeInterval, unseenFor: TimeInterval)
        case serviceDue(item: String)
        case serviceCleared(item: String)
        case communicationLost(silentFor: TimeInterval)
        case communicationRestored(after: TimeInterval)
        case clockDrift(seconds: Int)
        case transferSwitchChanged(to: String)
        case commandCompleted(command: String, origin: String, result: String)
    }

    public var time: Date
    public var kind: Kind

    public init(time: Date, kind: Kind) {
        self.time = time
        self.kind = kind
    }

    public var severity: Severity {
        switch kind {
        case let .alarmRaised(_, _, isWarning): isWarning ? .warning : .critical
        case .outageStarted, .communicationLost, .serviceDue, .clockDrift: .warning
        default: .info
        }
    }

    /// A short name for filtering and topics ("alarm_raised", "outage_started", ...).
    public var name: String {
        switch kind {
        case .controllerDetected: "controller_detected"
        case .engineStateChanged: "engine_state_changed"
        case .switchStateChanged: "switch_state_changed"
        case .alarmRaised: "alarm_raised"
        case .alarmCleared: "alarm_cleared"
        case .outageStarted: "outage_started"
        case .outageEnded, .outageEndedWhileStopped: "outage_ended"
        case .serviceDue: "service_due"
        case .serviceCleared: "service_cleared"
        case .communicationLost: "communication_lost"
        case .communicationRestored: "communication_restored"
        case .clockDrift: "clock_drift"
        case .transferSwitchChanged: "transfer_switch_changed"
        case .commandCompleted: "command_completed"
        }
    }

    /// One line for a person.
    public var summary: String {
        switch kind {
        case let .controllerDetected(name): "Controller detected: \(name)"
        case let .engineStateChanged(from, to): "Engine: \(from) → \(to)"
        case let .switchStateChanged(from, to): "Switch: \(from) → \(to)"
        case let .alarmRaised(text, code, isWarning):
            (isWarning ? "Warning: " : "Alarm: ") + text + (code.map { " (code \($0))" } ?? "")
        case let .alarmCleared(text): "Cleared: \(text)"
        case let .outageStarted(volts): "Utility power lost (\(volts) V)"
        case let .outageEnded(duration): "Utility power restored after \(Self.format(duration))"
        case let .outageEndedWhileStopped(duration, unseenFor):
            "Utility power restored while genmon was not running: the outage lasted at most \(Self.format(duration)) "
                + "(genmon did not watch its last \(Self.format(unseenFor)))"
        case let .serviceDue(item): "Service due: \(item)"
        case let .serviceCleared(item): "Service done: \(item)"
        case let .communicationLost(silentFor): "No answer from the controller for \(Self.format(silentFor))"
        case let .communicationRestored(after): "Controller answering again after \(Self.format(after))"
        case let .clockDrift(seconds): "Controller clock is \(abs(seconds)) s \(seconds > 0 ? "ahead" : "behind")"
        case let .transferSwitchChanged(to): "Transfer switch: load on \(to)"
        case let .commandCompleted(command, origin, result): "\(command) from \(origin): \(result)"
        }
    }

    /// `H:MM:SS`, with days when longer: the original's duration format.
    public static func format(_ interval: TimeInterval) -> String {
        // A corrupt or absurd duration must never crash whoever displays the event.
        guard interval.isFinite else { return "unknown time" }
        let total = Int(min(max(interval, 0), 100 * 365 * 86_400).rounded(.down))
        let days = total / 86_400, hours = (total % 86_400) / 3600, minutes = (total % 3600) / 60, seconds = total % 60
        let clock = "\(hours):" + String(format: "%02d:%02d", minutes, seconds)
        return days > 0 ? "\(days) day\(days == 1 ? "" : "s"), " + clock : clock
    }
}
