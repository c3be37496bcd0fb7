import Foundation
import Generac
import GenmonConfig
import GenmonTesting
import LegacyProtocol
import Logging
import Monitor
import MQTT
import MQTTProtocol
import Synchronization

/// The real register dumps of Tests/Fixtures and what the original answered for them.
enum Fixture: String, CaseIterable, Sendable, CustomStringConvertible {
    case evolutionAC = "evo_ac_issue49_raymondjclark_20171108"
    case nexusLC = "nexus_lc_issue35_JeanB51"

    var description: String { rawValue }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The moment the answers were captured (their Monitor Time is masked anyway).
    static let now = Date(timeIntervalSince1970: 1_795_733_906)

    func snapshot() throws -> GeneratorSnapshot {
        let image = try RegisterImage(dumpJSON: Data(contentsOf: Self.root.appendingPathComponent("dumps/\(rawValue).json")))
        return GeneratorSnapshot.fromImage(image, timeZone: .utc, siteName: "TestSite", now: Self.now)
    }

    func answerPath(_ file: String) -> String { Self.root.appendingPathComponent("answers/\(rawValue)/\(file)").path }
}

extension TimeZone {
    static let utc = TimeZone(identifier: "UTC")!
}

/// The report context the fixture answers were made with.
let fixtureContext = ReportContext(now: Fixture.now, timeZone: .utc, siteName: "TestSite")

/// Paths whose values depend on time or the host: left out when comparing with the original's answers.
let timeOrHostKeys = ["Monitor Time", "Run time", "System Time", "System Uptime", "Packet Count", "Packets Per Second",
                      "Average Transaction Time", "CPU Utilization", "Platform Stats", "Generator Time"]

/// The Python the tests use (CI's venv with prometheus_client, or this machine's python3).
let testPython: String = ProcessInfo.processInfo.environment["GENMON_TEST_PYTHON"] ?? "/usr/bin/env"
let testPythonArguments: [String] = ProcessInfo.processInfo.environment["GENMON_TEST_PYTHON"] == nil ? ["python3"] : []

/// Runs a Python script with arguments; its standard output and status.
func runPython(_ script: String, _ arguments: [String] = [], input: String? = nil) async throws -> (output: String, status: Int32) {
    try await ProcessRunner.run(URL(fileURLWithPath: testPython), testPythonArguments + ["-c", script] + arguments, input: input, errors: .merged)
}

/// Every message an observing client sees on a broker, in order.
final class BrokerWatcher: Sendable {
    let client: MQTTClient
    private let log = MessageLog()

    final class MessageLog: Sendable {
        let messages = Mutex<[MQTTMessage]>([])
    }

    init(broker: MosquittoBroker, filters: [String] = ["#"]) throws {
        var logger = Logger(label: "test.observer")
        logger.logLevel = .error
        let session = MQTTSessionConfiguration(clientID: "observer-\(UUID().uuidString.prefix(6))", username: "observer",
                                               password: Array("observer-secret".utf8), backoff: MQTTBackoff(initial: .milliseconds(100), maximum: .milliseconds(500)))
        client = try MQTTClient(configuration: MQTTClientConfiguration(host: "127.0.0.1", port: broker.port, session: session), logger: logger)
        client.start()
        for filter in filters {
            try client.subscribe(filter, qos: .atLeastOnce) { [log] message in log.messages.withLock { $0.append(message) } }
        }
    }

    var all: [MQTTMessage] { log.messages.withLock { $0 } }
    func clear() { log.messages.withLock { $0.removeAll() } }

    /// The newest payload seen on each topic.
    var latest: [String: String] {
        var result: [String: String] = [:]
        for message in all { result[message.topic] = message.text }
        return result
    }

    /// Waits until `condition` holds for what was seen (polling every 10 ms); false after `timeout`.
    func wait(timeout: Duration = .seconds(15), until condition: ([MQTTMessage]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(all) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(all)
    }

    func waitForConnection() async -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if client.status.state == .connected { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func publish(_ topic: String, _ text: String, retain: Bool = false) throws {
        try client.publish(topic: topic, text: text, qos: .atLeastOnce, retain: retain)
    }

    func stop() async { await client.shutdown(drainTimeout: .milliseconds(200)) }
}

/// A folder with genmon.conf and the add-on files, removed at the end.
final class ConfigFolder: Sendable {
    let url: URL

    init(files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-mqtt-conf-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// genmqtt.conf as the original ships it (our comments), pointed at `broker`.
func genmqttConf(port: Int, extra: String = "") -> String {
    """
    [genmqtt]
    # the broker
    mqtt_address = 127.0.0.1
    mqtt_port = \(port)
    username = genmon
    password = genmon-secret
    poll_interval = 2.0
    root_topic =
    blacklist = Monitor,Run Time,Monitor Time,Generator Time,External Data
    flush_interval = 0
    numeric_json = False
    retain = True
    \(extra)
    """
}

func genhomeassistantConf(port: Int, extra: String = "") -> String {
    """
    [genhomeassistant]
    mqtt_address = 127.0.0.1
    mqtt_port = \(port)
    username = genmon
    password = genmon-secret
    discovery_prefix = homeassistant
    base_topic = genmon
    device_id = generator
    device_name = Generator
    \(extra)
    """
}
