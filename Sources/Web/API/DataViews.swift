import Foundation
import Monitor

// Power, energy, fuel and add-on sensors in the JSON API (documented in openapi.json).

/// What the power log says about a period.
public struct PowerPeriodView: Codable, Equatable, Sendable {
    public var energy: Quantity
    public var runHours: Quantity
    /// Nil when the model's fuel rate is unknown or the generator gave no power in the period.
    public var fuel: Quantity?
}

/// Output power now, the energy counter, the last 30 days and the fuel estimates.
public struct PowerView: Codable, Equatable, Sendable {
    /// Power is measured (by the controller or an add-on's current transformers).
    public var metered: Bool
    /// `controller`, `addOn` or `none`.
    public var source: String
    public var output: Quantity?
    public var current: Quantity?
    /// Energy delivered since genmon began counting, in kWh. It only grows: use it as a
    /// `total_increasing` meter (Home Assistant's energy dashboard).
    public var energyTotal: Quantity
    public var lastThirtyDays: PowerPeriodView?
    public var fuelLevel: Quantity?
    public var estimatedFuelInTank: Quantity?
}

/// One value an add-on sent.
public struct ExternalSensorView: Codable, Equatable, Sendable {
    public var name: String
    /// As sent ("65 F").
    public var text: String
    /// The number in it with its unit, when there is one.
    public var value: Quantity?
    /// The gauge type an add-on gave it (`temperature`, `fuel`, `power`…), when it did.
    public var kind: String?
    /// No new value within the configured timeout (`external_data_timeout`).
    public var stale: Bool
    public var updatedAt: Date
}

/// An add-on's tank gauge.
public struct ExternalTankView: Codable, Equatable, Sendable {
    public var name: String?
    public var levels: [Quantity]
    public var stale: Bool
    public var updatedAt: Date
}

public struct SensorPointView: Codable, Equatable, Sendable {
    public var time: Date
    public var value: Double
}

/// A sensor's log over a period, oldest first.
public struct SensorHistoryView: Codable, Equatable, Sendable {
    public var name: String
    public var unit: String
    public var from: Date
    public var to: Date
    public var points: [SensorPointView]
}

extension ViewBuilder {
    public func power(_ snapshot: GeneratorSnapshot) -> PowerView {
        let power = snapshot.power
        let fuelUnits = power.fuelEstimator.map { $0.fuel(kilowatts: 0, seconds: 0).units } ?? (settings.metric ? "L" : "gal")
        return PowerView(
            metered: power.metered, source: power.source.rawValue,
            output: Quantity(power.outputKilowatts, "kW"), current: Quantity(power.outputAmps, "A"),
            energyTotal: Quantity(power.totalKilowattHours, "kWh") ?? Quantity(0, "kWh")!,
            lastThirtyDays: power.lastThirtyDays.map { month in
                PowerPeriodView(energy: Quantity(month.kilowattHours, "kWh") ?? Quantity(0, "kWh")!,
                                runHours: Quantity(month.runHours, "h") ?? Quantity(0, "h")!,
                                fuel: month.fuel.flatMap { Quantity($0.amount, $0.units) })
            },
            fuelLevel: Quantity(power.fuelLevelPercent, "%"),
            estimatedFuelInTank: Quantity(power.estimatedFuelInTank, power.tankSize > 0 ? (settings.metric ? "L" : "gal") : fuelUnits))
    }

    public func externalSensors(_ snapshot: GeneratorSnapshot) -> [ExternalSensorView] {
        let external = snapshot.external
        return external.readings.map { reading in
            ExternalSensorView(name: reading.label, text: reading.text, value: Quantity(reading.value, reading.units),
                               kind: external.gauges.first { $0.title == reading.label }?.kind.rawValue,
                               stale: reading.stale, updatedAt: reading.receivedAt)
        }
    }

    public func externalTank(_ snapshot: GeneratorSnapshot) -> ExternalTankView? {
        snapshot.external.tank.map { tank in
            ExternalTankView(name: tank.name, levels: tank.percentages.compactMap { Quantity($0, "%") }, stale: tank.stale,
                             updatedAt: tank.receivedAt)
        }
    }
}
