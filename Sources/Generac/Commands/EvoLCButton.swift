/// The EvoLC push-button writes (docs/registers.md#evolc-buttons). Raw value = upstream's one-word command id.
public enum EvoLCButton: String, Sendable, Equatable, Hashable, CaseIterable {
    case resetMaintenanceWarnings = "resetmaintwarn"
    case resetMaintenancePeriods = "resetmaintperiods"
    case exerciseDuration = "exerciseduration"
    case startupDelay = "startupdelay"
    case warmupDelay = "warmupdelay"
    case thresholdVolts = "thresholdvolts"
    case pickupVolts = "pickupvolts"

    public var title: String {
        switch self {
        case .resetMaintenanceWarnings: "Reset Maintenance Warnings"
        case .resetMaintenancePeriods: "Reset Maintenance Periods"
        case .exerciseDuration: "Exercise Duration"
        case .startupDelay: "Start Up Delay"
        case .warmupDelay: "Warm Up Delay"
        case .thresholdVolts: "Threshold Volts"
        case .pickupVolts: "Pickup Volts"
        }
    }

    public var register: RegisterAddress {
        switch self {
        case .resetMaintenanceWarnings, .resetMaintenancePeriods: IndexedCommand.indexRegister
        case .exerciseDuration: Register.exerciseDuration
        case .startupDelay: Register.liquidCooledStartupDelay
        case .warmupDelay: Register.warmUpDelay
        case .thresholdVolts: Register.utilityThresholdVolts
        case .pickupVolts: Register.utilityPickupVolts
        }
    }

    /// Allowed user input (minutes, seconds or volts); nil for the fixed reset buttons.
    public var bounds: ClosedRange<Int>? {
        switch self {
        case .resetMaintenanceWarnings, .resetMaintenancePeriods: nil
        case .exerciseDuration: 12...60
        case .startupDelay: 5...1500
        case .warmupDelay: 2...1500
        case .thresholdVolts: 0...342
        case .pickupVolts: 175...342
        }
    }

    public func plan(value: Int? = nil) throws(GeneracCommandError) -> CommandPlan {
        switch self {
        case .resetMaintenanceWarnings, .resetMaintenancePeriods:
            guard value == nil else { throw .unexpectedValue }
            // The same write and check as setremote's resetmaintalarm / resetmainttimer.
            let (command, remote): (IndexedCommand, RemoteCommand) = self == .resetMaintenanceWarnings
                ? (.resetMaintenanceWarning, .resetMaintenanceAlarm) : (.resetMaintenancePeriods, .resetMaintenanceTimer)
            return CommandPlan(writes: command.writes(value: nil), confirmation: remote.confirmation,
                               reply: "The command was sent to the controller.")
        default:
            guard let value, let bounds else { throw .valueRequired }
            guard bounds.contains(value) else { throw .valueOutOfRange(value: value, allowed: bounds) }
            let word = UInt16(value)
            return CommandPlan(writes: [RegisterWrite(register, word)],
                               confirmation: Confirmation(.registerEquals(register, word), readBack: [RegisterSpan(register)],
                                                          timeoutSeconds: 30),
                               reply: "The command was sent to the controller.")
        }
    }
}
