import Foundation
import Generac
import Monitor

/// A Home Assistant entity that sends commands: the original's buttons, the quiet-mode switch and
/// the exercise schedule controls (a change to any one sends the whole `setexercise=` command).
public struct HomeAssistantControl: Sendable {
    public enum Component: String, Sendable, CaseIterable { case button, `switch`, select, number }

    public let id: String
    public let name: String
    public let component: Component
    public let icon: String
    /// `select` only.
    public let options: [String]
    /// `number` only.
    public let range: ClosedRange<Int>
    /// The current state for switches, selects and numbers (nil: unknown, not published).
    public let state: @Sendable (FigureSource) -> String?
    /// The genmon command (the original's syntax) that a payload asks for, or why it cannot be done.
    public let command: @Sendable (_ payload: String, FigureSource) -> Result<String, ControlError>

    /// The options a select offers now: biweekly and monthly only with enhanced exercise (`enhancedexercise`).
    public func options(in source: FigureSource) -> [String] {
        guard id == "exercise_frequency", source.readings?.exercise?.enhancedMode != true else { return options }
        return ["Weekly"]
    }

    /// Whether the control means anything on this controller now (a day of the month needs enhanced exercise).
    public func isOffered(in source: FigureSource) -> Bool {
        id != "exercise_day_of_month" || source.readings?.exercise?.enhancedMode == true
    }

    /// The command topic's last level: `command` for buttons, `set` for the rest (as the original).
    public var commandVerb: String { component == .button ? "command" : "set" }
}

/// Why a control's payload cannot be turned into a command.
public struct ControlError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension HomeAssistantControl {
    /// Every control, under the original's entity ids.
    public static let all: [HomeAssistantControl] = buttons + [quietMode] + exercise

    static let buttons: [HomeAssistantControl] = [
        ("start", "Start", "mdi:play", "setremote=start"),
        ("stop", "Stop", "mdi:stop", "setremote=stop"),
        ("start_transfer", "Start and Transfer", "mdi:transfer", "setremote=starttransfer"),
        ("start_exercise", "Start Exercise", "mdi:run", "setremote=startexercise"),
        ("set_generator_time", "Set Generator Time", "mdi:clock-edit", "settime"),
    ].map { id, name, icon, text in
        HomeAssistantControl(id: id, name: name, component: .button, icon: icon, options: [], range: 0...0, state: { _ in nil }) { payload, _ in
            payload.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "PRESS" ? .success(text) : .failure(ControlError("a button takes PRESS"))
        }
    }

    static let quietMode = HomeAssistantControl(
        id: "quiet_mode", name: "Quiet Mode", component: .switch, icon: "mdi:volume-off", options: [], range: 0...0,
        state: { source in
            switch source.readings?.exercise?.quietMode {
            case .on?: "ON"
            case .off?: "OFF"
            default: nil
            }
        }) { payload, _ in
        switch payload.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() {
        case "ON": .success("setquiet=on")
        case "OFF": .success("setquiet=off")
        default: .failure(ControlError("the quiet-mode switch takes ON or OFF"))
        }
    }

    /// Frequencies as the original's select offers them.
    static let frequencies = ["Weekly", "BiWeekly", "Monthly"]
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static let exercise: [HomeAssistantControl] = [
        HomeAssistantControl(id: "exercise_frequency", name: "Exercise Frequency", component: .select, icon: "mdi:calendar-refresh",
                             options: frequencies, range: 0...0,
                             state: { $0.readings?.exercise.map { frequencies[$0.frequency.rawValue] } }) { payload, source in
            guard let frequency = ExerciseFrequency(name: payload.trimmingCharacters(in: .whitespaces)) else {
                return .failure(ControlError("'\(payload)' is not one of \(frequencies.joined(separator: ", "))"))
            }
            return ExerciseEdit(source).with(frequency: frequency)
        },
        HomeAssistantControl(id: "exercise_day_of_week", name: "Exercise Day of Week", component: .select, icon: "mdi:calendar-week",
                             options: weekdays, range: 0...0,
                             state: { source in
                                 guard case let .weekday(day)? = source.readings?.exercise?.day else { return nil }
                                 return Weekday(rawValue: day)?.name
                             }) { payload, source in
            guard let day = Weekday.allCases.first(where: { $0.name.lowercased() == payload.trimmingCharacters(in: .whitespaces).lowercased() }) else {
                return .failure(ControlError("'\(payload)' is not a weekday"))
            }
            return ExerciseEdit(source).with(day: .weekday(day.rawValue))
        },
        number("exercise_day_of_month", "Exercise Day of Month", "mdi:calendar-month", 1...28, state: { exercise in
            if case let .dayOfMonth(day) = exercise.day { day } else { nil }
        }) { ExerciseEdit($1).with(day: .dayOfMonth($0)) },
        number("exercise_hour", "Exercise Hour", "mdi:clock-outline", 0...23, state: { $0.hour }) { ExerciseEdit($1).with(hour: $0) },
        number("exercise_minute", "Exercise Minute", "mdi:clock-outline", 0...59, state: { $0.minute }) { ExerciseEdit($1).with(minute: $0) },
    ]

    static func number(_ id: String, _ name: String, _ icon: String, _ range: ClosedRange<Int>, state: @escaping @Sendable (ExerciseSettings) -> Int?,
                       change: @escaping @Sendable (Int, FigureSource) -> Result<String, ControlError>) -> HomeAssistantControl {
        HomeAssistantControl(id: id, name: name, component: .number, icon: icon, options: [], range: range,
                             state: { $0.readings?.exercise.flatMap(state).map(String.init) }) { payload, source in
            // HA sends numbers as "13" or "13.0".
            let text = payload.trimmingCharacters(in: .whitespaces)
            guard let value = Double(text), value.isFinite, value == value.rounded(), range.contains(Int(exactly: value) ?? Int.min) else {
                return .failure(ControlError("'\(payload.prefix(20))' is not a whole number in \(range.lowerBound)...\(range.upperBound)"))
            }
            return change(Int(value), source)
        }
    }
}

/// The controller's exercise schedule with one part changed, as a `setexercise=` command.
struct ExerciseEdit {
    let current: ExerciseSettings?

    init(_ source: FigureSource) { current = source.readings?.exercise }

    func with(frequency: ExerciseFrequency? = nil, day: ExerciseDay? = nil, hour: Int? = nil, minute: Int? = nil) -> Result<String, ControlError> {
        guard let current else { return .failure(ControlError("the exercise schedule is not known yet")) }
        var newFrequency = frequency ?? current.frequency
        var newDay = day ?? current.day
        if frequency != nil {
            // A new frequency keeps the day when it fits, else takes the first day of the other kind.
            switch (newFrequency, newDay) {
            case (.monthly, .weekday): newDay = .dayOfMonth(1)
            case (.weekly, .dayOfMonth), (.biweekly, .dayOfMonth): newDay = .weekday(Weekday.monday.rawValue)
            default: break
            }
        } else if day != nil {
            // A new day decides the frequency: a day of the month is monthly, a weekday after monthly is weekly.
            switch (newFrequency, newDay) {
            case (.weekly, .dayOfMonth), (.biweekly, .dayOfMonth): newFrequency = .monthly
            case (.monthly, .weekday): newFrequency = .weekly
            default: break
            }
        }
        guard newFrequency == .weekly || current.enhancedMode else {
            return .failure(ControlError("biweekly and monthly exercise need enhancedexercise = True in genmon.conf"))
        }
        let dayText: String = switch newDay {
        case let .weekday(value): Weekday(rawValue: value)?.name ?? "Monday"
        case let .dayOfMonth(value): String(value)
        }
        let time = String(format: "%02d:%02d", hour ?? current.hour, minute ?? current.minute)
        return .success("setexercise=\(dayText),\(time),\(newFrequency.name)")
    }
}
