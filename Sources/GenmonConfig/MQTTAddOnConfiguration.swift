import Foundation

/// `genmqtt.conf` `[genmqtt]`: the original's keys (broker, `root_topic`, `blacklist`,
/// `flush_interval`, `numeric_json`, `numeric_json_object`, `strlist_json`, `retain`,
/// `remove_spaces`) and genmon's own (`mqtt_allow_commands`, `legacy_layout`, `genmon_layout`,
/// `genmon_root_topic`, `site_id`, `mqtt_version`, `persistent_session`).
public struct GenMQTTConfiguration: Sendable, Equatable {
    public var broker: BrokerSettings
    /// Prefix before `generator/…`; nil publishes at `generator/…`.
    public var rootTopic: String?
    /// Substrings (compared without case) of paths never published.
    public var blacklist: [String]
    /// Seconds after which an unchanged value is published again; 0 = never.
    public var flushInterval: Double
    public var numericJSON: Bool
    public var numericJSONObject: Bool
    public var stringListJSON: Bool
    public var retain: Bool
    public var removeSpaces: Bool
    /// genmon's own: commands on `generator/command` are carried out (off: refused and audited).
    public var allowCommands: Bool
    /// genmon's own: publish the original's layout (on by default).
    public var legacyLayout: Bool
    /// genmon's own: publish genmon's versioned layout under `<genmonRootTopic>/v1/<siteID>/` (on by default).
    public var genmonLayout: Bool
    public var genmonRootTopic: String
    /// nil: made from the site name.
    public var siteID: String?

    /// The blacklist of the file the original ships.
    public static let shippedBlacklist = ["Monitor", "Run Time", "Monitor Time", "Generator Time", "External Data"]

    /// Reads `[genmqtt]` from the file at `path`.
    public init(contentsOf path: String) throws(ConfigError) {
        try self.init(file: IniFile(contentsOf: path))
    }

    public init(file: IniFile) throws(ConfigError) {
        let section = try AddOnConfigSection(file, "genmqtt")
        broker = try BrokerSettings(section, defaultClientID: "genmon")
        rootTopic = try section.topic("root_topic")
        blacklist = section.list("blacklist") ?? []
        flushInterval = try section.double("flush_interval", in: 0...31_536_000) ?? 0
        numericJSON = try section.bool("numeric_json") ?? false
        numericJSONObject = try section.bool("numeric_json_object") ?? false
        stringListJSON = try section.bool("strlist_json") ?? false
        retain = try section.bool("retain") ?? false
        removeSpaces = try section.bool("remove_spaces") ?? false
        allowCommands = try section.bool("mqtt_allow_commands") ?? false
        legacyLayout = try section.bool("legacy_layout") ?? true
        genmonLayout = try section.bool("genmon_layout") ?? true
        genmonRootTopic = try section.topic("genmon_root_topic") ?? "genmon"
        siteID = section.string("site_id")
        if let siteID, !SiteIdentifier.isValid(siteID) {
            throw section.error("site_id", "'\(siteID)' must be 1–64 of a-z, 0-9, _ and -")
        }
        if !legacyLayout && !genmonLayout { throw section.error("genmon_layout", "with legacy_layout off too, nothing would be published") }
    }
}

/// `genhomeassistant.conf` `[genhomeassistant]`: the original's keys and genmon's `mqtt_allow_commands`.
public struct HomeAssistantConfiguration: Sendable, Equatable {
    public var broker: BrokerSettings
    public var discoveryPrefix: String
    public var baseTopic: String
    public var deviceID: String
    public var deviceName: String
    /// Seconds between re-publications of every discovery config; 0 = only on connect and HA's `online`.
    public var discoveryInterval: Double
    /// Substrings (compared without case) of entity ids or names not offered.
    public var blacklist: [String]
    public var includeMonitorStats: Bool
    public var includeWeather: Bool
    public var includeLogs: Bool
    /// Host for the device's `configuration_url` (`http://<monitor_address>:<http_port>`); nil leaves it out.
    public var monitorAddress: String?
    /// genmon's own: buttons, the quiet-mode switch and the exercise controls are offered and carried out.
    public var allowCommands: Bool

    public init(contentsOf path: String) throws(ConfigError) {
        try self.init(file: IniFile(contentsOf: path))
    }

    public init(file: IniFile) throws(ConfigError) {
        let section = try AddOnConfigSection(file, "genhomeassistant")
        broker = try BrokerSettings(section, defaultClientID: "genmon_ha")
        discoveryPrefix = try section.topic("discovery_prefix") ?? "homeassistant"
        baseTopic = try section.topic("base_topic") ?? "genmon"
        deviceID = section.string("device_id") ?? "generator"
        guard SiteIdentifier.isValid(deviceID) else {
            throw section.error("device_id", "'\(deviceID)' must be 1–64 of a-z, 0-9, _ and - (it is part of every unique id)")
        }
        deviceName = section.string("device_name") ?? "Generator"
        discoveryInterval = try section.double("discovery_interval", in: 0...86_400) ?? 300
        blacklist = section.list("blacklist") ?? ["Tiles"]
        includeMonitorStats = try section.bool("include_monitor_stats") ?? true
        includeWeather = try section.bool("include_weather") ?? false
        includeLogs = try section.bool("include_logs") ?? true
        monitorAddress = section.string("monitor_address")
        allowCommands = try section.bool("mqtt_allow_commands") ?? false
    }
}

/// Site and device identifiers that go into topics and unique ids.
public enum SiteIdentifier {
    /// 1–64 characters of `a-z 0-9 _ -` (upper case allowed as written by users of the original).
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" }
    }

    /// A site name made into an identifier: lower case, runs of other characters → `_`.
    public static func from(siteName: String) -> String {
        var result = ""
        for scalar in siteName.lowercased().unicodeScalars {
            if scalar.isASCII && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-") {
                result.unicodeScalars.append(scalar)
            } else if !result.hasSuffix("_") {
                result += "_"
            }
        }
        let trimmed = String(result.trimmingCharacters(in: CharacterSet(charactersIn: "_")).prefix(64))
        return trimmed.isEmpty ? "site" : trimmed
    }
}

/// Which MQTT add-ons run, and their files: from genloader.conf's `enable` flags, or, without one,
/// from the files beside genmon.conf. Problems are returned, not thrown: genmon monitors on without them.
public struct MQTTAddOns: Sendable {
    public var genmqtt: GenMQTTConfiguration?
    public var homeAssistant: HomeAssistantConfiguration?
    /// What could not be read, with file, line and key.
    public var problems: [String] = []

    public var isEmpty: Bool { genmqtt == nil && homeAssistant == nil }

    public init(directory: String, switches: AddonSwitches) {
        let fileManager = FileManager.default
        let mqttPath = (directory as NSString).appendingPathComponent("genmqtt.conf")
        let haPath = (directory as NSString).appendingPathComponent("genhomeassistant.conf")
        if switches.isEnabled("genmqtt", configurationExists: fileManager.fileExists(atPath: mqttPath)) {
            do { genmqtt = try GenMQTTConfiguration(contentsOf: mqttPath) } catch { problems.append("MQTT (genmqtt) is off: \(error)") }
        }
        if switches.isEnabled("genhomeassistant", configurationExists: fileManager.fileExists(atPath: haPath)) {
            do { homeAssistant = try HomeAssistantConfiguration(contentsOf: haPath) } catch {
                problems.append("Home Assistant discovery is off: \(error)")
            }
        }
    }
}
