/// The one-word status UIs and add-ons use (`getbase`, docs/registers.md#base-status). Raw value = upstream's word.
public enum BaseStatus: String, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case ready = "READY"
    case exercising = "EXERCISING"
    case running = "RUNNING"
    case runningManual = "RUNNING-MANUAL"
    case alarm = "ALARM"
    case serviceDue = "SERVICEDUE"
    case off = "OFF"
    case manual = "MANUAL"

    public var description: String { rawValue }

    /// "Generator is running" as upstream defines it.
    public var isRunning: Bool { self == .exercising || self == .running || self == .runningManual }

    /// Upstream's evaluation order, on the texts it tests.
    /// - Parameters:
    ///   - inAlarm: the alarm text is non-empty.
    ///   - serviceDueAlarm: the status pair carries a service-due index (PZ200: `0639` bit 0).
    ///   - serviceHoursDue: an hours-until-service register is ≤ 1.
    public static func evaluate(inAlarm: Bool, serviceDueAlarm: Bool, serviceHoursDue: Bool,
                                engineText: String, switchText: String) -> BaseStatus {
        if inAlarm { return serviceDueAlarm ? .serviceDue : .alarm }
        if serviceDueAlarm || serviceHoursDue { return .serviceDue }
        let engine = engineText.lowercased()
        let mode = switchText.lowercased()
        if engine.contains("exercising") { return .exercising }
        if engine.contains("running") { return mode.contains("auto") ? .running : .runningManual }
        if mode.contains("off") { return .off }
        if mode.contains("manual") { return .manual }
        return .ready
    }
}
