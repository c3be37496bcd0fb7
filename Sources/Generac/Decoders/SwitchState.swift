/// Front-panel mode from `0002` (docs/registers.md#status-pair). The raw value is upstream's text.
public enum SwitchState: String, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case auto = "Auto"
    case off = "Off"
    case offViaRemoteCommand = "Off via Remote Command"
    case manual = "Manual"
    case twoWireStop = "Two Wire Stop"
    /// `0002` holds an alarm or warning index instead of the mode.
    case systemInAlarm = "System in Alarm"

    public var description: String { rawValue }

    /// Evolution / Nexus decoding, tests in upstream's order.
    public static func decode(_ pair: StatusPair) -> SwitchState {
        let mode = pair.modeWord
        if mode == 0x0000 { return .auto }
        if mode == 0x0007 { return .off }
        if pair.engineWord & 0x0F == 0x0F { return .offViaRemoteCommand }
        if mode == 0x0006 { return .manual }
        if mode == 0x0017 { return .twoWireStop }
        return .systemInAlarm
    }

    /// PZ200 reports Auto for S = 0 and Off for S = 0x0F; for anything else the caller keeps the
    /// previous value (nil here). Upstream starts from Auto.
    public static func decodePZ200(_ pair: StatusPair) -> SwitchState? {
        switch pair.engineCode {
        case 0x00: .auto
        case 0x0F: .off
        default: nil
        }
    }

    /// The `0002` value that encodes this mode (nil for the alarm case).
    public var modeWord: UInt16? {
        switch self {
        case .auto: 0x0000
        case .off: 0x0007
        case .manual: 0x0006
        case .twoWireStop: 0x0017
        case .offViaRemoteCommand, .systemInAlarm: nil
        }
    }
}
