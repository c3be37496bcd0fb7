import Foundation
import GenmonTesting
@testable import HomeAutomation
import LegacyProtocol
import Monitor
import Testing

/// What Home Assistant's MQTT integration accepts in a discovery config, per component: the keys,
/// their JSON types, the required ones, and the allowed values of the enumerated keys (from Home
/// Assistant's MQTT platform documentation). A config with anything else is refused by Home Assistant.
enum HomeAssistantSchema {
    enum Kind { case string, bool, number, object, stringList }

    static let common: [String: Kind] = [
        "name": .string, "unique_id": .string, "availability_topic": .string, "payload_available": .string,
        "payload_not_available": .string, "device": .object, "origin": .object, "icon": .string, "entity_category": .string,
        "enabled_by_default": .bool,
    ]
    static let components: [String: (keys: [String: Kind], required: Set<String>)] = [
        "sensor": (["state_topic": .string, "unit_of_measurement": .string, "device_class": .string, "state_class": .string], ["state_topic"]),
        "binary_sensor": (["state_topic": .string, "payload_on": .string, "payload_off": .string, "device_class": .string], ["state_topic"]),
        "button": (["command_topic": .string, "payload_press": .string, "device_class": .string], ["command_topic"]),
        "switch": (["command_topic": .string, "state_topic": .string, "payload_on": .string, "payload_off": .string, "device_class": .string],
                   ["command_topic"]),
        "select": (["command_topic": .string, "state_topic": .string, "options": .stringList], ["command_topic", "options"]),
        "number": (["command_topic": .string, "state_topic": .string, "min": .number, "max": .number, "step": .number, "mode": .string,
                    "unit_of_measurement": .string], ["command_topic"]),
    ]
    static let deviceKeys: [String: Kind] = [
        "identifiers": .stringList, "name": .string, "manufacturer": .string, "model": .string, "serial_number": .string,
        "sw_version": .string, "hw_version": .string, "configuration_url": .string, "suggested_area": .string,
    ]
    static let originKeys: [String: Kind] = ["name": .string, "sw_version": .string, "support_url": .string]
    static let sensorDeviceClasses: Set<String> = ["voltage", "current", "frequency", "power", "duration", "temperature", "energy", "humidity",
                                                   "pressure", "battery", "timestamp", "enum"]
    static let binaryDeviceClasses: Set<String> = ["problem", "running", "power", "plug", "connectivity", "safety", "battery"]
    static let stateClasses: Set<String> = ["measurement", "total", "total_increasing"]
    /// Units Home Assistant accepts for a device class.
    static let units: [String: Set<String>] = [
        "voltage": ["V", "mV"], "current": ["A", "mA"], "frequency": ["Hz", "kHz"], "power": ["W", "kW"], "duration": ["h", "min", "s", "d"],
        "temperature": ["°C", "°F"], "energy": ["Wh", "kWh"],
    ]

    static func check(_ value: ReportValue, _ kind: Kind) -> Bool {
        switch (kind, value) {
        case (.string, .string), (.bool, .bool), (.number, .int), (.number, .double), (.object, .object): true
        case let (.stringList, .list(items)): items.allSatisfy { if case .string = $0 { true } else { false } }
        default: false
        }
    }

    /// A config as key → value, parsed keeping JSON types exactly.
    static func parse(_ text: String) throws -> [String: ReportValue] {
        guard case let .object(pairs) = try JSONParser.parse(text) else { return [:] }
        return Dictionary(pairs) { first, _ in first }
    }

    /// Every problem with one config.
    static func problems(component: String, config: [String: ReportValue]) -> [String] {
        guard let spec = components[component] else { return ["unknown component \(component)"] }
        var problems: [String] = []
        let allowed = common.merging(spec.keys) { $1 }
        for (key, value) in config {
            guard let kind = allowed[key] else { problems.append("key \(key) is not accepted by \(component)"); continue }
            if !check(value, kind) { problems.append("\(key) has the wrong type") }
        }
        for key in spec.required.union(["name", "unique_id", "device"]) where config[key] == nil { problems.append("\(key) is missing") }
        if let category = config["entity_category"]?.text, category != "diagnostic" && !(category == "config" && component != "sensor") {
            problems.append("entity_category \(category)")
        }
        if let stateClass = config["state_class"]?.text, !stateClasses.contains(stateClass) { problems.append("state_class \(stateClass)") }
        if let deviceClass = config["device_class"]?.text {
            let known = component == "binary_sensor" ? binaryDeviceClasses : sensorDeviceClasses
            if !known.contains(deviceClass) { problems.append("device_class \(deviceClass)") }
            if component == "sensor", let units = units[deviceClass], !units.contains(config["unit_of_measurement"]?.text ?? "") {
                problems.append("unit \(config["unit_of_measurement"]?.text ?? "none") for \(deviceClass)")
            }
            if deviceClass == "energy", config["state_class"]?.text == "measurement" { problems.append("energy cannot be a measurement") }
        }
        if let mode = config["mode"]?.text, !["auto", "box", "slider"].contains(mode) { problems.append("mode \(mode)") }
        if case let .object(device)? = config["device"] {
            for (key, value) in device where !(deviceKeys[key].map { check(value, $0) } ?? false) { problems.append("device.\(key)") }
            if case let .list(identifiers)? = config["device"]?["identifiers"], !identifiers.isEmpty {} else { problems.append("device.identifiers is empty") }
        }
        if case let .object(origin)? = config["origin"] {
            for (key, value) in origin where !(originKeys[key].map { check(value, $0) } ?? false) { problems.append("origin.\(key)") }
            if !origin.contains(where: { $0.0 == "name" }) { problems.append("origin.name is missing") }
        }
        return problems
    }
}

@Suite("Home Assistant discovery configs")
struct HomeAssistantSchemaTests {
    func entities(_ fixture: Fixture, controls: Bool) throws -> [HomeAssistantDiscovery.Entity] {
        let discovery = HomeAssistantDiscovery(offerControls: controls, configurationURL: "http://192.0.2.10:8000")
        return discovery.entities(FigureSource(snapshot: try fixture.snapshot(), context: fixtureContext))
    }

    @Test("every config has only keys and value types Home Assistant accepts for its component",
          arguments: Fixture.allCases, [false, true])
    func schema(_ fixture: Fixture, controls: Bool) throws {
        let entities = try entities(fixture, controls: controls)
        #expect(entities.count > 30)
        for entity in entities {
            let config = try HomeAssistantSchema.parse(entity.config)
            let problems = HomeAssistantSchema.problems(component: entity.component, config: config)
            #expect(problems.isEmpty, "\(entity.configTopic): \(problems)")
        }
        #expect(entities.contains { $0.component == "button" } == controls)
    }

    @Test("topics and unique ids are the original's, so entities and history carry over")
    func originalIdentifiers() throws {
        let entities = try entities(.evolutionAC, controls: true)
        let battery = try #require(entities.first { $0.id == "battery_voltage" })
        #expect(battery.configTopic == "homeassistant/sensor/generator/battery_voltage/config")
        #expect(battery.stateTopic == "genmon/sensor/battery_voltage/state")
        #expect(battery.state == "14.3")
        let config = try HomeAssistantSchema.parse(battery.config)
        #expect(config["unique_id"]?.text == "genmon_generator_battery_voltage")
        #expect(config["unit_of_measurement"]?.text == "V" && config["device_class"]?.text == "voltage")
        #expect(config["state_class"]?.text == "measurement")
        let device = try #require(config["device"])
        #expect(device["identifiers"] == .list([.string("genmon_generator")]))
        #expect(device["manufacturer"]?.text == "Generac" && device["configuration_url"]?.text == "http://192.0.2.10:8000")
        #expect(device["sw_version"]?.text == "V1.18")
        let ids = Set(entities.map(\.id))
        for id in ["system_in_outage", "generator_running", "exercising", "alarm_active", "utility_present", "switch_in_auto", "engine_state",
                   "switch_state", "utility_voltage", "frequency", "rpm", "total_run_hours", "monitor_health", "crc_errors", "timeout_errors",
                   "start", "stop", "start_transfer", "start_exercise", "quiet_mode", "exercise_frequency", "exercise_hour"] {
            #expect(ids.contains(id), "\(id) missing")
        }
        let start = try #require(entities.first { $0.id == "start" })
        #expect(start.configTopic == "homeassistant/button/generator/start/config" && start.stateTopic == nil)
        #expect(start.config.contains(#""command_topic": "genmon/button/start/command""#))
        let diagnostics = entities.filter { $0.config.contains(#""entity_category": "diagnostic""#) }.map(\.id)
        #expect(Set(["crc_errors", "timeout_errors", "comm_success", "serial_number"]).isSubset(of: Set(diagnostics)))
    }

    @Test("binary sensors say ON or OFF; the outage and running states follow the snapshot")
    func binaryStates() throws {
        var snapshot = try Fixture.nexusLC.snapshot()
        snapshot.outage.inOutage = true
        let entities = HomeAssistantDiscovery().entities(FigureSource(snapshot: snapshot, context: fixtureContext))
        let states = Dictionary(entities.map { ($0.id, $0.state) }) { a, _ in a }
        #expect(states["system_in_outage"] == "ON" && states["utility_present"] == "OFF")
        #expect(states["generator_running"] == "ON", "the Nexus fixture was captured running")
    }

    @Test("without monitor statistics, logs, or with a blacklist, those entities are not offered")
    func options() throws {
        let source = FigureSource(snapshot: try Fixture.evolutionAC.snapshot(), context: fixtureContext)
        let lean = HomeAssistantDiscovery(includeMonitorStats: false, includeLogs: false, blacklist: ["voltage"]).entities(source).map(\.id)
        #expect(!lean.contains("crc_errors") && !lean.contains("last_run_log") && !lean.contains { $0.contains("voltage") })
    }
}
