import Foundation

/// A write command in the original's socket syntax, parsed and validated.
public enum GeneracCommand: Sendable, Equatable, Hashable {
    case setRemote(RemoteCommand)
    case setExercise(ExerciseRequest)
    case setQuiet(on: Bool)
    case setTime
    case testCommand(Int)
}

/// A syntax error, carrying the reply text the original sends for it.
public struct CommandParseError: Error, Sendable, Equatable, Hashable {
    public let command: String
    public let message: String

    public static let setExercise = CommandParseError(command: "setexercise", message: "Invalid command syntax for command setexercise")
    public static let setRemoteFormat = CommandParseError(command: "setremote", message: "Invalid command syntax for command setremote (1)")
    public static let setRemoteUnknown = CommandParseError(command: "setremote", message: "Invalid command syntax for command setremote (3)")
    /// Upstream's exact text for this case is not documented.
    public static let setQuiet = CommandParseError(command: "setquiet", message: "Invalid command syntax for command setquiet")
    public static let testCommandFormat = CommandParseError(command: "testcommand", message: "Invalid command syntax for command testcommand (1)")
    public static let testCommandRange = CommandParseError(command: "testcommand", message: "Testcommand supports commands 0 - 16")
    public static let unknownCommand = CommandParseError(command: "", message: "No valid command recognized.")
}

/// Parses `setremote=start`, `setexercise=Monday,13:30,Weekly`, `setexercise=15,13:30,Monthly`,
/// `setquiet=on`, `settime` and `testcommand=N` (case-insensitive, like the original's dispatcher).
public enum CommandParser {
    public static func parse(_ text: String) -> Result<GeneracCommand, CommandParseError> {
        let lowered = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if lowered == "settime" { return .success(.setTime) }
        let name = lowered.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let parts = lowered.split(separator: "=", omittingEmptySubsequences: false)
        let value = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        switch name {
        case "setremote":
            guard let value else { return .failure(.setRemoteFormat) }
            guard let command = RemoteCommand(rawValue: value) else { return .failure(.setRemoteUnknown) }
            return .success(.setRemote(command))
        case "setexercise":
            guard let value, let request = exerciseRequest(value) else { return .failure(.setExercise) }
            return .success(.setExercise(request))
        case "setquiet":
            guard let value else { return .failure(.setQuiet) }
            if value.contains("off") { return .success(.setQuiet(on: false)) }
            if value.contains("on") { return .success(.setQuiet(on: true)) }
            return .failure(.setQuiet)
        case "testcommand":
            guard let value, let index = Int(value) else { return .failure(.testCommandFormat) }
            guard (0...16).contains(index) else { return .failure(.testCommandRange) }
            return .success(.testCommand(index))
        default:
            return .failure(.unknownCommand)
        }
    }

    /// `<Day>,<H:M>[,<Weekly|Biweekly|Monthly>]`; monthly takes a day number.
    static func exerciseRequest(_ value: String) -> ExerciseRequest? {
        let fields = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count == 2 || fields.count == 3 else { return nil }
        let frequency: ExerciseFrequency
        if fields.count == 3 {
            guard let parsed = ExerciseFrequency(name: fields[2]) else { return nil }
            frequency = parsed
        } else {
            frequency = .weekly
        }
        let time = fields[1].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 2,
              let hour = Int(time[0].trimmingCharacters(in: .whitespaces)),
              let minute = Int(time[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        let day: ExerciseDay
        if frequency == .monthly {
            guard let number = Int(fields[0]) else { return nil }
            day = .dayOfMonth(number)
        } else {
            guard let weekday = Weekday(name: fields[0]) else { return nil }
            day = .weekday(weekday.rawValue)
        }
        return try? ExerciseRequest(frequency: frequency, day: day, hour: hour, minute: minute)
    }
}
