import Foundation

/// A threshold rule of genmon's own, one line of genmon.conf `[GenMon]`:
///
///     threshold_<name> = <reading> below|above <limit>[unit] [for <duration>] [hysteresis <amount>[unit]] [category <category>]
///
/// e.g. `threshold_battery = battery below 12.2 V for 5 min`, `threshold_mains = utility below 200 V for 30 s hysteresis 10`.
/// The rule fires once when the reading has been past the limit for the whole duration, and clears
/// once when it has been back past the limit plus the hysteresis for as long (README, "Threshold rules").
public struct ThresholdRuleSpec: Sendable, Equatable, Hashable {
    public static let keyPrefix = "threshold_"

    /// The decoded readings a rule may watch.
    public enum Reading: String, Sendable, CaseIterable, Hashable {
        case battery, utility, output, frequency, rpm, power, fuel
        case runHours = "run_hours"
        /// Hours until the next service item is due (the smallest of the controller's counters).
        case serviceHours = "service_hours"

        public var unit: String {
            switch self {
            case .battery, .utility, .output: "V"
            case .frequency: "Hz"
            case .rpm: "rpm"
            case .power: "kW"
            case .fuel: "%"
            case .runHours, .serviceHours: "h"
            }
        }

        /// Used when the rule gives none: about what a reading wobbles by in normal running.
        public var defaultHysteresis: Double {
            switch self {
            case .battery: 0.3
            case .utility, .output: 5
            case .frequency: 0.5
            case .rpm: 50
            case .power: 0.5
            case .fuel: 2
            case .runHours, .serviceHours: 1
            }
        }

        /// For people: "Battery", "Utility voltage", ...
        public var title: String {
            switch self {
            case .battery: "Battery"
            case .utility: "Utility voltage"
            case .output: "Output voltage"
            case .frequency: "Frequency"
            case .rpm: "Engine speed"
            case .power: "Output power"
            case .fuel: "Fuel level"
            case .runHours: "Run hours"
            case .serviceHours: "Hours until service"
            }
        }
    }

    public enum Direction: String, Sendable, Hashable {
        case below, above
    }

    /// The key's suffix (`threshold_battery` → `battery`).
    public var name: String
    public var reading: Reading
    public var direction: Direction
    public var limit: Double
    /// Seconds the reading must stay past the limit (and back past the clear level) before it counts.
    public var duration: Double
    public var hysteresis: Double
    public var category: NotificationCategory

    public init(name: String, reading: Reading, direction: Direction, limit: Double, duration: Double = 0,
                hysteresis: Double? = nil, category: NotificationCategory = .warn) {
        self.name = name
        self.reading = reading
        self.direction = direction
        self.limit = limit
        self.duration = duration
        self.hysteresis = hysteresis ?? reading.defaultHysteresis
        self.category = category
    }

    /// Where the rule clears: the limit moved back by the hysteresis.
    public var clearLevel: Double { direction == .below ? limit + hysteresis : limit - hysteresis }

    /// "Battery below 12.2 V".
    public var title: String { "\(reading.title) \(direction.rawValue) \(Self.number(limit)) \(reading.unit)" }

    /// "battery below 12.2 V for 5 min, clears at 12.5 V (warn)": how the web page lists a rule.
    public var summary: String {
        var text = "\(reading.rawValue) \(direction.rawValue) \(Self.number(limit)) \(reading.unit)"
        if duration > 0 { text += " for \(Self.durationText(duration))" }
        return text + ", clears at \(Self.number(clearLevel)) \(reading.unit) (\(category.rawValue))"
    }

    /// `12`, `12.2`: a rule figure as people write it.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%g", value)
    }

    /// `30 s`, `5 min`, `1 h`.
    public static func durationText(_ seconds: Double) -> String {
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600)) h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60)) min" }
        return "\(number(seconds)) s"
    }
}

/// What is wrong with a rule's text.
public struct RuleSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
