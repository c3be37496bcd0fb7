import Foundation
import GenmonConfig
@testable import HomeAutomation
import Testing

@Suite("genmqtt.conf, genhomeassistant.conf and the switches")
struct ConfigurationTests {
    @Test("the original's genmqtt.conf reads as it is, with genmon's defaults for its own keys")
    func genmqtt() throws {
        let file = try IniFile(path: "genmqtt.conf", text: genmqttConf(port: 1883) + "\nnumeric_json_object = True\nstrlist_json = yes\nremove_spaces = 1\n")
        let config = try GenMQTTConfiguration(file: file)
        #expect(config.broker.host == "127.0.0.1" && config.broker.port == 1883 && config.broker.clientID == "genmon")
        #expect(config.broker.username == "genmon" && config.broker.password == "genmon-secret" && config.broker.tls == nil)
        #expect(config.blacklist == GenMQTTConfiguration.shippedBlacklist && config.rootTopic == nil && config.retain)
        #expect(config.numericJSONObject && config.stringListJSON && config.removeSpaces && !config.numericJSON)
        #expect(!config.allowCommands && config.legacyLayout && config.genmonLayout && config.genmonRootTopic == "genmon")
        #expect(config.flushInterval == 0 && config.broker.protocolVersion == "3.1.1")
    }

    @Test("TLS when cert_authority_path names a file: the port is forced to 8883, as in the original")
    func tls() throws {
        let folder = try ConfigFolder(files: ["ca.pem": "x"])
        let text = genmqttConf(port: 1883, extra: "cert_authority_path = \(folder.path("ca.pem"))\ntls_version = 1.2\ncert_reqs = None")
        let config = try GenMQTTConfiguration(file: IniFile(path: "genmqtt.conf", text: text))
        #expect(config.broker.port == 8883)
        let tls = try #require(config.broker.tls)
        #expect(tls.caFile == folder.path("ca.pem") && tls.certificateFile == nil && !tls.verifyBroker && tls.minimumVersion == "1.2")
        let client = config.broker.clientConfiguration(will: nil)
        #expect(client.port == 8883 && client.tls?.verifyCertificate == false && client.session.username == "genmon")
    }

    @Test("bad values name the file, line and key", arguments: [
        ("mqtt_port = 70000", "mqtt_port"), ("flush_interval = soon", "flush_interval"), ("numeric_json = perhaps", "numeric_json"),
        ("root_topic = home/#", "root_topic"), ("cert_authority_path = /nonexistent/ca.pem", "cert_authority_path"),
        ("site_id = my site!", "site_id"), ("mqtt_version = 4", "mqtt_version"),
    ])
    func badValues(_ line: String, _ key: String) throws {
        let text = genmqttConf(port: 1883) + "\n" + line + "\n"
        #expect {
            try GenMQTTConfiguration(file: IniFile(path: "/etc/genmon/genmqtt.conf", text: text))
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.path == "/etc/genmon/genmqtt.conf" && error.line != nil && error.message.hasPrefix(key + ":")
        }
    }

    @Test("a file without the broker address or the section is refused clearly")
    func missing() {
        #expect(throws: ConfigError.self) { try GenMQTTConfiguration(file: IniFile(text: "[genmqtt]\nretain = True\n")) }
        #expect(throws: ConfigError.self) { try HomeAssistantConfiguration(file: IniFile(text: "[other]\nmqtt_address = x\n")) }
    }

    @Test("genhomeassistant.conf: the original's keys and defaults")
    func homeAssistant() throws {
        let config = try HomeAssistantConfiguration(file: IniFile(text: genhomeassistantConf(port: 1884, extra: "monitor_address = 192.0.2.5\nmqtt_allow_commands = true")))
        #expect(config.broker.port == 1884 && config.broker.clientID == "genmon_ha")
        #expect(config.discoveryPrefix == "homeassistant" && config.baseTopic == "genmon" && config.deviceID == "generator")
        #expect(config.discoveryInterval == 300 && config.blacklist == ["Tiles"] && config.allowCommands && config.monitorAddress == "192.0.2.5")
    }

    @Test("genloader.conf switches the add-ons; without it their files do; problems are collected, not thrown")
    func switches() throws {
        let folder = try ConfigFolder(files: [
            "genmqtt.conf": genmqttConf(port: 1883), "genhomeassistant.conf": "[genhomeassistant]\nmqtt_port = 1\n",
            "genloader.conf": "[genmqtt]\nenable = True\n[genhomeassistant]\nenable = False\n",
        ])
        let addOns = MQTTAddOns(directory: folder.url.path, switches: try AddonSwitches(directory: folder.url.path))
        #expect(addOns.genmqtt != nil && addOns.homeAssistant == nil && addOns.problems.isEmpty)
        let withoutLoader = try ConfigFolder(files: ["genhomeassistant.conf": "[genhomeassistant]\nmqtt_port = 1\n"])
        let found = MQTTAddOns(directory: withoutLoader.url.path, switches: .absent)
        #expect(found.genmqtt == nil && found.homeAssistant == nil && found.problems.count == 1)
        #expect(found.problems[0].contains("mqtt_address"))
    }

    @Test("site names become identifiers for topics")
    func siteIdentifiers() {
        #expect(SiteIdentifier.from(siteName: "Home") == "home")
        #expect(SiteIdentifier.from(siteName: "Cabin #2 (north)") == "cabin_2_north")
        #expect(SiteIdentifier.from(siteName: "!!!") == "site")
        #expect(SiteIdentifier.isValid("barn-1") && !SiteIdentifier.isValid("a/b") && !SiteIdentifier.isValid(""))
    }

    @Test("metrics_public in genmon.conf")
    func metricsPublic() throws {
        #expect(try GenmonConfiguration(file: IniFile(text: "[GenMon]\nmetrics_public = True\n")).metricsPublic)
        #expect(try !GenmonConfiguration(file: IniFile(text: "[GenMon]\n")).metricsPublic)
    }
}
