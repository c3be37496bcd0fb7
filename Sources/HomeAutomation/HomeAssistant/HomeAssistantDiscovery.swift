import Foundation
import LegacyProtocol
import Monitor

/// Home Assistant MQTT discovery for one generator, as the original genhomeassistant laid it out:
/// configs at `<prefix>/<component>/<device_id>/<entity_id>/config` (retained), states at
/// `<base>/<component>/<entity_id>/state`, commands at `<base>/<component>/<entity_id>/set|command`,
/// availability at `<base>/status`, unique ids `genmon_<device_id>_<entity_id>`. Pure.
public struct HomeAssistantDiscovery: Sendable {
    /// One entity: where its config and state go, and what they are now.
    public struct Entity: Sendable {
        public let component: String
        public let id: String
        public let configTopic: String
        public let config: String
        public let stateTopic: String?
        /// nil: no state to publish now (buttons; unknown values).
        public let state: String?
    }

    public var prefix: String
    public var base: String
    public var deviceID: String
    public var deviceName: String
    public var includeMonitorStats: Bool
    public var includeLogs: Bool
    /// Substrings (without case) of entity ids and names not offered.
    public var blacklist: [String]
    /// Controls are offered only when commands are allowed.
    public var offerControls: Bool
    public var configurationURL: String?

    public init(prefix: String = "homeassistant", base: String = "genmon", deviceID: String = "generator", deviceName: String = "Generator",
                includeMonitorStats: Bool = true, includeLogs: Bool = true, blacklist: [String] = [], offerControls: Bool = false,
                configurationURL: String? = nil) {
        self.prefix = prefix
        self.base = base
        self.deviceID = deviceID
        self.deviceName = deviceName
        self.includeMonitorStats = includeMonitorStats
        self.includeLogs = includeLogs
        self.blacklist = blacklist
        self.offerControls = offerControls
        self.configurationURL = configurationURL
    }

    public var availabilityTopic: String { base + "/status" }
    /// Home Assistant's birth and will: `online` here means "publish your discovery again".
    public var homeAssistantStatusTopic: String { prefix + "/status" }
    /// Every config this device could have, for finding stale ones the broker still keeps.
    public var configFilter: String { prefix + "/+/" + deviceID + "/+/config" }
    public var commandFilters: [String] { [base + "/+/+/set", base + "/+/+/command"] }
    public var responseTopic: String { base + "/command/response" }

    public func uniqueID(_ entity: String) -> String { "genmon_\(deviceID)_\(entity)" }
    public func configTopic(_ component: String, _ entity: String) -> String { "\(prefix)/\(component)/\(deviceID)/\(entity)/config" }
    public func stateTopic(_ component: String, _ entity: String) -> String { "\(base)/\(component)/\(entity)/state" }

    func offered(id: String, name: String) -> Bool {
        !blacklist.contains { item in !item.isEmpty && (id.lowercased().contains(item.lowercased()) || name.lowercased().contains(item.lowercased())) }
    }

    /// The device block every config carries.
    public func device(_ source: FigureSource) -> ReportValue {
        var pairs: [(String, ReportValue)] = [
            ("identifiers", .list([.string("genmon_" + deviceID)])),
            ("name", .string(deviceName)),
            ("manufacturer", .string("Generac")),
        ]
        if let readings = source.readings {
            let model = readings.nominal.modelName
            pairs.append(("model", .string(model.isEmpty || model == "Unknown" ? readings.identity.detectedName : model)))
            if !readings.maintenance.serialNumber.isEmpty { pairs.append(("serial_number", .string(readings.maintenance.serialNumber))) }
            pairs.append(("sw_version", .string(readings.maintenance.firmwareVersion.text)))
            pairs.append(("hw_version", .string(readings.maintenance.hardwareVersion.text)))
        } else {
            pairs.append(("model", .string("Generator")))
        }
        if let configurationURL { pairs.append(("configuration_url", .string(configurationURL))) }
        return .object(pairs)
    }

    /// Every entity with a value now (and every control, when offered), in catalog order.
    public func entities(_ source: FigureSource, figures: [Figure] = FigureCatalog.all) -> [Entity] {
        let device = device(source)
        let origin = ReportValue.object([("name", .string("genmon")), ("sw_version", .string(source.snapshot.monitor.version))])
        var result: [Entity] = []
        for figure in figures where offered(id: figure.id, name: figure.name) {
            if figure.monitorStatistic && !includeMonitorStats { continue }
            if !includeLogs && figure.id.hasSuffix("_log") { continue }
            guard let value = figure.value(source) else { continue }
            let component = figure.kind.rawValue
            var pairs = common(figure.id, figure.name, component: component, icon: figure.icon, device: device, origin: origin)
            pairs.append(("state_topic", .string(stateTopic(component, figure.id))))
            if figure.kind == .binarySensor {
                pairs += [("payload_on", .string("ON")), ("payload_off", .string("OFF"))]
            } else if let unit = figure.unit(in: source) {
                pairs.append(("unit_of_measurement", .string(unit)))
            }
            if let deviceClass = figure.deviceClass { pairs.append(("device_class", .string(deviceClass))) }
            if let stateClass = figure.stateClass, figure.kind == .sensor, value.number != nil { pairs.append(("state_class", .string(stateClass))) }
            if figure.diagnostic { pairs.append(("entity_category", .string("diagnostic"))) }
            if !figure.enabledByDefault { pairs.append(("enabled_by_default", .bool(false))) }
            result.append(Entity(component: component, id: figure.id, configTopic: configTopic(component, figure.id), config: JSON.encode(.object(pairs)),
                                 stateTopic: stateTopic(component, figure.id), state: value.payload))
        }
        guard offerControls, source.readings != nil else { return result }
        for control in HomeAssistantControl.all where offered(id: control.id, name: control.name) && control.isOffered(in: source) {
            let component = control.component.rawValue
            var pairs = common(control.id, control.name, component: component, icon: control.icon, device: device, origin: origin)
            pairs.append(("command_topic", .string("\(base)/\(component)/\(control.id)/\(control.commandVerb)")))
            var state: String?
            switch control.component {
            case .button:
                pairs.append(("payload_press", .string("PRESS")))
            case .switch:
                pairs += [("state_topic", .string(stateTopic(component, control.id))), ("payload_on", .string("ON")), ("payload_off", .string("OFF"))]
                state = control.state(source)
            case .select:
                pairs += [("state_topic", .string(stateTopic(component, control.id))), ("options", .list(control.options(in: source).map(ReportValue.string)))]
                state = control.state(source)
            case .number:
                pairs += [("state_topic", .string(stateTopic(component, control.id))), ("min", .int(control.range.lowerBound)),
                          ("max", .int(control.range.upperBound)), ("step", .int(1)), ("mode", .string("box"))]
                state = control.state(source)
            }
            result.append(Entity(component: component, id: control.id, configTopic: configTopic(component, control.id), config: JSON.encode(.object(pairs)),
                                 stateTopic: control.component == .button ? nil : stateTopic(component, control.id), state: state))
        }
        return result
    }

    func common(_ id: String, _ name: String, component: String, icon: String?, device: ReportValue, origin: ReportValue) -> [(String, ReportValue)] {
        var pairs: [(String, ReportValue)] = [
            ("name", .string(name)),
            ("unique_id", .string(uniqueID(id))),
            ("availability_topic", .string(availabilityTopic)),
            ("payload_available", .string("online")),
            ("payload_not_available", .string("offline")),
            ("device", device),
            ("origin", origin),
        ]
        if let icon { pairs.append(("icon", .string(icon))) }
        return pairs
    }

    /// The control a command topic addresses, if any.
    public func control(forCommandTopic topic: String) -> HomeAssistantControl? {
        guard topic.hasPrefix(base + "/") else { return nil }
        let parts = topic.dropFirst(base.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return HomeAssistantControl.all.first {
            $0.component.rawValue == parts[0] && $0.id == parts[1] && $0.commandVerb == parts[2]
        }
    }
}
