/// The active alarm explained for a person: its catalog code, what it means and what to check, and
/// whether it is a warning or service reminder rather than a shutdown. Shared by the web page and
/// the notifications, so both say the same.
public struct AlarmExplanation: Sendable, Equatable {
    /// The controller's text for the alarm.
    public let title: String
    public let code: Int?
    public let description: String
    public let whatToCheck: String
    /// A warning or a service reminder: the engine is not shut down by it.
    public let isWarning: Bool
    public let isServiceReminder: Bool

    /// The explanation of `status`'s alarm, from the alarm catalog when the code is known; nil when not in alarm.
    public init?(_ status: StatusReadings) {
        let alarm = status.alarm
        guard alarm.isActive else { return nil }
        var entry: AlarmCatalogEntry?
        var fault: FaultDefinition?
        switch alarm.source {
        case let .index(index):
            fault = FaultCorrespondence.fault(alarmIndex: index)
            if let last = status.lastAlarmCode, last != 0, let known = AlarmCatalog.entry(forCode: last),
               fault.map({ $0.alarmCodes.isEmpty || $0.alarmCodes.contains(known.code) }) ?? true {
                entry = known
            } else if let code = fault?.alarmCodes.first {
                entry = AlarmCatalog.entry(forCode: UInt16(code))
            }
        case let .lastAlarmCode(_, code):
            entry = AlarmCatalog.entry(forCode: code)
        case .pz200Flags, .unknownIndex, .none:
            if let last = status.lastAlarmCode, last != 0 { entry = AlarmCatalog.entry(forCode: last) }
        }
        let serviceReminder = fault?.severity == .serviceDue
        title = alarm.text
        code = entry?.code
        isServiceReminder = serviceReminder
        isWarning = if let entry { entry.kind == .warning } else if let fault { fault.severity != .alarm } else {
            status.engineState.description.contains("Warning")
        }
        description = entry?.description ?? (serviceReminder
            ? "The controller reminds you that scheduled maintenance is due."
            : "The controller reports “\(alarm.text)”.")
        whatToCheck = entry?.whatToCheck ?? (serviceReminder
            ? "Do the service, then reset the maintenance counter on the controller."
            : "Look at the controller's display and its alarm log; if the alarm comes back after a reset, call a dealer.")
    }
}
