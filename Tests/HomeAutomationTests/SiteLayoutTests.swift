import Foundation
import GenmonTesting
@testable import HomeAutomation
import LegacyProtocol
import Monitor
import Testing

@Suite("genmon's own layout, version 1")
struct SiteLayoutTests {
    static let schemaFile = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/mqtt-schema-v1.json")

    /// The schema's definition `name` (required keys, and the enum of each property that has one).
    func definition(_ name: String) throws -> (required: [String], enums: [String: [String]]) {
        let schema = try JSONParser.parse(String(contentsOf: Self.schemaFile, encoding: .utf8))
        let definition = try #require(schema["$defs"]?[name])
        guard case let .list(required)? = definition["required"], case let .object(properties)? = definition["properties"] else { return ([], [:]) }
        var enums: [String: [String]] = [:]
        for (key, property) in properties { if case let .list(values)? = property["enum"] { enums[key] = values.compactMap(\.text) } }
        return (required.compactMap(\.text), enums)
    }

    func check(_ document: String, against name: String) throws {
        guard case let .object(pairs) = try JSONParser.parse(document) else { Issue.record("\(name) is not an object"); return }
        let keys = Set(pairs.map(\.0))
        let (required, enums) = try definition(name)
        for key in required { #expect(keys.contains(key), "\(name) lacks \(key)") }
        for (key, value) in pairs {
            if let allowed = enums[key] { #expect(allowed.contains(value.text ?? ""), "\(name).\(key) = \(value)") }
        }
        #expect(pairs.first { $0.0 == "schema" }?.1 == .int(SiteLayout.schemaVersion))
    }

    @Test("topics live under <root>/v1/<site>/", arguments: [("genmon", "cabin"), ("fleet/east", "barn-2")])
    func topics(_ root: String, _ site: String) {
        let layout = SiteLayout(root: root, site: site)
        #expect(layout.availabilityTopic == "\(root)/v1/\(site)/availability")
        #expect(layout.stateTopic == "\(root)/v1/\(site)/state")
        #expect(layout.figureTopic("rpm") == "\(root)/v1/\(site)/figure/rpm")
        #expect(layout.metaTopic("rpm") == "\(root)/v1/\(site)/meta/rpm")
        #expect(layout.eventTopic == "\(root)/v1/\(site)/event")
        #expect(layout.commandTopic == "\(root)/v1/\(site)/command" && layout.responseTopic == "\(root)/v1/\(site)/command/response")
    }

    @Test("the state, meta and event documents follow docs/mqtt-schema-v1.json, numbers as numbers", arguments: Fixture.allCases)
    func documents(_ fixture: Fixture) throws {
        let layout = SiteLayout(site: "cabin")
        let source = FigureSource(snapshot: try fixture.snapshot(), context: fixtureContext)
        let values = SiteLayout.values(source)
        let state = layout.stateDocument(source, values: values, now: Fixture.now)
        try check(state, against: "State")
        let parsed = try JSONParser.parse(state)
        if case .double? = parsed["figures"]?["battery_voltage"] {} else { Issue.record("battery_voltage is not a number") }
        if case .int? = parsed["figures"]?["rpm"] {} else { Issue.record("rpm is not an integer") }
        if case .bool? = parsed["figures"]?["generator_running"] {} else { Issue.record("generator_running is not a boolean") }
        #expect(parsed["figures"]?["crc_errors"] == nil, "monitor statistics stay out of the state document")
        for (figure, value) in values {
            try check(layout.metaDocument(figure, value: value, source: source), against: "Meta")
        }
        let battery = try JSONParser.parse(layout.metaDocument(try #require(FigureCatalog.figure("battery_voltage")), value: .number(14.3), source: source))
        #expect(battery["unit"]?.text == "V" && battery["type"]?.text == "number" && battery["device_class"]?.text == "voltage")
        for kind: MonitorEvent.Kind in [.outageStarted(utilityVolts: 0), .alarmRaised(text: "Overcrank", code: 1300, isWarning: false),
                                        .commandCompleted(command: "setremote=start", origin: "mqtt:genmon", result: "confirmed")] {
            try check(layout.eventDocument(MonitorEvent(time: Fixture.now, kind: kind)), against: "Event")
        }
    }

    @Test("before the controller is known nothing but health has a value; ids are unique")
    func beforeDetection() throws {
        var snapshot = try Fixture.evolutionAC.snapshot()
        snapshot.readings = nil
        snapshot.monitor.initialized = false
        let values = SiteLayout.values(FigureSource(snapshot: snapshot, context: fixtureContext))
        #expect(Set(values.map(\.0.id)).isSubset(of: ["monitor_health", "genmon_version", "crc_errors", "timeout_errors", "comm_success"]))
        #expect(Set(FigureCatalog.all.map(\.id)).count == FigureCatalog.all.count)
        #expect(Set(HomeAssistantControl.all.map(\.id)).isDisjoint(with: FigureCatalog.all.map(\.id)))
    }
}
