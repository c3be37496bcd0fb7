/// One fault as it shows up in the different code tables (docs/registers.md#alarm-codes). The correspondence is
/// inferred from matching names, not confirmed on hardware. Simulators raise faults from it.
public struct FaultDefinition: Sendable, Equatable, Hashable {
    public enum Severity: String, Sendable, Equatable, Hashable {
        /// Shuts the engine down ("Stopped in Alarm").
        case alarm
        /// Engine keeps its state in the "warning" flavour.
        case warning
        /// Service reminder (base status SERVICEDUE).
        case serviceDue
    }

    /// Short name in this project's words.
    public let name: String
    public let severity: Severity
    /// Value the controller puts in `0002` while active.
    public let alarmIndex: UInt16
    /// Log codes by family; the first is the preferred one to log.
    public let evolutionLCLogCodes: [UInt8]
    public let evolutionACLogCodes: [UInt8]
    public let nexusLCLogCode: UInt8?
    public let nexusACLogCode: UInt8?
    /// ALARMS.txt codes (`05f1` and the Evolution alarm-log word); the first is preferred.
    public let alarmCodes: [Int]

    /// Log codes for a controller (empty when that family has no matching code).
    public func logCodes(for identity: ControllerIdentity) -> [UInt8] {
        switch (identity.family, identity.cooling) {
        case (.evolution, .liquid): evolutionLCLogCodes
        case (.evolution, .air): evolutionACLogCodes
        case (.nexus, .liquid): nexusLCLogCode.map { [$0] } ?? []
        case (.nexus, .air): nexusACLogCode.map { [$0] } ?? []
        }
    }

    /// Evolution records service reminders in the service log; everything else goes to the alarm log.
    public func logKind(for identity: ControllerIdentity) -> LogKind {
        severity == .serviceDue && identity.isEvolution ? .service : .alarm
    }

    /// The engine state a controller reports while the fault is active.
    public func engineState(engineRunning: Bool) -> EngineState {
        switch severity {
        case .alarm: .stoppedInAlarm
        case .warning, .serviceDue: engineRunning ? .runningInWarning : .stoppedInWarning
        }
    }

    /// The text the monitor will show for the index (from the 3.4 table).
    public var indexText: String? { AlarmIndex.name(alarmIndex) }
}

public enum FaultCorrespondence {
    public static let faults: [FaultDefinition] = [
        .init(name: "High temperature", severity: .alarm, alarmIndex: 0x02, evolutionLCLogCodes: [0x00],
              evolutionACLogCodes: [0x28], nexusLCLogCode: 0x00, nexusACLogCode: 0x00, alarmCodes: [1400]),
        .init(name: "Low oil pressure", severity: .alarm, alarmIndex: 0x0A, evolutionLCLogCodes: [0x01],
              evolutionACLogCodes: [0x29], nexusLCLogCode: 0x01, nexusACLogCode: 0x01, alarmCodes: [1300]),
        .init(name: "Overcrank", severity: .alarm, alarmIndex: 0x0B, evolutionLCLogCodes: [0x02],
              evolutionACLogCodes: [0x2A], nexusLCLogCode: 0x02, nexusACLogCode: 0x02, alarmCodes: [1100]),
        .init(name: "Overspeed", severity: .alarm, alarmIndex: 0x0C, evolutionLCLogCodes: [0x03],
              evolutionACLogCodes: [0x2B], nexusLCLogCode: 0x03, nexusACLogCode: 0x03, alarmCodes: [1200]),
        .init(name: "RPM sense loss", severity: .alarm, alarmIndex: 0x0D, evolutionLCLogCodes: [0x04],
              evolutionACLogCodes: [0x2C], nexusLCLogCode: 0x04, nexusACLogCode: 0x04, alarmCodes: [1500]),
        .init(name: "Underspeed", severity: .alarm, alarmIndex: 0x15, evolutionLCLogCodes: [0x05],
              evolutionACLogCodes: [0x2D], nexusLCLogCode: 0x05, nexusACLogCode: 0x05, alarmCodes: [1600]),
        .init(name: "Low coolant", severity: .alarm, alarmIndex: 0x08, evolutionLCLogCodes: [0x06],
              evolutionACLogCodes: [], nexusLCLogCode: 0x0B, nexusACLogCode: nil, alarmCodes: [2720]),
        .init(name: "Wiring error", severity: .alarm, alarmIndex: 0x18, evolutionLCLogCodes: [0x08, 0x30],
              evolutionACLogCodes: [0x08, 0x30], nexusLCLogCode: 0x08, nexusACLogCode: 0x08, alarmCodes: [2098, 2099]),
        .init(name: "Over voltage", severity: .alarm, alarmIndex: 0x1D, evolutionLCLogCodes: [0x09, 0x31],
              evolutionACLogCodes: [0x31], nexusLCLogCode: 0x09, nexusACLogCode: 0x09, alarmCodes: [1800]),
        .init(name: "Under voltage", severity: .alarm, alarmIndex: 0x1E, evolutionLCLogCodes: [0x0A, 0x32],
              evolutionACLogCodes: [0x32], nexusLCLogCode: 0x0A, nexusACLogCode: 0x0A, alarmCodes: [1900]),
        .init(name: "Overload", severity: .alarm, alarmIndex: 0x24, evolutionLCLogCodes: [0x0B, 0x33],
              evolutionACLogCodes: [0x33], nexusLCLogCode: nil, nexusACLogCode: nil, alarmCodes: [2100]),
        .init(name: "Fuse problem", severity: .alarm, alarmIndex: 0x28, evolutionLCLogCodes: [0x0E, 0x36],
              evolutionACLogCodes: [0x36], nexusLCLogCode: nil, nexusACLogCode: nil, alarmCodes: [2400]),
        .init(name: "Emergency stop", severity: .alarm, alarmIndex: 0x34, evolutionLCLogCodes: [0x48],
              evolutionACLogCodes: [], nexusLCLogCode: nil, nexusACLogCode: nil, alarmCodes: [2800]),
        .init(name: "Low battery", severity: .warning, alarmIndex: 0x01, evolutionLCLogCodes: [0x14],
              evolutionACLogCodes: [0x14], nexusLCLogCode: 0x14, nexusACLogCode: 0x14, alarmCodes: [2750]),
        .init(name: "Charger missing AC", severity: .warning, alarmIndex: 0x2B, evolutionLCLogCodes: [0x21],
              evolutionACLogCodes: [0x21], nexusLCLogCode: nil, nexusACLogCode: nil, alarmCodes: [2780]),
        .init(name: "Service A due", severity: .serviceDue, alarmIndex: 0x1F, evolutionLCLogCodes: [0x17],
              evolutionACLogCodes: [0x17], nexusLCLogCode: 0x21, nexusACLogCode: nil, alarmCodes: []),
        .init(name: "Service B due", severity: .serviceDue, alarmIndex: 0x20, evolutionLCLogCodes: [0x16],
              evolutionACLogCodes: [0x16], nexusLCLogCode: 0x22, nexusACLogCode: nil, alarmCodes: []),
    ]

    public static func fault(alarmIndex: UInt16) -> FaultDefinition? { faults.first { $0.alarmIndex == alarmIndex } }
    public static func fault(named name: String) -> FaultDefinition? {
        faults.first { $0.name.lowercased() == name.lowercased() }
    }
}
