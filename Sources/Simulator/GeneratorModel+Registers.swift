import Foundation
import Generac

/// The register side: what the controller shows, what it accepts, its logs and its clock.
extension GeneratorModel {
    /// The result of a write, as the controller answers it.
    public enum WriteResult: Sendable, Equatable {
        case accepted
        /// The value cannot be taken (an hour of 25, a month of 13): Modbus exception 03.
        case illegalValue
    }

    // MARK: - Reads and writes

    /// Registers as a read returns them; unimplemented addresses give the family's filler value.
    /// Reading 0018 clears its "failed to exercise" bit, as the controller does.
    public mutating func read(address: UInt16, count: Int) -> [UInt16] {
        let words = (0..<count).map { offset -> UInt16 in
            let register = address &+ UInt16(truncatingIfNeeded: offset)
            return bank.word(at: register) ?? profile.filler
        }
        // In Int: a block near the top of the address space must not wrap around (or trap).
        if Int(address) <= Int(Register.missedExerciseFlag), Int(Register.missedExerciseFlag) < Int(address) + count {
            bank[Register.missedExerciseFlag] &= ~0x0001
        }
        return words
    }

    /// Every register the controller holds, as the monitor's decoder takes it.
    public var image: RegisterImage { bank }

    /// The value a register holds now, without read side effects (for tests and status).
    public func register(_ address: UInt16) -> UInt16 { bank.word(at: address) ?? profile.filler }

    /// Applies a Modbus write as a controller does (docs/registers.md#commands).
    public mutating func write(address: UInt16, values: [UInt16]) -> WriteResult {
        guard !values.isEmpty else { return .accepted }
        if address == Register.clockTime, values.count >= 3 { return setClock(values) }
        if address <= Register.commandValue, address &+ UInt16(values.count) > Register.commandIndex {
            // A multi-register write may carry value and index together (0003, 0004): value first.
            for (offset, value) in values.enumerated() where address &+ UInt16(offset) == Register.commandValue { bank[Register.commandValue] = value }
            if let index = values.indices.first(where: { address &+ UInt16($0) == Register.commandIndex }) {
                execute(index: values[index], value: bank[Register.commandValue])
            }
            return .accepted
        }
        for (offset, value) in values.enumerated() {
            let result = writeOne(address &+ UInt16(offset), value)
            if result != .accepted { return result }
        }
        renderDynamicRegisters()
        return .accepted
    }

    mutating func writeOne(_ address: UInt16, _ value: UInt16) -> WriteResult {
        let high = value >> 8, low = value & 0xFF
        switch address {
        case Register.exerciseTimeWrite:  // exercise hour/minute, mirrored into the read-back register 0005
            guard high <= 23, low <= 59 else { return .illegalValue }
            bank[Register.exerciseTimeWrite] = value
            bank[Register.exerciseTime] = value
            exerciseSettingsChanged()
        case Register.exerciseFrequency:  // frequency: weekly, biweekly, monthly
            guard low <= 2 else { return .illegalValue }
            bank[Register.exerciseFrequency] = low
            exerciseSettingsChanged()
        case Register.exerciseDay:  // weekday, or day of month when monthly
            let monthly = (bank[Register.exerciseFrequency]) & 0xFF == 2
            guard monthly ? (1...28).contains(low) : low <= 6 else { return .illegalValue }
            bank[Register.exerciseDay] = low
            if !monthly { bank[Register.exerciseDayAndQuietMode] = low << 8 | (bank[Register.exerciseDayAndQuietMode]) & 0xFF }
            exerciseSettingsChanged()
        case Register.quietModeWrite:  // quiet mode, mirrored into 0006's low byte where the monitor reads it
            guard low <= 1 else { return .illegalValue }
            bank[Register.quietModeWrite] = low
            bank[Register.exerciseDayAndQuietMode] = (bank[Register.exerciseDayAndQuietMode]) & 0xFF00 | low
            exerciseSettingsChanged()
        case Register.utilityThresholdVolts:
            guard value <= 342 else { return .illegalValue }
            bank[address] = value
            setUtility(volts: utilityVolts)
        case Register.utilityPickupVolts:
            guard (175...342).contains(value) else { return .illegalValue }
            bank[address] = value
        case Register.warmUpDelay, Register.liquidCooledStartupDelay:
            guard value <= 1500 else { return .illegalValue }
            bank[address] = value
        case Register.exerciseDuration:
            guard (12...60).contains(value) else { return .illegalValue }
            bank[address] = value
        case Register.evolution2UnlockBlock:
            break  // Evolution 2.0 unlock frames: accepted and ignored
        default:
            break  // the controller accepts writes it does not act on
        }
        return .accepted
    }

    var quietMode: Bool { (bank[Register.exerciseDayAndQuietMode]) & 0xFF == 1 }

    mutating func exerciseSettingsChanged() {
        bank[Register.changeFlags] |= 0x0004
    }

    /// Legacy exercise write (index 6): the new time is now + value × 128 s, to the minute.
    mutating func setExerciseLegacy(units: UInt16) {
        let target = controllerTime(at: now).addingTimeInterval(TimeInterval(units) * 128)
        let parts = calendar.dateComponents([.hour, .minute, .weekday], from: target)
        bank[Register.exerciseTime] = UInt16(parts.hour ?? 0) << 8 | UInt16(parts.minute ?? 0)
        bank[Register.exerciseTimeWrite] = bank[Register.exerciseTime]
        bank[Register.exerciseDayAndQuietMode] = UInt16((parts.weekday ?? 1) - 1) << 8 | (bank[Register.exerciseDayAndQuietMode]) & 0xFF
        exerciseSettingsChanged()
    }

    // MARK: - Clock

    func controllerTime(at date: Date) -> Date { date.addingTimeInterval(clockOffset) }

    /// Set time: hour, minute, month, day, (weekday ignored: computed here), year.
    mutating func setClock(_ values: [UInt16]) -> WriteResult {
        let hour = Int(values[0] >> 8), minute = Int(values[0] & 0xFF)
        let month = Int(values[1] >> 8), day = Int(values[1] & 0xFF)
        let year = 2000 + Int(values[2] & 0xFF)
        guard hour <= 23, minute <= 59, (1...12).contains(month), (1...31).contains(day),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)),
              calendar.component(.day, from: date) == day else {
            return .illegalValue
        }
        let seconds = TimeInterval(calendar.component(.second, from: controllerTime(at: now)))
        clockOffset = date.addingTimeInterval(seconds).timeIntervalSince(now)
        exerciseCheckedThrough = controllerTime(at: now)
        bank[Register.changeFlags] |= 0x0002
        renderDynamicRegisters()
        return .accepted
    }

    // MARK: - Logs

    mutating func appendRunLog(code: UInt8) { appendLog(.run, code: code) }

    /// Writes a new newest entry, moving the others one slot down (the 50th falls off).
    mutating func appendLog(_ range: LogRange, code: UInt8, alarmCode: UInt16? = nil) {
        let (clock, second) = controllerClockNow
        let entry = LogEntry(code: code, sequence: max(bank.nextLogSequence(range: range), 1), clock: clock, second: second,
                             alarmCode: range.hasAlarmCode ? (alarmCode ?? 0) : nil)
        bank.pushLogEntry(entry, range: range)
    }

    // MARK: - What the controller shows

    /// Refreshes every register that follows the generator's state.
    mutating func renderDynamicRegisters() {
        let running = phase.engineRunning
        bank[Register.engineState] = engineStateCode
        bank[Register.modeOrAlarmIndex] = activeFault?.alarmIndex ?? switchCode

        let quiet: Bool = { if case .exercise(true)? = runReason { return true }; return false }()
        let rpm: Int, hertz: Double
        switch phase {
        case .cranking: (rpm, hertz) = (300, 0)
        case .stopping: (rpm, hertz) = (profile.nominalRPM - 10, profile.nominalHertz - 1)
        case _ where running: (rpm, hertz) = quiet ? (profile.quietRPM, profile.quietHertz) : (profile.nominalRPM, profile.nominalHertz)
        default: (rpm, hertz) = (0, 0)
        }
        bank[Register.engineRPM] = UInt16(rpm)
        bank[Register.outputFrequency] = hertz == 0 ? 0 : profile.frequencyEncoding.encode(hertz)
        bank[Register.rawSpeedSensor] = UInt16(rpm / 6)
        bank[Register.outputVolts] = running ? UInt16((240 * hertz / profile.nominalHertz).rounded()) : 0
        bank[Register.utilityVolts] = UInt16(clamping: utilityVolts == 0 ? 0 : utilityVolts + utilityJitter)

        let battery: Double
        if case .cranking = phase { battery = batteryRestingVolts - 2.4 }
        else if running { battery = max(batteryRestingVolts, 13.6) + 0.4 }
        else { battery = batteryRestingVolts }
        bank[Register.batteryVolts] = UInt16(clamping: Int((max(battery, 0) * 10).rounded()))
        if isEvolution {
            bank[Register.batteryChargerCurrent] = running ? 0 : (batteryRestingVolts < 13.5 ? 900 : 160)
            bank[Register.lastAlarmCode] = lastAlarmCode
        }

        let amps = transferred ? loadAmps : (running ? 0.5 : 0)
        switch profile.family {
        case .evolutionAirCooled:
            bank[Register.currentTransformer1] = UInt16(clamping: Int((amps * 10).rounded()))
            bank[Register.currentTransformer2] = bank[Register.currentTransformer1]
        case .evolutionLiquidCooled:
            bank[Register.hallCurrentSensor] = UInt16(clamping: Int((amps * 100).rounded()))
            bank[Register.relayOutputs] = relayOutputs
        default:
            break
        }

        let hours = UInt32(runSeconds / 3600)
        if isLiquidCooledEvolution {
            let minutes = baseRunMinutes &+ UInt32(runSeconds / 60)
            bank[Register.runMinutes] = UInt16(minutes >> 16)
            bank[Register.runMinutesLowWord] = UInt16(minutes & 0xFFFF)
            bank[Register.hoursSinceActivation] = baseActivationHours &+ UInt16(clamping: Int(now.timeIntervalSince(startedAt) / 3600))
        } else {
            let total = baseRunHours &+ hours
            bank[Register.runHours] = UInt16(total >> 16)
            bank[Register.runHoursLowWord] = UInt16(total & 0xFFFF)
        }
        let serviceHoursUsed = Int((runSeconds - runSecondsAtServiceReset) / 3600)
        for (address, baseline) in serviceBaseline {
            bank[address] = UInt16(max(0, Int(baseline) - serviceHoursUsed))
        }

        bank.store(controllerClockNow.clock.words, at: Register.clockTime)
    }

    /// The controller's clock now, in Generac's encoding (weekday 0 = Sunday), and its second.
    var controllerClockNow: (clock: ControllerClock, second: UInt8) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: controllerTime(at: now))
        let clock = ControllerClock(hour: parts.hour ?? 0, minute: parts.minute ?? 0, month: parts.month ?? 1, day: parts.day ?? 1,
                                    weekday: (parts.weekday ?? 1) - 1, yearByte: (parts.year ?? 2000) - 2000)
        return (clock, UInt8(clamping: parts.second ?? 0))
    }

    /// Register 0001: the engine state code (docs/registers.md#status-pair), in its warning flavour while a warning shows.
    var engineStateCode: UInt16 {
        let warning = activeFault.map { $0.severity != .alarm } ?? false
        switch phase {
        case .ready: return warning ? 0x0A : 0x00
        case .startupDelay: return 0x01
        case .cranking: return warning ? 0x0D : 0x02
        case .warmingUp, .running, .returnDelay: return warning ? 0x06 : 0x03
        case .exercising: return 0x04
        case .coolingDown: return 0x05
        case .stopping: return 0x09
        case .stoppedInAlarm: return 0x08
        }
    }

    var switchCode: UInt16 {
        switch switchPosition {
        case .auto: 0x0000
        case .manual: 0x0006
        case .off: 0x0007
        }
    }

    /// Register 0053 on Evolution liquid-cooled units (docs/registers.md#relays-and-sensors).
    var relayOutputs: UInt16 {
        let charger: UInt16 = 0x10, starter: UInt16 = 0x04, fuel: UInt16 = 0x08, governor: UInt16 = 0x40
        let alarm: UInt16 = 0x20, transfer: UInt16 = 0x01
        switch phase {
        case .ready, .startupDelay: return charger
        case .cranking: return starter | fuel
        case .stoppedInAlarm: return alarm | charger
        case .stopping: return 0
        default: return fuel | governor | (transferred ? transfer : 0)
        }
    }

    /// A volt or two of wander, so charts look alive; a function of time, so runs repeat exactly.
    var utilityJitter: Int {
        [0, 1, 1, 0, -1, 0, 2, 1][Int(now.timeIntervalSince1970 / 7) & 7]
    }

    // MARK: - Exercise schedule

    /// The simulated time at which the next scheduled exercise falls, if it is no later than `target`.
    func nextScheduledExercise(upTo target: Date) -> Date? {
        let from = exerciseCheckedThrough, through = controllerTime(at: target)
        guard through > from, let next = ExerciseCalendar.nextOccurrence(after: from, settings: exerciseSettings, calendar: calendar,
                                                                            lastRun: lastExerciseStart.map(controllerTime(at:))),
              next <= through else { return nil }
        return next.addingTimeInterval(-clockOffset)
    }

    var exerciseSettings: ExerciseCalendar.Settings {
        let time = bank[Register.exerciseTime]
        let frequency = Int((bank[Register.exerciseFrequency]) & 0xFF)
        return ExerciseCalendar.Settings(
            hour: Int(time >> 8), minute: Int(time & 0xFF), weekday: Int((bank[Register.exerciseDayAndQuietMode]) >> 8),
            frequency: ExerciseFrequency(rawValue: isEvolution ? frequency : 0) ?? .weekly,
            dayOfMonth: Int((bank.word(at: Register.exerciseDay) ?? 1) & 0xFF))
    }
}
