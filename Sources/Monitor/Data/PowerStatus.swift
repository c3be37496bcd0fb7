import Foundation

/// Where the output power figures come from.
public enum PowerSource: String, Sendable, Equatable, Hashable, Codable {
    /// No power metering: the controller does not report power and no add-on sends it.
    case none
    /// The controller's own current measurement (Evolution).
    case controller
    /// An add-on's current transformers (`set_power_data`).
    case addOn
}

/// What the power (kW) log says about a period, computed as the original does.
public struct PowerPeriodSummary: Sendable, Equatable, Hashable {
    public var kilowattHours: Double
    public var runHours: Double
    /// Nil when the model's fuel rate is unknown or the generator gave no power in the period.
    public var fuel: FuelAmount?

    public init(kilowattHours: Double, runHours: Double, fuel: FuelAmount?) {
        self.kilowattHours = kilowattHours
        self.runHours = runHours
        self.fuel = fuel
    }
}

/// Output power now and over time, with the fuel it costs. Part of every snapshot.
public struct PowerStatus: Sendable, Equatable, Hashable {
    /// Power metering is on (the original's "power meter supported"): the controller measures its
    /// output, or an add-on sends current-transformer data.
    public var metered: Bool = false
    public var source: PowerSource = .none
    /// Output power and current now (zero while the engine is stopped), when metered.
    public var outputKilowatts: Double?
    public var outputAmps: Double?
    /// Energy delivered since genmon began counting: only ever grows (a meter for Home Assistant).
    public var totalKilowattHours: Double = 0
    /// The last 30 days of the power log; nil until the monitor has read its log.
    public var lastThirtyDays: PowerPeriodSummary?
    /// Fuel used over the whole power log (for the tank estimate); nil when it cannot be estimated.
    public var fuelUsedSinceLogStart: FuelAmount?
    /// How fuel use is estimated, when the model's fuel rate is known.
    public var fuelEstimator: FuelEstimator?
    /// Fuel tank size (`tanksize`, gallons or litres); 0 when not configured.
    public var tankSize: Double = 0
    /// Fuel left in the tank by the power log's estimate (`tanksize` minus what the log says was
    /// burned, minus `subtractfuel`); nil unless the model's fuel rate is known, the tank size is
    /// set and the fuel is not natural gas.
    public var estimatedFuelInTank: Double?
    /// The fuel level in percent: the controller's sensor, an add-on's tank gauge, or the estimate.
    public var fuelLevelPercent: Double?
    /// Lines in the power log now.
    public var logEntries: Int = 0
    /// The power log is kept (`kwlog` not empty, `disablepowerlog` off).
    public var logEnabled: Bool = true

    public init() {}
}
