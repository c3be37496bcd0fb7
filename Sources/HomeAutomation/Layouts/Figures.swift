import Foundation
import Generac
import LegacyProtocol
import Monitor

/// One value a figure has at a moment: numbers stay numbers all the way to the broker.
public enum FigureValue: Sendable, Equatable {
    case number(Double)
    case integer(Int)
    case text(String)
    case flag(Bool)

    /// The value as a JSON fragment (`13.7`, `3600`, `"Running"`, `true`).
    public var json: ReportValue {
        switch self {
        case let .number(value): value.isFinite ? .double(value) : .null
        case let .integer(value): .int(value)
        case let .text(value): .string(value)
        case let .flag(value): .bool(value)
        }
    }

    /// The value as a plain payload (`13.7`, `Running`, `ON`/`OFF` for flags).
    public var payload: String {
        switch self {
        case let .number(value): PythonFormat.repr(value)
        case let .integer(value): String(value)
        case let .text(value): value
        case let .flag(value): value ? "ON" : "OFF"
        }
    }

    /// The number, for gauges.
    public var number: Double? {
        switch self {
        case let .number(value): value
        case let .integer(value): Double(value)
        case let .flag(value): value ? 1 : 0
        case .text: nil
        }
    }
}

/// What figures are read from: the snapshot and, once the controller is known, its reports.
public struct FigureSource: Sendable {
    public let snapshot: GeneratorSnapshot
    public let reports: Reports?
    public var readings: GeneratorReadings? { snapshot.readings }

    public init(snapshot: GeneratorSnapshot, context: ReportContext) {
        self.snapshot = snapshot
        reports = Reports(snapshot: snapshot, context: context)
    }

    /// A text value of a report, by its path (`Maintenance/Service/Service A Due`).
    func reportText(_ report: ReportValue?, _ path: String) -> String? {
        var node = report
        for key in path.split(separator: "/") { node = node?[String(key)] }
        return node?.text
    }
}

/// One published figure: the same id in genmon's own layout, in Home Assistant (as the original's
/// entity id, so switching keeps entities and history) and in the state document.
public struct Figure: Sendable {
    public enum Kind: String, Sendable { case sensor, binarySensor = "binary_sensor" }

    public let id: String
    public let name: String
    public let kind: Kind
    /// As shown and published (`V`, `Hz`, `kW`, `h`, `%`, `A`, `RPM`, `s`); nil for text and flags.
    public let unit: String?
    public let deviceClass: String?
    public let stateClass: String?
    /// Shown among the device's diagnostics in Home Assistant (`entity_category: diagnostic`).
    public let diagnostic: Bool
    public let icon: String?
    public let enabledByDefault: Bool
    /// A monitor statistic (left out in HA without `include_monitor_stats`).
    public let monitorStatistic: Bool
    public let value: @Sendable (FigureSource) -> FigureValue?
    /// For figures whose unit follows the controller (ambient temperature: °F or °C).
    let dynamicUnit: (@Sendable (FigureSource) -> String?)?

    init(_ id: String, _ name: String, kind: Kind = .sensor, unit: String? = nil, deviceClass: String? = nil, stateClass: String? = nil,
         diagnostic: Bool = false, icon: String? = nil, enabledByDefault: Bool = true, monitorStatistic: Bool = false,
         dynamicUnit: (@Sendable (FigureSource) -> String?)? = nil, value: @escaping @Sendable (FigureSource) -> FigureValue?) {
        self.dynamicUnit = dynamicUnit
        self.id = id
        self.name = name
        self.kind = kind
        self.unit = unit
        self.deviceClass = deviceClass
        self.stateClass = stateClass
        self.diagnostic = diagnostic
        self.icon = icon
        self.enabledByDefault = enabledByDefault
        self.monitorStatistic = monitorStatistic
        self.value = value
    }

    /// The unit of the value now.
    public func unit(in source: FigureSource) -> String? { dynamicUnit?(source) ?? unit }

    /// The JSON type name in genmon's layout metadata.
    public func typeName(for value: FigureValue) -> String {
        switch value {
        case .number: "number"
        case .integer: "integer"
        case .text: "string"
        case .flag: "boolean"
        }
    }
}
