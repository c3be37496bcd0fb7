/// How often the controller exercises (`002d` lo byte when enhanced exercise is active).
public enum ExerciseFrequency: Int, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case weekly = 0
    case biweekly = 1
    case monthly = 2

    /// Upstream's word: "Weekly", "Biweekly", "Monthly".
    public var name: String {
        switch self {
        case .weekly: "Weekly"
        case .biweekly: "Biweekly"
        case .monthly: "Monthly"
        }
    }

    public var description: String { name }

    /// Case-insensitive ("BiWeekly" and "biweekly" both work).
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        self = match
    }
}

/// Quiet (low-speed) exercise flag as read back from `0006` lo byte.
public enum QuietMode: Sendable, Equatable, Hashable, CustomStringConvertible {
    case off
    case on
    case unknown(UInt8)

    public init(byte: UInt8) {
        switch byte {
        case 0x00: self = .off
        case 0x01: self = .on
        default: self = .unknown(byte)
        }
    }

    public var description: String {
        switch self {
        case .off: "Off"
        case .on: "On"
        case .unknown: "Unknown"
        }
    }
}

/// The exercise day: a weekday (weekly / biweekly) or a day of the month (monthly).
public enum ExerciseDay: Sendable, Equatable, Hashable {
    /// 0 = Sunday … 6 = Saturday; 7 passes upstream's check but has no name (prints empty).
    case weekday(Int)
    case dayOfMonth(Int)

    /// The day as it appears inside the exercise text ("Sunday", "Day-15").
    public var text: String {
        switch self {
        case .weekday(let day): Weekday(rawValue: day)?.name ?? ""
        case .dayOfMonth(let day): "Day-\(day)"
        }
    }
}

/// Exercise schedule as the controller reports it (docs/registers.md#set-exercise).
public struct ExerciseSettings: Sendable, Equatable, Hashable {
    public let frequency: ExerciseFrequency
    public let day: ExerciseDay
    public let hour: Int
    public let minute: Int
    public let quietMode: QuietMode
    /// Whether biweekly / monthly were honoured (the web UI's "EnhancedExerciseMode").
    public let enhancedMode: Bool

    public init(frequency: ExerciseFrequency, day: ExerciseDay, hour: Int, minute: Int, quietMode: QuietMode, enhancedMode: Bool) {
        self.frequency = frequency
        self.day = day
        self.hour = hour
        self.minute = minute
        self.quietMode = quietMode
        self.enhancedMode = enhancedMode
    }

    /// nil exactly where upstream's exercise text is empty.
    public static func decode(image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings) -> ExerciseSettings? {
        let enhanced = identity.enhancedExerciseActive(settings)
        var frequency = ExerciseFrequency.weekly
        if enhanced {
            guard let value = ExerciseFrequency(rawValue: Int(image.lowByte(Register.exerciseFrequency))) else { return nil }
            frequency = value
        }
        let hour = Int(image.highByte(Register.exerciseTime)), minute = Int(image.lowByte(Register.exerciseTime))
        guard hour <= 23, minute <= 59 else { return nil }
        let day: ExerciseDay
        if frequency == .monthly {
            let dayOfMonth = Int(image.lowByte(Register.exerciseDay))
            guard dayOfMonth <= 28 else { return nil }
            day = .dayOfMonth(dayOfMonth)
        } else {
            let weekday = Int(image.highByte(Register.exerciseDayAndQuietMode))
            guard weekday <= 7 else { return nil }
            day = .weekday(weekday)
        }
        return ExerciseSettings(frequency: frequency, day: day, hour: hour, minute: minute,
                                quietMode: QuietMode(byte: image.lowByte(Register.exerciseDayAndQuietMode)), enhancedMode: enhanced)
    }

    /// `Weekly Sunday 14:00 Quiet Mode Off`, `Monthly Day-15 13:30 Quiet Mode On`.
    public var text: String {
        frequency.name + " " + day.text + " " + pad2(hour) + ":" + pad2(minute) + " Quiet Mode " + quietMode.description
    }

    /// The web UI's Day field: weekday name, or the day of month as two digits.
    public var dayField: String {
        switch day {
        case .weekday: day.text
        case .dayOfMonth(let value): pad2(value)
        }
    }
}
