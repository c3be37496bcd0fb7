import Foundation
import GenmonTesting
import Logging
import MQTT
import MQTTProtocol
import Synchronization

/// `genmon run` against the simulator (its own process, 9600-baud pacing) twice: without MQTT, and
/// with genmqtt.conf and genhomeassistant.conf publishing to a local mosquitto (all three layouts,
/// each on its own connection). Prints the genmon process's CPU and resident memory for each run,
/// and how many messages the broker passed on.
enum MQTTBenchmark {
    static let seconds = Double(ProcessInfo.processInfo.environment["GENMON_BENCH_SECONDS"] ?? "") ?? 60

    static func run() async {
        print("\n== genmon run with and without MQTT (simulator in its own process, local mosquitto, \(Int(seconds)) s each)")
        guard let genmon = MonitorBenchmark.siblingExecutable("genmon") else {
            print("genmon executable not found next to genmon-bench; build it first (swift build -c release)")
            return
        }
        guard MosquittoBroker.isInstalled else {
            print("mosquitto is not installed (apt-get install mosquitto)")
            return
        }
        do {
            let broker = try await MosquittoBroker.start()
            for withMQTT in [false, true] { try await measure(genmon: genmon, broker: broker, withMQTT: withMQTT) }
        } catch {
            print("MQTT benchmark failed: \(error)")
        }
    }

    static func measure(genmon: String, broker: MosquittoBroker, withMQTT: Bool) async throws {
        let controlPort = 19_500 + Int(getpid() % 400)
        guard let (simulator, device) = MonitorBenchmark.startSimulator(genmon, controlPort: controlPort) else { return }
        defer { simulator.terminate() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-bench-mqtt-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files = ["genmon.conf": "[GenMon]\nsitename = Bench\n"]
        if withMQTT {
            let broker = "mqtt_address = 127.0.0.1\nmqtt_port = \(broker.port)\nusername = genmon\npassword = genmon-secret\n"
            files["genmqtt.conf"] = "[genmqtt]\n" + broker + "blacklist = Monitor,Run Time,Monitor Time,Generator Time,External Data\n"
            files["genhomeassistant.conf"] = "[genhomeassistant]\n" + broker
        }
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let counter = try MessageCounter(broker: broker)
        let process = try await RunningProcess.start(URL(fileURLWithPath: genmon), [
            "run", "--config", folder.appendingPathComponent("genmon.conf").path, "--device", device,
            "--data-dir", folder.appendingPathComponent("data").path, "--no-web", "--socket-port", "0", "--quiet",
        ])
        defer { process.signal(SIGTERM) }
        // --quiet prints no status line: wait for the monitor to settle instead.
        try await Task.sleep(for: .seconds(15))
        let control = try ControlLine(port: controlPort)
        counter.reset()
        let (cpuBefore, wallBefore) = (cpuSeconds(pid: process.pid), ContinuousClock.now)
        // Something to publish: an outage and its end in the middle of the run.
        let half = Duration.seconds(seconds / 2)
        try await Task.sleep(for: half / 2)
        _ = try await control.send("utility off")
        try await Task.sleep(for: half)
        _ = try await control.send("utility on")
        try await Task.sleep(for: half / 2)
        let wall = wallBefore.duration(to: .now).seconds
        let cpu = cpuSeconds(pid: process.pid) - cpuBefore
        print(String(format: "%@  CPU %.2f %% of one core, resident memory %.1f MiB (peak %.1f MiB), %d messages through the broker",
                     withMQTT ? "with MQTT (3 connections)" : "without MQTT             ", cpu / wall * 100,
                     memory(pid: process.pid, "VmRSS:"), memory(pid: process.pid, "VmHWM:"), counter.count))
        await counter.stop()
    }

    /// User and system CPU seconds of a process, from /proc/<pid>/stat.
    static func cpuSeconds(pid: Int32) -> Double {
        guard let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = line.lastIndex(of: ")") else { return 0 }
        let fields = line[line.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `/proc/<pid>/status` memory line in MiB.
    static func memory(pid: Int32, _ key: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}

/// Counts the messages a subscriber to everything receives.
final class MessageCounter: Sendable {
    let client: MQTTClient
    let tally = Tally()

    final class Tally: Sendable {
        let seen = Mutex(0)
    }

    init(broker: MosquittoBroker) throws {
        var logger = Logger(label: "bench.observer")
        logger.logLevel = .error
        client = try MQTTClient(configuration: MQTTClientConfiguration(host: "127.0.0.1", port: broker.port, session: MQTTSessionConfiguration(
            clientID: "bench-observer", username: "observer", password: Array("observer-secret".utf8))), logger: logger)
        client.start()
        try client.subscribe("#", qos: .atMostOnce) { [tally] _ in tally.seen.withLock { $0 += 1 } }
    }

    var count: Int { tally.seen.withLock { $0 } }
    func reset() { tally.seen.withLock { $0 = 0 } }
    func stop() async { await client.shutdown(drainTimeout: .milliseconds(100)) }
}
