import Foundation
import Generac

/// A simulated generator and its controller, as a value: time moves only through `advance(to:)`.
///
/// Nothing here runs on a timer. Reads first advance the model to "now"; the model then walks
/// through every transition that fell due (start-up delay over, cranking done, cool-down over,
/// exercise time reached) in order, so the register image is exactly what a real controller would
/// show at that instant, whether time runs at 1× or 1000×.
public struct GeneratorModel: Sendable {
    /// What the engine is doing; deadlines are simulated times.
    public enum Phase: Sendable, Equatable {
        case ready
        case startupDelay(until: Date)
        case cranking(until: Date)
        /// Running but not yet carrying the load (warm-up before transfer).
        case warmingUp(until: Date)
        case running
        case exercising(until: Date)
        /// Utility is back; the load stays on the generator until this passes.
        case returnDelay(until: Date)
        case coolingDown(until: Date)
        /// Fuel cut, engine winding down.
        case stopping(until: Date)
        case stoppedInAlarm

        var deadline: Date? {
            switch self {
            case let .startupDelay(until), let .cranking(until), let .warmingUp(until), let .exercising(until),
                 let .returnDelay(until), let .coolingDown(until), let .stopping(until): until
            case .ready, .running, .stoppedInAlarm: nil
            }
        }

        /// The crankshaft turns, by the starter or under its own power.
        var isTurning: Bool {
            if case .cranking = self { return true }
            return engineRunning
        }

        /// The engine turns under its own power.
        var engineRunning: Bool {
            switch self {
            case .warmingUp, .running, .exercising, .returnDelay, .coolingDown, .stopping: true
            default: false
            }
        }
    }

    /// Why the engine was started; decides transfer and how it stops.
    public enum RunReason: Sendable, Equatable {
        case outage, remoteStart, remoteStartTransfer, exercise(quiet: Bool), manual
    }

    /// An alarm, warning or service reminder the controller is showing.
    public struct ActiveFault: Sendable, Equatable {
        public var definition: FaultDefinition?
        public var severity: FaultDefinition.Severity
        public var alarmIndex: UInt16
        /// The ALARMS.txt code put in `05f1` (0 when none).
        public var alarmCode: UInt16
    }

    public let profile: ControllerProfile
    public let timeZone: TimeZone
    /// Gregorian in `timeZone`, made once: every request reads the clock through it.
    let calendar: Calendar
    /// Every register the controller holds.
    var bank: RegisterImage
    /// The simulated time the model has reached.
    public private(set) var now: Date
    let startedAt: Date
    /// Controller clock = simulated time + this (set-time changes it).
    var clockOffset: TimeInterval = 0

    public internal(set) var phase: Phase = .ready
    public internal(set) var runReason: RunReason?
    public internal(set) var transferred = false
    public internal(set) var switchPosition: SimulatorCommand.SwitchPosition = .auto
    public internal(set) var activeFault: ActiveFault?
    public internal(set) var utilityVolts: Int
    public internal(set) var batteryRestingVolts: Double
    /// Amps per leg drawn while the generator carries the house.
    public internal(set) var loadAmps: Double = 20
    var lastAlarmCode: UInt16 = 0
    /// Engine running time since the simulation started.
    var runSeconds: TimeInterval = 0
    let baseRunHours: UInt32
    let baseRunMinutes: UInt32
    let baseActivationHours: UInt16
    /// Service counters: hours at the last reset and the run time at that moment.
    var serviceBaseline: [UInt16: UInt16]
    var runSecondsAtServiceReset: TimeInterval = 0
    var lastExerciseStart: Date?
    /// Controller time up to which scheduled exercises have been considered.
    var exerciseCheckedThrough: Date

    public init(profile: ControllerProfile, start: Date, timeZone: TimeZone = .current) {
        self.profile = profile
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.bank = RegisterImage(words: profile.registers)
        self.now = start
        self.startedAt = start
        self.exerciseCheckedThrough = start
        self.utilityVolts = Int(profile.registers[Register.utilityVolts] ?? 240)
        self.batteryRestingVolts = Double(profile.registers[Register.batteryVolts] ?? 0x008A) / 10
        self.baseRunHours = UInt32(profile.registers[Register.runHours] ?? 0) << 16 | UInt32(profile.registers[Register.runHoursLowWord] ?? 0)
        self.baseRunMinutes = UInt32(profile.registers[Register.runMinutes] ?? 0) << 16 | UInt32(profile.registers[Register.runMinutesLowWord] ?? 0)
        self.baseActivationHours = profile.registers[Register.hoursSinceActivation] ?? 0
        self.serviceBaseline = Dictionary(uniqueKeysWithValues: Self.serviceHourRegisters(profile.family).map { ($0, profile.registers[$0] ?? 0) })
        renderDynamicRegisters()
    }

    public var identity: ControllerIdentity { profile.identity }
    var isEvolution: Bool { identity.isEvolution }
    var isLiquidCooledEvolution: Bool { profile.family == .evolutionLiquidCooled }

    /// Walks through every transition due up to `target`, in order, then refreshes the registers.
    public mutating func advance(to target: Date) {
        while target > now {
            let phaseDue = phase.deadline
            let exerciseDue = nextScheduledExercise(upTo: target)
            let next = [phaseDue, exerciseDue].compactMap { $0 }.filter { $0 <= target }.min()
            guard let next else {
                accrue(until: target)
                exerciseCheckedThrough = controllerTime(at: target)
                break
            }
            accrue(until: next)
            if let phaseDue, phaseDue <= next {
                completePhase()
            } else {
                exerciseCheckedThrough = controllerTime(at: next)
                scheduledExerciseReached()
            }
        }
        renderDynamicRegisters()
    }

    /// Time passes: the hour meter counts while the engine runs.
    mutating func accrue(until date: Date) {
        let elapsed = date.timeIntervalSince(now)
        if elapsed > 0, phase.engineRunning { runSeconds += elapsed }
        now = max(now, date)
    }

    // MARK: - Phase transitions

    mutating func completePhase() {
        switch phase {
        case .startupDelay:
            phase = .cranking(until: now + profile.crankSeconds)
        case .cranking:
            engineStarted()
        case .warmingUp:
            if runReason == .outage, !utilityIsLost {
                phase = .coolingDown(until: now + profile.coolDownSeconds)
            } else {
                transferred = true
                phase = .running
            }
        case .exercising:
            stopEngine()
        case .returnDelay:
            transferred = false
            phase = .coolingDown(until: now + profile.coolDownSeconds)
        case .coolingDown:
            stopEngine()
        case .stopping:
            phase = .ready
            runReason = nil
            // A utility still down, seen by a controller in Auto, starts the sequence again.
            if utilityIsLost, switchPosition == .auto, activeFault?.severity != .alarm { startOutageSequence() }
        case .ready, .running, .stoppedInAlarm:
            break
        }
    }

    /// Cranking succeeded: log why the engine runs and move on.
    mutating func engineStarted() {
        switch runReason {
        case .outage?:
            appendRunLog(code: 0x2B)
            phase = .warmingUp(until: now + warmUpSeconds)
        case .remoteStartTransfer?:
            appendRunLog(code: 0x2D)
            phase = .warmingUp(until: now + warmUpSeconds)
        case .remoteStart?:
            appendRunLog(code: 0x2D)
            phase = .running
        case .manual?:
            appendRunLog(code: 0x29)
            phase = .running
        case .exercise?:
            appendRunLog(code: 0x2E)
            lastExerciseStart = now
            phase = .exercising(until: now + TimeInterval(exerciseMinutes * 60))
        case nil:
            phase = .running
        }
    }

    /// Cut the fuel; the engine winds down and the stop is logged.
    mutating func stopEngine() {
        transferred = false
        phase = .stopping(until: now + profile.stoppingSeconds)
        appendRunLog(code: 0x2A)
    }

    mutating func startOutageSequence() {
        runReason = .outage
        phase = .startupDelay(until: now + startupDelaySeconds)
    }

    // MARK: - Settings read from the controller's own registers

    var utilityThreshold: Int {
        let value = Int(bank[Register.utilityThresholdVolts])
        return value == 0 ? 143 : value
    }

    var utilityPickup: Int {
        let value = Int(bank[Register.utilityPickupVolts])
        return value == 0 ? 190 : value
    }

    var utilityIsLost: Bool { utilityVolts < utilityThreshold }
    var utilityIsGood: Bool { utilityVolts >= utilityPickup }

    var startupDelaySeconds: TimeInterval {
        switch profile.family {
        case .evolutionAirCooled: TimeInterval(bank[Register.airCooledStartupDelay]).nonZero ?? profile.defaultStartupDelaySeconds
        case .evolutionLiquidCooled: TimeInterval(bank[Register.liquidCooledStartupDelay]).nonZero ?? profile.defaultStartupDelaySeconds
        default: profile.defaultStartupDelaySeconds
        }
    }

    var warmUpSeconds: TimeInterval {
        isLiquidCooledEvolution ? (TimeInterval(bank[Register.warmUpDelay]).nonZero ?? profile.defaultWarmUpSeconds) : profile.defaultWarmUpSeconds
    }

    var exerciseMinutes: Int {
        isLiquidCooledEvolution ? (Int(bank[Register.exerciseDuration]).nonZero ?? profile.defaultExerciseMinutes) : profile.defaultExerciseMinutes
    }

    static func serviceHourRegisters(_ family: ControllerProfile.Family) -> [UInt16] {
        switch family {
        case .evolutionAirCooled, .evolutionLiquidCooled: [Register.evolutionServiceAHours, Register.evolutionServiceBHours]
        case .nexusAirCooled:
            [Register.nexusACSparkPlugHours, Register.nexusAirFilterHours, Register.nexusACOilHours,
             Register.nexusACBatteryHours, Register.nexusACOtherServiceHours]
        case .nexusLiquidCooled: [Register.nexusLCOilHours, Register.nexusAirFilterHours, Register.nexusLCSparkPlugHours]
        }
    }
}

extension TimeInterval {
    var nonZero: TimeInterval? { self == 0 ? nil : self }
}

extension Int {
    var nonZero: Int? { self == 0 ? nil : self }
}
