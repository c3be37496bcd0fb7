import Foundation
import Generac
import GenmonBasics
import GenmonTesting
@testable import HomeAutomation
import Monitor
import Testing

@Suite("Commands over MQTT: the door, the origin, the controls")
struct CommandTests {
    @Test("by default a command reaches the door marked as not allowed, and is refused there")
    func refusedByDefault() async throws {
        let service = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        let gateway = CommandGateway(service: service, clientID: "genmon", allowed: false)
        let outcome = await gateway.run("setremote=start")
        #expect(outcome.result == .refused)
        let sent = await service.commands
        #expect(sent.count == 1 && sent[0].1 == CommandOrigin(interface: .mqtt, principal: "genmon", mayControl: false))
        #expect(sent[0].1.description == "mqtt:genmon")
    }

    @Test("when allowed the command goes through the door as mqtt:<client id> and its outcome is answered")
    func allowed() async throws {
        let service = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        let gateway = CommandGateway(service: service, clientID: "genmon_ha", allowed: true)
        let outcome = await gateway.run(" setexercise=Monday,13:30,Weekly \n")
        #expect(outcome.result == .confirmed)
        let sent = await service.commands
        #expect(sent.first?.1.description == "mqtt:genmon_ha" && sent.first?.1.mayControl == true)
        let request = try ExerciseRequest(day: .weekday(Weekday.monday.rawValue), hour: 13, minute: 30)
        #expect(sent.first?.0 == .generac(.setExercise(request)))
        let response = gateway.response(command: "setexercise=Monday,13:30,Weekly", outcome: outcome, time: Date(timeIntervalSince1970: 0), correlation: "7")
        #expect(response.contains(#""result": "confirmed""#) && response.contains(#""origin": "mqtt:genmon_ha""#) && response.contains(#""id": "7""#))
        #expect(response.contains(#""time": "1970-01-01T00:00:00Z""#))
    }

    @Test("malformed, empty and oversize commands never reach the door")
    func malformed() async throws {
        let service = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        let gateway = CommandGateway(service: service, clientID: "genmon", allowed: true)
        for text in ["", "setremote=fly", "status", String(repeating: "x", count: 300), "setexercise=Funday,25:00,Weekly"] {
            #expect(await gateway.run(text).result == .failed, "\(text.prefix(20))")
        }
        #expect(await service.commands.isEmpty)
    }

    @Test("requests on genmon's own topic: JSON with an id, or the bare command")
    func requests() {
        #expect(CommandGateway.parseRequest(Array(#"{"command": "setquiet=on", "id": "abc"}"#.utf8)) == ("setquiet=on", "abc"))
        #expect(CommandGateway.parseRequest(Array("settime".utf8)) == ("settime", nil))
        #expect(CommandGateway.parseRequest(Array("{broken".utf8)).command == "{broken")
        _ = CommandGateway.parseRequest(Array(repeating: 0xFF, count: 100_000))
    }

    func command(_ id: String, _ payload: String, fixture: Fixture = .evolutionAC) throws -> Result<String, ControlError> {
        let control = try #require(HomeAssistantControl.all.first { $0.id == id })
        return control.command(payload, FigureSource(snapshot: try fixture.snapshot(), context: fixtureContext))
    }

    @Test("Home Assistant controls send the original's commands; the exercise controls keep the rest of the schedule")
    func controls() throws {
        #expect(try command("start", "PRESS") == .success("setremote=start"))
        #expect(try command("start_transfer", "PRESS") == .success("setremote=starttransfer"))
        #expect(try command("set_generator_time", "PRESS") == .success("settime"))
        #expect(try command("quiet_mode", "ON") == .success("setquiet=on"))
        #expect(try command("quiet_mode", "off") == .success("setquiet=off"))
        // The fixture exercises weekly on Sunday at 14:00.
        #expect(try command("exercise_hour", "9") == .success("setexercise=Sunday,09:00,Weekly"))
        #expect(try command("exercise_minute", "30.0") == .success("setexercise=Sunday,14:30,Weekly"))
        #expect(try command("exercise_day_of_week", "Wednesday") == .success("setexercise=Wednesday,14:00,Weekly"))
        // Without enhanced exercise (the fixture's setting) only weekly schedules can be set, as the original forced.
        guard case .failure = try command("exercise_frequency", "Monthly") else { Issue.record("monthly without enhanced exercise"); return }
        guard case .failure = try command("exercise_day_of_month", "15") else { Issue.record("a day of the month without enhanced exercise"); return }
    }

    @Test("with enhanced exercise, biweekly and monthly schedules: a new frequency keeps or replaces the day, a new day decides the frequency")
    func enhancedExercise() throws {
        var snapshot = try Fixture.evolutionAC.snapshot()
        let weekly = try #require(snapshot.readings?.exercise)
        snapshot.readings?.exercise = ExerciseSettings(frequency: weekly.frequency, day: weekly.day, hour: weekly.hour, minute: weekly.minute,
                                                       quietMode: weekly.quietMode, enhancedMode: true)
        let source = FigureSource(snapshot: snapshot, context: fixtureContext)
        func run(_ id: String, _ payload: String) throws -> Result<String, ControlError> {
            try #require(HomeAssistantControl.all.first { $0.id == id }).command(payload, source)
        }
        #expect(try run("exercise_frequency", "Monthly") == .success("setexercise=1,14:00,Monthly"))
        #expect(try run("exercise_frequency", "BiWeekly") == .success("setexercise=Sunday,14:00,Biweekly"))
        #expect(try run("exercise_day_of_month", "15") == .success("setexercise=15,14:00,Monthly"))
        let control = try #require(HomeAssistantControl.all.first { $0.id == "exercise_frequency" })
        #expect(control.options(in: source) == ["Weekly", "BiWeekly", "Monthly"])
        let plain = FigureSource(snapshot: try Fixture.evolutionAC.snapshot(), context: fixtureContext)
        #expect(control.options(in: plain) == ["Weekly"])
        let entities = HomeAssistantDiscovery(offerControls: true).entities(plain).map(\.id)
        #expect(!entities.contains("exercise_day_of_month") && entities.contains("exercise_hour"))
        #expect(HomeAssistantDiscovery(offerControls: true).entities(source).map(\.id).contains("exercise_day_of_month"))
    }

    @Test("payloads a control cannot take are refused with a reason", arguments: [
        ("start", "press me"), ("quiet_mode", "maybe"), ("exercise_hour", "24"), ("exercise_hour", "1.5"), ("exercise_minute", "-1"),
        ("exercise_day_of_month", "29"), ("exercise_frequency", "Daily"), ("exercise_day_of_week", "Someday"), ("exercise_hour", "nan"),
    ])
    func refusedPayloads(_ id: String, _ payload: String) throws {
        guard case .failure = try command(id, payload) else { Issue.record("\(id) took \(payload)"); return }
    }

    @Test("command topics map back to their control, and nothing else does")
    func commandTopics() {
        let discovery = HomeAssistantDiscovery(base: "genmon")
        #expect(discovery.control(forCommandTopic: "genmon/button/start/command")?.id == "start")
        #expect(discovery.control(forCommandTopic: "genmon/switch/quiet_mode/set")?.id == "quiet_mode")
        #expect(discovery.control(forCommandTopic: "genmon/button/start/set") == nil)
        #expect(discovery.control(forCommandTopic: "genmon/sensor/rpm/set") == nil)
        #expect(discovery.control(forCommandTopic: "other/button/start/command") == nil)
        #expect(discovery.control(forCommandTopic: "genmon/button/start/command/x") == nil)
    }
}
