import Foundation
import Generac
import Monitor
import GenmonBasics

/// The original's reports, built once as ordered trees from a snapshot and a context. Each tree is
/// rendered to text (`status`), JSON (`status_json`) or JSON with value objects (`status_num_json`)
/// by `ReportRendering`; the shapes, key spellings and list positions are the interface.
public struct Reports: Sendable {
    public let snapshot: GeneratorSnapshot
    public let readings: GeneratorReadings
    public let context: ReportContext

    /// nil while the controller has not been detected and read (the original answers
    /// `Retry, System Initializing` then).
    public init?(snapshot: GeneratorSnapshot, context: ReportContext) {
        guard let readings = snapshot.readings else { return nil }
        self.snapshot = snapshot
        self.readings = readings
        self.context = context
    }

    var identity: ControllerIdentity { readings.identity }
    var settings: GeneracSettings { context.settings }
    var alternateDates: Bool { settings.alternateDateFormat }
    public var siteName: String { context.siteName ?? snapshot.monitor.siteName }

    /// "Power meter" as the original defines it (docs/compatibility.md#when-power-metering-is-on).
    /// Add-on current transformers turn it on for any controller.
    public var powerMeterSupported: Bool {
        identity.powerMeterSupported(settings: settings, model: readings.model) || snapshot.power.metered
    }

    /// The original reports fuel consumption as supported on every Evolution (an empty rate table
    /// still counts), never on Nexus.
    public var fuelConsumptionSupported: Bool { identity.isEvolution && readings.nominal.fuelType != .gasoline }

    /// A fuel level sender on EvoLC diesel units (`usesensorforfuelgauge` is on by default).
    public var fuelSensorSupported: Bool { identity.isEvolutionLC && readings.nominal.fuelType == .diesel }

    // MARK: One-word answers

    public var baseStatus: String { readings.status.baseStatus.rawValue }
    public var health: String { snapshot.health(at: context.now) }

    /// `<switch>, <engine>`.
    public var oneLineStatus: String { readings.status.oneLine }

    // MARK: status

    public func status() -> ReportValue {
        let status = readings.status, engine = readings.engine, line = readings.line
        var engineItems: [(String, ReportValue)] = [
            ("Switch State", .string(status.switchState.rawValue)),
            ("Engine State", .string(status.engineState.description)),
        ]
        if let led = status.ledState { engineItems.append(("Generator State", .string(led.description))) }
        if identity.isEvolutionLC {
            engineItems.append(("Active Relays", .string((engine.activeRelays?.activeLabels ?? []).joined(separator: ", "))))
            engineItems.append(("Active Sensors", .string((engine.activeSensors?.activeLabels ?? []).joined(separator: ", "))))
        }
        if status.isInAlarm { engineItems.append(("System In Alarm", .string(status.alarm.text))) }
        engineItems.append(("Battery Voltage", .measurement(.float(engine.batteryVolts, "V"))))
        if let battery = engine.batteryStatus { engineItems.append(("Battery Status", .string(battery.rawValue))) }
        if let charger = engine.batteryChargerMilliamps { engineItems.append(("Battery Charger Current", .measurement(.int(charger, "mA")))) }
        engineItems.append(("RPM", .measurement(.int(engine.rpm, ""))))
        engineItems.append(("Frequency", .measurement(.float(engine.frequencyHz, "Hz"))))
        if let volts = engine.outputVolts { engineItems.append(("Output Voltage", .measurement(.int(volts, "V")))) }
        if let pz = readings.pz200 {
            for (index, volts) in pz.outputVoltsPerLeg.enumerated() {
                engineItems.append(("Output Voltage L\(index + 1)", .measurement(.int(volts, "V"))))
            }
        }
        if powerMeterSupported {
            let current = engine.outputCurrent ?? OutputCurrent(totalAmps: 0)
            engineItems.append(("Output Current", .measurement(.float(outputAmps, "A"))))
            if identity.isEvolutionAC, !identity.isPZ200, !settings.disablePowerLog {
                engineItems.append(("Current L1", .measurement(.float(current.leg1Amps ?? 0, "A"))))
                engineItems.append(("Current L2", .measurement(.float(current.leg2Amps ?? 0, "A"))))
            }
            if identity.isEvolutionLC, powerFromAddOn {
                engineItems.append(("Hall Effect Sensor", .measurement(.float(current.totalAmps, "A"))))
            }
            engineItems.append(("Output Power (Single Phase)", .measurement(.float(outputKilowatts, "kW"))))
        }
        if let pz = readings.pz200 {
            engineItems.append(("Power Factor", .measurement(.float(pz.powerFactor, ""))))
            engineItems.append(("Engine Load", .measurement(.int(pz.engineLoadPercent, "%"))))
            engineItems.append(("Intake Temperature", .measurement(.int(pz.intakeTemperatureF, "F"))))
            engineItems.append(("Oil Level", .measurement(.int(pz.oilLevel, ""))))
            engineItems.append(("Fuel Pressure (Cranking)", .measurement(.int(pz.fuelPressureCranking, ""))))
            engineItems.append(("Fuel Pressure (Running)", .measurement(.int(pz.fuelPressureRunning, ""))))
        }
        engineItems.append(("Active Rotor Poles (Calculated)", .measurement(.int(engine.activeRotorPoles, ""))))

        var lineItems: [(String, ReportValue)] = []
        if let transfer = line.transferSwitch { lineItems.append(("Transfer Switch State", .string(transfer.rawValue))) }
        lineItems.append(("Utility Voltage", .measurement(.int(line.utilityVolts, "V"))))
        if let pz = readings.pz200 {
            for (index, volts) in pz.utilityVoltsPerLeg.enumerated() {
                lineItems.append(("Utility Voltage L\(index + 1)", .measurement(.int(volts, "V"))))
            }
        }
        lineItems.append(("Utility Max Voltage", .measurement(.int(snapshot.outage.utilityMaximumVolts ?? 0, "V"))))
        lineItems.append(("Utility Min Voltage", .measurement(.int(snapshot.outage.utilityMinimumVolts ?? 0, "V"))))
        lineItems.append(("Utility Threshold Voltage", .measurement(.int(line.thresholdVolts, "V"))))
        if identity.isEvolutionLC {
            lineItems.append(("Utility Pickup Voltage", .measurement(.int(line.pickupVolts ?? 0, "V"))))
            lineItems.append(("Set Output Voltage", .measurement(.int(line.setOutputVolts ?? 0, "V"))))
        }

        var sections: [(String, ReportValue)] = [("Engine", .entries(engineItems)), ("Line", .entries(lineItems))]
        if let sensors = externalSensors { sections.append(sensors) }
        if let line = externalLineSensors { sections.append(line) }
        sections += [
            ("Last Log Entries", .object([("Logs", .object(readings.logs.logs.map {
                ($0.range.kind.title, .string($0.newestLine(alternateDateFormat: alternateDates)))
            }))])),
            ("Time", .entries([
                // strftime's %d: the day with its leading zero.
                ("Monitor Time", .string(PythonFormat.longDateTime(context.now, zone: context.timeZone, padDay: true))),
                ("Generator Time", .string(readings.clock?.text ?? "")),
            ])),
        ]
        return .object([("Status", .entries(sections))])
    }

    // MARK: maint

    public func maintenance() -> ReportValue {
        let nominal = readings.nominal, model = readings.model, controller = readings.settings
        var items: [(String, ReportValue)] = [
            ("Model", .string(nominal.modelName)),
            ("Generator Serial Number", .string(readings.maintenance.serialNumber)),
            ("Controller Detected", .string(identity.detectedName)),
            ("Nominal RPM", .string(String(nominal.rpm))),
            ("Rated kW", .string(NominalValues.kilowattsText(nominal.kilowatts) + " kW")),
            ("Nominal Frequency", .string("\(nominal.frequency) Hz")),
            ("Fuel Type", .string(nominal.fuelType.rawValue)),
            ("Generator Phase", .string(nominal.phase.map(String.init) ?? "Unknown")),
        ]
        if let displacement = nominal.engineDisplacement, displacement != "Unknown" {
            items.append(("Engine Displacement", Self.units(displacement, integer: false)))
        }
        items += fuelAndEnergyItems()
        if let ambient = readings.engine.ambientTemperature {
            items.append(("Ambient Temperature Sensor", .measurement(.int(Int(ambient.value.rounded()), ambient.unit))))
        }

        var settingsItems: [(String, ReportValue)] = []
        if let value = controller.calibrateCurrent1 { settingsItems.append(("Calibrate Current 1", .measurement(.int(value, "")))) }
        if let value = controller.calibrateCurrent2 { settingsItems.append(("Calibrate Current 2", .measurement(.int(value, "")))) }
        if let value = controller.calibrateVolts { settingsItems.append(("Calibrate Volts", .measurement(.int(value, "")))) }
        settingsItems.append(("Nominal Line Voltage", .string((model.nominalLineVolts.map(String.init) ?? "Unknown") + " V")))
        settingsItems.append(("Rated Max Power", .string(NominalValues.kilowattsText(model.kilowatts) + " kW")))
        if identity.isLiquidCooled {
            settingsItems.append(("Param Group", .measurement(.int(controller.parameterGroup ?? 0, ""))))
            settingsItems.append(("Voltage Code", .measurement(.int(controller.voltageCode ?? 0, ""))))
            if let phase = controller.liquidCooledPhase { settingsItems.append(("Phase", .measurement(.int(phase, "")))) }
        }
        if let hours = controller.hoursSinceActivation {
            settingsItems.append(("Time Since Activation", settings.showHoursActivation
                ? .measurement(.int(hours, "h"))
                : .string(IdentityDecoders.hoursSinceActivationText(hours, showHours: false))))
        }
        if let value = controller.voltsPerHertz { settingsItems.append(("Volts Per Hertz", .measurement(.int(value, "")))) }
        if let value = controller.gain { settingsItems.append(("Gain", .measurement(.int(value, "")))) }
        if let value = controller.targetFrequencyHz { settingsItems.append(("Target Frequency", .measurement(.int(value, "Hz")))) }
        if let value = controller.targetVolts { settingsItems.append(("Target Voltage", .measurement(.int(value, "V")))) }
        if let value = controller.returnToUtilityDelaySeconds { settingsItems.append(("Return to Utility Delay", .measurement(.int(value, "sec")))) }
        if let value = controller.coolDownSeconds { settingsItems.append(("Cool Down Time", .measurement(.int(value, "sec")))) }
        items.append(("Controller Settings", .entries(settingsItems)))

        if !settings.smartTransferSwitch {
            var exercise: [(String, ReportValue)] = [("Exercise Time", .string(readings.exercise?.text ?? ""))]
            if let minutes = controller.exerciseDurationMinutes { exercise.append(("Exercise Duration", .string("\(minutes) min"))) }
            items.append(("Exercise", .entries(exercise)))
        }

        var service: [(String, ReportValue)] = readings.maintenance.serviceItems.map {
            ($0.label, .string($0.text(alternateDateFormat: alternateDates)))
        }
        service.append(("Total Run Hours", .measurement(.float(readings.maintenance.totalRunHours, "h"))))
        service.append(("Hardware Version", .string(readings.maintenance.hardwareVersion.text)))
        service.append(("Firmware Version", .string(readings.maintenance.firmwareVersion.text)))
        items.append(("Service", .entries(service)))
        return .object([("Maintenance", .entries(items))])
    }

    /// A pre-formatted `"<number> <unit>"` value: a value object in `_num_json` when it parses.
    static func units(_ text: String, integer: Bool) -> ReportValue {
        Measurement.parse(text, asInteger: integer).map(ReportValue.measurement) ?? .string(text)
    }

    // MARK: outage

    public func outage(numeric: Bool = false) -> ReportValue {
        let outage = snapshot.outage, line = readings.line, controller = readings.settings
        let statusText: String
        if outage.inOutage {
            statusText = "System in outage since " + PythonFormat.isoDateTime(outage.currentStart ?? context.now, zone: context.timeZone)
        } else if let last = outage.last {
            statusText = "Last outage occurred at " + PythonFormat.isoDateTime(last.start, zone: context.timeZone)
                + " and lasted " + PythonFormat.timedelta(last.duration) + "."
        } else {
            statusText = "No outage has occurred since program launched."
        }
        var items: [(String, ReportValue)] = [
            ("Status", .string(statusText)),
            ("System In Outage", .string(outage.inOutage ? "Yes" : "No")),
            ("Utility Voltage", .measurement(.int(line.utilityVolts, "V"))),
            ("Utility Voltage Minimum", .measurement(.int(outage.utilityMinimumVolts ?? 0, "V"))),
            ("Utility Voltage Maximum", .measurement(.int(outage.utilityMaximumVolts ?? 0, "V"))),
            ("Utility Threshold Voltage", .measurement(.int(line.thresholdVolts, "V"))),
        ]
        if identity.isEvolutionLC || identity.isEvolution2 {
            items.append(("Utility Pickup Voltage", .measurement(.int(line.pickupVolts ?? 0, "V"))))
        }
        if let delay = controller.startupDelaySeconds { items.append(("Startup Delay", Self.units("\(delay) s", integer: true))) }
        if let delay = controller.warmUpDelaySeconds { items.append(("Warm-up Delay", Self.units("\(delay) s", integer: true))) }
        if let preheat = controller.preheatSeconds { items.append(("Preheat Time", Self.units("\(preheat) s", integer: true))) }
        if let pz = readings.pz200 { items.append(("Elapsed Run Minutes for Current Run", .measurement(.int(pz.runMinutes, "min")))) }
        items.append(("Outage Log", outageLog(numeric: numeric)))
        return .object([("Outage", .entries(items))])
    }

    func outageLog(numeric: Bool) -> ReportValue {
        let history = snapshot.outage.history.prefix(100)
        guard !history.isEmpty else { return .string("") }
        return .list(history.enumerated().map { index, record in
            let date = PythonFormat.outageDateTime(record.start, zone: context.timeZone, alternate: alternateDates)
            let duration = PythonFormat.timedelta(record.duration)
            if numeric {
                var parts: [(String, ReportValue)] = [("Date", .string(date)), ("Duration", .string(duration))]
                if let fuel = record.fuelEstimate { parts.append(("Estimated Fuel", .string(fuel))) }
                return .object([(String(index), .entries(parts))])
            }
            return .string(date + ", Duration: " + duration + (record.fuelEstimate.map { ", Estimated Fuel: " + $0 } ?? ""))
        })
    }

    // MARK: monitor

    public func monitor() -> ReportValue {
        let stats = snapshot.communication.statistics
        var monitorStats: [(String, ReportValue)] = [
            ("Monitor Health", .string(health)),
            ("Controller", .string(identity.displayName)),
            ("Run time", .string("Generator Monitor running for "
                + PythonFormat.timedelta(context.now.timeIntervalSince(snapshot.monitor.startedAt)) + ".")),
        ]
        if powerMeterSupported {
            monitorStats.append(("Power log file size", .string(powerLogFileSize)))
        }
        monitorStats += [
            ("Generator Monitor Version", .string(context.protocolVersion)),
            ("Update Available", .string("No")),
            ("Update Version", .string("")),
        ]
        var comm: [(String, ReportValue)] = [
            ("Packet Count", .string("M: \(stats.requestsSent), S: \(stats.responsesReceived)")),
            ("CRC Errors", .string("\(stats.crcErrors) ")),
            ("CRC Percent Errors", .string(PythonFormat.fixed(stats.crcPercent, decimals: 2) + "%")),
            ("Timeout Errors", .string(String(stats.timeouts + stats.truncatedFrames))),
            ("Timeout Percent Errors", .string(PythonFormat.fixed(stats.timeoutPercent, decimals: 2) + "%")),
            ("Modbus Exceptions", .int(stats.exceptions)),
            ("Validation Errors", .int(stats.validationErrors)),
            ("Sync Errors", .int(stats.syncErrors)),
            ("Invalid Data", .int(stats.unexpectedData)),
            ("Discarded Bytes", .string(String(stats.discardedBytes))),
            ("Comm Restarts", .string(String(stats.commRestarts))),
            ("Packets Per Second", .string(PythonFormat.fixed(stats.packetsPerSecond, decimals: 2))),
            ("Average Transaction Time", .string(PythonFormat.fixed(stats.averageTransactionTime?.seconds ?? 0, decimals: 4) + " sec")),
            ("Modbus Transport", .string(snapshot.communication.transport.description)),
        ]
        if case let .serial(baud) = snapshot.communication.transport { comm.append(("Serial Data Rate", .string(String(baud)))) }
        var sections: [(String, ReportValue)] = [
            ("Generator Monitor Stats", .entries(monitorStats)),
            ("Communication Stats", .entries(comm)),
        ]
        if let platform = context.platformStats?(context.now) {
            sections.append(("Platform Stats", .entries(platform.map { ($0.0, .string($0.1)) })))
        }
        return .object([("Monitor", .entries(sections))])
    }

    // MARK: logs

    public func logs() -> ReportValue {
        let logs: [(String, ReportValue)] = readings.logs.logs.map { log in
            (log.range.kind.title, .list(log.entries.map { .string($0.line(alternateDateFormat: alternateDates)) }))
        }
        var root: [(String, ReportValue)] = [("Logs", .object(logs))]
        if readings.logs.logs.contains(where: { $0.entries.contains(where: \.isUnknown) }) {
            root.append(("Note", .string("\nSome log entries could not be decoded and read \"Unknown\". "
                + "Please report the raw entries (the allregs command lists them) so they can be added.")))
        }
        return .object(root)
    }

    // MARK: registers / allregs

    public func registers(includeLogs: Bool) -> ReportValue {
        let registers = snapshot.registers
        let holding: [ReportValue] = registers.polled.map { .object([(Hex.word($0.address), .string($0.hex))]) }
        let ranges = LogRange.ranges(for: identity)
        let logRegisterCount = ranges.reduce(0) { $0 + $1.depth }
        let unchanged = snapshot.unchangedReads, changed = snapshot.changedReads
        let ratio = unchanged > 0 ? Double(changed) / Double(unchanged) : 0
        var items: [(String, ReportValue)] = [
            ("Num Regs", .string(String(registers.reads.count + logRegisterCount))),
            ("Not Changed", .string(String(unchanged))),
            ("Changed", .string(String(changed))),
            ("Total Changed", .string(PythonFormat.fixed(ratio, decimals: 2))),
            ("Holding", .list(holding)),
        ]
        if includeLogs {
            items.append(("Log Registers", .object([("Logs", .object(ranges.map { range in
                (range.kind.title, .list(registers.logSlots(range).map { .string(Hex.word($0.address) + ":" + $0.hex) }))
            }))])))
        }
        return .object([("Registers", .object(items))])
    }

    /// Cached register value for `getregvalue`: polled registers with their word count, log entries
    /// with theirs; nil when the register is not one the monitor reads.
    public func cachedRegister(_ address: UInt16) -> String? {
        snapshot.registers.cachedValue(at: address, logs: LogRange.ranges(for: identity))
    }
}
