import Foundation
import Generac
import GenmonBasics
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import Testing

/// A fixture snapshot with some registers changed (alarm, switch and engine states...).
func snapshot(_ fixture: Fixture = .evolutionAC, _ change: (inout RegisterImage) -> Void = { _ in }) throws -> GeneratorSnapshot {
    var image = try fixture.image()
    change(&image)
    return GeneratorSnapshot.fromImage(image, timeZone: .utc, siteName: "TestSite", now: Fixture.now)
}

/// Status pair helpers: 0001 holds the engine code, 0002 the switch mode or an alarm index.
extension RegisterImage {
    mutating func setStatus(engine: UInt16, mode: UInt16) {
        self[0x0001] = engine
        self[0x0002] = mode
    }
}

@Suite("Dispatcher: framing, quirks and errors")
struct DispatcherFramingTests {
    let service: FixedGeneratorService
    let dispatcher: LegacyDispatcher

    init() throws {
        service = FixedGeneratorService(snapshot: try snapshot())
        dispatcher = makeDispatcher(service)
    }

    func ask(_ request: String, from origin: CommandOrigin = localOrigin) async -> String {
        await dispatcher.reply(to: request, origin: origin)
    }

    @Test("several commands in one request are answered in order and concatenated with nothing between")
    func concatenation() async {
        #expect(await ask("generator: getbase getsitename gethealth") == "READYTestSiteOKEndOfMessage")
        #expect(await ask("generator: gethealth getbase") == "OKREADYEndOfMessage")
    }

    @Test("the prefix and the command names are case-insensitive; spaces and a trailing newline do not matter")
    func caseAndSpacing() async {
        #expect(await ask("GENERATOR: GetBase") == "READYEndOfMessage")
        #expect(await ask("Generator:getbase") == "READYEndOfMessage")
        #expect(await ask("generator:    getbase     getsitename  ") == "READYTestSiteEndOfMessage")
        #expect(await ask("generator: getbase\n") == "READYEndOfMessage")
        #expect(await ask("generator: getbase\r\n") == "READYEndOfMessage")
    }

    @Test("a request runs at most 32 commands, and the web app is told exactly which")
    func commandCap() async {
        let many = "generator: " + String(repeating: "getbase ", count: 100)
        #expect(await ask(many) == String(repeating: "READY", count: 32) + "EndOfMessage")
        #expect(LegacyDispatcher.commands(in: many).count == 32)
        #expect(LegacyDispatcher.commands(in: "generator: power_log_json=1 settime foo clear_maint_log")
            == [.power_log_json, .settime, .clear_maint_log])
        #expect(LegacyDispatcher.commands(in: "status settime").isEmpty)
    }

    @Test("unknown names are skipped silently; nothing known gives the no-command reply")
    func unknownNames() async {
        #expect(await ask("generator: foo getbase bar") == "READYEndOfMessage")
        #expect(await ask("generator: exit") == "No valid command recognized.EndOfMessage")
        #expect(await ask("generator: ") == "No valid command recognized.EndOfMessage")
        #expect(await ask("generator:") == "No valid command recognized.EndOfMessage")
    }

    @Test("a request without the generator: prefix is refused with the original's error and a terminator")
    func missingPrefix() async {
        for request in ["status", " generator: status", "gen: status", "", "\u{0}\u{1}garbage", "GET / HTTP/1.1\r\n"] {
            let reply = await ask(request)
            #expect(reply.hasPrefix("Invalid GENERATOR command:"), "\(request)")
            #expect(reply.hasSuffix("EndOfMessage"))
            #expect(reply.contains("generator: "))
        }
    }

    @Test("a setter is handed the whole command string, so it must be alone in its request")
    func setterMustBeAlone() async {
        let first = await ask("generator: setremote=start status")
        // The status text starts with its own newline, right after the error text.
        #expect(first.hasPrefix("Invalid command syntax for command setremote (3)\nStatus : \n\n    Engine : \n"))
        #expect(first.hasSuffix("EndOfMessage"))
        let second = await ask("generator: status setremote=start")
        #expect(second.hasPrefix("\nStatus : "))
        #expect(second.hasSuffix("Invalid command syntax for command setremote (1)EndOfMessage"))
        let third = await ask("generator: setremote=start setquiet=on")
        #expect(third == "Invalid command syntax for command setremote (1)Invalid command syntax for command setquietEndOfMessage")
        #expect(await service.commands.isEmpty)
    }

    @Test("a space before the equals sign still works, as the original's own split does")
    func spaceBeforeEquals() async {
        #expect(await ask("generator: setremote =start") == "Remote command sent successfullyEndOfMessage")
        #expect(await service.commands.count == 1)
    }

    @Test("until the controller is known, reports answer the retry text, the rest what is known, and every reply is terminated")
    func initializing() async {
        let empty = GeneratorSnapshot(communication: .init(statistics: CommunicationStatistics(since: .now), transport: .serial(baud: 9600), endpoint: "/dev/null"),
                                      monitor: .init(siteName: "TestSite", version: "0", startedAt: Fixture.now), updatedAt: Fixture.now)
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: empty))
        #expect(await dispatcher.reply(to: "generator: status", origin: localOrigin) == "Retry, System InitializingEndOfMessage")
        #expect(await dispatcher.reply(to: "generator: getsitename gethealth status", origin: localOrigin)
            == "TestSiteSystem Initializing. Retry, System InitializingEndOfMessage")
        #expect(await dispatcher.greeting() == "WARNING: System Initializing")
    }

    @Test("e-mail requests skip socket-only commands, and read-only e-mail skips every write in any case")
    func emailChannel() async {
        let reply = await dispatcher.reply(to: "generator: getbase status_json help", origin: localOrigin, channel: .email(readOnly: false))
        #expect(reply.hasPrefix("\nHelp:\n"))
        #expect(!reply.contains("EndOfMessage"))
        let blocked = await dispatcher.reply(to: "generator: SETREMOTE=stop", origin: localOrigin, channel: .email(readOnly: true))
        #expect(blocked == "No valid command recognized.")
        #expect(await service.commands.isEmpty)
    }
}

@Suite("Dispatcher: every command answers")
struct DispatcherCommandTests {
    /// A request that exercises each command of the original's table.
    static func request(for command: LegacyCommand) -> String {
        switch command {
        case .setexercise: "setexercise=Monday,13:30,Weekly"
        case .setquiet: "setquiet=on"
        case .setremote: "setremote=stop"
        case .testcommand: "testcommand=0"
        case .getregvalue, .readregvalue: command.rawValue + "=000a"
        case .writeregvalue: "writeregvalue=0010,0001"
        case .power_log_json: "power_log_json=60,kw"
        case .sensor_log_json: "sensor_log_json=60&sensor=CPU"
        case .add_maint_log: #"add_maint_log={"date": "01/02/2025 10:00", "type": "check", "comment": "ok", "hours": 12}"#
        case .edit_row_maint_log: #"edit_row_maint_log={"0": {"date": "01/02/2025 10:00", "type": "Repair", "comment": "x", "hours": 1}}"#
        case .delete_row_maint_log: "delete_row_maint_log=0"
        case .set_tank_data, .set_power_data: command.rawValue + #"={"Percentage": 57.0}"#
        case .set_sensor_data, .set_external_gauge_data: command.rawValue + #"=[{"Temp": "20 C"}]"#
        case .notify_message: #"notify_message={"title": "t", "body": "b", "type": "info"}"#
        case .set_button_command: #"set_button_command=[{"onewordcommand": "exerciseduration", "command_sequence": [{"reg": "023e", "value": "20"}]}]"#
        default: command.rawValue
        }
    }

    @Test("each of the 56 commands of the original's table, and genmon's notifications and setnotifications, gives a terminated, non-empty answer")
    func everyCommand() async throws {
        #expect(LegacyCommand.allCases.count == 58)
        let service = FixedGeneratorService(snapshot: try snapshot())
        let dispatcher = makeDispatcher(service)
        for command in LegacyCommand.allCases {
            let reply = await dispatcher.reply(to: "generator: " + Self.request(for: command), origin: localOrigin)
            let text = try #require(body(reply), "\(command)")
            #expect(!text.isEmpty, "\(command)")
            #expect(text != LegacyDispatcher.noValidCommand, "\(command)")
            if command.rawValue.hasSuffix("_json") { #expect((try? JSONParser.parse(text)) != nil, "\(command) is JSON") }
        }
    }

    @Test("logs that are empty or not kept, and features that are off, answer as the original does")
    func featuresOff() async throws {
        let service = FixedGeneratorService(snapshot: try snapshot())
        await service.setPowerLog(nil)
        let dispatcher = makeDispatcher(service, probe: { "Disconnected" })
        let expected: [(String, String)] = [
            ("power_log_json", "[]"), ("power_log_json=1440", "[]"), ("power_log_clear", "Power Log Disabled"),
            ("fuel_log_clear", "Power Log is empty"), ("sensor_names_json", "[]"), ("sensor_log_json=60&sensor=x", "[]"),
            ("sensor_log_clear", "Sensor Log cleared"), ("sendregisters", "Send Email is not enabled."),
            ("sendlogfiles", "Send Email is not enabled."), ("getreglabels_json", "{}"), ("weather_json", "{}"),
            ("get_maint_log_json", "[]"), ("network_status", "Disconnected"),
            ("getdebug", "All threads alive: Monitor CommandServer "),
        ]
        for (request, answer) in expected {
            #expect(await dispatcher.reply(to: "generator: " + request, origin: localOrigin) == answer + "EndOfMessage", "\(request)")
        }
    }

    @Test("text, JSON and numeric JSON come from one tree: same keys in the same order")
    func shapesAgree() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot(.nexusLC)))
        let plain = try JSONParser.parse(try #require(body(await dispatcher.reply(to: "generator: status_json", origin: localOrigin))))
        let numeric = try JSONParser.parse(try #require(body(await dispatcher.reply(to: "generator: status_num_json", origin: localOrigin))))
        func keys(_ value: ReportValue) -> [String] {
            switch value {
            case let .object(pairs): pairs.flatMap { [$0.0] + (($0.0 == "value" || $0.0 == "unit" || $0.0 == "type") ? [] : keys($0.1)) }
            case let .list(items): items.flatMap(keys)
            default: []
            }
        }
        #expect(keys(plain) == keys(numeric).filter { !["unit", "type", "value"].contains($0) })
        #expect(numeric["Status"]?["Engine"]?["Battery Voltage"] == .object([("unit", .string("V")), ("type", .string("float")), ("value", .double(13.5))]))
        #expect(numeric["Status"]?["Engine"]?["RPM"] == .object([("unit", .string("")), ("type", .string("int")), ("value", .int(1796))]))
        #expect(plain["Status"]?["Engine"]?["RPM"] == .string("1796 "))
        let text = try #require(body(await dispatcher.reply(to: "generator: status", origin: localOrigin)))
        #expect(text.contains("\n        RPM : 1796 \n"))
        #expect(text.hasPrefix("\nStatus : \n\n    Engine : \n"))
    }

    @Test("monitor_num_json is the same as monitor_json, as in the original")
    func monitorNumQuirk() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot()))
        #expect(await dispatcher.reply(to: "generator: monitor_json", origin: localOrigin)
            == dispatcher.reply(to: "generator: monitor_num_json", origin: localOrigin))
    }

    @Test("getregvalue answers cached values (two words for 0001) and names unknown registers")
    func getRegValue() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot(.nexusLC)))
        #expect(await dispatcher.reply(to: "generator: getregvalue=0001", origin: localOrigin) == "00030000EndOfMessage")
        #expect(await dispatcher.reply(to: "generator: getregvalue=000A", origin: localOrigin) == "0087EndOfMessage")
        #expect(await dispatcher.reply(to: "generator: getregvalue=01f4", origin: localOrigin) == "30303038353635333133EndOfMessage")
        #expect(await dispatcher.reply(to: "generator: getregvalue=9999", origin: localOrigin) == "Unsupported Register: 9999EndOfMessage")
        #expect(await dispatcher.reply(to: "generator: getregvalue=zz", origin: localOrigin) == "Unsupported Register: zzEndOfMessage")
        #expect(await dispatcher.reply(to: "generator: getregvalue", origin: localOrigin) == "Invalid command syntax for command getregvalueEndOfMessage")
    }

    @Test("readregvalue reads through the service, one word, lower-case hex")
    func readRegValue() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot(.nexusLC)))
        #expect(await dispatcher.reply(to: "generator: readregvalue=0012", origin: localOrigin) == "00efEndOfMessage")
        #expect(await dispatcher.reply(to: "generator: readregvalue=12345", origin: localOrigin) == "Unsupported Register: 12345EndOfMessage")
    }

    @Test("the service journal adds, edits, deletes and clears entries and validates them")
    func journal() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot()))
        func ask(_ text: String) async -> String { await dispatcher.reply(to: "generator: " + text, origin: localOrigin) }
        #expect(await ask(#"add_maint_log={"date": "03/04/2025 09:15", "type": "maintenance", "comment": "Oil = changed", "hours": 101.5}"#)
            == "OKEndOfMessage")
        // As the original answers: the keys in the order they were sent, the type title-cased.
        #expect(await ask("get_maint_log_json")
            == #"[{"date": "03/04/2025 09:15", "type": "Maintenance", "comment": "Oil = changed", "hours": 101.5}]EndOfMessage"#)
        #expect(await ask(#"add_maint_log={"date": "13/04/2025 09:15", "type": "Check", "comment": "", "hours": 1}"#)
            .hasPrefix("Invalid input for Maintenance Log entry"))
        #expect(await ask(#"add_maint_log={"date": "03/04/2025 09:15", "type": "Party", "comment": "", "hours": 1}"#)
            .hasPrefix("Invalid input for Maintenance Log entry"))
        #expect(await ask(#"edit_row_maint_log={"0": {"date": "03/05/2025 09:15", "type": "Repair", "comment": "Fixed", "hours": 102}}"#)
            == "OKEndOfMessage")
        #expect(await ask("get_maint_log_json").contains(#""type": "Repair""#))
        #expect(await ask("delete_row_maint_log=3").hasPrefix("Invalid input for Maintenance Log entry"))
        #expect(await ask("delete_row_maint_log=0") == "OKEndOfMessage")
        #expect(await ask("get_maint_log_json") == "[]EndOfMessage")
        #expect(await ask("clear_maint_log") == "Maintenance Log clearedEndOfMessage")
    }

    @Test("external data and notifications need exactly one = and well-formed JSON")
    func externalData() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot()))
        func ask(_ text: String) async -> String { await dispatcher.reply(to: "generator: " + text, origin: localOrigin) }
        #expect(await ask(#"set_tank_data={"Tank Name": "Main", "Percentage": 57.0}"#) == "OKEndOfMessage")
        #expect(await ask("set_tank_data=nonsense") == "ErrorEndOfMessage")
        #expect(await ask(#"set_sensor_data=[{"Shed": "20 C"}]"#) == "OKEndOfMessage")
        #expect(await ask(#"set_sensor_data={"Shed": "20 C"}"#) == "ErrorEndOfMessage")
        #expect(await ask(#"notify_message={"title": "Hi", "body": "x", "type": "info"}"#) == "OKEndOfMessage")
        #expect(await ask("notify_message") == "Error in SendMessageEndOfMessage")
    }
}

@Suite("Dispatcher: commands go through the service's one door")
struct DispatcherWriteTests {
    @Test("every write command reaches execute with the request's origin; the reply is the outcome's legacy text")
    func writesReachExecute() async throws {
        let service = FixedGeneratorService(snapshot: try snapshot())
        let dispatcher = makeDispatcher(service)
        let cases: [(String, MonitorCommand)] = [
            ("setremote=start", .generac(.setRemote(.start))),
            ("setremote=STARTTRANSFER", .generac(.setRemote(.startTransfer))),
            ("setexercise=Monday,13:30,Weekly", .generac(.setExercise(try ExerciseRequest(frequency: .weekly, day: .weekday(1), hour: 13, minute: 30)))),
            ("setquiet=off", .generac(.setQuiet(on: false))),
            ("settime", .generac(.setTime)),
            ("testcommand=3", .generac(.testCommand(3))),
            ("writeregvalue=0010,00ff", .writeRegister(address: 0x0010, value: 0x00FF)),
            (#"set_button_command=[{"onewordcommand": "warmupdelay", "command_sequence": [{"reg": "0238", "value": 30}]}]"#,
             .button(.warmupDelay, value: 30)),
            (#"set_button_command=[{"onewordcommand": "resetmaintwarn", "command_sequence": [{"reg": "0003", "value": "0008"}]}]"#,
             .button(.resetMaintenanceWarnings, value: nil)),
        ]
        for (request, command) in cases {
            await service.setOutcome(CommandOutcome(result: .sent, message: "ok", legacyReply: "reply for " + command.text))
            let reply = await dispatcher.reply(to: "generator: " + request, origin: localOrigin)
            let expected = "reply for " + command.text + (command == .generac(.setTime) ? "\n" : "")
            #expect(reply == expected + "EndOfMessage", "\(request)")
            let last = try #require(await service.commands.last)
            #expect(last.0 == command, "\(request)")
            #expect(last.1 == localOrigin)
        }
        #expect(await service.commands.count == cases.count)
    }

    @Test("syntax errors answer the original's texts and never reach the generator")
    func syntaxErrors() async throws {
        let service = FixedGeneratorService(snapshot: try snapshot())
        let dispatcher = makeDispatcher(service)
        let cases: [(String, String)] = [
            ("setremote", "Invalid command syntax for command setremote (1)"),
            ("setremote=fly", "Invalid command syntax for command setremote (3)"),
            ("setremote=start=now", "Invalid command syntax for command setremote (1)"),
            ("setexercise=Funday,13:30", "Invalid command syntax for command setexercise"),
            ("setexercise=Monday,25:30,Weekly", "Invalid command syntax for command setexercise"),
            ("setquiet=maybe", "Invalid command syntax for command setquiet"),
            ("testcommand=17", "Testcommand supports commands 0 - 16"),
            ("testcommand=x", "Invalid command syntax for command testcommand (1)"),
            ("writeregvalue=0010", "Invalid command syntax for command writeregvalue"),
            ("writeregvalue=0010,10000", "Invalid command syntax for command writeregvalue"),
            ("set_button_command=[]", "Invalid button command"),
            (#"set_button_command=[{"onewordcommand": "launch"}]"#, "Invalid button command: unknown button 'launch'"),
            (#"set_button_command=[{"onewordcommand": "pickupvolts", "command_sequence": [{"reg": "023b"}]}]"#, "Invalid button command"),
        ]
        for (request, answer) in cases {
            let reply = try #require(body(await dispatcher.reply(to: "generator: " + request, origin: localOrigin)))
            #expect(reply.hasPrefix(answer), "\(request) → \(reply)")
        }
        #expect(await service.commands.isEmpty)
    }

    @Test("a host that may not control still reaches the service, which refuses and audits it")
    func refusedHostIsAudited() async throws {
        let service = FixedGeneratorService(snapshot: try snapshot())
        let dispatcher = makeDispatcher(service)
        let reply = await dispatcher.reply(to: "generator: setremote=start", origin: remoteOrigin)
        #expect(reply == "Access deniedEndOfMessage")
        let recorded = try #require(await service.commands.first)
        #expect(recorded.0 == .generac(.setRemote(.start)))
        #expect(recorded.1.mayControl == false)
        #expect(recorded.1.description == "socket:192.0.2.7")
        // Reading stays open to everyone; the journal does not.
        #expect(await dispatcher.reply(to: "generator: getbase", origin: remoteOrigin) == "READYEndOfMessage")
        #expect(await dispatcher.reply(to: "generator: clear_maint_log", origin: remoteOrigin).hasPrefix("Access denied"))
    }
}

@Suite("Greeting and one-word states")
struct GreetingTests {
    @Test("greeting and getbase follow the generator's state", arguments: [
        (UInt16(0x0000), UInt16(0x0000), "OK : Auto, Off - Ready", "READY"),
        (0x0004, 0x0000, "OK : Auto, Exercising", "EXERCISING"),
        (0x0003, 0x0000, "OK : Auto, Running", "RUNNING"),
        (0x0003, 0x0006, "OK : Manual, Running", "RUNNING-MANUAL"),
        (0x0000, 0x0007, "OK : Off, Off - Ready", "OFF"),
        (0x0000, 0x0006, "OK : Manual, Off - Ready", "MANUAL"),
        (0x0008, 0x000A, "CRITICAL: System in alarm! : System in Alarm, Stopped in Alarm", "ALARM"),
        (0x0000, 0x001F, "CRITICAL: System in alarm! : System in Alarm, Off - Ready", "SERVICEDUE"),
    ])
    func states(engine: UInt16, mode: UInt16, greeting: String, base: String) async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot { $0.setStatus(engine: engine, mode: mode) }))
        #expect(await dispatcher.greeting() == greeting)
        #expect(await dispatcher.reply(to: "generator: getbase", origin: localOrigin) == base + "EndOfMessage")
    }

    @Test("an unhealthy monitor says so in the greeting, alone or after the alarm")
    func unhealthy() async throws {
        var quiet = try snapshot()
        quiet.communication.isReceiving = false
        #expect(LegacyText.greeting(snapshot: quiet) == "WARNING:  Not receiving data. : Auto, Off - Ready")
        var both = try snapshot { $0.setStatus(engine: 0x0008, mode: 0x000A) }
        both.communication.isReceiving = false
        #expect(LegacyText.greeting(snapshot: both)
            == "CRITICAL: System in alarm! WARNING:  Not receiving data. : System in Alarm, Stopped in Alarm")
        #expect(Reports(snapshot: quiet, context: fixtureContext())?.health == " Not receiving data. ")
    }

    @Test("the status report names the active alarm")
    func alarmLine() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot { $0.setStatus(engine: 0x0008, mode: 0x000A) }))
        let text = try #require(body(await dispatcher.reply(to: "generator: status", origin: localOrigin)))
        #expect(text.contains("\n        System In Alarm : Low Oil Pressure\n"))
    }
}
