import Foundation
import Generac
import Monitor

/// The controls of the web app and the `/api/v1/commands` API, each with the words its
/// confirmation dialog shows.
public enum WebCommand: String, Codable, Sendable, CaseIterable {
    case start, stop, startTransfer, startExercise, resetAlarm, auto, manual, off, setTime, setExercise, setQuietMode

    public var label: String {
        switch self {
        case .start: "Start"
        case .stop: "Stop"
        case .startTransfer: "Start and transfer"
        case .startExercise: "Exercise now"
        case .resetAlarm: "Reset alarm"
        case .auto: "Auto"
        case .manual: "Manual"
        case .off: "Off"
        case .setTime: "Set controller time"
        case .setExercise: "Set exercise schedule"
        case .setQuietMode: "Quiet mode"
        }
    }

    public var confirmation: String {
        switch self {
        case .start: "Start the engine now? It runs without taking the load until you stop it."
        case .stop: "Stop the engine now? If it is carrying the load during an outage, the house loses power."
        case .startTransfer: "Start the engine and move the house onto the generator?"
        case .startExercise: "Run an exercise cycle now (quiet, without the load)?"
        case .resetAlarm: "Reset the controller's alarm? Do this only once the cause has been dealt with."
        case .auto: "Put the controller in Auto? It will start by itself when the utility fails."
        case .manual: "Put the controller in Manual? The engine starts and runs until switched off."
        case .off: "Switch the controller Off? It will NOT start during an outage until set back to Auto."
        case .setTime: "Set the controller's clock from genmon's clock?"
        case .setExercise: "Change when the generator exercises?"
        case .setQuietMode: "Change quiet mode for exercise runs?"
        }
    }

    /// Commands that make the engine turn or stop, for the page's emphasis.
}

/// The body of `POST /api/v1/commands`.
public struct CommandRequestBody: Codable, Sendable, Equatable {
    public var command: WebCommand
    /// setExercise: `weekly`, `biweekly` or `monthly` (default weekly).
    public var frequency: String?
    /// setExercise, weekly and biweekly: `Monday`...
    public var weekday: String?
    /// setExercise, monthly: 1...28.
    public var dayOfMonth: Int?
    /// setExercise: `HH:MM`, controller time.
    public var time: String?
    /// setQuietMode: on or off.
    public var on: Bool?

    public init(command: WebCommand, frequency: String? = nil, weekday: String? = nil, dayOfMonth: Int? = nil,
                time: String? = nil, on: Bool? = nil) {
        self.command = command
        self.frequency = frequency
        self.weekday = weekday
        self.dayOfMonth = dayOfMonth
        self.time = time
        self.on = on
    }

    /// The monitor's command, or why the body does not describe one.
    public func monitorCommand() throws(APIError) -> MonitorCommand {
        switch command {
        case .start: return .generac(.setRemote(.start))
        case .stop: return .generac(.setRemote(.stop))
        case .startTransfer: return .generac(.setRemote(.startTransfer))
        case .startExercise: return .generac(.setRemote(.startExercise))
        case .resetAlarm: return .generac(.setRemote(.resetAlarm))
        case .auto: return .generac(.setRemote(.auto))
        case .manual: return .generac(.setRemote(.manual))
        case .off: return .generac(.setRemote(.off))
        case .setTime: return .generac(.setTime)
        case .setQuietMode:
            guard let on else { throw .badRequest("setQuietMode needs \"on\": true or false.") }
            return .generac(.setQuiet(on: on))
        case .setExercise:
            let frequency = ExerciseFrequency(name: self.frequency ?? "weekly")
            guard let frequency else { throw .badRequest("frequency must be weekly, biweekly or monthly.") }
            guard let time, let (hour, minute) = Self.clockTime(time) else { throw .badRequest("time must be HH:MM (00:00 to 23:59).") }
            let day: ExerciseDay
            if frequency == .monthly {
                guard let dayOfMonth else { throw .badRequest("A monthly exercise needs dayOfMonth (1 to 28).") }
                day = .dayOfMonth(dayOfMonth)
            } else {
                guard let weekday, let parsed = Weekday(name: weekday) else { throw .badRequest("weekday must be a day name, e.g. Monday.") }
                day = .weekday(parsed.rawValue)
            }
            do {
                return .generac(.setExercise(try ExerciseRequest(frequency: frequency, day: day, hour: hour, minute: minute)))
            } catch {
                throw .badRequest("The exercise schedule is not valid: \(error).")
            }
        }
    }

    static func clockTime(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }
}
