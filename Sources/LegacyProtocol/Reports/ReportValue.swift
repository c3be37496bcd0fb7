/// A number with its unit, as the original's reports carry it: printed as text (`"13.70 V"`,
/// `"1800 "`) in text and `_json` answers, and as `{"unit", "type", "value"}` in `_num_json` ones.
public struct Measurement: Sendable, Equatable {
    public enum Number: Sendable, Equatable {
        case int(Int)
        case float(Double)
    }

    public var number: Number
    public var unit: String
    /// The text form; nil means the standard one (`%d <unit>` or `%.2f <unit>`).
    public var text: String?

    public init(_ number: Number, unit: String, text: String? = nil) {
        self.number = number
        self.unit = unit
        self.text = text
    }

    public static func int(_ value: Int, _ unit: String) -> Measurement { Measurement(.int(value), unit: unit) }
    public static func float(_ value: Double, _ unit: String) -> Measurement { Measurement(.float(value), unit: unit) }

    /// `%d <unit>` / `%.2f <unit>` (a unitless value keeps the separating space: `"1800 "`).
    public var displayText: String {
        if let text { return text }
        switch number {
        case let .int(value): return String(value) + " " + unit
        case let .float(value): return PythonFormat.fixed(value, decimals: 2) + " " + unit
        }
    }

    /// Parses a pre-formatted `"<number> <unit>"` text the way the original's unit parser does
    /// (`"5 s"`, `"2.4 L"`, `"0.00 kWh"`, `"1.5 cubic feet"`); nil when the text is not of that form.
    public static func parse(_ text: String, asInteger: Bool) -> Measurement? {
        guard let space = text.firstIndex(of: " ") else { return nil }
        let numberText = String(text[..<space])
        let unit = String(text[text.index(after: space)...]).trimmingCharacters(in: .whitespaces)
        if asInteger {
            guard let value = Int(numberText) ?? Double(numberText).flatMap({ $0.isFinite ? Int($0) : nil }) else { return nil }
            return Measurement(.int(value), unit: unit, text: text)
        }
        guard let value = Double(numberText), value.isFinite else { return nil }
        return Measurement(.float(value), unit: unit, text: text)
    }
}

/// One value of a report tree. The original keeps order in JSON by nesting lists of one-key
/// objects; `object` keeps its keys in the order given, so both forms come out exactly.
public indirect enum ReportValue: Sendable, Equatable {
    case string(String)
    /// A JSON integer (the four monitor counters, `RPM` in the dashboard object...).
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case list([ReportValue])
    case object([(String, ReportValue)])
    case measurement(Measurement)

    public static func == (lhs: ReportValue, rhs: ReportValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.double(a), .double(b)): a == b || (a.isNaN && b.isNaN)
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        case let (.list(a), .list(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.measurement(a), .measurement(b)): a == b
        default: false
        }
    }

    /// A list of one-key objects, the original's ordered-map idiom.
    public static func entries(_ pairs: [(String, ReportValue)]) -> ReportValue {
        .list(pairs.map { .object([$0]) })
    }

    /// The value with every measurement replaced by its text (`_json`) or by a value object (`_num_json`).
    public func resolved(numeric: Bool) -> ReportValue {
        switch self {
        case let .measurement(measure):
            guard numeric else { return .string(measure.displayText) }
            let value: ReportValue
            let type: String
            switch measure.number {
            case let .int(number):
                value = .int(number)
                type = "int"
            case let .float(number):
                value = .double(PythonFormat.round(number, decimals: 2))
                type = "float"
            }
            return .object([("unit", .string(measure.unit)), ("type", .string(type)), ("value", value)])
        case let .list(items): return .list(items.map { $0.resolved(numeric: numeric) })
        case let .object(pairs): return .object(pairs.map { ($0.0, $0.1.resolved(numeric: numeric)) })
        default: return self
        }
    }

    /// Looks a key up in an object, or in a list of one-key objects.
    public subscript(key: String) -> ReportValue? {
        switch self {
        case let .object(pairs): return pairs.first { $0.0 == key }?.1
        case let .list(items):
            for item in items { if case let .object(pairs) = item, let match = pairs.first(where: { $0.0 == key }) { return match.1 } }
            return nil
        default: return nil
        }
    }

    /// The string of a `.string` value (or the text of a measurement).
    public var text: String? {
        switch self {
        case let .string(value): value
        case let .measurement(measure): measure.displayText
        default: nil
        }
    }
}
