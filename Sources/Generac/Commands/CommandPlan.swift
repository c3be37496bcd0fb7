/// One FC 0x10 write: consecutive words starting at `address`.
public struct RegisterWrite: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let address: RegisterAddress
    public let values: [UInt16]

    public init(_ address: RegisterAddress, _ values: [UInt16]) {
        self.address = address
        self.values = values
    }

    public init(_ address: RegisterAddress, _ value: UInt16) { self.init(address, [value]) }

    public var description: String { Hex.word(address) + "=" + values.map(Hex.word).joined(separator: ",") }
}

/// What a command service needs to send one command: the writes in order (send them while
/// holding the transaction lock so no poll interleaves), how to confirm it, and the reply the
/// original gave on success.
public struct CommandPlan: Sendable, Equatable {
    public let writes: [RegisterWrite]
    public let confirmation: Confirmation
    public let reply: String

    public init(writes: [RegisterWrite], confirmation: Confirmation, reply: String) {
        self.writes = writes
        self.confirmation = confirmation
        self.reply = reply
    }
}

/// Why a command cannot be encoded. `message` is the original's reply where it had one.
public enum GeneracCommandError: Error, Sendable, Equatable, Hashable {
    case hourOutOfRange(Int)
    case minuteOutOfRange(Int)
    case monthOutOfRange(Int)
    case dayOutOfRange(Int)
    case yearOutOfRange(Int)
    case weekdayOutOfRange(Int)
    /// Monthly exercise days run 1–28 (upstream does not reject 0; we do).
    case dayOfMonthOutOfRange(Int)
    /// Weekly/biweekly need a weekday, monthly a day of month.
    case dayDoesNotMatchFrequency
    /// Biweekly / monthly without enhanced exercise.
    case frequencyNeedsEnhancedExercise(ExerciseFrequency)
    /// The legacy (index 6) method only sets a weekly schedule.
    case legacyMethodIsWeeklyOnly(ExerciseFrequency)
    /// The legacy method needs a valid controller clock (`000e`–`0010`).
    case controllerClockUnavailable
    /// Quiet-mode write on a controller without it.
    case notSupportedOnThisController
    /// An EvoLC button value outside its allowed range.
    case valueOutOfRange(value: Int, allowed: ClosedRange<Int>)
    /// An EvoLC button that needs a value was given none.
    case valueRequired
    /// A fixed EvoLC button was given a value.
    case unexpectedValue
    case testCommandOutOfRange(Int)

    public var message: String {
        switch self {
        case .notSupportedOnThisController: "Not supported on this controller."
        case .testCommandOutOfRange: "Testcommand supports commands 0 - 16"
        case .hourOutOfRange, .minuteOutOfRange, .weekdayOutOfRange, .dayOfMonthOutOfRange,
             .dayDoesNotMatchFrequency, .frequencyNeedsEnhancedExercise, .legacyMethodIsWeeklyOnly,
             .controllerClockUnavailable:
            "Invalid command syntax for command setexercise"
        case .monthOutOfRange, .dayOutOfRange, .yearOutOfRange: "Invalid time for command settime"
        case .valueOutOfRange(let value, let allowed): "Value \(value) outside \(allowed.lowerBound)–\(allowed.upperBound)"
        case .valueRequired: "A value is required for this button"
        case .unexpectedValue: "This button takes no value"
        }
    }
}
