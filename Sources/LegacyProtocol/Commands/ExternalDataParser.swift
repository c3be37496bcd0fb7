import Monitor

/// Reads the add-ons' JSON messages (`set_external_gauge_data`, `set_sensor_data`, `set_tank_data`,
/// `set_power_data`) into typed updates, in the shapes genmqttin, gentankutil, gentemp and the other
/// add-ons send (docs/compatibility.md#add-on-data). Anything else is refused; the monitor then
/// checks ranges and limits. Unknown keys are ignored, as the original ignores them.
public enum ExternalDataParser {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notJSON
        case wrongShape(String)

        public var description: String {
            switch self {
            case .notJSON: "the argument is not JSON"
            case let .wrongShape(reason): reason
            }
        }
    }

    /// The most list items one message may hold, before anything is built.
    static let maximumItems = 64

    public static func parse(_ command: LegacyCommand, argument: String) throws(Failure) -> ExternalDataUpdate {
        let value: ReportValue
        do { value = try JSONParser.parse(argument, maximumDepth: 8) } catch { throw .notJSON }
        switch command {
        case .set_external_gauge_data: return .gauges(try gauges(value))
        case .set_sensor_data: return .sensors(try sensors(value))
        case .set_tank_data: return .tank(try tank(value))
        case .set_power_data: return .power(try power(value))
        default: throw .wrongShape("\(command.rawValue) carries no add-on data")
        }
    }

    static func gauges(_ value: ReportValue) throws(Failure) -> [ExternalGauge] {
        guard case let .list(items) = value, items.count <= maximumItems else { throw .wrongShape("expected a list of gauge objects") }
        var gauges: [ExternalGauge] = []
        for item in items {
            guard case .object = item, let title = item["title"]?.text, let typeName = item["type"]?.text else {
                throw .wrongShape("a gauge needs a title and a type")
            }
            guard let kind = ExternalSensorKind(name: typeName) else { throw .wrongShape("unknown gauge type '\(typeName)'") }
            guard let nominal = number(item["nominal"]), let maximum = number(item["max"]) else {
                throw .wrongShape("a gauge needs nominal and max numbers")
            }
            let minimum = try optionalNumber(item["min"], "min")
            gauges.append(ExternalGauge(title: title, kind: kind, units: item["units"]?.text ?? "", nominal: nominal, maximum: maximum,
                                        minimum: minimum, excludeGauge: bool(item["exclude_gauge"]) ?? false, source: item["from"]?.text))
        }
        return gauges
    }

    static func sensors(_ value: ReportValue) throws(Failure) -> [ExternalSensorValue] {
        guard case let .list(items) = value, items.count <= maximumItems else { throw .wrongShape("expected a list of {\"name\": \"value units\"} objects") }
        var values: [ExternalSensorValue] = []
        for item in items {
            guard case let .object(pairs) = item, !pairs.isEmpty, pairs.count <= maximumItems else {
                throw .wrongShape("each sensor is an object {\"name\": \"value units\"}")
            }
            for (label, reading) in pairs {
                guard let text = scalarText(reading) else { throw .wrongShape("the value of '\(label)' must be text or a number") }
                values.append(ExternalSensorValue(label: label, text: text))
            }
        }
        return values
    }

    static func tank(_ value: ReportValue) throws(Failure) -> ExternalTankInput {
        guard case .object = value else { throw .wrongShape("expected {\"Tank Name\": …, \"Percentage\": …}") }
        guard let first = number(value["Percentage"]) else { throw .wrongShape("Percentage must be a number") }
        var percentages = [first]
        for key in ["Percentage2", "Percentage3", "Percentage4"] {
            guard let extra = try optionalNumber(value[key], key) else { break }
            percentages.append(extra)
        }
        return ExternalTankInput(name: value["Tank Name"]?.text, percentages: percentages)
    }

    static func power(_ value: ReportValue) throws(Failure) -> ExternalPowerInput {
        guard case .object = value else { throw .wrongShape("expected an object of power data") }
        return ExternalPowerInput(
            current: try optionalNumber(value["current"], "current"), power: try optionalNumber(value["power"], "power"),
            legCurrents: try numbers(value["ctdata"], "ctdata"), legPowers: try numbers(value["ctpower"], "ctpower"),
            voltage: try optionalNumber(value["voltage"], "voltage"), legVoltages: try numbers(value["voltagelegs"], "voltagelegs"),
            powerFactor: try optionalNumber(value["powerfactor"], "powerfactor"), strict: bool(value["strict"]) ?? false,
            source: value["from"]?.text)
    }

    // MARK: Values

    /// A JSON number, or a string holding one (some add-ons send "57.0").
    static func number(_ value: ReportValue?) -> Double? {
        switch value {
        case let .int(number)?: Double(number)
        case let .double(number)?: number.isFinite ? number : nil
        case let .string(text)?: Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }

    static func optionalNumber(_ value: ReportValue?, _ key: String) throws(Failure) -> Double? {
        guard let value, value != .null else { return nil }
        guard let parsed = number(value) else { throw .wrongShape("\(key) must be a number") }
        return parsed
    }

    static func numbers(_ value: ReportValue?, _ key: String) throws(Failure) -> [Double] {
        guard let value, value != .null else { return [] }
        guard case let .list(items) = value, items.count <= 3 else { throw .wrongShape("\(key) must be a list of up to three numbers") }
        var result: [Double] = []
        for item in items {
            guard let parsed = number(item) else { throw .wrongShape("\(key) must be a list of numbers") }
            result.append(parsed)
        }
        return result
    }

    static func bool(_ value: ReportValue?) -> Bool? {
        switch value {
        case let .bool(flag)?: flag
        case let .string(text)?: ["true", "yes", "1"].contains(text.lowercased()) ? true : (["false", "no", "0"].contains(text.lowercased()) ? false : nil)
        case let .int(number)?: number != 0
        default: nil
        }
    }

    /// Text as sent; a number as Python prints it (65 → "65", 65.5 → "65.5").
    static func scalarText(_ value: ReportValue) -> String? {
        switch value {
        case let .string(text): text
        case let .int(number): String(number)
        case let .double(number): number.isFinite ? PythonFormat.repr(number) : nil
        default: nil
        }
    }
}
