import Foundation

/// What an add-on sensor measures (the original's gauge types; genmqttin's `ct1`/`ct2`,
/// `ctpower1`/`ctpower2` and `voltageleg1`/`voltageleg2` are currents, powers and voltages).
public enum ExternalSensorKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case fuel, level, position, temperature, power, current, voltage, pressure

    /// Accepts the original's type names, case-insensitively.
    public init?(name: String) {
        switch name.lowercased() {
        case "ct1", "ct2": self = .current
        case "ctpower1", "ctpower2": self = .power
        case "voltageleg1", "voltageleg2": self = .voltage
        default: self.init(rawValue: name.lowercased())
        }
    }
}

/// How an add-on wants one of its sensors drawn (`set_external_gauge_data`).
public struct ExternalGauge: Sendable, Equatable, Hashable, Codable {
    public var title: String
    public var kind: ExternalSensorKind
    public var units: String
    public var nominal: Double
    public var maximum: Double
    public var minimum: Double?
    /// Listed, but not drawn as a gauge.
    public var excludeGauge: Bool
    /// The add-on that sent it (`from`), when it says.
    public var source: String?

    public init(title: String, kind: ExternalSensorKind, units: String, nominal: Double, maximum: Double,
                minimum: Double? = nil, excludeGauge: Bool = false, source: String? = nil) {
        self.title = title
        self.kind = kind
        self.units = units
        self.nominal = nominal
        self.maximum = maximum
        self.minimum = minimum
        self.excludeGauge = excludeGauge
        self.source = source
    }
}

/// One value an add-on sent (`set_sensor_data`): `"Shed Temp": "65 F"`.
public struct ExternalSensorValue: Sendable, Equatable, Hashable {
    public var label: String
    /// As sent: the number and its units ("65 F"), or any short text ("Open").
    public var text: String

    public init(label: String, text: String) {
        self.label = label
        self.text = text
    }
}

/// A tank gauge's reading (`set_tank_data`): one to four tanks, in percent.
public struct ExternalTankInput: Sendable, Equatable, Hashable {
    public var name: String?
    public var percentages: [Double]

    public init(name: String?, percentages: [Double]) {
        self.name = name
        self.percentages = percentages
    }
}

/// Current-transformer and power data (`set_power_data`); every field is optional.
public struct ExternalPowerInput: Sendable, Equatable, Hashable, Codable {
    public var current: Double?
    public var power: Double?
    public var legCurrents: [Double]
    public var legPowers: [Double]
    public var voltage: Double?
    public var legVoltages: [Double]
    public var powerFactor: Double?
    /// Count the data only while the generator runs (otherwise the CTs measure the utility's load too).
    public var strict: Bool
    public var source: String?

    public init(current: Double? = nil, power: Double? = nil, legCurrents: [Double] = [], legPowers: [Double] = [],
                voltage: Double? = nil, legVoltages: [Double] = [], powerFactor: Double? = nil, strict: Bool = false,
                source: String? = nil) {
        self.current = current
        self.power = power
        self.legCurrents = legCurrents
        self.legPowers = legPowers
        self.voltage = voltage
        self.legVoltages = legVoltages
        self.powerFactor = powerFactor
        self.strict = strict
        self.source = source
    }
}

/// One message from an add-on.
public enum ExternalDataUpdate: Sendable, Equatable, Hashable {
    case gauges([ExternalGauge])
    case sensors([ExternalSensorValue])
    case tank(ExternalTankInput)
    case power(ExternalPowerInput)
}

/// Why an add-on's message was refused (nothing of it was applied).
public enum ExternalDataError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty(String)
    case tooMany(String, limit: Int)
    case badText(String)
    case badNumber(String)
    /// The service keeps no add-on data.
    case notKept

    public var description: String {
        switch self {
        case let .empty(what): "\(what) is empty"
        case let .tooMany(what, limit): "more than \(limit) \(what)"
        case let .badText(what): "\(what) must be 1 to \(ExternalData.maximumTextLength) printable characters"
        case let .badNumber(what): "\(what) must be a finite number in range"
        case .notKept: "this monitor keeps no add-on data"
        }
    }
}

/// A sensor's latest value as the monitor holds it.
public struct ExternalReading: Sendable, Equatable, Hashable {
    public var label: String
    public var text: String
    /// The number at the start of the text, when there is one.
    public var value: Double?
    /// The text after the number ("F", "gal", "%").
    public var units: String
    public var receivedAt: Date
    /// No new value for longer than the configured timeout.
    public var stale: Bool
}

/// The latest tank reading.
public struct ExternalTank: Sendable, Equatable, Hashable {
    public var name: String?
    public var percentages: [Double]
    public var receivedAt: Date
    public var stale: Bool
}

/// The latest power data.
public struct ExternalPower: Sendable, Equatable, Hashable {
    public var data: ExternalPowerInput
    public var receivedAt: Date
    public var stale: Bool
}

/// Everything add-ons have told the monitor, validated, with staleness marks. Bounded: at most
/// `maximumSensors` sensors and `maximumGauges` gauges, texts of at most `maximumTextLength`.
public struct ExternalData: Sendable, Equatable, Hashable {
    public static let maximumSensors = 32
    public static let maximumGauges = 32
    public static let maximumTextLength = 64
    public static let maximumTanks = 4

    /// In the order the add-ons defined them.
    public private(set) var gauges: [ExternalGauge] = []
    /// In the order they first arrived; a label sent again replaces its value in place.
    public private(set) var readings: [ExternalReading] = []
    public private(set) var tank: ExternalTank?
    public private(set) var power: ExternalPower?

    public init() {}

    public var isEmpty: Bool { gauges.isEmpty && readings.isEmpty && tank == nil && power == nil }

    /// Checks a message completely, then applies all of it: a refused message changes nothing.
    /// Returns the readings it set (for the sensor log).
    @discardableResult
    public mutating func apply(_ update: ExternalDataUpdate, at now: Date) throws(ExternalDataError) -> [ExternalReading] {
        switch update {
        case let .gauges(list):
            guard list.count <= Self.maximumGauges else { throw .tooMany("gauges", limit: Self.maximumGauges) }
            for gauge in list {
                try Self.checkText(gauge.title, "a gauge's title")
                try Self.checkText(gauge.units, "a gauge's units", allowEmpty: true)
                try Self.checkNumber(gauge.nominal, "a gauge's nominal value")
                try Self.checkNumber(gauge.maximum, "a gauge's maximum")
                if let minimum = gauge.minimum { try Self.checkNumber(minimum, "a gauge's minimum") }
                if let source = gauge.source { try Self.checkText(source, "a gauge's source", allowEmpty: true) }
            }
            // A new definition of a title replaces the old one; other add-ons' gauges stay.
            var merged = gauges
            for gauge in list {
                if let index = merged.firstIndex(where: { $0.title == gauge.title }) { merged[index] = gauge } else { merged.append(gauge) }
            }
            guard merged.count <= Self.maximumGauges else { throw .tooMany("gauges", limit: Self.maximumGauges) }
            gauges = merged
            return []
        case let .sensors(values):
            guard !values.isEmpty else { throw .empty("the sensor list") }
            var merged = readings
            var changed: [ExternalReading] = []
            for value in values {
                try Self.checkText(value.label, "a sensor's name")
                try Self.checkText(value.text, "a sensor's value")
                let (number, units) = Self.split(value.text)
                let reading = ExternalReading(label: value.label, text: value.text, value: number, units: units, receivedAt: now, stale: false)
                if let index = merged.firstIndex(where: { $0.label == value.label }) { merged[index] = reading } else { merged.append(reading) }
                changed.append(reading)
            }
            guard merged.count <= Self.maximumSensors else { throw .tooMany("sensors", limit: Self.maximumSensors) }
            readings = merged
            return changed
        case let .tank(input):
            guard !input.percentages.isEmpty else { throw .empty("the tank data") }
            guard input.percentages.count <= Self.maximumTanks else { throw .tooMany("tanks", limit: Self.maximumTanks) }
            if let name = input.name { try Self.checkText(name, "the tank's name", allowEmpty: true) }
            for percentage in input.percentages { try Self.checkNumber(percentage, "a tank percentage", in: 0...100) }
            tank = ExternalTank(name: input.name, percentages: input.percentages, receivedAt: now, stale: false)
            return []
        case let .power(input):
            for value in [input.current, input.power, input.voltage].compactMap({ $0 }) + input.legCurrents + input.legPowers + input.legVoltages {
                try Self.checkNumber(value, "a power, current or voltage")
            }
            for list in [input.legCurrents, input.legPowers, input.legVoltages] where list.count > 3 {
                throw .tooMany("legs", limit: 3)
            }
            if let factor = input.powerFactor { try Self.checkNumber(factor, "the power factor", in: -1...1) }
            if let source = input.source { try Self.checkText(source, "the power data's source", allowEmpty: true) }
            power = ExternalPower(data: input, receivedAt: now, stale: false)
            return []
        }
    }

    /// Marks what has not been refreshed within `timeout` as stale. True when a mark changed.
    @discardableResult
    public mutating func refreshStaleness(at now: Date, timeout: TimeInterval) -> Bool {
        func isStale(_ time: Date) -> Bool { now.timeIntervalSince(time) > timeout }
        var changed = false
        for index in readings.indices where readings[index].stale != isStale(readings[index].receivedAt) {
            readings[index].stale.toggle()
            changed = true
        }
        if let current = tank, current.stale != isStale(current.receivedAt) {
            tank?.stale.toggle()
            changed = true
        }
        if let current = power, current.stale != isStale(current.receivedAt) {
            power?.stale.toggle()
            changed = true
        }
        return changed
    }

    /// The reading named `label`.
    public func reading(_ label: String) -> ExternalReading? { readings.first { $0.label == label } }

    /// Add-on power data that counts now: fresh, and under `strict` only while the engine runs.
    public func usablePower(engineRunning: Bool) -> ExternalPowerInput? {
        guard let power, !power.stale, !power.data.strict || engineRunning else { return nil }
        return power.data
    }

    /// Add-on power data that has arrived since start (fresh or not): power metering is on.
    public var hasPowerData: Bool { power != nil }

    // MARK: Validation

    static func checkText(_ text: String, _ what: String, allowEmpty: Bool = false) throws(ExternalDataError) {
        guard (allowEmpty || !text.trimmingCharacters(in: .whitespaces).isEmpty), text.count <= maximumTextLength,
              !text.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else { throw .badText(what) }
    }

    static func checkNumber(_ value: Double, _ what: String, in range: ClosedRange<Double> = -1e9...1e9) throws(ExternalDataError) {
        guard value.isFinite, range.contains(value) else { throw .badNumber(what) }
    }

    /// "65 F" → (65, "F"); "-3.5" → (-3.5, ""); "Open" → (nil, "").
    static func split(_ text: String) -> (Double?, String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let head = trimmed.prefix { !$0.isWhitespace }
        guard let number = Double(head), number.isFinite else { return (nil, "") }
        return (number, trimmed.dropFirst(head.count).trimmingCharacters(in: .whitespaces))
    }
}
