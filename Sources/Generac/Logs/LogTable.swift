/// Which text table decodes a log on a given controller (docs/registers.md#log-texts).
public enum LogTable: Sendable, Equatable, Hashable, CaseIterable {
    case run
    /// PZ200 run log: the run table merged with the EvoLC alarm table (run texts win on overlap;
    /// which side wins upstream is not documented).
    case pz200Run
    case liquidCooledService
    case evolutionLCAlarm
    case evolutionACAlarm
    /// EvoAC table with 0x33 read as "No Rotation Warning" (Evo2 firmware ≥ 1.14).
    case evolution2Alarm
    case nexusLCAlarm
    case nexusACAlarm

    /// The table upstream uses for `range` on this controller.
    public static func table(for range: LogRange, identity: ControllerIdentity, firmware: FirmwareVersion) -> LogTable {
        let evoAC: LogTable = identity.isEvolution2 && firmware.renamesNoRotationWarning ? .evolution2Alarm : .evolutionACAlarm
        switch range.kind {
        case .run:
            return identity.isPZ200 ? .pz200Run : .run
        case .service:
            return identity.isLiquidCooled ? .liquidCooledService : evoAC
        case .alarm:
            if identity.isEvolution { return identity.isLiquidCooled ? .evolutionLCAlarm : evoAC }
            return identity.isLiquidCooled ? .nexusLCAlarm : .nexusACAlarm
        }
    }

    /// The merged tables, made once (every decoded log entry looks its code up).
    private static let pz200RunTexts = LogCodeTables.evolutionLCAlarm.merging(LogCodeTables.run) { _, run in run }
    private static let evolution2AlarmTexts = LogCodeTables.evolutionACAlarm.merging([0x33: "No Rotation Warning"]) { _, new in new }

    public var texts: [UInt8: String] {
        switch self {
        case .run: LogCodeTables.run
        case .pz200Run: Self.pz200RunTexts
        case .liquidCooledService: LogCodeTables.liquidCooledService
        case .evolutionLCAlarm: LogCodeTables.evolutionLCAlarm
        case .evolutionACAlarm: LogCodeTables.evolutionACAlarm
        case .evolution2Alarm: Self.evolution2AlarmTexts
        case .nexusLCAlarm: LogCodeTables.nexusLCAlarm
        case .nexusACAlarm: LogCodeTables.nexusACAlarm
        }
    }

    /// The text for a code, `Unknown 0x%02X` when the table has none.
    public func text(for code: UInt8) -> String {
        texts[code] ?? "Unknown 0x" + ProductCode.hex2(UInt16(code))
    }

    /// The lowest code whose text is `text` (simulators log events by name).
    public func code(forText text: String) -> UInt8? {
        texts.filter { $0.value == text }.keys.min()
    }
}
