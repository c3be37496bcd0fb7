/// Write-only functions behind the indexed command register `0003` (docs/registers.md#indexed-commands). The optional
/// value goes to `0004` first.
public enum IndexedCommand: UInt16, Sendable, Equatable, Hashable, CaseIterable {
    case remoteStop = 0x00
    case remoteStart = 0x01
    case remoteStartTransfer = 0x02
    case remoteStartExercise = 0x03
    case setExerciseLegacy = 0x06
    case resetMaintenanceWarning = 0x08
    case resetMaintenancePeriods = 0x09
    case resetAlarm = 0x0D
    case frontPanelManual = 0x0E
    case frontPanelAuto = 0x0F
    case frontPanelOff = 0x10
    case pz200Start = 0x19
    case pz200Stop = 0x1A
    case pz200StartExercise = 0x1B
    case pz200StartTransfer = 0x28

    /// Index register and value register.
    public static let indexRegister: RegisterAddress = Register.commandIndex
    public static let valueRegister: RegisterAddress = Register.commandValue

    /// PZ200 start commands run for 300 s (0x012C in `0004`).
    public static let pz200RunSeconds: UInt16 = 0x012C

    /// The writes in order: `0004` = value (if any), then `0003` = index.
    public func writes(value: UInt16? = nil) -> [RegisterWrite] {
        Self.writes(index: rawValue, value: value)
    }

    public static func writes(index: UInt16, value: UInt16?) -> [RegisterWrite] {
        var writes: [RegisterWrite] = []
        if let value { writes.append(RegisterWrite(valueRegister, value)) }
        writes.append(RegisterWrite(indexRegister, index))
        return writes
    }

    /// Debug `testcommand=N`: any index 0–16, with 0 written to `0004` first.
    public static func testCommand(_ index: Int) throws(GeneracCommandError) -> CommandPlan {
        guard (0...16).contains(index) else { throw .testCommandOutOfRange(index) }
        return CommandPlan(writes: writes(index: UInt16(index), value: 0), confirmation: .unconfirmable,
                           reply: "Test command sent successfully")
    }
}
