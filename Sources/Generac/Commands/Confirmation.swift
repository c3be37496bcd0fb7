/// A block of registers to read back after a command.
public struct RegisterSpan: Sendable, Equatable, Hashable {
    public let address: RegisterAddress
    public let words: Int

    public init(_ address: RegisterAddress, words: Int = 1) {
        self.address = address
        self.words = words
    }
}

/// How to tell that a command took effect. Upstream never checks; a command service can read
/// `readBack`, then test `isSatisfied` until it holds or `timeoutSeconds` pass.
public struct Confirmation: Sendable, Equatable {
    public enum Expectation: Sendable, Equatable {
        /// Nothing observable (e.g. a debug write).
        case none
        /// Start-up delay, cranking or running (any form, exercising included).
        case engineStarting
        /// Exercising, or still cranking into it.
        case engineExercising
        /// Cooling down, stopped or off: the engine is on its way down.
        case engineStopping
        /// `0002` shows this mode. Cannot hold while an alarm index occupies `0002`.
        case switchState(SwitchState)
        /// Not in alarm any more.
        case alarmCleared
        /// No service-due index; with `hoursReloaded` also no hours counter ≤ 1.
        case serviceDueCleared(hoursReloaded: Bool)
        /// Exercise registers as the standard write sets them.
        case exerciseSchedule(ExerciseRequest, enhanced: Bool)
        /// Exercise time within `toleranceMinutes` of the request (legacy write, 128 s units).
        case legacyExerciseSchedule(weekday: Weekday, hour: Int, minute: Int, toleranceMinutes: Int)
        /// Quiet mode as read back from `0006` lo byte.
        case quietMode(on: Bool)
        /// Controller clock at or up to `toleranceMinutes` after the written time.
        case clock(minutesSinceEpoch: Int, toleranceMinutes: Int)
        /// A register holds exactly this value.
        case registerEquals(RegisterAddress, UInt16)
    }

    public let expectation: Expectation
    public let readBack: [RegisterSpan]
    public let timeoutSeconds: Double

    public init(_ expectation: Expectation, readBack: [RegisterSpan], timeoutSeconds: Double) {
        self.expectation = expectation
        self.readBack = readBack
        self.timeoutSeconds = timeoutSeconds
    }

    public static let unconfirmable = Confirmation(.none, readBack: [], timeoutSeconds: 0)

    /// Tests the expectation against a freshly read image.
    public func isSatisfied(by image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings = .defaults) -> Bool {
        switch expectation {
        case .none:
            return true
        case .engineStarting, .engineExercising, .engineStopping, .switchState, .alarmCleared, .serviceDueCleared:
            return statusSatisfied(image: image, identity: identity, settings: settings)
        case .exerciseSchedule(let request, let enhanced):
            guard image[Register.exerciseTime] == UInt16(request.hour << 8 | request.minute) else { return false }
            if enhanced, Int(image.lowByte(Register.exerciseFrequency)) != request.frequency.rawValue { return false }
            switch request.day {
            case .weekday(let day): return Int(image.highByte(Register.exerciseDayAndQuietMode)) == day
            case .dayOfMonth(let day): return Int(image.lowByte(Register.exerciseDay)) == day
            }
        case .legacyExerciseSchedule(let weekday, let hour, let minute, let tolerance):
            let read = Int(image.highByte(Register.exerciseDayAndQuietMode)) * 1440 + Int(image.highByte(Register.exerciseTime)) * 60 + Int(image.lowByte(Register.exerciseTime))
            let wanted = weekday.rawValue * 1440 + hour * 60 + minute
            let difference = abs(read - wanted) % (7 * 1440)
            return min(difference, 7 * 1440 - difference) <= tolerance
        case .quietMode(let on):
            return image.lowByte(Register.exerciseDayAndQuietMode) == (on ? 1 : 0)
        case .clock(let expected, let tolerance):
            guard let clock = ControllerClock.decode(image) else { return false }
            let difference = clock.minutesSinceEpoch - expected
            return difference >= 0 && difference <= tolerance
        case .registerEquals(let address, let value):
            return image[address] == value
        }
    }

    private func statusSatisfied(image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings) -> Bool {
        let pair = StatusPair(image: image)
        // A value the monitor would ignore (Evo2 ASCII noise) says nothing about the command.
        guard !pair.isIgnored(identity: identity, settings: settings) else { return false }
        let status = GeneracDecoder.decodeStatus(image: image, pair: pair, identity: identity)
        let engine = status.engineState
        switch expectation {
        case .engineStarting:
            return engine == .startupDelay || engine.isCranking || engine.isRunning && engine != .coolingDown
        case .engineExercising:
            return engine == .exercising || engine.isCranking
        case .engineStopping:
            return engine == .coolingDown || !(engine.isCranking || engine.isRunning || engine == .startupDelay)
        case .switchState(let wanted):
            return status.switchState == wanted
        case .alarmCleared:
            return !status.isInAlarm
        case .serviceDueCleared(let hoursReloaded):
            return !status.serviceDueAlarm && !(hoursReloaded && status.serviceHoursDue)
        default:
            return false
        }
    }
}
