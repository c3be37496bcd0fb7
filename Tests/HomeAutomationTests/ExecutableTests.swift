import Foundation
import GenmonTesting
import Monitor
import Simulator
import Testing

/// The built `genmon run` with genmqtt.conf and genhomeassistant.conf beside its genmon.conf, against
/// the simulator and a real mosquitto: everything published, `/metrics` behind a token, and `kill -9`
/// making the broker publish every last will.
@Suite("genmon run with MQTT", .serialized, .tags(.process), .slowTier, .timeLimit(.minutes(5)),
       .enabled(if: GenmonExecutable.isBuilt && MosquittoBroker.isInstalled, "needs the genmon executable and mosquitto"))
struct ExecutableTests {
    static func simulator() async throws -> (SimulatedController, RunningSimulator) {
        let start = Date()
        let profile = ControllerProfile.standard(.evolutionLiquidCooled, start: start)
        let controller = SimulatedController(simulation: Simulation(model: GeneratorModel(profile: profile, start: start)),
                                             clock: ScaledClock(start: start), faults: FaultInjector(pacing: .off))
        return (controller, try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: controller.faults))
    }

    static func port(after label: String, in output: String) -> Int? {
        guard let range = output.range(of: label) else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    func curl(_ url: String, token: String? = nil) async throws -> (status: Int, body: String) {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", url]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let result = try await ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments, errors: .discarded)
        let status = Int(result.output.split(separator: "\n").last ?? "") ?? 0
        return (status, String(result.output.dropLast(String(status).count)))
    }

    @Test("kill -9 of genmon: the broker publishes the last wills (Offline, offline); /metrics needs a token and counts what MQTT shows")
    func killNine() async throws {
        let broker = try await MosquittoBroker.start()
        let watcher = try BrokerWatcher(broker: broker, filters: ["generator/client_status", "genmon/#"])
        #expect(await watcher.waitForConnection())
        let (_, simulator) = try await Self.simulator()
        let folder = try ConfigFolder(files: [
            "genmon.conf": "[GenMon]\nsitename = Cabin\n",
            "genmqtt.conf": genmqttConf(port: broker.port),
            "genhomeassistant.conf": genhomeassistantConf(port: broker.port, extra: "base_topic = genmon/ha"),
        ])
        let data = folder.path("data")
        let token = try await GenmonExecutable.run(["token", "add", "prometheus", "--data-dir", data], errors: .discarded).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let genmon = try await GenmonExecutable.start(["run", "--config", folder.path("genmon.conf"), "--device", simulator.address,
                                                 "--data-dir", data, "--web-port", "0", "--socket-port", "0"])
        let printed = try await genmon.waitForOutput("complete status after", timeout: .seconds(60))
        let webPort = try #require(Self.port(after: "web app on http://127.0.0.1:", in: printed))

        #expect(await watcher.wait(timeout: .seconds(20)) { _ in
            let latest = watcher.latest
            return latest["generator/client_status"] == "Online" && latest["genmon/v1/cabin/availability"] == "online"
                && latest["genmon/ha/status"] == "online" && latest["genmon/v1/cabin/figure/battery_voltage"] != nil
        }, "seen: \(watcher.latest)\n\(genmon.output)")

        #expect(try await curl("http://127.0.0.1:\(webPort)/metrics").status == 401)
        let metrics = try await curl("http://127.0.0.1:\(webPort)/metrics", token: token)
        #expect(metrics.status == 200)
        let parsed = try await runPython(prometheusParser, input: metrics.body)
        #expect(parsed.status == 0, "\(parsed.output)")
        for purpose in ["genmqtt", "genmon layout", "Home Assistant"] {
            #expect(parsed.output.contains("genmon_mqtt_connected\tgauge\tgenmon_mqtt_connected\tpurpose=\(purpose)\t1.0"), "\(purpose)")
        }
        let battery = parsed.output.split(separator: "\n").first { $0.hasPrefix("genmon_battery_voltage_volts\t") }?.split(separator: "\t").last
        #expect(battery.flatMap { Double($0) } == watcher.latest["genmon/v1/cabin/figure/battery_voltage"].flatMap { Double($0) })
        #expect(parsed.output.contains("genmon_modbus_transaction_duration_seconds_count"))
        let communication = try await curl("http://127.0.0.1:\(webPort)/api/v1/communication", token: token)
        #expect(communication.body.contains(#""name":"MQTT: Home Assistant""#) && communication.body.contains(#""state":"connected""#))

        genmon.signal(SIGKILL)
        #expect(await watcher.wait(timeout: .seconds(10)) { _ in
            let latest = watcher.latest
            return latest["generator/client_status"] == "Offline" && latest["genmon/v1/cabin/availability"] == "offline"
                && latest["genmon/ha/status"] == "offline"
        }, "after kill -9: \(watcher.latest.filter { $0.key.contains("status") || $0.key.contains("availability") })")
        #expect(broker.log.contains("disconnect") || broker.log.contains("closed"), "the broker saw the connection go")
        _ = await genmon.waitForExit(timeout: .seconds(5))
        await simulator.shutdown()
        await watcher.stop()
    }
}
