/// Engine state from the low five bits of `0001` (docs/registers.md#status-pair). `description` is upstream's text.
public enum EngineState: Sendable, Equatable, Hashable, CustomStringConvertible {
    case startupDelay
    case exercising
    case stopped
    case crankingInAlarm
    case cranking
    case runningWarmUp
    case crankingInWarning
    case crankingPaused
    case coolingDown
    case runningInAlarm
    case running
    case runningRemoteTransfer
    case runningTransferSwitchActivated
    case stoppedInAlarm
    case stoppedInWarning
    case runningInWarning
    case offReady
    case offRemoteSwitchOff
    case firmwareUpdate
    /// A code upstream does not know; carries the whole status pair for `UNKNOWN: %08x`.
    case unknown(StatusPair)

    /// Decodes S. Codes 2 and 3 read "in Alarm" while the system is in alarm.
    public static func decode(_ pair: StatusPair, systemInAlarm: Bool) -> EngineState {
        switch pair.engineCode {
        case 0x01: .startupDelay
        case 0x04: .exercising
        case 0x09: .stopped
        case 0x0E: .crankingInAlarm
        case 0x02: systemInAlarm ? .crankingInAlarm : .cranking
        case 0x0C: .runningWarmUp
        case 0x0D: .crankingInWarning
        case 0x0B: .crankingPaused
        case 0x05: .coolingDown
        case 0x03: systemInAlarm ? .runningInAlarm : .running
        case 0x1B: .runningRemoteTransfer
        case 0x18: .runningTransferSwitchActivated
        case 0x08: .stoppedInAlarm
        case 0x0A: .stoppedInWarning
        case 0x06: .runningInWarning
        case 0x00: .offReady
        case 0x0F: .offRemoteSwitchOff
        case 0x1F: .firmwareUpdate
        default: .unknown(pair)
        }
    }

    public var description: String {
        switch self {
        case .startupDelay: "Startup Delay Timer Activated"
        case .exercising: "Exercising"
        case .stopped: "Stopped"
        case .crankingInAlarm: "Cranking in Alarm"
        case .cranking: "Cranking"
        case .runningWarmUp: "Running - Warm Up"
        case .crankingInWarning: "Cranking in Warning"
        case .crankingPaused: "Cranking Paused"
        case .coolingDown: "Cooling Down"
        case .runningInAlarm: "Running in Alarm"
        case .running: "Running"
        case .runningRemoteTransfer: "Running Remote Transfer"
        case .runningTransferSwitchActivated: "Running - Transfer Switch Activated"
        case .stoppedInAlarm: "Stopped in Alarm"
        case .stoppedInWarning: "Stopped in Warning"
        case .runningInWarning: "Running in Warning"
        case .offReady: "Off - Ready"
        case .offRemoteSwitchOff: "Off - Remote Switch Off"
        case .firmwareUpdate: "Firmware Update in Progress"
        case .unknown(let pair): "UNKNOWN: " + pair.hex8
        }
    }

    /// The S code a controller reports for this state (simulators write it to `0001`).
    public var code: UInt16? {
        switch self {
        case .startupDelay: 0x01
        case .cranking: 0x02
        case .running, .runningInAlarm: 0x03
        case .exercising: 0x04
        case .coolingDown: 0x05
        case .runningInWarning: 0x06
        case .stoppedInAlarm: 0x08
        case .stopped: 0x09
        case .stoppedInWarning: 0x0A
        case .crankingPaused: 0x0B
        case .runningWarmUp: 0x0C
        case .crankingInWarning: 0x0D
        case .crankingInAlarm: 0x0E
        case .offRemoteSwitchOff: 0x0F
        case .runningTransferSwitchActivated: 0x18
        case .runningRemoteTransfer: 0x1B
        case .firmwareUpdate: 0x1F
        case .offReady: 0x00
        case .unknown(let pair): pair.engineCode
        }
    }

    /// Upstream's "engine not turning" test for current, power and the 4.5 L RPM:
    /// the text contains "Stopped" or "Off" (or is empty).
    public var isStoppedOrOff: Bool {
        let text = description
        return text.contains("Stopped") || text.contains("Off") || text.isEmpty
    }

    /// Cranking in any form.
    public var isCranking: Bool {
        switch self {
        case .cranking, .crankingInAlarm, .crankingInWarning, .crankingPaused: true
        default: false
        }
    }

    /// The engine turns under its own power (running, exercising, warm-up, cool-down).
    public var isRunning: Bool {
        switch self {
        case .running, .runningInAlarm, .runningInWarning, .runningWarmUp, .runningRemoteTransfer,
             .runningTransferSwitchActivated, .exercising, .coolingDown: true
        default: false
        }
    }
}
