import Foundation
import Generac
import Monitor

/// The reports' power, fuel and add-on parts: `External Sensors` and `External Line Sensors` in
/// `status`, the fuel and energy lines of `maint`, the add-ons' gauges on the dashboard.
extension Reports {
    /// Suffix of an add-on value that has not been refreshed within its timeout.
    public static let staleMark = " (stale)"

    var external: ExternalData { snapshot.external }

    /// Power metering as the original defines it, plus add-on current transformers.
    var powerFromAddOn: Bool { snapshot.power.source == .addOn }

    /// Output current and power now: the add-on's when it sends them, else the controller's.
    var outputAmps: Double {
        powerFromAddOn ? snapshot.power.outputAmps ?? 0 : (readings.engine.outputCurrent?.totalAmps ?? 0)
    }

    var outputKilowatts: Double {
        powerFromAddOn ? snapshot.power.outputKilowatts ?? 0 : (readings.engine.outputPowerKW ?? 0)
    }

    /// `External Sensors`: the add-ons' values by name, as sent (`"65 F"`); value objects in `_num_json`.
    var externalSensors: (String, ReportValue)? {
        guard !external.readings.isEmpty else { return nil }
        return ("External Sensors", .entries(external.readings.map { reading in
            if reading.stale { return (reading.label, .string(reading.text + Self.staleMark)) }
            return (reading.label, Measurement.parse(reading.text, asInteger: false).map(ReportValue.measurement) ?? .string(reading.text))
        }))
    }

    /// `External Line Sensors`: what the add-on's current transformers measure.
    var externalLineSensors: (String, ReportValue)? {
        guard let power = external.power, !power.stale else { return nil }
        let data = power.data
        var items: [(String, ReportValue)] = []
        if let current = data.current ?? (data.legCurrents.isEmpty ? nil : data.legCurrents.reduce(0, +)) {
            items.append(("Total Current", .measurement(.float(current, "A"))))
        }
        for (index, current) in data.legCurrents.prefix(2).enumerated() {
            items.append(("Current Leg \(index + 1)", .measurement(.float(current, "A"))))
        }
        if let kW = data.power ?? (data.legPowers.isEmpty ? nil : data.legPowers.reduce(0, +)) {
            items.append(("Power", .measurement(.float(kW, "kW"))))
        }
        for (index, kW) in data.legPowers.prefix(2).enumerated() {
            items.append(("Power Leg \(index + 1)", .measurement(.float(kW, "kW"))))
        }
        return items.isEmpty ? nil : ("External Line Sensors", .entries(items))
    }

    // MARK: maint

    /// The fuel and energy lines of `maint`, in the original's order.
    func fuelAndEnergyItems() -> [(String, ReportValue)] {
        var items: [(String, ReportValue)] = []
        let power = snapshot.power
        let units = settings.metric ? "L" : "gal"
        var levelKnown = false
        if let sensor = readings.engine.fuelLevelSensorPercent {
            items.append(("Fuel Level Sensor", .measurement(.int(sensor, "%"))))
            levelKnown = true
        } else if let tank = external.tank, !tank.stale, let first = tank.percentages.first {
            items.append(("Fuel Level Sensor", .measurement(.int(Int(first), "%"))))
            for (index, percent) in tank.percentages.dropFirst().enumerated() {
                items.append(("Fuel Level Sensor Tank \(index + 2)", .measurement(.int(Int(percent), "%"))))
            }
            levelKnown = true
        }
        if levelKnown, power.tankSize > 0, let level = power.fuelLevelPercent {
            items.append(("Fuel In Tank (Sensor)", .measurement(.float(level / 100 * power.tankSize, units))))
        }
        if let estimate = power.estimatedFuelInTank {
            items.append(("Estimated Fuel In Tank ", .measurement(.float(estimate, units))))
            let load = context.estimatedLoad
            if let hours = hoursOfFuel(atKilowatts: load * (readings.nominal.kilowatts ?? 0)) {
                items.append(("Hours of Fuel Remaining (Estimated " + String(format: "%.02f", load) + " Load )", .measurement(.float(hours, "h"))))
            }
            if let hours = hoursOfFuel(atKilowatts: outputKilowatts) {
                items.append(("Hours of Fuel Remaining (Current Load)", .measurement(.float(hours, "h"))))
            }
        }
        if powerMeterSupported, fuelConsumptionSupported {
            // Until the monitor has read its log, the original's start-up values.
            let month = power.lastThirtyDays
            items.append(("kW Hours in last 30 days", Self.units(PythonFormat.fixed(month?.kilowattHours ?? 0, decimals: 2) + " kWh", integer: false)))
            items.append(("Fuel Consumption in last 30 days", month?.fuel.map { Self.units($0.text, integer: false) } ?? .string("Unknown")))
            items.append(("Run Hours in last 30 days", Self.units(PythonFormat.fixed(month?.runHours ?? 0, decimals: 2) + " h", integer: false)))
        }
        if let level = power.fuelLevelPercent {
            items.append(("Fuel Level State", .string(level <= 20 ? "Low" : "OK")))
        }
        return items
    }

    /// Hours the fuel left lasts at `kilowatts` (nil when nothing burns or nothing is known).
    func hoursOfFuel(atKilowatts kilowatts: Double) -> Double? {
        let power = snapshot.power
        guard kilowatts > 0, let estimator = power.fuelEstimator, let level = power.fuelLevelPercent, power.tankSize > 0 else { return nil }
        let perHour = estimator.perHour(kilowatts: kilowatts)
        guard perHour.amount > 0 else { return nil }
        var remaining = power.tankSize * level / 100
        // The tank is in gallons or litres; a rate in cubic feet needs the tank in cubic feet.
        switch (perHour.units, settings.metric) {
        case ("cubic feet", false): remaining *= readings.nominal.fuelType == .naturalGas ? 82.62 : 35.97
        case ("gal", true): remaining *= 0.264172
        case ("cubic feet", true): remaining *= 0.0353147
        default: break
        }
        return remaining / perHour.amount
    }

    /// "Power log file size": the log's lines as the original's file would hold them.
    var powerLogFileSize: String {
        let megabytes = Double(snapshot.power.logEntries) * 24 / (1024 * 1024)
        return PythonFormat.fixed(megabytes, decimals: 2) + " MB of " + PythonFormat.fixed(context.powerLogMaximumMegabytes, decimals: 2) + " MB"
    }

    // MARK: Dashboard

    /// The add-ons' gauges (those not excluded), with their sensors' values, and a fuel gauge for
    /// an add-on tank reading.
    func externalTiles() -> [Tile] {
        var tiles = external.gauges.filter { !$0.excludeGauge }.map { gauge in
            Tile.external(gauge, value: external.reading(gauge.title)?.value ?? 0)
        }
        if let tank = external.tank, let first = tank.percentages.first,
           !external.gauges.contains(where: { $0.kind == .fuel && $0.title == (tank.name ?? "") }) {
            let gauge = ExternalGauge(title: tank.name.map { $0.isEmpty ? "Fuel" : $0 } ?? "Fuel", kind: .fuel, units: "%", nominal: 100, maximum: 100)
            tiles.append(.external(gauge, value: first))
        }
        return tiles
    }

    /// The sensors with a numeric value, for the dashboard's history charts (`start_info_json.Sensors`).
    var sensorNames: [String] { external.readings.filter { $0.value != nil }.map(\.label) }
}

extension Tile {
    /// A gauge for an add-on's sensor, scaled by the original's rules for its kind.
    static func external(_ gauge: ExternalGauge, value: Double) -> Tile {
        let nominal = gauge.nominal, minimum = gauge.minimum ?? 0
        func number(_ value: Double) -> ReportValue { value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .double(value) }
        func steps(_ from: Double, _ to: Double, _ by: Int) -> ReportValue { ints(Array(stride(from: Int(from), to: Int(to), by: max(1, by)))) }
        var tile = Tile(title: gauge.title, units: gauge.units.isEmpty ? nil : gauge.units, kind: .fuel, minimum: number(minimum), maximum: number(gauge.maximum),
                        divisions: .null, subdivisions: .null, labels: .null, colorZones: .null, defaultSize: .int(2), value: .float(value))
        switch gauge.kind {
        case .current, .power:
            tile.kind = gauge.kind == .current ? .current : .power
            tile.divisions = .int(12)
            tile.subdivisions = .int(5)
            tile.labels = labels(minimum: Int(minimum), nominal: nominal, maximum: Int(gauge.maximum))
            tile.colorZones = zones([number(minimum), .int(Int(nominal * 0.8)), .int(Int(nominal * 0.95)), .int(Int(nominal * 1.2))],
                                    [green, yellow, red])
            if gauge.kind == .current { tile.defaultSize = .null }
        case .voltage:
            tile.kind = .lineVolts
            let ten = Double(pyRound(nominal * 0.1)), five = Double(pyRound(nominal * 0.05))
            tile.divisions = .int(10)
            tile.subdivisions = .int(0)
            tile.labels = labels(minimum: Int(minimum), nominal: nominal, maximum: Int(gauge.maximum))
            tile.colorZones = zones([minimum, nominal - ten, nominal - five, nominal + five, nominal + ten, gauge.maximum].map(number),
                                    [red, yellow, green, yellow, red])
        case .fuel, .level, .position:
            tile.kind = .fuel
            let divisions = Int(gauge.maximum / 10)
            tile.divisions = .int(divisions)
            tile.subdivisions = .int(10)
            tile.labels = steps(minimum, gauge.maximum, divisions)
            tile.colorZones = zones([number(minimum), .int(Int(nominal * 0.1)), .int(Int(nominal * 0.25)), .int(Int(nominal))],
                                    [red, yellow, green])
        case .temperature:
            tile.kind = .temperature
            let divisions = Int(gauge.maximum / 10)
            tile.divisions = .int(divisions)
            tile.subdivisions = .int(10)
            tile.labels = steps(minimum, gauge.maximum, divisions)
            tile.colorZones = zones([number(minimum), number(nominal), number(nominal + Double(Int((gauge.maximum - nominal) / 2))), number(gauge.maximum)],
                                    [green, yellow, red])
            tile.defaultSize = .null
        case .pressure:
            tile.kind = .pressure
            let divisions = Int(gauge.maximum / 10)
            tile.divisions = .int(divisions)
            tile.subdivisions = .int(10)
            tile.labels = steps(minimum, gauge.maximum, divisions)
            tile.colorZones = zones([minimum, nominal - 15, nominal - 5, nominal + 5, nominal + 15, gauge.maximum].map(number),
                                    [red, yellow, green, yellow, red])
        }
        return tile
    }
}
