import Foundation

/// Something a person (or a scenario file) does to a running simulator.
///
/// One small language serves the control channel and scenario files alike, e.g.
/// `utility off`, `alarm overcrank`, `alarm 1300`, `warning low-battery`, `switch manual`,
/// `remote starttransfer`, `faults crc=0.05 drop=0.01`, `silence 30`, `speed 60`.
public enum SimulatorCommand: Equatable, Sendable {
    public enum Utility: Equatable, Sendable {
        case off, on
        case volts(Int)
    }

    public enum SwitchPosition: String, Equatable, Sendable, CaseIterable {
        case auto, manual, off
    }

    public enum Remote: String, Equatable, Sendable, CaseIterable {
        case start, stop, starttransfer, startexercise, resetalarm
    }

    public enum Fault: Equatable, Sendable {
        /// A fault by its short name (`overcrank`, `low-oil-pressure`, ...).
        case named(String)
        /// A fault by its ALARMS.txt code (1300 = low oil pressure while running).
        case code(Int)
    }

    case utility(Utility)
    case alarm(Fault)
    case warning(Fault)
    case clearWarning
    /// OFF then ENTER on the keypad: clears an alarm and leaves the switch in Off.
    case reset
    case switchTo(SwitchPosition)
    case remote(Remote)
    case battery(volts: Double)
    case serviceDue(schedule: String)
    case load(amps: Double)
    case exerciseNow
    case speed(Double)
    case faults([String: Double])
    case silence(seconds: Double)
    case pacing(Bool)
    case status
    case help

    /// Parses one command line; the error text says what is accepted.
    public static func parse(_ line: String) throws(SimulatorCommandError) -> SimulatorCommand {
        let words = line.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        guard let verb = words.first else { throw .empty }
        let rest = Array(words.dropFirst())
        func argument(_ usage: String) throws(SimulatorCommandError) -> String {
            guard rest.count == 1 else { throw .usage(usage) }
            return rest[0]
        }
        func number(_ usage: String) throws(SimulatorCommandError) -> Double {
            guard let value = Double(try argument(usage)), value.isFinite else { throw .usage(usage) }
            return value
        }

        switch verb {
        case "utility":
            let usage = "utility on|off|<volts>"
            switch try argument(usage) {
            case "on": return .utility(.on)
            case "off": return .utility(.off)
            case let text:
                guard let volts = Int(text), (0...600).contains(volts) else { throw .usage(usage) }
                return .utility(.volts(volts))
            }
        case "alarm", "warning":
            let text = try argument("\(verb) <name>|<ALARMS code>   (names: see `help`)")
            let fault: Fault = Int(text).map(Fault.code) ?? .named(text)
            return verb == "alarm" ? .alarm(fault) : .warning(fault)
        case "clear":
            return .clearWarning
        case "reset":
            guard rest.isEmpty else { throw .usage("reset") }
            return .reset
        case "switch":
            let usage = "switch auto|manual|off"
            guard let position = SwitchPosition(rawValue: try argument(usage)) else { throw .usage(usage) }
            return .switchTo(position)
        case "remote":
            let usage = "remote " + Remote.allCases.map(\.rawValue).joined(separator: "|")
            guard let command = Remote(rawValue: try argument(usage)) else { throw .usage(usage) }
            return .remote(command)
        case "battery":
            let volts = try number("battery <volts>")
            guard (0...20).contains(volts) else { throw .usage("battery <volts between 0 and 20>") }
            return .battery(volts: volts)
        case "service":
            let usage = "service a|b (make that service due now)"
            let schedule = try argument(usage)
            guard ["a", "b"].contains(schedule) else { throw .usage(usage) }
            return .serviceDue(schedule: schedule)
        case "load":
            let amps = try number("load <amps>")
            guard (0...500).contains(amps) else { throw .usage("load <amps between 0 and 500>") }
            return .load(amps: amps)
        case "exercise":
            guard rest == ["now"] else { throw .usage("exercise now") }
            return .exerciseNow
        case "speed":
            let factor = try number("speed <factor, e.g. 1 or 60>")
            guard (0.01...10_000).contains(factor) else { throw .usage("speed <factor between 0.01 and 10000>") }
            return .speed(factor)
        case "faults":
            return .faults(try parseFaults(rest))
        case "silence":
            let seconds = try number("silence <seconds>")
            guard (0...86_400).contains(seconds) else { throw .usage("silence <seconds up to a day>") }
            return .silence(seconds: seconds)
        case "pacing":
            let usage = "pacing on|off"
            switch try argument(usage) {
            case "on": return .pacing(true)
            case "off": return .pacing(false)
            default: throw .usage(usage)
            }
        case "status":
            return .status
        case "help":
            return .help
        default:
            throw .unknownCommand(verb)
        }
    }

    /// Fault rates: `crc`, `drop`, `truncate`, `garbage`, `slow` (0 to 1), `seed` (integer).
    static let faultKeys = ["crc", "drop", "truncate", "garbage", "slow", "seed"]

    static func parseFaults(_ pairs: [String]) throws(SimulatorCommandError) -> [String: Double] {
        let usage = "faults [crc=<rate>] [drop=<rate>] [truncate=<rate>] [garbage=<rate>] [slow=<rate>] [seed=<n>]   (rates 0 to 1; `faults off` clears them)"
        if pairs == ["off"] { return Dictionary(uniqueKeysWithValues: faultKeys.dropLast().map { ($0, 0) }) }
        guard !pairs.isEmpty else { throw .usage(usage) }
        var result: [String: Double] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, faultKeys.contains(String(parts[0])), let value = Double(parts[1]), value.isFinite else {
                throw .usage(usage)
            }
            if parts[0] == "seed" {
                guard value >= 0, value < 1e18, value == value.rounded() else { throw .usage(usage) }
            } else {
                guard (0...1).contains(value) else { throw .usage(usage) }
            }
            result[String(parts[0])] = value
        }
        return result
    }

    public static let helpText = """
        utility on|off|<volts>     utility power (off starts an outage)
        alarm <name>|<code>        raise a shutdown alarm (e.g. overcrank, low-oil-pressure, high-temperature, 1300)
        warning <name>|<code>      raise a warning (e.g. low-battery, charger-missing-ac)
        clear                      clear an active warning
        reset                      OFF + ENTER on the keypad: clears an alarm, switch goes to Off
        switch auto|manual|off     the front-panel mode
        remote start|stop|starttransfer|startexercise|resetalarm
        battery <volts>            resting battery voltage (below 12.0 raises low battery)
        service a|b                make that service due now
        load <amps>                load per leg while the generator powers the house
        exercise now               start the scheduled exercise now
        speed <factor>             time runs this many times faster
        faults crc=<r> drop=<r> truncate=<r> garbage=<r> slow=<r> seed=<n> | faults off
        silence <seconds>          answer nothing, as if the cable were unplugged
        pacing on|off              pace replies at the baud rate
        status                     what the simulated generator is doing
        """
}

public enum SimulatorCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownCommand(String)
    case usage(String)
    case unknownFault(String)
    case notApplicable(String)

    public var description: String {
        switch self {
        case .empty: "empty command"
        case let .unknownCommand(verb): "unknown command '\(verb)'; try `help`"
        case let .usage(usage): "usage: \(usage)"
        case let .unknownFault(name): "unknown fault '\(name)'"
        case let .notApplicable(reason): reason
        }
    }
}

/// A timed list of commands: `at 10s utility off`, `at 1m30s utility on`, `# comments`.
public struct Scenario: Equatable, Sendable {
    public struct Step: Equatable, Sendable {
        /// Simulated seconds after the simulator started.
        public var at: TimeInterval
        public var command: SimulatorCommand
        public var line: Int
    }

    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps.sorted { $0.at < $1.at } }

    /// Parses a scenario file. Errors name the line.
    public static func parse(_ text: String) throws(ScenarioError) -> Scenario {
        var steps: [Step] = []
        // isNewline: "\r\n" is one Character in Swift, so a Windows file would not split on "\n".
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: \.isWhitespace)
            guard !words.isEmpty else { continue }
            guard words.count >= 3, words[0].lowercased() == "at", let time = parseTime(String(words[1])) else {
                throw ScenarioError(line: index + 1, reason: "expected `at <time> <command>`, e.g. `at 10s utility off`")
            }
            do {
                let command = try SimulatorCommand.parse(words.dropFirst(2).joined(separator: " "))
                steps.append(Step(at: time, command: command, line: index + 1))
            } catch {
                throw ScenarioError(line: index + 1, reason: error.description)
            }
        }
        return Scenario(steps: steps)
    }

    /// `90`, `90s`, `1m30s`, `2h`, `1h15m`.
    static func parseTime(_ text: String) -> TimeInterval? {
        if let seconds = Double(text) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
        var total: TimeInterval = 0, digits = "", sawUnit = false
        for character in text.lowercased() {
            if character.isNumber || character == "." {
                digits.append(character)
                continue
            }
            guard let value = Double(digits) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit, total.isFinite else { return nil }
        return total
    }
}

public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "scenario line \(line): \(reason)" }
}
