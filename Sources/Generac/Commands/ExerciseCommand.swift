import Foundation
/// A requested exercise schedule, validated on creation.
public struct ExerciseRequest: Sendable, Equatable, Hashable {
    /// The request in the original's `setexercise=` syntax (`Monday,13:30,Weekly`, `15,13:30,Monthly`).
    public var text: String {
        let dayText: String = switch day {
        case let .weekday(value): Weekday(rawValue: value)?.name ?? String(value)
        case let .dayOfMonth(value): String(value)
        }
        let time = String(format: "%02d:%02d", hour, minute)
        return dayText + "," + time + "," + frequency.name
    }

    public let frequency: ExerciseFrequency
    /// `.weekday(0…6)` for weekly / biweekly, `.dayOfMonth(1…28)` for monthly.
    public let day: ExerciseDay
    public let hour: Int
    public let minute: Int

    public init(frequency: ExerciseFrequency = .weekly, day: ExerciseDay, hour: Int, minute: Int) throws(GeneracCommandError) {
        guard (0...23).contains(hour) else { throw .hourOutOfRange(hour) }
        guard (0...59).contains(minute) else { throw .minuteOutOfRange(minute) }
        switch (frequency, day) {
        case (.monthly, .dayOfMonth(let value)):
            // Upstream accepts day 0; the controller cannot exercise on it, so we refuse it.
            guard (1...28).contains(value) else { throw .dayOfMonthOutOfRange(value) }
        case (.weekly, .weekday(let value)), (.biweekly, .weekday(let value)):
            guard (0...6).contains(value) else { throw .weekdayOutOfRange(value) }
        default:
            throw .dayDoesNotMatchFrequency
        }
        self.frequency = frequency
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    public init(weekday: Weekday, hour: Int, minute: Int, frequency: ExerciseFrequency = .weekly) throws(GeneracCommandError) {
        try self.init(frequency: frequency, day: .weekday(weekday.rawValue), hour: hour, minute: minute)
    }
}

/// Which write sets the exercise time (docs/registers.md#set-exercise).
public enum ExerciseWriteMethod: Sendable, Equatable, Hashable {
    /// `002d`/`002e`/`002c` (Evolution).
    case standard
    /// Index 6 with "128-second units from now" in `0004` (Nexus, old Evolution firmware).
    case legacy

    /// Legacy when configured, on Nexus, or on Evolution (not Evo2 / PZ200) below firmware V1.10.
    /// Upstream keeps legacy once chosen; a caller that wants that stickiness remembers it.
    public static func select(identity: ControllerIdentity, settings: GeneracSettings, firmware: FirmwareVersion) -> ExerciseWriteMethod {
        if settings.useLegacySetExercise || !identity.isEvolution { return .legacy }
        if !identity.isEvolution2, !identity.isPZ200, firmware.requiresLegacyExerciseWrite { return .legacy }
        return .standard
    }
}

/// Encoders for `setexercise`.
public enum ExerciseCommand {
    public static let reply = "Set Exercise Time Command sent"
    public static let legacyReply = "Set Exercise Time Command sent (using legacy write)"

    /// Picks the method from the controller and settings, reading firmware and clock from `image`.
    public static func plan(_ request: ExerciseRequest, identity: ControllerIdentity, settings: GeneracSettings,
                            image: RegisterImage) throws(GeneracCommandError) -> CommandPlan {
        switch ExerciseWriteMethod.select(identity: identity, settings: settings, firmware: .firmware(image)) {
        case .standard:
            return try standardPlan(request, enhanced: identity.enhancedExerciseActive(settings))
        case .legacy:
            guard let clock = ControllerClock.decode(image) else { throw .controllerClockUnavailable }
            return try legacyPlan(request, controllerTime: clock)
        }
    }

    /// Standard method: [`002d` = frequency when enhanced], `002e` = day, `002c` = hour/minute.
    public static func standardPlan(_ request: ExerciseRequest, enhanced: Bool) throws(GeneracCommandError) -> CommandPlan {
        if request.frequency != .weekly, !enhanced { throw .frequencyNeedsEnhancedExercise(request.frequency) }
        var writes: [RegisterWrite] = []
        if enhanced { writes.append(RegisterWrite(Register.exerciseFrequency, UInt16(request.frequency.rawValue))) }
        let dayValue: Int
        switch request.day {
        case .weekday(let value), .dayOfMonth(let value): dayValue = value
        }
        writes.append(RegisterWrite(Register.exerciseDay, UInt16(dayValue)))
        writes.append(RegisterWrite(Register.exerciseTimeWrite, UInt16(request.hour << 8 | request.minute)))
        let readBack = [RegisterSpan(Register.exerciseTime), RegisterSpan(Register.exerciseDayAndQuietMode), RegisterSpan(Register.exerciseFrequency), RegisterSpan(Register.exerciseDay)]
        return CommandPlan(writes: writes,
                           confirmation: Confirmation(.exerciseSchedule(request, enhanced: enhanced), readBack: readBack, timeoutSeconds: 30),
                           reply: reply)
    }

    /// Legacy method: `0004` = 128-second units until the next requested weekday/time, then index 6.
    public static func legacyPlan(_ request: ExerciseRequest, controllerTime: ControllerClock) throws(GeneracCommandError) -> CommandPlan {
        guard request.frequency == .weekly, case .weekday(let day) = request.day, let weekday = Weekday(rawValue: day) else {
            throw .legacyMethodIsWeeklyOnly(request.frequency)
        }
        let value = legacyValue(weekday: weekday, hour: request.hour, minute: request.minute, now: controllerTime)
        return CommandPlan(
            writes: IndexedCommand.setExerciseLegacy.writes(value: value),
            confirmation: Confirmation(.legacyExerciseSchedule(weekday: weekday, hour: request.hour, minute: request.minute,
                                                               toleranceMinutes: 3),
                                       readBack: [RegisterSpan(Register.exerciseTime), RegisterSpan(Register.exerciseDayAndQuietMode)], timeoutSeconds: 30),
            reply: legacyReply)
    }

    /// Units of 128 s from the controller's time to the next `weekday` at hour:minute (0…4725).
    ///
    /// Deliberate fix: a time earlier today on the same weekday yields a negative value upstream,
    /// which it then fails to send; we move it to the same weekday next week instead.
    public static func legacyValue(weekday: Weekday, hour: Int, minute: Int, now: ControllerClock) -> UInt16 {
        let today = now.date.daysSinceEpoch
        var targetDay = today
        while CalendarDate(daysSinceEpoch: targetDay).weekday != weekday.rawValue { targetDay += 1 }
        var target = (targetDay * 24 + hour) * 60 + minute
        if target < now.minutesSinceEpoch { target += 7 * 24 * 60 }
        let minutes = target - now.minutesSinceEpoch
        return UInt16(clamping: minutes * 60 / 128)
    }
}
