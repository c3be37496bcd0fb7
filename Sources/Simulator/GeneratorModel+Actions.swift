import Foundation
import Generac

/// What people and the monitor do to the generator: utility changes, the front panel, remote
/// commands, faults. Each takes effect at the model's current time (advance first).
extension GeneratorModel {
    // MARK: - Utility

    public mutating func setUtility(volts: Int) {
        utilityVolts = max(0, volts)
        if utilityIsLost {
            utilityLost()
        } else if utilityIsGood {
            utilityReturned()
        }
        renderDynamicRegisters()
    }

    mutating func utilityLost() {
        guard switchPosition == .auto, activeFault?.severity != .alarm else { return }
        switch phase {
        case .ready:
            startOutageSequence()
        case .returnDelay:
            phase = .running
        case .coolingDown, .exercising:
            runReason = .outage
            phase = .warmingUp(until: now + 1)
        case .running where runReason != .outage:
            runReason = .outage
            if !transferred { phase = .warmingUp(until: now + 1) }
        case .warmingUp, .startupDelay, .cranking, .running, .stopping, .stoppedInAlarm:
            if case .cranking = phase, runReason != .outage { runReason = .outage }
        }
    }

    mutating func utilityReturned() {
        switch phase {
        case .startupDelay:
            phase = .ready
            runReason = nil
        case .running where runReason == .outage:
            if transferred {
                phase = .returnDelay(until: now + profile.returnToUtilityDelaySeconds)
            } else {
                phase = .coolingDown(until: now + profile.coolDownSeconds)
            }
        default:
            break
        }
    }

    // MARK: - Front panel

    public mutating func setSwitch(_ position: SimulatorCommand.SwitchPosition) {
        let previous = switchPosition
        switchPosition = position
        switch position {
        case .off:
            // OFF stops the engine at once and (with ENTER) clears an alarm.
            if activeFault?.severity == .alarm { activeFault = nil }
            transferred = false
            runReason = nil
            phase = phase.isTurning ? .stopping(until: now + profile.stoppingSeconds) : .ready
            if previous != .off { appendRunLog(code: 0x28) }
        case .manual:
            guard activeFault?.severity != .alarm else { break }
            runReason = .manual
            switch phase {
            case .ready, .startupDelay, .stopping:
                phase = .cranking(until: now + profile.crankSeconds)
            case .coolingDown, .exercising, .returnDelay:
                // On its way to a stop: in Manual it keeps running instead (and gives the load back).
                transferred = false
                phase = .running
            case .cranking, .warmingUp, .running, .stoppedInAlarm:
                break
            }
        case .auto:
            if runReason == .manual, case .cranking = phase {
                // Not started yet: Auto simply stops trying (nothing was logged as a start).
                runReason = nil
                phase = .stopping(until: now + profile.stoppingSeconds)
            } else if runReason == .manual, phase.engineRunning {
                runReason = nil
                phase = .coolingDown(until: now + profile.coolDownSeconds)
            }
            if phase == .ready, utilityIsLost, activeFault?.severity != .alarm { startOutageSequence() }
        }
        renderDynamicRegisters()
    }

    // MARK: - Indexed commands (register 0003, value in 0004)

    /// Carries out an indexed command as the controller does. Returns false for an index the
    /// controller does not implement.
    @discardableResult
    public mutating func execute(index: UInt16, value: UInt16) -> Bool {
        guard let command = IndexedCommand(rawValue: index) else { return false }
        switch command {
        case .remoteStart: remoteStart(.remoteStart)
        case .remoteStartTransfer: remoteStart(.remoteStartTransfer)
        case .remoteStartExercise: remoteStart(.exercise(quiet: quietMode))
        case .remoteStop: remoteStop()
        case .setExerciseLegacy: setExerciseLegacy(units: value)
        case .resetMaintenanceWarning:
            if activeFault?.severity == .serviceDue { activeFault = nil }
        case .resetMaintenancePeriods: resetMaintenancePeriods()
        case .resetAlarm: resetAlarm()
        case .frontPanelManual: setSwitch(.manual)
        case .frontPanelAuto: setSwitch(.auto)
        case .frontPanelOff: setSwitch(.off)
        case .pz200Start, .pz200Stop, .pz200StartExercise, .pz200StartTransfer: return false
        }
        renderDynamicRegisters()
        return true
    }

    /// Remote starts work only in Auto, at rest, with no alarm (a controller in Off or in alarm ignores them).
    mutating func remoteStart(_ reason: RunReason) {
        guard switchPosition == .auto, activeFault?.severity != .alarm, phase == .ready else { return }
        runReason = reason
        phase = .cranking(until: now + profile.crankSeconds)
    }

    /// Ends a remote or exercise run. An outage run keeps the house powered until the utility is
    /// back (use Off to force a stop), as a controller in Auto does.
    mutating func remoteStop() {
        switch runReason {
        case .remoteStart?, .remoteStartTransfer?:
            switch phase {
            case .cranking: stopEngine()
            case .warmingUp, .running:
                transferred = false
                phase = .coolingDown(until: now + profile.coolDownSeconds)
            default: break
            }
        case .exercise?:
            if case .cranking = phase { stopEngine() } else if case .exercising = phase { stopEngine() }
        default:
            break
        }
    }

    mutating func resetAlarm() {
        guard let fault = activeFault else { return }
        activeFault = nil
        if fault.severity == .alarm {
            switchPosition = .off
            phase = .ready
            runReason = nil
        }
    }

    mutating func resetMaintenancePeriods() {
        let hours = [profile.serviceIntervals.a, profile.serviceIntervals.b]
        for (index, address) in Self.serviceHourRegisters(profile.family).enumerated() {
            serviceBaseline[address] = UInt16(hours[min(index, 1)])
        }
        runSecondsAtServiceReset = runSeconds
        if isEvolution {
            bank[Register.evolutionServiceADueDate] = ControllerProfile.dayNumber(controllerTime(at: now), plusDays: isLiquidCooledEvolution ? 365 : 730)
            bank[Register.evolutionServiceBDueDate] = ControllerProfile.dayNumber(controllerTime(at: now), plusDays: 730)
            appendLog(.evolutionService, code: 0x3F)
        }
        if activeFault?.severity == .serviceDue { activeFault = nil }
    }

    // MARK: - Faults

    /// Raises a fault by short name or ALARMS.txt code.
    public mutating func raise(_ selector: SimulatorCommand.Fault, severity requested: FaultDefinition.Severity) throws(SimulatorCommandError) {
        let (definition, code) = try Self.resolve(selector)
        if let definition, definition.logCodes(for: identity).isEmpty, definition.severity != .serviceDue {
            throw .notApplicable("\(definition.name) does not exist on a \(identity.displayName) controller")
        }
        let severity = definition?.severity == .serviceDue ? .serviceDue : requested
        let fault = ActiveFault(
            definition: definition, severity: severity,
            alarmIndex: definition?.alarmIndex ?? Self.unlistedAlarmIndex, alarmCode: UInt16(clamping: code))
        apply(fault)
        renderDynamicRegisters()
    }

    /// The index a controller shows for an alarm the index table does not know; the monitor then
    /// names it from the code in 05f1.
    static let unlistedAlarmIndex: UInt16 = 0x7F

    static func resolve(_ selector: SimulatorCommand.Fault) throws(SimulatorCommandError) -> (FaultDefinition?, Int) {
        switch selector {
        case let .code(code):
            if let definition = FaultCorrespondence.faults.first(where: { $0.alarmCodes.contains(code) }) {
                return (definition, code)
            }
            guard AlarmCatalog.knownName(forCode: UInt16(clamping: code)) != nil else { throw .unknownFault(String(code)) }
            return (nil, code)
        case let .named(name):
            let wanted = name.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
            guard let definition = FaultCorrespondence.fault(named: wanted) else { throw .unknownFault(name) }
            return (definition, definition.alarmCodes.first ?? 0)
        }
    }

    /// Names accepted by `alarm`/`warning`, as typed.
    public static var faultNames: [String] {
        FaultCorrespondence.faults.map { $0.name.lowercased().replacingOccurrences(of: " ", with: "-") }
    }

    mutating func apply(_ fault: ActiveFault) {
        let wasTurning = phase.isTurning
        activeFault = fault
        lastAlarmCode = fault.alarmCode
        switch fault.severity {
        case .alarm:
            transferred = false
            runReason = nil
            phase = .stoppedInAlarm
            logFault(fault, alarmWord: fault.alarmCode)
            if wasTurning { appendRunLog(code: 0x2F) }
        case .warning:
            logFault(fault, alarmWord: profile.family == .evolutionAirCooled ? 0 : fault.alarmCode)
        case .serviceDue:
            logFault(fault, alarmWord: 0)
        }
    }

    mutating func logFault(_ fault: ActiveFault, alarmWord: UInt16) {
        let kind = fault.definition?.logKind(for: identity) ?? .alarm
        let codes = fault.definition?.logCodes(for: identity) ?? []
        // An unlisted code logs as an unknown type, which the monitor then names from the alarm-code word.
        let code = codes.first ?? 0xFE
        switch (kind, isEvolution) {
        case (.service, true): appendLog(.evolutionService, code: code)
        case (_, true): appendLog(.evolutionAlarm, code: code, alarmCode: alarmWord)
        case (_, false): appendLog(.nexusAlarm, code: code)
        }
    }

    /// Clears an active warning or service reminder (alarms need reset or Off).
    public mutating func clearWarning() {
        if let fault = activeFault, fault.severity != .alarm { activeFault = nil }
        renderDynamicRegisters()
    }

    public mutating func setBattery(volts: Double) {
        batteryRestingVolts = volts
        let lowBattery = FaultCorrespondence.faults.first { $0.alarmIndex == 0x01 }
        if volts < 12.0, activeFault == nil, let lowBattery {
            apply(ActiveFault(definition: lowBattery, severity: .warning, alarmIndex: lowBattery.alarmIndex,
                              alarmCode: UInt16(lowBattery.alarmCodes.first ?? 0)))
        } else if volts >= 12.0, activeFault?.alarmIndex == 0x01 {
            activeFault = nil
        }
        renderDynamicRegisters()
    }

    public mutating func setLoad(amps: Double) {
        loadAmps = max(0, amps)
        renderDynamicRegisters()
    }

    /// Makes service A or B due now: its hour counter reads 0 and the reminder shows.
    public mutating func makeServiceDue(_ schedule: String) {
        let registers = Self.serviceHourRegisters(profile.family)
        let address = schedule == "b" && registers.count > 1 ? registers[1] : registers[0]
        serviceBaseline[address] = UInt16(clamping: Int(runSeconds - runSecondsAtServiceReset) / 3600)
        let index: UInt16 = schedule == "b" ? 0x20 : 0x1F
        if activeFault == nil, let definition = FaultCorrespondence.fault(alarmIndex: index) {
            apply(ActiveFault(definition: definition, severity: .serviceDue, alarmIndex: index, alarmCode: 0))
        }
        renderDynamicRegisters()
    }

    /// Starts the exercise at once, as if its scheduled time had come.
    public mutating func exerciseNow() {
        scheduledExerciseReached()
        renderDynamicRegisters()
    }

    mutating func scheduledExerciseReached() {
        guard switchPosition == .auto, activeFault?.severity != .alarm, phase == .ready, !utilityIsLost else {
            bank[Register.missedExerciseFlag] |= 0x0001  // "failed to exercise", cleared when read
            return
        }
        runReason = .exercise(quiet: quietMode)
        phase = .cranking(until: now + profile.crankSeconds)
    }
}
