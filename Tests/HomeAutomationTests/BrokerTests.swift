import Foundation
import GenmonConfig
import GenmonTesting
@testable import HomeAutomation
import LegacyProtocol
import Logging
import Monitor
import MQTT
import MQTTProtocol
import Testing

/// Against a real mosquitto started by the test (password file, TLS with a CA the test makes).
@Suite("MQTT publishing against a real broker", .serialized, .tags(.process), .slowTier,
       .enabled(if: MosquittoBroker.isInstalled, "mosquitto is not installed"))
struct BrokerTests {
    static let fastBackoff = MQTTBackoff(initial: .milliseconds(100), maximum: .milliseconds(400))

    func service(_ generator: any GeneratorService, genmqtt: String?, homeAssistant: String?) throws -> MQTTPublishingService {
        var logger = Logger(label: "test.mqtt")
        logger.logLevel = ProcessInfo.processInfo.environment["GENMON_TEST_MQTT_DEBUG"] == nil ? .error : .trace
        return try MQTTPublishingService(
            service: generator, genmqtt: try genmqtt.map { try GenMQTTConfiguration(file: IniFile(text: $0)) },
            homeAssistant: try homeAssistant.map { try HomeAssistantConfiguration(file: IniFile(text: $0)) },
            context: fixtureContext, siteName: "TestSite", backoff: Self.fastBackoff, logger: logger)
    }

    /// Runs `body` with the service running and connected; stops it cleanly afterwards.
    func running(_ service: MQTTPublishingService, _ body: () async throws -> Void) async throws {
        let task = Task { await service.run() }
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, !service.links.allSatisfy({ $0.status.state == .connected }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        // Connected: give the channels a moment to subscribe.
        try await Task.sleep(for: .milliseconds(200))
        do { try await body() } catch {
            task.cancel()
            await task.value
            throw error
        }
        task.cancel()
        await task.value
    }

    @Test("with a password: the original's topics and payloads for a fixture dump, client_status Online, then Offline at a clean stop")
    func legacyTopics() async throws {
        let broker = try await MosquittoBroker.start()
        let watcher = try BrokerWatcher(broker: broker, filters: ["generator/#"])
        #expect(await watcher.waitForConnection())
        let generator = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        let service = try service(generator, genmqtt: genmqttConf(port: broker.port, extra: "genmon_layout = False"), homeAssistant: nil)
        let layout = LegacyTopicLayout(blacklist: GenMQTTConfiguration.shippedBlacklist)
        let reports = try #require(Reports(snapshot: try Fixture.evolutionAC.snapshot(), context: fixtureContext))
        let expected = layout.messages(for: layout.tree(reports))
        try await running(service) {
            #expect(await watcher.wait { messages in Set(messages.map(\.topic)).isSuperset(of: expected.map(\.topic)) },
                    "missing: \(Set(expected.map(\.topic)).subtracting(watcher.all.map(\.topic)).sorted().prefix(5))")
            let latest = watcher.latest
            for (topic, payload) in expected where !topic.contains("Time") { #expect(latest[topic] == payload, "\(topic)") }
            #expect(latest["generator/client_status"] == "Online")
            #expect(!latest.keys.contains { $0.hasPrefix("generator/Monitor/") })
        }
        #expect(await watcher.wait { _ in watcher.latest["generator/client_status"] == "Offline" })
        await watcher.stop()
    }

    @Test("over TLS with the test's CA: genmon's own layout with numbers as numbers, metadata, availability and events")
    func tlsAndSiteLayout() async throws {
        let broker = try await MosquittoBroker.start(tls: true)
        let watcher = try BrokerWatcher(broker: broker, filters: ["genmon/#"])
        #expect(await watcher.waitForConnection())
        let generator = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        let tlsPort = try #require(broker.tlsPort)
        // The original forces 8883 with TLS; the test's broker listens elsewhere, so the port is set after reading.
        var config = try GenMQTTConfiguration(file: IniFile(text: genmqttConf(port: 1, extra: "legacy_layout = False\ncert_authority_path = \(broker.caFile)")))
        config.broker.port = tlsPort
        var logger = Logger(label: "test.mqtt")
        logger.logLevel = .error
        let service = try MQTTPublishingService(service: generator, genmqtt: config, homeAssistant: nil, context: fixtureContext,
                                                siteName: "Test Site", backoff: Self.fastBackoff, logger: logger)
        try await running(service) {
            #expect(await watcher.wait { _ in watcher.latest["genmon/v1/test_site/figure/battery_voltage"] == "14.3" })
            let latest = watcher.latest
            #expect(latest["genmon/v1/test_site/availability"] == "online")
            #expect(latest["genmon/v1/test_site/figure/engine_state"] == "Off - Ready")
            #expect(latest["genmon/v1/test_site/figure/generator_running"] == "OFF")
            let meta = try HomeAssistantSchema.parse(try #require(latest["genmon/v1/test_site/meta/battery_voltage"]))
            #expect(meta["unit"]?.text == "V" && meta["type"]?.text == "number" && meta["schema"] == .int(1))
            let state = try HomeAssistantSchema.parse(try #require(latest["genmon/v1/test_site/state"]))
            #expect(state["schema"] == .int(1) && state["site"]?.text == "test_site")
            #expect(state["figures"]?["battery_voltage"] == .double(14.3) && state["figures"]?["rpm"] == .int(0))
            await generator.publish(MonitorEvent(time: Fixture.now, kind: .outageStarted(utilityVolts: 0)))
            #expect(await watcher.wait { $0.contains { $0.topic == "genmon/v1/test_site/event" && $0.text.contains("outage_started") && !$0.retain } })
        }
        await watcher.stop()
    }

    @Test("a changed value is on the broker within 0.5 s of the monitor publishing it (a real monitor reading the simulator)")
    func latency() async throws {
        let broker = try await MosquittoBroker.start()
        let watcher = try BrokerWatcher(broker: broker, filters: ["generator/#", "genmon/#"])
        #expect(await watcher.waitForConnection())
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        let service = try service(rig.monitor, genmqtt: genmqttConf(port: broker.port), homeAssistant: nil)
        try await running(service) {
            #expect(await watcher.wait { _ in watcher.latest["generator/Outage/System In Outage"] == "No" })
            var worst = Duration.zero
            for round in 0..<3 {
                await rig.sim(round % 2 == 0 ? "utility off" : "utility on")
                let wanted = round % 2 == 0 ? "Yes" : "No"
                // Step the monitor until its snapshot shows the change, then time the broker from there.
                _ = try #require(await rig.run(until: .seconds(120)) { ($0.outage.inOutage ? "Yes" : "No") == wanted })
                let seen = ContinuousClock.now
                #expect(await watcher.wait(timeout: .seconds(5)) { _ in watcher.latest["generator/Outage/System In Outage"] == wanted })
                #expect(await watcher.wait(timeout: .seconds(5)) { _ in watcher.latest["genmon/v1/testsite/figure/system_in_outage"] == (wanted == "Yes" ? "ON" : "OFF") })
                worst = max(worst, seen.duration(to: .now))
            }
            #expect(worst < .milliseconds(500), "slowest: \(worst)")
        }
        await rig.stop()
        await watcher.stop()
    }

    @Test("broker restart: genmon reconnects and publishes everything again")
    func brokerRestart() async throws {
        let broker = try await MosquittoBroker.start()
        let generator = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        let service = try service(generator, genmqtt: genmqttConf(port: broker.port), homeAssistant: genhomeassistantConf(port: broker.port))
        let watcher = try BrokerWatcher(broker: broker)
        #expect(await watcher.waitForConnection())
        try await running(service) {
            #expect(await watcher.wait { _ in watcher.latest["homeassistant/sensor/generator/battery_voltage/config"] != nil })
            // Everything that arrives from now on was published again (the broker keeps nothing across a restart).
            watcher.clear()
            try await broker.restart()
            #expect(await watcher.wait(timeout: .seconds(20)) { _ in
                let latest = watcher.latest
                return latest["generator/Status/Engine/Battery Voltage"] == "14.30 V" && latest["genmon/v1/testsite/figure/rpm"] == "0"
                    && latest["homeassistant/sensor/generator/battery_voltage/config"] != nil && latest["genmon/status"] == "online"
            }, "seen after the restart: \(watcher.latest.keys.sorted().prefix(8))")
            #expect(service.links.allSatisfy { $0.status.state == .connected && $0.status.lastPublishAt != nil })
        }
        await watcher.stop()
    }

    @Test("Home Assistant's online birth message makes genmon publish its discovery again; stale entities are removed")
    func homeAssistantBirth() async throws {
        let broker = try await MosquittoBroker.start()
        let watcher = try BrokerWatcher(broker: broker, filters: ["homeassistant/#", "genmon/#"])
        #expect(await watcher.waitForConnection())
        // An entity an older genmon offered, still retained on the broker.
        try watcher.publish("homeassistant/sensor/generator/old_entity/config", #"{"name": "Old"}"#, retain: true)
        #expect(await watcher.wait { $0.contains { $0.topic == "homeassistant/sensor/generator/old_entity/config" } })
        let generator = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        let service = try service(generator, genmqtt: nil, homeAssistant: genhomeassistantConf(port: broker.port))
        try await running(service) {
            let config = "homeassistant/sensor/generator/battery_voltage/config"
            #expect(await watcher.wait { $0.contains { $0.topic == config } })
            #expect(await watcher.wait { $0.contains { $0.topic == "homeassistant/sensor/generator/old_entity/config" && $0.payload.isEmpty } },
                    "the stale config was not removed")
            #expect(watcher.latest["genmon/status"] == "online")
            #expect(watcher.latest["genmon/sensor/battery_voltage/state"] == "14.3")
            let before = watcher.all.filter { $0.topic == config }.count
            try watcher.publish("homeassistant/status", "online")
            #expect(await watcher.wait { $0.filter { $0.topic == config }.count > before }, "discovery was not published again")
            #expect(!watcher.all.contains { $0.topic.hasPrefix("homeassistant/button/") }, "controls are offered only with mqtt_allow_commands")
        }
        #expect(await watcher.wait { _ in watcher.latest["genmon/status"] == "offline" })
        await watcher.stop()
    }

    @Test("commands over MQTT: refused and audited by default; with mqtt_allow_commands confirmed by the controller and audited")
    func commands() async throws {
        let broker = try await MosquittoBroker.start()
        let watcher = try BrokerWatcher(broker: broker, filters: ["generator/command/response", "genmon/command/response"])
        #expect(await watcher.waitForConnection())
        for allowed in [false, true] {
            let rig = ClockedMonitorRig()
            _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
            let extra = "genmon_layout = False" + (allowed ? "\nmqtt_allow_commands = True" : "")
            let service = try service(rig.monitor, genmqtt: genmqttConf(port: broker.port, extra: extra),
                                      homeAssistant: genhomeassistantConf(port: broker.port, extra: allowed ? "mqtt_allow_commands = True" : ""))
            watcher.clear()
            try await running(service) {
                // The door reads the controller back on the rig's clock: keep it moving while waiting for each answer.
                func answer(on topic: String) async -> [String: ReportValue]? {
                    let mover = Task {
                        while !Task.isCancelled {
                            await rig.clock.advanceToNextDeadline()
                            try? await Task.sleep(for: .milliseconds(5))
                        }
                    }
                    defer { mover.cancel() }
                    guard await watcher.wait(timeout: .seconds(30), until: { $0.contains { $0.topic == topic } }),
                          let text = watcher.all.last(where: { $0.topic == topic })?.text else { return nil }
                    return try? HomeAssistantSchema.parse(text)
                }
                try watcher.publish("generator/command", "setremote=start")
                let response = try #require(await answer(on: "generator/command/response"), "seen: \(watcher.all.map(\.topic))")
                #expect(response["result"]?.text == (allowed ? "confirmed" : "refused"), "\(response)")
                #expect(response["origin"]?.text == "mqtt:genmon")
                try watcher.publish("genmon/switch/quiet_mode/set", "ON")
                let pressed = try #require(await answer(on: "genmon/command/response"), "seen: \(watcher.all.map(\.topic))")
                // Quiet mode has no read-back on every controller: "sent" is a success too.
                let expected: Set<String> = allowed ? ["confirmed", "sent"] : ["refused"]
                #expect(expected.contains(pressed["result"]?.text ?? "") && pressed["origin"]?.text == "mqtt:genmon_ha", "\(pressed)")
            }
            await rig.stop()
            let audits = await rig.persistence.audits.filter { $0.origin.interface == .mqtt }
            #expect(audits.map(\.command) == ["setremote=start", "setquiet=on"])
            #expect(audits.first?.result == (allowed ? .confirmed : .refused))
            #expect(audits.allSatisfy { $0.origin.mayControl == allowed && (allowed ? $0.result != .refused : $0.result == .refused) })
        }
        await watcher.stop()
    }
}
