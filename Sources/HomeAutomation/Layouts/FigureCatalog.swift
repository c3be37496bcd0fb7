import Foundation
import Generac
import LegacyProtocol
import Monitor

/// Every figure genmon publishes, in the order a person reads them. Ids are the original
/// genhomeassistant's entity ids where it had one; `link_quality` is genmon's own.
/// A figure whose value is nil for this controller is not published (and its HA entity is removed).
public enum FigureCatalog {
    public static let all: [Figure] = measurements + states + binarySensors + maintenance + diagnostics

    /// Looks a figure up by id.
    public static func figure(_ id: String) -> Figure? { all.first { $0.id == id } }

    static let measurements: [Figure] = [
        Figure("battery_voltage", "Battery Voltage", unit: "V", deviceClass: "voltage", stateClass: "measurement", icon: "mdi:car-battery") {
            $0.readings.map { .number($0.engine.batteryVolts) }
        },
        Figure("rpm", "RPM", unit: "RPM", stateClass: "measurement", icon: "mdi:engine") { $0.readings.map { .integer($0.engine.rpm) } },
        Figure("frequency", "Output Frequency", unit: "Hz", deviceClass: "frequency", stateClass: "measurement", icon: "mdi:sine-wave") {
            $0.readings.map { .number($0.engine.frequencyHz) }
        },
        Figure("output_voltage", "Output Voltage", unit: "V", deviceClass: "voltage", stateClass: "measurement", icon: "mdi:flash") {
            $0.readings?.engine.outputVolts.map { .integer($0) }
        },
        Figure("output_current", "Output Current", unit: "A", deviceClass: "current", stateClass: "measurement", icon: "mdi:current-ac") {
            $0.readings?.engine.outputCurrent.map { .number($0.totalAmps) }
        },
        Figure("output_power", "Output Power", unit: "kW", deviceClass: "power", stateClass: "measurement", icon: "mdi:lightning-bolt") {
            $0.readings?.engine.outputPowerKW.map { .number($0) }
        },
        Figure("current_leg1", "Current Leg 1", unit: "A", deviceClass: "current", stateClass: "measurement", icon: "mdi:current-ac") {
            $0.readings?.engine.outputCurrent?.leg1Amps.map { .number($0) }
        },
        Figure("current_leg2", "Current Leg 2", unit: "A", deviceClass: "current", stateClass: "measurement", icon: "mdi:current-ac") {
            $0.readings?.engine.outputCurrent?.leg2Amps.map { .number($0) }
        },
        Figure("utility_voltage", "Utility Voltage", unit: "V", deviceClass: "voltage", stateClass: "measurement", icon: "mdi:transmission-tower") {
            $0.readings.map { .integer($0.line.utilityVolts) }
        },
        Figure("utility_voltage_max", "Utility Voltage Max", unit: "V", deviceClass: "voltage", stateClass: "measurement",
               icon: "mdi:arrow-up-bold", enabledByDefault: false) { source in
            source.readings == nil ? nil : source.snapshot.outage.utilityMaximumVolts.map { .integer($0) }
        },
        Figure("utility_voltage_min", "Utility Voltage Min", unit: "V", deviceClass: "voltage", stateClass: "measurement",
               icon: "mdi:arrow-down-bold", enabledByDefault: false) { source in
            source.readings == nil ? nil : source.snapshot.outage.utilityMinimumVolts.map { .integer($0) }
        },
        Figure("fuel_level", "Fuel Level", unit: "%", stateClass: "measurement", icon: "mdi:fuel") {
            $0.readings?.engine.fuelLevelSensorPercent.map { .integer($0) }
        },
        Figure("ambient_temp", "Ambient Temperature", unit: nil, deviceClass: "temperature", stateClass: "measurement", icon: "mdi:thermometer",
               dynamicUnit: { $0.readings?.engine.ambientTemperature.map { $0.unit == "C" ? "°C" : "°F" } }) {
            $0.readings?.engine.ambientTemperature.map { .number(PythonFormat.round($0.value, decimals: 1)) }
        },
        Figure("total_run_hours", "Total Run Hours", unit: "h", deviceClass: "duration", stateClass: "total_increasing", icon: "mdi:engine") {
            $0.readings.map { .number($0.maintenance.totalRunHours) }
        },
        // The running kWh total (another change adds it to the snapshot): publish it here as
        // Figure("kwh_total", "Energy", unit: "kWh", deviceClass: "energy", stateClass: "total_increasing") once it lands.
    ]

    static let states: [Figure] = [
        Figure("engine_state", "Engine State", icon: "mdi:engine") { $0.readings.map { .text($0.status.engineState.description) } },
        Figure("switch_state", "Switch State", icon: "mdi:electric-switch") { $0.readings.map { .text($0.status.switchState.rawValue) } },
        Figure("generator_status", "Generator Status", icon: "mdi:information") {
            $0.snapshot.isInitialized ? $0.readings.map { .text($0.status.baseStatus.rawValue) } : nil
        },
        Figure("active_alarms", "Active Alarms", icon: "mdi:alert") {
            $0.readings.map { .text($0.status.isInAlarm ? $0.status.alarm.text : "None") }
        },
        Figure("transfer_switch_state", "Transfer Switch State", icon: "mdi:electric-switch") {
            $0.readings?.line.transferSwitch.map { .text($0.rawValue) }
        },
        Figure("outage_status", "Outage Status", icon: "mdi:power-plug-off") { source in
            source.reportText(source.reports?.outage(), "Outage/Status").map(FigureValue.text)
        },
    ]

    static let binarySensors: [Figure] = [
        Figure("system_in_outage", "System In Outage", kind: .binarySensor, deviceClass: "problem", icon: "mdi:transmission-tower-off") {
            $0.readings == nil ? nil : .flag($0.snapshot.outage.inOutage)
        },
        Figure("generator_running", "Generator Running", kind: .binarySensor, deviceClass: "running", icon: "mdi:engine") {
            $0.readings.map { .flag($0.status.baseStatus.isRunning) }
        },
        Figure("exercising", "Exercising", kind: .binarySensor, deviceClass: "running", icon: "mdi:run") {
            $0.readings.map { .flag($0.status.baseStatus == .exercising) }
        },
        Figure("alarm_active", "Alarm Active", kind: .binarySensor, deviceClass: "problem", icon: "mdi:alert") {
            $0.readings.map { .flag($0.status.isInAlarm) }
        },
        Figure("transfer_to_generator", "Transfer to Generator", kind: .binarySensor, deviceClass: "power", icon: "mdi:transfer") {
            $0.readings.map { .flag($0.line.transferSwitch == .generator) }
        },
        Figure("utility_present", "Utility Present", kind: .binarySensor, deviceClass: "power", icon: "mdi:transmission-tower") {
            $0.readings == nil ? nil : .flag(!$0.snapshot.outage.inOutage)
        },
        Figure("switch_in_auto", "Switch in Auto", kind: .binarySensor, icon: "mdi:auto-mode") {
            $0.readings.map { .flag($0.status.switchState == .auto) }
        },
    ]

    static let maintenance: [Figure] = serviceFigures + [
        Figure("exercise_time", "Exercise Time", icon: "mdi:calendar-clock") { $0.readings?.exercise.map { .text($0.text) } },
        Figure("model", "Model", diagnostic: true, icon: "mdi:information") { $0.readings.map { .text($0.nominal.modelName) } },
        Figure("serial_number", "Serial Number", diagnostic: true, icon: "mdi:identifier") {
            $0.readings.map { .text($0.maintenance.serialNumber) }
        },
        Figure("controller", "Controller", diagnostic: true, icon: "mdi:chip") { $0.readings.map { .text($0.identity.detectedName) } },
        Figure("nominal_rpm", "Nominal RPM", unit: "RPM", diagnostic: true, icon: "mdi:speedometer") { $0.readings.map { .integer($0.nominal.rpm) } },
        Figure("rated_kw", "Rated Power", unit: "kW", deviceClass: "power", diagnostic: true, icon: "mdi:flash") {
            $0.readings?.nominal.kilowatts.map { .number($0) }
        },
        Figure("fuel_type", "Fuel Type", diagnostic: true, icon: "mdi:fuel") { $0.readings.map { .text($0.nominal.fuelType.rawValue) } },
        Figure("utility_threshold", "Utility Threshold Voltage", unit: "V", deviceClass: "voltage", diagnostic: true, icon: "mdi:tune-vertical") {
            $0.readings.map { .integer($0.line.thresholdVolts) }
        },
        Figure("startup_delay", "Startup Delay", unit: "s", deviceClass: "duration", diagnostic: true, icon: "mdi:timer") {
            $0.readings?.settings.startupDelaySeconds.map { .integer($0) }
        },
        Figure("last_alarm_log", "Last Alarm", diagnostic: true, icon: "mdi:alert") { source in
            source.reportText(source.reports?.status(), "Status/Last Log Entries/Logs/Alarm Log").map(FigureValue.text)
        },
        Figure("last_run_log", "Last Run", diagnostic: true, icon: "mdi:engine") { source in
            source.reportText(source.reports?.status(), "Status/Last Log Entries/Logs/Run Log").map(FigureValue.text)
        },
    ]

    /// Service-due items, under the original's entity ids.
    static let serviceFigures: [Figure] = [
        ("service_a_due", "Service A Due", ServiceItem.Kind.serviceA), ("service_b_due", "Service B Due", .serviceB),
        ("battery_check_due", "Battery Check Due", .batteryCheck), ("oil_service", "Oil and Filter Service Due", .oilAndFilter),
        ("air_filter_service", "Air Filter Service Due", .airFilter), ("spark_plug_service", "Spark Plug Service Due", .sparkPlugs),
        ("battery_service", "Battery Service Due", .battery),
    ].map { id, name, kind in
        Figure(id, name, diagnostic: true, icon: "mdi:wrench-clock") { source in
            guard let readings = source.readings, let item = readings.maintenance.serviceItems.first(where: { $0.kind == kind }) else { return nil }
            let alternate = source.reports?.context.settings.alternateDateFormat ?? false
            return .text(item.text(alternateDateFormat: alternate).trimmingCharacters(in: .whitespaces))
        }
    }

    static let diagnostics: [Figure] = [
        Figure("monitor_health", "Monitor Health", icon: "mdi:heart-pulse") { .text($0.snapshot.healthText) },
        Figure("genmon_version", "Genmon Version", diagnostic: true, icon: "mdi:tag") { .text($0.snapshot.monitor.version) },
        Figure("link_quality", "Link Quality", unit: "%", stateClass: "measurement", diagnostic: true, icon: "mdi:lan-connect",
               monitorStatistic: true) { source in
            let stats = source.snapshot.communication.statistics
            guard stats.requestsSent > 0 else { return nil }
            return .number(PythonFormat.round(Double(stats.successes) * 100 / Double(stats.requestsSent), decimals: 2))
        },
        Figure("crc_errors", "CRC Errors", stateClass: "total_increasing", diagnostic: true, icon: "mdi:alert-circle", monitorStatistic: true) {
            .integer($0.snapshot.communication.statistics.crcErrors)
        },
        Figure("timeout_errors", "Timeout Errors", stateClass: "total_increasing", diagnostic: true, icon: "mdi:timer-off", monitorStatistic: true) {
            let stats = $0.snapshot.communication.statistics
            return .integer(stats.timeouts + stats.truncatedFrames)
        },
        Figure("comm_success", "Communication Success", diagnostic: true, icon: "mdi:check-network", monitorStatistic: true) {
            let stats = $0.snapshot.communication.statistics
            return .text("M: \(stats.requestsSent), S: \(stats.responsesReceived)")
        },
    ]
}
