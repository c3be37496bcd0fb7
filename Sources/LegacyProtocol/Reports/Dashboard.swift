import Foundation
import Generac
import Monitor

extension Reports {
    // MARK: start_info_json

    /// The web UI's start-up object: identity, capabilities, buttons, pages and gauge scales.
    /// `withTiles: false` is the short form the support data embeds.
    public func startInfo(withTiles: Bool = true) -> ReportValue {
        let nominal = readings.nominal
        let smart = settings.smartTransferSwitch
        var items: [(String, ReportValue)] = [
            ("version", .string(context.protocolVersion)),
            ("sitename", .string(siteName)),
            ("install", .string(context.installDate)),
            ("python", .string(context.runtimeVersion)),
            ("platform", .string("linux")),
            ("os_bits", .string(String(MemoryLayout<Int>.size * 8))),
            ("zone", .string(zoneName)),
            ("fueltype", .string(nominal.fuelType.rawValue)),
            ("model", .string(nominal.modelName)),
            ("nominalKW", .string(NominalValues.kilowattsText(nominal.kilowatts))),
            ("nominalRPM", .string(String(nominal.rpm))),
            ("nominalfrequency", .string(String(nominal.frequency))),
            ("phase", .string(nominal.phase.map(String.init) ?? "Unknown")),
            ("Controller", .string(identity.displayName)),
            ("Actual", .string(identity.detectedName)),
            ("NominalBatteryVolts", .string("12")),
            ("PowerGraph", .bool(powerMeterSupported)),
            ("Sensors", .list(sensorNames.map(ReportValue.string))),
            ("FuelCalculation", .bool(snapshot.power.estimatedFuelInTank != nil)),
            ("FuelSensor", .bool(fuelSensorSupported || external.tank != nil)),
            ("FuelConsumption", .bool(fuelConsumptionSupported)),
            ("UtilityVoltage", .bool(true)),
            ("RemoteCommands", .bool(!smart)),
            ("ResetAlarms", .bool(identity.offersResetAlarm)),
            ("AckAlarms", .bool(false)),
            ("RemoteTransfer", .bool(!smart)),
            ("RemoteButtons", .bool(identity.offersFrontPanelButtons)),
            ("ExerciseControls", .bool(!smart)),
            ("WriteQuietMode", .bool(identity.isEvolutionLC)),
            ("Firmware", .string(readings.maintenance.firmwareVersion.text)),
            ("Hardware", .string(readings.maintenance.hardwareVersion.text)),
            ("import_config_file", .null),
            ("Linux", .bool(true)),
            ("RaspberryPi", .bool(context.isRaspberryPi)),
            ("Platform", .string("Linux")),
            ("SetGenTime", .bool(true)),
        ]
        guard withTiles else { return .object(items) }
        items.append(("buttons", .list(identity.offersEvoLCButtons ? EvoLCButton.allCases.map(Self.buttonDefinition) : [])))
        items.append(("pages", .object([
            ("status", .bool(true)), ("maint", .bool(true)), ("outage", .bool(context.outageCheckEnabled)), ("logs", .bool(true)),
            ("monitor", .bool(true)), ("maintlog", .bool(true)), ("notifications", .bool(true)), ("settings", .bool(true)),
            ("addons", .bool(true)), ("about", .bool(true)),
        ])))
        items.append(("tiles", .list(tiles().map(\.startInfo))))
        return .object(items)
    }

    /// The zone's abbreviation as the C library names it ("UTC", "EST", "CEST"); Foundation on Linux
    /// says "GMT" and "GMT-5" instead.
    var zoneName: String {
        let zone = context.timeZone
        if zone.secondsFromGMT(for: context.now) == 0, ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Universal", "Zulu"].contains(zone.identifier) {
            return "UTC"
        }
        if zone.identifier == TimeZone.current.identifier {
            var seconds = time_t(context.now.timeIntervalSince1970)
            var parts = tm()
            if localtime_r(&seconds, &parts) != nil, let name = parts.tm_zone { return String(cString: name) }
        }
        return zone.abbreviation(for: context.now) ?? zone.identifier
    }

    /// A button as the web UI lists it: fixed writes carry their value, adjustable ones ask for input.
    static func buttonDefinition(_ button: EvoLCButton) -> ReportValue {
        var step: [(String, ReportValue)] = [("reg", .string(Hex.word(button.register)))]
        if let bounds = button.bounds {
            step += [
                ("input_title", .string(button.title)),
                ("type", .string("int")),
                ("length", .int(String(bounds.upperBound).count)),
                ("bounds_regex", .string("^[0-9]{1,\(String(bounds.upperBound).count)}$")),
                ("tooltip", .string("Whole number from \(bounds.lowerBound) to \(bounds.upperBound)")),
            ]
        } else if let plan = try? button.plan(), let write = plan.writes.first {
            step.append(("value", .string(Hex.word(write.values.first ?? 0))))
        }
        return .object([
            ("onewordcommand", .string(button.rawValue)),
            ("title", .string(button.title)),
            ("command_sequence", .list([.object(step)])),
        ])
    }

    // MARK: gui_status_json

    /// The dashboard's polling object.
    public func guiStatus() -> ReportValue {
        let engine = readings.engine
        var items: [(String, ReportValue)] = [
            ("SystemHealth", .string(health)),
            ("UnsentFeedback", .string("False")),
        ]
        if let platform = context.platformStats?(context.now) {
            items.append(("PlatformStats", .entries(platform.map { ($0.0, .string($0.1)) })))
        }
        items += [
            ("MonitorTime", .string(PythonFormat.shortDateTime(context.now, zone: context.timeZone))),
            ("RunHours", .string(PythonFormat.fixed(readings.maintenance.totalRunHours, decimals: 2))),
            ("AltDateformat", .bool(alternateDates)),
            ("version", .string(context.protocolVersion)),
            ("UpdateAvailable", .bool(false)),
            ("basestatus", .string(baseStatus)),
            ("switchstate", .string(readings.status.switchState.rawValue)),
            ("enginestate", .string(readings.status.engineState.description)),
            ("kwOutput", .string(powerOutputText)),
            ("OutputVoltage", .string("\(readings.line.outputVolts) V")),
            ("BatteryVoltage", .string(PythonFormat.fixed(engine.batteryVolts, decimals: 2) + " V")),
            ("UtilityVoltage", .string("\(readings.line.utilityVolts) V")),
            ("Frequency", .string(frequencyText)),
            ("RPM", .int(engine.rpm)),
            ("ExerciseInfo", exerciseInfo),
            ("tiles", .list(tiles().map(\.guiInfo))),
        ]
        return .object(items)
    }

    /// `"0 kW"` while there is nothing to report (no power meter, engine stopped), else `%.2f kW`.
    var powerOutputText: String {
        if powerFromAddOn, outputKilowatts > 0 { return PythonFormat.fixed(outputKilowatts, decimals: 2) + " kW" }
        guard powerMeterSupported, !readings.status.engineState.isStoppedOrOff, let kW = readings.engine.outputPowerKW else { return "0 kW" }
        return PythonFormat.fixed(kW, decimals: 2) + " kW"
    }

    /// The original prints the doubled Nexus liquid-cooled frequency with one decimal.
    var frequencyText: String {
        if identity.isNexusLC { return String(format: "%2.1f Hz", readings.engine.frequencyHz) }
        return PythonFormat.fixed(readings.engine.frequencyHz, decimals: 2) + " Hz"
    }

    var exerciseInfo: ReportValue {
        guard let exercise = readings.exercise else {
            return .object([("Enabled", .bool(false)), ("Frequency", .string("Weekly")), ("Hour", .string("00")),
                            ("Minute", .string("00")), ("QuietMode", .string("Unknown")),
                            ("EnhancedExerciseMode", .string(identity.enhancedExerciseActive(settings) ? "True" : "False")),
                            ("Day", .string(""))])
        }
        return .object([
            ("Enabled", .bool(!settings.smartTransferSwitch)),
            ("Frequency", .string(exercise.frequency.name)),
            ("Hour", .string(PythonFormat.pad2(exercise.hour))),
            ("Minute", .string(PythonFormat.pad2(exercise.minute))),
            ("QuietMode", .string(exercise.quietMode.description)),
            ("EnhancedExerciseMode", .string(exercise.enhancedMode ? "True" : "False")),
            ("Day", .string(exercise.dayField)),
        ])
    }

    // MARK: support_data_json

    /// The diagnostic bundle, pre-formatted with an indent of four like the original's.
    public func supportData() -> String {
        var holding: [(String, ReportValue)] = snapshot.registers.polled.map { (Hex.word($0.address), .string($0.hex)) }
        for range in LogRange.ranges(for: identity) {
            holding += snapshot.registers.logSlots(range).map { (Hex.word($0.address), .string($0.hex)) }
        }
        let monitor = self.monitor()
        var items: [(String, ReportValue)] = [
            ("Program Run Time", .string("Generator Monitor running for "
                + PythonFormat.timedelta(context.now.timeIntervalSince(snapshot.monitor.startedAt)) + ".")),
            ("Install", .string(context.installDate)),
            ("Monitor Health", .string(health)),
            ("Controller Selected", .string("generac_evo_nexus")),
            ("StartInfo", startInfo(withTiles: false)),
            ("Comm Stats", monitor["Monitor"]?["Communication Stats"] ?? .list([])),
        ]
        if let platform = monitor["Monitor"]?["Platform Stats"] { items.append(("PlatformStats", platform)) }
        items += [("Holding", .object(holding)), ("Strings", .object([])), ("FileData", .object([])),
                  ("Coils", .object([])), ("Inputs", .object([]))]
        return JSON.encode(.object(items), indent: 4)
    }
}

/// Texts that do not need a decoded controller.
public enum LegacyText {
    /// Sent on connect, before any request (no terminator).
    public static func greeting(snapshot: GeneratorSnapshot) -> String {
        guard let readings = snapshot.readings else { return "WARNING: System Initializing" }
        let health = snapshot.healthText
        let prefix: String
        switch (readings.status.isInAlarm, health == "OK") {
        case (true, true): prefix = "CRITICAL: System in alarm! "
        case (true, false): prefix = "CRITICAL: System in alarm! WARNING: " + health
        case (false, false): prefix = "WARNING: " + health
        case (false, true): prefix = "OK "
        }
        return prefix + ": " + readings.status.oneLine
    }

    /// What every request gets while the controller is not yet known (no terminator either).
    public static let initializing = "Retry, System Initializing"

    /// The command summary. The layout follows the original's (clients do not parse it); the words are ours.
    public static let help: String = {
        func line(_ name: String, _ text: String) -> String {
            "   " + (name.count < 12 ? name.padding(toLength: 12, withPad: " ", startingAt: 0) : name + " ") + "- " + text + "\n"
        }
        let more = String(repeating: " ", count: 22)
        var text = "Help:\n\nCommands:\n"
        text += line("status", "engine, line and time readings")
        text += line("maint", "model, settings, exercise and service information")
        text += line("outage", "utility state and outage history since the monitor started;")
        text += more + "also the lowest and highest utility voltage seen\n"
        text += line("monitor", "monitor health and communication statistics")
        text += line("logs", "the controller's alarm, service and run logs")
        text += line("registers", "the raw values of the registers the monitor reads")
        text += line("settime", "set the controller clock from this computer's clock")
        text += line("setexercise", "set when the generator exercises, e.g.")
        text += more + "setexercise=Monday,13:30,Weekly\n"
        text += more + "with enhanced exercise (Evolution 2.0 and some others):\n"
        text += more + "setexercise=Monday,13:30,BiWeekly\n"
        text += more + "setexercise=15,13:30,Monthly\n"
        text += line("setquiet", "turn quiet (low speed) exercise on or off:")
        text += more + "setquiet=on or setquiet=off\n"
        text += line("setremote", "remote control: setremote=start, stop, starttransfer")
        text += more + "(start and move the load) or startexercise\n"
        text += line("help", "this list")
        text += line("exit", "leave the interactive client")
        text += line("sendlogfiles", "send log files to the developers (needs outgoing e-mail)")
        text += "\n\n"
        text += "Front panel tips: an alarm or warning is cleared with OFF and then ENTER on the keypad.\n"
        text += "Evolution dealer menu: from the top menu press UP UP ESC DOWN UP ESC UP, then choose the\n"
        text += "dealer menu and press ENTER. Liquid-cooled level 2 code: ESC UP UP DOWN DOWN ESC ESC.\n"
        text += "Nexus passcode: ESC, UP, UP, ESC, DOWN, UP, ESC, UP, UP, ENTER.\n\n\n"
        return text
    }()
}
