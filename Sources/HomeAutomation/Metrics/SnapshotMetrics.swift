import Foundation
import Generac
import GenmonBasics
import Monitor

/// A reading as a Prometheus gauge: name (with its base unit) and the factor from the figure's unit.
struct GaugeMapping: Sendable {
    let name: String
    let help: String
    let value: @Sendable (GeneratorSnapshot) -> Double?
}

extension GenmonMetrics {
    /// Readings in base units: volts, amperes, watts, hertz, seconds, ratio (0–1), degrees Celsius.
    static let readingGauges: [GaugeMapping] = [
        GaugeMapping(name: "genmon_battery_voltage_volts", help: "Starter battery voltage.") { $0.readings?.engine.batteryVolts },
        GaugeMapping(name: "genmon_utility_voltage_volts", help: "Utility (mains) voltage.") { $0.readings.map { Double($0.line.utilityVolts) } },
        GaugeMapping(name: "genmon_utility_voltage_max_volts", help: "Highest utility voltage since genmon started.") {
            $0.outage.utilityMaximumVolts.map(Double.init)
        },
        GaugeMapping(name: "genmon_utility_voltage_min_volts", help: "Lowest utility voltage since genmon started.") {
            $0.outage.utilityMinimumVolts.map(Double.init)
        },
        GaugeMapping(name: "genmon_utility_threshold_volts", help: "Utility voltage below which the controller starts the generator.") {
            $0.readings.map { Double($0.line.thresholdVolts) }
        },
        GaugeMapping(name: "genmon_output_voltage_volts", help: "Generator output voltage.") { $0.readings.map { Double($0.line.outputVolts) } },
        GaugeMapping(name: "genmon_output_frequency_hertz", help: "Generator output frequency.") { $0.readings?.engine.frequencyHz },
        GaugeMapping(name: "genmon_output_current_amperes", help: "Generator output current.") { $0.readings?.engine.outputCurrent?.totalAmps },
        GaugeMapping(name: "genmon_output_power_watts", help: "Generator output power.") { $0.readings?.engine.outputPowerKW.map { $0 * 1000 } },
        GaugeMapping(name: "genmon_engine_rpm", help: "Engine speed in revolutions per minute.") { $0.readings.map { Double($0.engine.rpm) } },
        GaugeMapping(name: "genmon_engine_run_time_seconds", help: "Total engine run time the controller counts.") {
            $0.readings.map { $0.maintenance.totalRunHours * 3600 }
        },
        GaugeMapping(name: "genmon_fuel_level_ratio", help: "Fuel level sensor, 0 to 1.") { $0.readings?.engine.fuelLevelSensorPercent.map { Double($0) / 100 } },
        GaugeMapping(name: "genmon_ambient_temperature_celsius", help: "Ambient temperature at the controller.") { snapshot in
            snapshot.readings?.engine.ambientTemperature.map { $0.unit == "C" ? $0.value : ($0.value - 32) * 5 / 9 }
        },
        GaugeMapping(name: "genmon_rated_power_watts", help: "The generator's rated power.") { $0.readings?.nominal.kilowatts.map { $0 * 1000 } },
        GaugeMapping(name: "genmon_utility_outage", help: "1 while the utility is out.") { $0.readings == nil ? nil : ($0.outage.inOutage ? 1 : 0) },
        GaugeMapping(name: "genmon_alarm_active", help: "1 while the controller shows an alarm.") { $0.readings.map { $0.status.isInAlarm ? 1 : 0 } },
        GaugeMapping(name: "genmon_controller_answering", help: "1 while the controller answers.") { $0.communication.isReceiving ? 1 : 0 },
        GaugeMapping(name: "genmon_monitor_initialized", help: "1 once the controller is detected and read completely.") { $0.isInitialized ? 1 : 0 },
        GaugeMapping(name: "genmon_last_controller_answer_timestamp_seconds", help: "When the controller last answered (Unix time).") {
            $0.communication.lastResponse?.timeIntervalSince1970
        },
        // The running kWh total (another change adds it to the snapshot) becomes
        // genmon_energy_output_watt_hours_total (a counter) here once it lands.
    ]

    func update(from snapshot: GeneratorSnapshot) {
        for mapping in Self.readingGauges {
            guard let value = mapping.value(snapshot), value.isFinite else { continue }
            gauge(mapping.name, mapping.help).set(to: value)
        }
        updateStates(snapshot)
        updateLink(snapshot.communication.statistics)
    }

    /// States as one series per possible value, 1 for the current one.
    func updateStates(_ snapshot: GeneratorSnapshot) {
        guard let status = snapshot.readings?.status else { return }
        for state in SwitchState.allCases {
            gauge("genmon_switch_state", "Switch (mode) state: 1 for the current one.", [("state", state.rawValue)]).set(to: state == status.switchState ? 1 : 0)
        }
        for base in BaseStatus.allCases {
            gauge("genmon_status", "genmon's one-word state: 1 for the current one.", [("status", base.rawValue)])
                .set(to: snapshot.isInitialized && base == status.baseStatus ? 1 : 0)
        }
        let current = status.engineState.description
        let seen = state.withLock { state in
            state.engineStatesSeen.insert(current)
            return state.engineStatesSeen
        }
        for engineState in seen {
            gauge("genmon_engine_state", "Engine state: 1 for the current one (states seen since genmon started).", [("state", engineState)])
                .set(to: engineState == current ? 1 : 0)
        }
        if let transfer = snapshot.readings?.line.transferSwitch {
            for position in ["Utility", "Generator"] {
                gauge("genmon_transfer_switch_position", "Which source the transfer switch connects: 1 for the current one.", [("position", position)])
                    .set(to: transfer.rawValue == position ? 1 : 0)
            }
        }
    }

    /// The link's running totals as counters: every transaction ends in exactly one outcome.
    func updateLink(_ stats: CommunicationStatistics) {
        let outcomes: [(String, Int)] = [
            ("success", stats.successes), ("crc_error", stats.crcErrors), ("timeout", stats.timeouts), ("truncated", stats.truncatedFrames),
            ("exception", stats.exceptions), ("validation_error", stats.validationErrors),
        ]
        for (outcome, total) in outcomes {
            count("genmon_modbus_transactions", "Modbus transactions by outcome.", [("outcome", outcome)], total: Double(total))
        }
        count("genmon_modbus_requests", "Modbus requests written to the line.", [], total: Double(stats.requestsSent))
        count("genmon_modbus_responses", "Modbus responses that answered a request (exceptions included).", [], total: Double(stats.responsesReceived))
        count("genmon_modbus_sync_errors", "Responses whose length did not fit the registers asked for.", [], total: Double(stats.syncErrors))
        count("genmon_modbus_unexpected_data", "Times bytes were already waiting before a request.", [], total: Double(stats.unexpectedData))
        count("genmon_modbus_discarded_bytes", "Bytes received that were not part of an accepted response.", [], total: Double(stats.discardedBytes))
        count("genmon_modbus_reconnects", "Times the link to the controller was re-established.", [], total: Double(stats.commRestarts))
        count("genmon_modbus_not_connected", "Transactions not sent because the link was down.", [], total: Double(stats.notConnected))
    }

    func updateProcess() {
        let figures = process.read()
        if let resident = figures.residentBytes { gauge("process_resident_memory_bytes", "Resident memory size in bytes.").set(to: resident) }
        if let virtual = figures.virtualBytes { gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.").set(to: virtual) }
        if let start = figures.startTime { gauge("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.").set(to: start) }
        if let files = figures.openFiles { gauge("process_open_fds", "Number of open file descriptors.").set(to: files) }
        if let cpu = figures.cpuSeconds { count("process_cpu_seconds", "Total user and system CPU time spent in seconds.", [], total: cpu) }
    }
}
