import Generac

/// A dashboard gauge or graph: its fixed scale (`start_info_json.tiles`) and its live value
/// (`gui_status_json.tiles`). The scales follow the original's rules so a web UI built for it
/// draws the same dials.
public struct Tile: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case batteryVolts = "batteryvolts", lineVolts = "linevolts", current, power, frequency, rpm, powerGraph = "powergraph"
        case fuel, temperature, pressure
    }

    public var title: String
    public var units: String?
    public var kind: Kind
    public var minimum: ReportValue
    public var maximum: ReportValue
    public var divisions: ReportValue
    public var subdivisions: ReportValue
    public var labels: ReportValue
    public var colorZones: ReportValue
    public var defaultSize: ReportValue
    /// The live value: an integer or a float (printed with `%g`).
    public var value: Measurement.Number

    static let red = "#F03E3E", yellow = "#FFDD00", green = "#30B32D"

    public var isGraph: Bool { kind == .powerGraph }

    /// The scale, as `start_info_json` lists it.
    public var startInfo: ReportValue {
        .object([
            ("title", .string(title)), ("minimum", minimum), ("maximum", maximum), ("divisions", divisions),
            ("subdivisions", subdivisions), ("labels", labels), ("colorzones", colorZones),
            ("type", .string(isGraph ? "graph" : "gauge")), ("subtype", .string(kind.rawValue)),
            ("default-size", defaultSize), ("units", .string(units ?? "")),
        ])
    }

    /// The reading, as `gui_status_json` lists it.
    public var guiInfo: ReportValue {
        let valueText: String
        switch value {
        case let .int(number): valueText = String(number)
        case let .float(number): valueText = PythonFormat.general(number)
        }
        return .object([
            ("text", .string(units.map { valueText + " " + $0 } ?? valueText)), ("value", .string(valueText)),
            ("title", .string(title)), ("type", .string(isGraph ? "graph" : "gauge")), ("subtype", .string(kind.rawValue)),
        ])
    }

    // MARK: Scales

    /// Python's `round()` to an integer (ties to even).
    static func pyRound(_ value: Double) -> Int { Int(value.rounded(.toNearestOrEven)) }
    /// Rounds to the nearest multiple of `base`.
    static func roundTo(_ value: Double, _ base: Int) -> Int { base * pyRound(value / Double(base)) }

    static func zones(_ values: [ReportValue], _ colors: [String]) -> ReportValue {
        .list(colors.indices.map { index in
            .object([("strokeStyle", .string(colors[index])), ("min", values[index]), ("max", values[index + 1])])
        })
    }

    static func ints(_ values: [Int]) -> ReportValue { .list(values.map { .int($0) }) }

    /// Labels across a range: small ranges step evenly, larger ones mark fifths of the nominal value.
    static func labels(minimum: Int, nominal: Double, maximum: Int) -> ReportValue {
        let span = maximum - minimum
        if span < 15 { return ints(Array(stride(from: minimum, to: maximum, by: 2))) }
        if span < 30 { return ints(Array(stride(from: minimum, to: maximum, by: 5))) }
        if span < 45 { return ints(Array(stride(from: minimum, to: maximum, by: 10))) }
        return ints([minimum] + [0.2, 0.4, 0.6, 0.8].map { minimum + roundTo(nominal * $0, 5) } + [roundTo(nominal, 5), maximum])
    }

    public static func batteryVolts(nominal: Int = 12, value: Double) -> Tile {
        let scale = Double(nominal) / 12
        let maximum = scale * 16
        let values: [ReportValue] = [.int(0), .double(scale * 11.5), .double(scale * 12.5), .double(scale * 15), .double(scale * 15.5), .double(maximum)]
        return Tile(title: "Battery Voltage", units: "V", kind: .batteryVolts, minimum: .int(0), maximum: .double(maximum),
                    divisions: .int(6), subdivisions: .int(10),
                    labels: ints(Array(stride(from: 0, to: Int(maximum + 1), by: max(1, Int(maximum / 4))))),
                    colorZones: zones(values, [red, yellow, green, yellow, red]), defaultSize: .int(2), value: .float(value))
    }

    public static func lineVolts(title: String, nominal: Int, value: Int) -> Tile {
        let ten = pyRound(Double(nominal) * 0.1), five = pyRound(Double(nominal) * 0.05)
        let maximum = nominal + roundTo(Double(nominal) * 0.15, 10)
        let values = [0, nominal - ten, nominal - five, nominal + five, nominal + ten, maximum].map(ReportValue.int)
        return Tile(title: title, units: "V", kind: .lineVolts, minimum: .int(0), maximum: .int(maximum), divisions: .int(10),
                    subdivisions: .int(0), labels: labels(minimum: 0, nominal: Double(nominal), maximum: maximum),
                    colorZones: zones(values, [red, yellow, green, yellow, red]), defaultSize: .int(2), value: .int(value))
    }

    public static func frequency(nominal: Int, value: Double) -> Tile {
        let maximum = nominal + 10
        let values = [0, nominal - 6, nominal - 3, nominal + 3, nominal + 6, maximum].map(ReportValue.int)
        return Tile(title: "Frequency", units: "Hz", kind: .frequency, minimum: .int(0), maximum: .int(maximum),
                    divisions: .int(maximum / 10), subdivisions: .int(10),
                    labels: ints(Array(stride(from: 10, to: maximum + 10, by: 10))),
                    colorZones: zones(values, [red, yellow, green, yellow, red]), defaultSize: .int(2), value: .float(value))
    }

    public static func rpm(nominal: Int, value: Int) -> Tile {
        let maximum = nominal + roundTo(Double(nominal) * 0.05, 10)
        let values = [0, nominal - 75, nominal - 50, nominal + 50, nominal + 75, maximum].map(ReportValue.int)
        return Tile(title: "RPM", units: nil, kind: .rpm, minimum: .int(0), maximum: .int(maximum), divisions: .int(4),
                    subdivisions: .int(10), labels: ints(Array(stride(from: 0, to: maximum, by: max(1, nominal / 4)))),
                    colorZones: zones(values, [red, yellow, green, yellow, red]), defaultSize: .int(2), value: .int(value))
    }

    public static func current(title: String, nominal: Int, value: Double) -> Tile {
        let maximum = Int(Double(nominal) * 1.2)
        let values = [0, Int(Double(nominal) * 0.8), Int(Double(nominal) * 0.95), Int(Double(nominal) * 1.2)].map(ReportValue.int)
        return Tile(title: title, units: "A", kind: .current, minimum: .int(0), maximum: .int(maximum), divisions: .int(12),
                    subdivisions: .int(5), labels: labels(minimum: 0, nominal: Double(nominal), maximum: maximum),
                    colorZones: zones(values, [green, yellow, red]), defaultSize: .null, value: .float(value))
    }

    public static func power(nominal: Double, value: Double) -> Tile {
        let maximum = Int(nominal * 1.2)
        let values = [0, Int(nominal * 0.8), Int(nominal * 0.95), Int(nominal * 1.2)].map(ReportValue.int)
        return Tile(title: "Power Output", units: "kW", kind: .power, minimum: .int(0), maximum: .int(maximum), divisions: .int(12),
                    subdivisions: .int(5), labels: labels(minimum: 0, nominal: nominal, maximum: maximum),
                    colorZones: zones(values, [green, yellow, red]), defaultSize: .int(2), value: .float(value))
    }

    public static func powerGraph(nominal: Double, value: Double) -> Tile {
        Tile(title: "kW Output", units: nil, kind: .powerGraph, minimum: .int(0), maximum: .double(nominal + Double(Int(nominal * 0.2))),
             divisions: .null, subdivisions: .null, labels: .null, colorZones: .null, defaultSize: .int(2), value: .float(value))
    }
}

extension Reports {
    /// The dashboard tiles for this controller, in the original's order.
    public func tiles() -> [Tile] {
        let nominal = readings.nominal, engine = readings.engine
        let lineVolts = nominal.effectiveLineVolts
        var tiles: [Tile] = [
            .batteryVolts(value: engine.batteryVolts),
            .lineVolts(title: "Utility Voltage", nominal: lineVolts, value: readings.line.utilityVolts),
        ]
        if let outputVolts = readings.engine.outputVolts {
            tiles.append(.lineVolts(title: "Output Voltage", nominal: lineVolts, value: outputVolts))
        }
        tiles.append(.frequency(nominal: nominal.frequency, value: engine.frequencyHz))
        tiles.append(.rpm(nominal: nominal.rpm, value: engine.rpm))
        if identity.isEvolution, !identity.isLiquidCooled, !settings.disablePowerLog, !identity.isPowerPact, let kW = nominal.kilowatts {
            let legNominal = Int(kW * 1000 / 2 / (Double(lineVolts) / 2))
            let current = engine.outputCurrent
            tiles.append(.current(title: "Current L1", nominal: legNominal, value: current?.leg1Amps ?? 0))
            tiles.append(.current(title: "Current L2", nominal: legNominal, value: current?.leg2Amps ?? 0))
        }
        if powerMeterSupported, let kW = nominal.kilowatts {
            tiles.append(.power(nominal: kW, value: outputKilowatts))
            tiles.append(.powerGraph(nominal: kW, value: outputKilowatts))
        }
        return tiles + externalTiles()
    }
}
