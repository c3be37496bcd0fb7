import Foundation

/// How the monitor keeps power, fuel and add-on data (genmon.conf keys in brackets).
public struct DataSettings: Sendable, Equatable {
    /// Keep the power (kW) log (`kwlog` not set empty). `disablepowerlog` turns the controller's
    /// power metering off altogether; add-on power data is still logged.
    public var powerLogEnabled = true
    /// How often output power is sampled for the log and the energy counter (the original: 10 s).
    public var powerSampleInterval: Duration = .seconds(10)
    /// Add-on values not refreshed for this long are marked stale and no longer used (`external_data_timeout`).
    public var externalDataTimeout: TimeInterval = 3600
    /// A sensor's log gets at most one line per this interval (a changed value waits for the next message).
    public var sensorLogInterval: TimeInterval = 10
    /// Keep the add-on sensor logs (`disablesensorlog` off).
    public var sensorLogEnabled = true
    /// Log the fuel level every `fuelLogInterval` when it changed (`enable_fuel_log`, `fuel_log_freq` minutes).
    public var fuelLogEnabled = false
    public var fuelLogInterval: TimeInterval = 15 * 60
    /// A fuel log is configured at all (`fuel_log` not set empty).
    public var fuelLogConfigured = true
    /// Fuel tank size in gallons or litres (`tanksize`; 0: no tank estimates).
    public var tankSize: Double = 0
    /// Fuel known to be missing from the tank beyond what the power log explains (`subtractfuel`).
    public var subtractFuel: Double = 0
    /// Metric units for fuel (`metricweather`).
    public var metric = false

    public init() {}

    /// How far back the monitor keeps the power log in memory (the longest period reports ask for
    /// without an argument: 31 days).
    public static let recentPowerLogSpan: TimeInterval = 32 * 86_400
}
