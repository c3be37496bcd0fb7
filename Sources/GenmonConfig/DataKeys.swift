/// The `[GenMon]` keys for power, fuel and add-on data, with the original's defaults.
public struct DataKeys: Sendable, Equatable {
    /// `kwlog`: the power log is kept unless the key is present and empty (genmon keeps it in its
    /// database, whatever path the key names).
    public var powerLogEnabled = true
    /// `kwlogmax` (MB): the size the monitor report compares the log with.
    public var powerLogMaximumMegabytes: Double = 15
    /// `max_powerlog_entries`: `power_log_json` lists are thinned to this many lines.
    public var maximumPowerLogEntries = 8000
    /// `disablesensorlog`: do not keep the add-on sensors' logs.
    public var sensorLogDisabled = false
    /// `enable_fuel_log`, `fuel_log_freq` (minutes), `fuel_log` (empty: no fuel log at all).
    public var fuelLogEnabled = false
    public var fuelLogMinutes: Double = 15
    public var fuelLogConfigured = true
    /// `tanksize` (gallons, or litres with `metricweather`), `subtractfuel`, `estimated_load` (0 to 1).
    public var tankSize: Double = 0
    public var subtractFuel: Double = 0
    public var estimatedLoad: Double = 0.5
    /// genmon's own: seconds after which an add-on's value counts as stale (`external_data_timeout`).
    public var externalDataTimeout: Double = 3600
    /// genmon's own: seconds without an answer from the controller before monitor health warns
    /// (`health_warning_seconds`); the communication-lost event still waits for `communication_loss_seconds`.
    public var healthWarningSeconds: Double = 5

    public init() {}

    init(_ section: IniSection) throws(ConfigError) {
        if section.file.value("kwlog", in: section.name).map({ $0.value.trimmingCharacters(in: .whitespaces).isEmpty }) == true {
            powerLogEnabled = false
        }
        powerLogMaximumMegabytes = try section.double("kwlogmax", in: 0.01...10_000) ?? 15
        maximumPowerLogEntries = try section.int("max_powerlog_entries", in: 1...1_000_000) ?? 8000
        sensorLogDisabled = try section.bool("disablesensorlog") ?? false
        fuelLogEnabled = try section.bool("enable_fuel_log") ?? false
        fuelLogMinutes = try section.double("fuel_log_freq", in: 1...10_080) ?? 15
        if section.file.value("fuel_log", in: section.name).map({ $0.value.trimmingCharacters(in: .whitespaces).isEmpty }) == true {
            fuelLogConfigured = false
        }
        tankSize = try section.double("tanksize", in: 0...1_000_000) ?? 0
        subtractFuel = try section.double("subtractfuel", in: -1_000_000...1_000_000) ?? 0
        // The original clamps the estimated load to 0…1.
        estimatedLoad = min(1, max(0, try section.double("estimated_load", in: -1_000...1_000) ?? 0.5))
        externalDataTimeout = try section.double("external_data_timeout", in: 10...30 * 86_400) ?? 3600
        healthWarningSeconds = try section.double("health_warning_seconds", in: 2...600) ?? 5
    }
}
