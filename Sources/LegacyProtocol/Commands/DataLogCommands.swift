import Foundation
import Generac
import Monitor

/// The original's data log commands: `power_log_json` (the kW log and what it adds up to),
/// `sensor_log_json`, `sensor_names_json`, the `*_log_clear` commands, and the add-ons'
/// `set_*_data` (docs/compatibility.md#power-and-fuel-history).
extension LegacyDispatcher {
    static func powerLogSyntaxError() -> String { "Invalid command syntax for command power_log_json" }

    /// `power_log_json`, `=MIN`, `=MIN,kw`, `=MIN,fuel`, `=MIN,time`.
    enum PowerLogRequest: Equatable {
        /// The lines of the last `minutes` (nil: the whole log).
        case lines(minutes: Int?)
        case kilowattHours(minutes: Int?)
        case fuel(minutes: Int?)
        case runHours(minutes: Int?)

        /// Parses the whole (lower-cased) command string, as the original's handler does.
        init?(commandString: String) {
            let parts = commandString.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts[0].trimmingCharacters(in: .whitespacesAndNewlines) == "power_log_json" else { return nil }
            guard parts.count == 2 else {
                // No argument: the web UI's variant, the last 31 days.
                self = .lines(minutes: 31 * 1440)
                return
            }
            let fields = parts[1].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard (1...2).contains(fields.count), let number = Int(fields[0]), abs(number) <= 100 * 365 * 1440 else { return nil }
            // Zero means "everything", as in the original.
            let minutes: Int? = number == 0 ? nil : number
            guard fields.count == 2 else {
                self = .lines(minutes: minutes)
                return
            }
            switch fields[1] {
            case "kw": self = .kilowattHours(minutes: minutes)
            case "fuel": self = .fuel(minutes: minutes)
            case "time": self = .runHours(minutes: minutes)
            default: return nil
            }
        }

        var minutes: Int? {
            switch self {
            case let .lines(minutes), let .kilowattHours(minutes), let .fuel(minutes), let .runHours(minutes): minutes
            }
        }
    }

    func powerLogReply(commandString: String, snapshot: GeneratorSnapshot) async -> String {
        guard let request = PowerLogRequest(commandString: commandString) else { return Self.powerLogSyntaxError() }
        // A negative period holds nothing (the original compares ages with it).
        let minutes = request.minutes
        let entries: [PowerLogEntry]
        if let minutes, minutes < 0 {
            entries = []
        } else {
            guard let log = await service.powerLog(lastMinutes: minutes) else { return "[]" }
            entries = log
        }
        let average = PowerAverage(entries: entries)
        switch request {
        case .lines:
            let newestFirst = PowerLogThinning.thin(entries.reversed(), maximum: configuration.maximumPowerLogEntries)
            return JSON.encode(.list(newestFirst.map { entry in
                .list([.string(PythonFormat.logStamp(entry.time, zone: configuration.context.timeZone)),
                       .string(PythonFormat.repr(entry.kilowatts))])
            }))
        case .kilowattHours: return PythonFormat.fixed(average.kilowattHours, decimals: 2)
        case .runHours: return PythonFormat.fixed(average.runHours, decimals: 2)
        case .fuel:
            let estimator = snapshot.power.fuelEstimator
                ?? snapshot.readings.flatMap { FuelEstimator.forReadings($0, metric: configuration.context.settings.metric) }
            return estimator?.fuel(average)?.text ?? "Unknown"
        }
    }

    /// `sensor_log_json=<minutes>&sensor=<name>`: `[[time, value], …]`, newest first.
    func sensorLogReply(commandString: String) async -> String {
        guard let argument = Self.jsonArgument("sensor_log_json", in: commandString) else {
            return "Invalid command syntax for command sensor_log_json"
        }
        var fields = argument.split(separator: "&", omittingEmptySubsequences: false).map(String.init)
        guard !fields.isEmpty, let minutes = Int(fields.removeFirst().trimmingCharacters(in: .whitespaces)), minutes >= 0,
              minutes <= 100 * 365 * 1440 else {
            return "Invalid command syntax for command sensor_log_json"
        }
        var name: String?
        for field in fields {
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == "sensor" {
                // The web server passes the name from a URL, where a space may come as "+".
                name = pair[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "+", with: " ")
            }
        }
        guard let name, !name.isEmpty else { return "Invalid command syntax for command sensor_log_json" }
        let points = minutes <= 360 ? 1000 : minutes <= 1440 ? 2000 : minutes <= 7 * 1440 ? 3000 : 4000
        let lines = await service.sensorLog(name: name, lastMinutes: minutes, maximumPoints: points)
        return JSON.encode(.list(lines.reversed().map { line in
            .list([.string(PythonFormat.logStamp(line.time, zone: configuration.context.timeZone)), .string(PythonFormat.repr(line.value))])
        }))
    }

    func clearReply(_ log: DataLogKind) async -> String {
        let outcome = await service.clearDataLog(log)
        switch (log, outcome) {
        case (.power, .cleared): return "Power Log cleared"
        case (.power, .wasEmpty): return "Power Log is empty"
        case (.power, .notKept): return "Power Log Disabled"
        case (.fuel, .cleared): return "Fuel Log cleared"
        // The original's words, its typo included.
        case (.fuel, .wasEmpty): return "Power Log is empty"
        case (.fuel, .notKept): return "Fuel Not Present"
        case (.sensors, _): return "Sensor Log cleared"
        }
    }

    /// `set_tank_data`, `set_sensor_data`, `set_external_gauge_data`, `set_power_data`: `OK` or the
    /// original's `Error`; a refused message changes nothing.
    func externalDataReply(_ command: LegacyCommand, commandString: String, origin: CommandOrigin) async -> String {
        guard let argument = Self.soleArgument(command.rawValue, in: commandString) else { return "Error" }
        let update: ExternalDataUpdate
        do { update = try ExternalDataParser.parse(command, argument: argument) } catch { return "Error" }
        switch await service.submitExternalData(update, origin: origin) {
        case .success: return "OK"
        case .failure: return "Error"
        }
    }
}

extension PythonFormat {
    /// `%x %X` in the C locale: `MM/DD/YY HH:MM:SS`, the data logs' time stamps.
    public static func logStamp(_ date: Date, zone: TimeZone) -> String {
        let p = parts(date, zone)
        return pad2(p.month) + "/" + pad2(p.day) + "/" + pad2(((p.year % 100) + 100) % 100) + " " + pad2(p.hour) + ":"
            + pad2(p.minute) + ":" + pad2(p.second)
    }
}
