/// `setremote=<command>` (docs/registers.md#indexed-commands). The raw value is the original's argument word.
public enum RemoteCommand: String, Sendable, Equatable, Hashable, CaseIterable {
    case start
    case stop
    case startTransfer = "starttransfer"
    case startExercise = "startexercise"
    case resetMaintenanceTimer = "resetmainttimer"
    case resetMaintenanceAlarm = "resetmaintalarm"
    case resetAlarm = "resetalarm"
    case auto
    case manual
    case off

    public static let successReply = "Remote command sent successfully"

    /// The indexed command and value this sends.
    ///
    /// Deliberate fix: upstream never assigns the indexes of `resetmainttimer` / `resetmaintalarm`
    /// and so sends index 0, a remote STOP. We send the intended 9 (reset maintenance periods) and
    /// 8 (reset maintenance warning), the same writes as the EvoLC buttons.
    public func indexed(for identity: ControllerIdentity) -> (command: IndexedCommand, value: UInt16?) {
        if identity.isPZ200 {
            switch self {
            case .start: return (.pz200Start, IndexedCommand.pz200RunSeconds)
            case .stop: return (.pz200Stop, nil)
            case .startExercise: return (.pz200StartExercise, nil)
            case .startTransfer: return (.pz200StartTransfer, IndexedCommand.pz200RunSeconds)
            default: break
            }
        }
        switch self {
        case .start: return (.remoteStart, nil)
        case .stop: return (.remoteStop, nil)
        case .startTransfer: return (.remoteStartTransfer, nil)
        case .startExercise: return (.remoteStartExercise, nil)
        case .resetMaintenanceTimer: return (.resetMaintenancePeriods, nil)
        case .resetMaintenanceAlarm: return (.resetMaintenanceWarning, nil)
        case .resetAlarm: return (.resetAlarm, nil)
        case .auto: return (.frontPanelAuto, nil)
        case .manual: return (.frontPanelManual, nil)
        case .off: return (.frontPanelOff, nil)
        }
    }

    /// Writes plus how to confirm them. Like upstream, no command is refused here; use
    /// `isOffered` to decide what a UI shows.
    public func plan(for identity: ControllerIdentity) -> CommandPlan {
        let (command, value) = indexed(for: identity)
        return CommandPlan(writes: command.writes(value: value), confirmation: confirmation, reply: Self.successReply)
    }

    /// Status-pair checks: the pair is refreshed every ≈0.5 s, the engine needs a few seconds.
    public var confirmation: Confirmation {
        let status = [RegisterSpan(Register.statusPair, words: 2)]
        switch self {
        case .start, .startTransfer: return Confirmation(.engineStarting, readBack: status, timeoutSeconds: 20)
        case .startExercise: return Confirmation(.engineExercising, readBack: status, timeoutSeconds: 20)
        case .stop: return Confirmation(.engineStopping, readBack: status, timeoutSeconds: 20)
        case .resetAlarm: return Confirmation(.alarmCleared, readBack: status, timeoutSeconds: 10)
        case .auto: return Confirmation(.switchState(.auto), readBack: status, timeoutSeconds: 10)
        case .manual: return Confirmation(.switchState(.manual), readBack: status, timeoutSeconds: 10)
        case .off: return Confirmation(.switchState(.off), readBack: status, timeoutSeconds: 10)
        case .resetMaintenanceAlarm:
            return Confirmation(.serviceDueCleared(hoursReloaded: false), readBack: status, timeoutSeconds: 10)
        case .resetMaintenanceTimer:
            return Confirmation(.serviceDueCleared(hoursReloaded: true),
                                readBack: status + ServiceSchedule.allHoursRegisters.map { RegisterSpan($0) },
                                timeoutSeconds: 15)
        }
    }

    /// Whether the original's web UI offers this command on the controller.
    public func isOffered(identity: ControllerIdentity, settings: GeneracSettings) -> Bool {
        switch self {
        case .start, .stop, .startTransfer: identity.offersRemoteStartStop(settings)
        case .startExercise: !settings.smartTransferSwitch
        case .resetAlarm: identity.offersResetAlarm
        case .auto, .manual, .off: identity.offersFrontPanelButtons
        case .resetMaintenanceTimer, .resetMaintenanceAlarm: identity.offersEvoLCButtons
        }
    }
}
