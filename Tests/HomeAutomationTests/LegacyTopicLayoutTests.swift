import Foundation
import GenmonConfig
import GenmonTesting
@testable import HomeAutomation
import LegacyProtocol
import Monitor
import Testing

/// The original genmqtt's flattening, written in Python (the original's language, so `str()` and
/// `json.dumps` are the real ones) over the original's own answers for a fixture dump: the reference
/// our topics are compared with.
let referenceFlattener = """
import json, sys
folder, numeric, as_object, strlist = sys.argv[1], sys.argv[2] == '1', sys.argv[3] == '1', sys.argv[4] == '1'
suffix = '_num_json' if (numeric or as_object) else '_json'
data = {}
for key, name in (('Status', 'status'), ('Maintenance', 'maint'), ('Outage', 'outage'), ('Monitor', 'monitor')):
    with open(folder + '/' + name + (suffix if name != 'monitor' else '_json') + '.json') as f:
        data[key] = json.load(f)[key]
out = []
def walk(node, path):
    for key, value in node.items():
        here = path + '/' + str(key)
        if isinstance(value, dict):
            if as_object and set(value.keys()) == {'unit', 'type', 'value'}:
                out.append((here, json.dumps(value)))
            else:
                walk(value, here)
        elif isinstance(value, list):
            if all(isinstance(item, str) for item in value):
                out.append((here, json.dumps(value) if strlist else ', '.join(value)))
            else:
                for item in value:
                    if isinstance(item, dict):
                        walk(item, here)
        else:
            out.append((here, str(value)))
walk(data, 'generator')
for topic, value in out:
    print(topic + '\\t' + value.replace('\\n', '\\\\n'))
"""

@Suite("The original genmqtt's topics and payloads")
struct LegacyTopicLayoutTests {
    /// Our topics for a fixture against the reference flattening of the original's answers, time and host fields left out.
    func compare(_ fixture: Fixture, numeric: Bool, object: Bool) async throws {
        let reference = try await runPython(referenceFlattener, [Fixture.root.appendingPathComponent("answers/\(fixture.rawValue)").path,
                                                                 numeric ? "1" : "0", object ? "1" : "0", "0"])
        try #require(reference.status == 0, "\(reference.output)")
        // The outage status names the moment the monitor started (in an outage): a time field too.
        func kept(_ topic: String) -> Bool {
            !(timeOrHostKeys + ["Outage/Status"]).contains { topic.lowercased().contains($0.lowercased()) }
        }
        let expected = reference.output.split(separator: "\n").map { line -> String in String(line) }.filter { kept(String($0.split(separator: "\t").first ?? "")) }
        let layout = LegacyTopicLayout(numericJSON: numeric, numericJSONObject: object)
        let reports = try #require(Reports(snapshot: try fixture.snapshot(), context: fixtureContext))
        let ours = layout.messages(for: layout.tree(reports)).filter { kept($0.topic) }
            .map { $0.topic + "\t" + $0.payload.replacingOccurrences(of: "\n", with: "\\n") }
        #expect(ours.count == expected.count, "\(fixture): \(ours.count) topics, the original \(expected.count)")
        for (mine, theirs) in zip(ours, expected) where mine != theirs { Issue.record("\(fixture): ours \(mine) — original \(theirs)") }
        #expect(ours.contains { $0.hasPrefix("generator/Status/Engine/Battery Voltage") })
    }

    @Test("text payloads equal the original's for every fixture", .tags(.process), .slowTier, arguments: Fixture.allCases)
    func textPayloads(_ fixture: Fixture) async throws { try await compare(fixture, numeric: false, object: false) }

    @Test("numeric_json walks value objects into unit, type and value topics", .tags(.process), .slowTier, arguments: Fixture.allCases)
    func numericJSON(_ fixture: Fixture) async throws { try await compare(fixture, numeric: true, object: false) }

    @Test("numeric_json_object publishes each value object whole", .tags(.process), .slowTier, arguments: Fixture.allCases)
    func numericObject(_ fixture: Fixture) async throws { try await compare(fixture, numeric: false, object: true) }

    @Test("known examples: battery voltage text and numeric forms")
    func examples() throws {
        let reports = try #require(Reports(snapshot: try Fixture.evolutionAC.snapshot(), context: fixtureContext))
        let text = Dictionary(LegacyTopicLayout().messages(for: LegacyTopicLayout().tree(reports)).map { ($0.topic, $0.payload) }) { a, _ in a }
        #expect(text["generator/Status/Engine/Battery Voltage"] == "14.30 V")
        #expect(text["generator/Outage/System In Outage"] == "No")
        #expect(text["generator/Monitor/Communication Stats/Modbus Exceptions"] == "0")
        let numeric = LegacyTopicLayout(numericJSON: true)
        let values = Dictionary(numeric.messages(for: numeric.tree(reports)).map { ($0.topic, $0.payload) }) { a, _ in a }
        #expect(values["generator/Status/Engine/Battery Voltage/unit"] == "V")
        #expect(values["generator/Status/Engine/Battery Voltage/type"] == "float")
        #expect(values["generator/Status/Engine/Battery Voltage/value"] == "14.3")
        let object = LegacyTopicLayout(numericJSONObject: true)
        let objects = Dictionary(object.messages(for: object.tree(reports)).map { ($0.topic, $0.payload) }) { a, _ in a }
        #expect(objects["generator/Status/Engine/Battery Voltage"] == #"{"unit": "V", "type": "float", "value": 14.3}"#)
    }

    @Test("root_topic, remove_spaces and the blacklist (without case) shape the topics")
    func rootSpacesBlacklist() throws {
        let reports = try #require(Reports(snapshot: try Fixture.evolutionAC.snapshot(), context: fixtureContext))
        let layout = LegacyTopicLayout(rootTopic: "home/gen", blacklist: GenMQTTConfiguration.shippedBlacklist, removeSpaces: true)
        let messages = layout.messages(for: layout.tree(reports))
        #expect(messages.contains { $0.topic == "home/gen/generator/Status/Engine/Battery_Voltage" && $0.payload == "14.30 V" })
        #expect(!messages.contains { $0.topic.contains(" ") })
        #expect(!messages.contains { $0.topic.contains("/Monitor/") || $0.topic.contains("Generator_Time") })
        #expect(layout.clientStatusTopic == "home/gen/generator/client_status")
        #expect(layout.commandTopic == "home/gen/generator/command")
        let lower = LegacyTopicLayout(blacklist: ["battery"])
        #expect(!lower.messages(for: lower.tree(reports)).contains { $0.topic.lowercased().contains("battery") })
    }

    @Test("a list of strings is joined with \", \", or a JSON array with strlist_json; lists of objects are walked")
    func stringLists() {
        let tree = ReportValue.object([("Outage", .entries([
            ("Outage Log", .list([.string("03/01/24 10:00:00, Duration: 0:10:00"), .string("02/01/24 09:00:00, Duration: 1:00:00")])),
            ("Empty", .list([])),
        ]))])
        let joined = Dictionary(LegacyTopicLayout().messages(for: tree).map { ($0.topic, $0.payload) }) { a, _ in a }
        #expect(joined["generator/Outage/Outage Log"] == "03/01/24 10:00:00, Duration: 0:10:00, 02/01/24 09:00:00, Duration: 1:00:00")
        #expect(joined["generator/Outage/Empty"] == "")
        let json = Dictionary(LegacyTopicLayout(stringListJSON: true).messages(for: tree).map { ($0.topic, $0.payload) }) { a, _ in a }
        #expect(json["generator/Outage/Outage Log"] == #"["03/01/24 10:00:00, Duration: 0:10:00", "02/01/24 09:00:00, Duration: 1:00:00"]"#)
    }

    @Test("Python's str() for every JSON value type")
    func pythonText() {
        #expect(LegacyTopicLayout.text(.double(530)) == "530.0")
        #expect(LegacyTopicLayout.text(.double(14.3)) == "14.3")
        #expect(LegacyTopicLayout.text(.int(-3)) == "-3")
        #expect(LegacyTopicLayout.text(.bool(true)) == "True")
        #expect(LegacyTopicLayout.text(.null) == "None")
    }
}
