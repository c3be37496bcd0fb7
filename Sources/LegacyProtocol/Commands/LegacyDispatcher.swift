import Foundation
import Generac
import Monitor

/// Answers the original's `generator: <commands>` requests from a `GeneratorService`: the parsing
/// rules, quirks, replies and error texts of docs/compatibility.md#the-command-socket, and every command. Commands
/// that change the generator go only through `GeneratorService.submit(_:origin:)` (written at once, confirmed in the background, like the original replies).
public struct LegacyDispatcher: Sendable {
    public struct Configuration: Sendable {
        /// Report settings; `now` is replaced by `clock()` for every request.
        public var context: ReportContext
        public var clock: @Sendable () -> Date
        /// `network_status`: `OK`, `Disconnected` or `Unknown:<error>`.
        public var networkProbe: @Sendable () async -> String
        /// Names `getdebug` reports as alive.
        public var componentNames: [String]
        /// `power_log_json` lists are thinned to this many lines (`max_powerlog_entries`).
        public var maximumPowerLogEntries: Int
        /// The notification engine, for `notify_message`, `notifications` and `setnotifications`;
        /// nil answers as the original does with e-mail off.
        public var notifications: (any LegacyNotifications)?

        public init(context: ReportContext = ReportContext(), clock: @escaping @Sendable () -> Date = { Date() },
                    networkProbe: @escaping @Sendable () async -> String = { await NetworkProbe.check() },
                    componentNames: [String] = ["Monitor", "CommandServer"], maximumPowerLogEntries: Int = 8000,
                    notifications: (any LegacyNotifications)? = nil) {
            self.context = context
            self.clock = clock
            self.networkProbe = networkProbe
            self.componentNames = componentNames
            self.maximumPowerLogEntries = max(1, maximumPowerLogEntries)
            self.notifications = notifications
        }
    }

    /// Where a request came from: the socket, or an e-mail subject (which allows fewer commands).
    public enum Channel: Sendable, Equatable {
        case socket
        case email(readOnly: Bool)
    }

    public static let endOfMessage = "EndOfMessage"
    public static let noValidCommand = "No valid command recognized."
    static let accessDenied = "Access denied: this host may not change the generator or the monitor's records."

    public let service: any GeneratorService
    public let journal: MaintenanceJournal
    public let configuration: Configuration

    public init(service: any GeneratorService, journal: MaintenanceJournal = MaintenanceJournal(),
                configuration: Configuration = Configuration()) {
        self.service = service
        self.journal = journal
        self.configuration = configuration
    }

    /// The line sent when a client connects.
    public func greeting() async -> String { LegacyText.greeting(snapshot: await service.snapshot()) }

    /// The whole reply to one request, `EndOfMessage` included (socket channel).
    public func reply(to request: String, origin: CommandOrigin, channel: Channel = .socket) async -> String {
        guard request.lowercased().hasPrefix("generator:") else {
            // The received text is echoed like the original does, but only its beginning.
            let echo = request.count > 256 ? String(request.prefix(256)) + "…" : request
            let body = "Invalid GENERATOR command: every request must start with \"generator: \" followed by commands; received: "
                + echo
            return channel == .socket ? body + Self.endOfMessage : body
        }
        let snapshot = await service.snapshot()
        // nil until the controller has been read completely: commands that need its data answer
        // "Retry, System Initializing" meanwhile, the rest answer as usual, and every reply is framed
        // (the original left start-up replies unframed and its clients waited for ever).
        let reports = Reports(snapshot: snapshot, context: configuration.context.at(configuration.clock()))
        let commandString = String(request.dropFirst("generator:".count))
        let lowered = commandString.lowercased()
        var outputs: [String] = []
        for command in Self.commands(in: request) {
            if case let .email(readOnly) = channel {
                guard command.allowedByEmail, !(readOnly && command.blockedByReadOnlyEmail) else { continue }
            }
            outputs.append(await run(command, commandString: command.preservesCase ? commandString : lowered, snapshot: snapshot,
                                     reports: reports, origin: origin, confirm: channel != .socket))
        }
        switch channel {
        case .socket:
            return (outputs.isEmpty ? Self.noValidCommand : outputs.joined()) + Self.endOfMessage
        case .email:
            return outputs.isEmpty ? Self.noValidCommand : "\n" + outputs.map { $0 + "\n" }.joined()
        }
    }

    /// More than any client sends: each command builds a whole report, so one request naming
    /// thousands must not cost thousands of reports.
    public static let maximumCommandsPerRequest = 32

    /// The commands a request runs, in order: every space-separated token whose name (before any
    /// `=`) the original knows, at most `maximumCommandsPerRequest`. Anyone deciding who may send
    /// a request (the web app's `/cmd/` routes) asks this, so they judge what will really run.
    public static func commands(in request: String) -> [LegacyCommand] {
        guard request.lowercased().hasPrefix("generator:") else { return [] }
        var commands: [LegacyCommand] = []
        for token in request.dropFirst("generator:".count).split(separator: " ") {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            let name = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let command = LegacyCommand(name: name) else { continue }
            commands.append(command)
            if commands.count == maximumCommandsPerRequest { break }
        }
        return commands
    }

    // MARK: Arguments

    /// The original's rule for setters: the whole command string splits on `=` into exactly two
    /// parts and the first is the command name, so a setter must be alone in its request.
    static func soleArgument(_ name: String, in commandString: String) -> String? {
        let parts = commandString.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == name else { return nil }
        return parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// JSON arguments may contain `=` and spaces: everything after the first `=`, when the text
    /// before it is the command name.
    static func jsonArgument(_ name: String, in commandString: String) -> String? {
        guard let equals = commandString.firstIndex(of: "="),
              commandString[..<equals].trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == name else { return nil }
        return commandString[commandString.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func hexWord(_ text: String) -> UInt16? {
        guard (1...4).contains(text.utf8.count), text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt16(text, radix: 16)
    }

    // MARK: Commands

    /// `confirm`: wait until the controller shows the change and say how it ended (e-mail, where
    /// nobody waits on a socket), instead of answering as soon as the command is written.
    func run(_ command: LegacyCommand, commandString: String, snapshot: GeneratorSnapshot, reports: Reports?,
             origin: CommandOrigin, confirm: Bool = false) async -> String {
        if command.changesMonitorState, !origin.mayControl { return Self.accessDenied }
        if let answer = await runWithoutReadings(command, commandString: commandString, snapshot: snapshot, origin: origin) {
            return answer
        }
        guard let reports else { return LegacyText.initializing }
        switch command {
        case .status: return ReportRendering.text(reports.status())
        case .status_json: return JSON.encode(reports.status().resolved(numeric: false))
        case .status_num_json: return JSON.encode(reports.status().resolved(numeric: true))
        case .maint: return ReportRendering.text(reports.maintenance())
        case .maint_json: return JSON.encode(reports.maintenance().resolved(numeric: false))
        case .maint_num_json: return JSON.encode(reports.maintenance().resolved(numeric: true))
        case .outage: return ReportRendering.text(reports.outage())
        case .outage_json: return JSON.encode(reports.outage().resolved(numeric: false))
        case .outage_num_json: return JSON.encode(reports.outage(numeric: true).resolved(numeric: true))
        case .monitor: return ReportRendering.text(reports.monitor())
        // The original never passes the numeric flag down for the monitor report.
        case .monitor_json, .monitor_num_json: return JSON.encode(reports.monitor())
        case .logs: return ReportRendering.text(reports.logs())
        case .logs_json: return JSON.encode(reports.logs())
        case .registers: return ReportRendering.text(reports.registers(includeLogs: false))
        case .registers_json: return JSON.encode(reports.registers(includeLogs: false))
        case .allregs: return ReportRendering.text(reports.registers(includeLogs: true))
        case .allregs_json: return JSON.encode(reports.registers(includeLogs: true))
        case .start_info_json: return JSON.encode(reports.startInfo())
        case .gui_status_json: return JSON.encode(reports.guiStatus())
        case .support_data_json: return reports.supportData()
        case .getbase: return reports.baseStatus
        case .settime, .setexercise, .setquiet, .setremote, .testcommand:
            return await generacCommand(command, commandString: commandString, origin: origin, confirm: confirm)
        case .set_button_command:
            return await buttonCommand(commandString: commandString, origin: origin)
        case .writeregvalue:
            guard let argument = Self.soleArgument("writeregvalue", in: commandString) else { return "Invalid command syntax for command writeregvalue" }
            let fields = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, let address = Self.hexWord(fields[0]), let value = Self.hexWord(fields[1]) else {
                return "Invalid command syntax for command writeregvalue"
            }
            return await service.submit(.writeRegister(address: address, value: value), origin: origin).legacyReply
        case .getregvalue:
            guard let argument = Self.soleArgument("getregvalue", in: commandString) else { return "Invalid command syntax for command getregvalue" }
            guard let address = Self.hexWord(argument), let value = reports.cachedRegister(address) else { return "Unsupported Register: " + argument }
            return value
        case .readregvalue:
            guard let argument = Self.soleArgument("readregvalue", in: commandString) else { return "Invalid command syntax for command readregvalue" }
            guard let address = Self.hexWord(argument) else { return "Unsupported Register: " + argument }
            switch await service.readRegister(address) {
            case let .success(value): return Hex.word(value)
            case .failure: return "Unsupported Register: " + argument
            }
        default:
            // Every other command was answered by `runWithoutReadings` above.
            return ""
        }
    }

    /// The commands that do not need the controller's data: they answer during start-up too.
    func runWithoutReadings(_ command: LegacyCommand, commandString: String, snapshot: GeneratorSnapshot,
                            origin: CommandOrigin) async -> String? {
        switch command {
        case .getsitename: return configuration.context.siteName ?? snapshot.monitor.siteName
        case .gethealth: return snapshot.healthText
        case .getdebug: return "All threads alive: " + configuration.componentNames.map { $0 + " " }.joined()
        case .network_status: return await configuration.networkProbe()
        case .help: return LegacyText.help
        case .weather_json: return "{}"
        case .power_log_json: return await powerLogReply(commandString: commandString, snapshot: snapshot)
        case .sensor_log_json: return await sensorLogReply(commandString: commandString)
        case .sensor_names_json: return JSON.encode(.list(await service.sensorNames().map(ReportValue.string)))
        case .power_log_clear: return await clearReply(.power)
        case .fuel_log_clear: return await clearReply(.fuel)
        case .sensor_log_clear: return await clearReply(.sensors)
        case .set_tank_data, .set_sensor_data, .set_external_gauge_data, .set_power_data:
            return await externalDataReply(command, commandString: commandString, origin: origin)
        case .sendregisters, .sendlogfiles: return "Send Email is not enabled."
        case .getreglabels_json: return "{}"
        case .get_maint_log_json: return await journal.json()
        case .clear_maint_log:
            await journal.clear()
            return "Maintenance Log cleared"
        case .add_maint_log, .edit_row_maint_log:
            guard let argument = Self.jsonArgument(command.rawValue, in: commandString),
                  let value = try? JSONParser.parse(argument) else { return "Invalid input for Maintenance Log entry: the argument is not JSON" }
            do {
                if command == .add_maint_log { try await journal.add(value) } else { try await journal.edit(value) }
                return "OK"
            } catch {
                return error.description
            }
        case .delete_row_maint_log:
            guard let argument = Self.soleArgument("delete_row_maint_log", in: commandString), let row = Int(argument) else {
                return "Invalid input for Maintenance Log entry: expected delete_row_maint_log=<row>"
            }
            do {
                try await journal.delete(row: row)
                return "OK"
            } catch {
                return error.description
            }
        case .notify_message:
            // Without the engine a well-formed message is accepted and dropped, as the original does
            // with e-mail switched off.
            return await notifyMessageReply(commandString: commandString)
        case .notifications: return await notificationsReply()
        case .setnotifications: return await setNotificationsReply(commandString: commandString)
        default:
            return nil
        }
    }

    /// setremote, setexercise, setquiet, settime, testcommand: parsed with the original's syntax
    /// and error texts, then handed to the service.
    func generacCommand(_ command: LegacyCommand, commandString: String, origin: CommandOrigin, confirm: Bool = false) async -> String {
        let text: String
        if command == .settime {
            text = "settime"
        } else {
            guard let argument = Self.soleArgument(command.rawValue, in: commandString) else {
                return Self.syntaxError(command)
            }
            text = command.rawValue + "=" + argument
        }
        switch CommandParser.parse(text) {
        case let .failure(error): return error.message
        case let .success(parsed):
            if confirm {
                let outcome = await service.execute(.generac(parsed), origin: origin)
                // A refusal's reason is the caller's to tell (it knows it better than the door's message).
                return outcome.result == .refused ? outcome.legacyReply : outcome.legacyReply + " (" + outcome.message + ")"
            }
            let outcome = await service.submit(.generac(parsed), origin: origin)
            // The original ends the settime reply with a newline.
            if command == .settime, outcome.succeeded, !outcome.legacyReply.hasSuffix("\n") { return outcome.legacyReply + "\n" }
            return outcome.legacyReply
        }
    }

    static func syntaxError(_ command: LegacyCommand) -> String {
        switch command {
        case .setremote: CommandParseError.setRemoteFormat.message
        case .setexercise: CommandParseError.setExercise.message
        case .setquiet: CommandParseError.setQuiet.message
        case .testcommand: CommandParseError.testCommandFormat.message
        default: "Invalid command syntax for command " + command.rawValue
        }
    }

    /// `set_button_command=[{"onewordcommand": "<id>", "command_sequence": [{…, "value": …}]}]`.
    func buttonCommand(commandString: String, origin: CommandOrigin) async -> String {
        guard let argument = Self.jsonArgument("set_button_command", in: commandString),
              case let .list(items)? = try? JSONParser.parse(argument), let first = items.first,
              let id = first["onewordcommand"]?.text else {
            return "Invalid button command: expected set_button_command=[{\"onewordcommand\": …, \"command_sequence\": […]}]"
        }
        guard let button = EvoLCButton(rawValue: id) else { return "Invalid button command: unknown button '\(id)'" }
        var value: Int?
        if button.bounds != nil {
            guard case let .list(steps)? = first["command_sequence"],
                  let raw = steps.lazy.compactMap({ $0["value"] }).first else {
                return "Invalid button command: '\(id)' needs a value"
            }
            switch raw {
            case let .int(number): value = number
            case let .double(number) where number == number.rounded() && abs(number) < 1e9: value = Int(number)
            case let .string(text): value = Int(text.trimmingCharacters(in: .whitespaces))
            default: value = nil
            }
            guard value != nil else { return "Invalid button command: the value of '\(id)' must be a whole number" }
        }
        return await service.submit(.button(button, value: value), origin: origin).legacyReply
    }
}
