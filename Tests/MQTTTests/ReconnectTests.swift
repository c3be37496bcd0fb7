import Foundation
import GenmonTesting
import Testing
@testable import MQTT
import MQTTProtocol

@Suite("Reconnecting: broker restarts, persistent sessions, dead connections", .tags(.process), .slowTier)
struct ReconnectTests {
    static let versions: [MQTTVersion] = [.v3_1_1, .v5]

    @Test("after a broker restart the client reconnects, restores its subscriptions and delivers only the newest buffered state",
          arguments: versions)
    func brokerRestart(version: MQTTVersion) async throws {
        try await withRig { broker, rig in
            let proxy = try await rig.proxy()
            let log = LogCapture()
            let commands = MessageRecorder()
            let client = try rig.client(port: proxy.port, version: version, log: log) { session in
                session.bufferLimits = MQTTBufferLimits(maximumEvents: 3)
            }
            try await connectAndSubscribe(client, "cmd/#", probeTopic: "cmd/probe", into: commands)

            await broker.stop()
            try await waitForStatus(client, "connection lost") { $0.state != .connected }
            proxy.mode = .refuse  // keep the client out until the observer is listening
            for value in 1...3 { try client.publish(topic: "state/engine", text: "v\(value)", qos: .atLeastOnce, retain: true) }
            for value in 1...5 { try client.publish(topic: "events/log", text: "e\(value)", qos: .atLeastOnce) }
            let buffered = try await waitForStatus(client, "buffered") { $0.queuedMessages == 4 }
            #expect(buffered.droppedMessages == 2)

            try await broker.start()
            let observed = MessageRecorder()
            let observer = try rig.client(version: version)
            try await connectAndSubscribe(observer, "#", probeTopic: "observer/probe", into: observed)
            proxy.mode = .forward
            let messages = try await observed.waitFor("buffered messages") { messages in
                messages.contains { $0.text == "v3" } && messages.contains { $0.text == "e5" }
            }
            let delivered = messages.filter { $0.topic == "state/engine" || $0.topic == "events/log" }.map(\.text)
            #expect(delivered == ["v3", "e3", "e4", "e5"])

            // The subscription was restored on the restarted broker (which forgot everything).
            try observer.publish(topic: "cmd/set", text: "quiet on", qos: .atLeastOnce)
            try await commands.waitFor("command after restart") { $0.contains { $0.text == "quiet on" } }
            let warnings = log.lines(atLeast: .warning)
            #expect(warnings.count <= 2, "\(warnings)")
            #expect(log.lines(atLeast: .notice).contains { $0.contains("again after") })
        }
    }

    @Test("with a persistent session, unacknowledged QoS 1 messages are re-sent with DUP after reconnecting", arguments: versions)
    func resendWithDup(version: MQTTVersion) async throws {
        try await withRig { _, rig in
            let observed = MessageRecorder()
            let observer = try rig.client(version: version)
            try await connectAndSubscribe(observer, "dup/#", probeTopic: "dup/probe", into: observed)
            let proxy = try await rig.proxy()
            let client = try rig.client(port: proxy.port, version: version, clientID: "persistent-\(version.rawValue)", cleanSession: false)
            client.start()
            try await waitForStatus(client, "connected") { $0.state == .connected }

            proxy.mode = .blackhole  // the PUBLISHes vanish on the way, no PUBACK comes back
            try client.publish(topic: "dup/one", text: "1", qos: .atLeastOnce)
            try client.publish(topic: "dup/two", text: "2", qos: .atLeastOnce)
            try await waitForStatus(client, "two in flight") { $0.inFlightMessages == 2 }
            proxy.mode = .refuse
            proxy.cutAll()
            try await waitForStatus(client, "connection lost") { $0.state != .connected }
            proxy.mode = .forward
            try await observed.waitFor("re-sent messages") { messages in
                messages.contains { $0.text == "1" } && messages.contains { $0.text == "2" }
            }
            try await waitForStatus(client, "acknowledged") { $0.state == .connected && $0.inFlightMessages == 0 }
            let counters = try await statistics(client)
            #expect(counters.messagesResent == 2 && counters.messagesAcknowledged == 2)
        }
    }

    @Test("a connection that stops answering is declared dead by keep-alive and re-established")
    func deadConnection() async throws {
        try await withRig { _, rig in
            let proxy = try await rig.proxy()
            let client = try rig.client(port: proxy.port, version: .v5, keepAlive: 1) { session in
                session.responseTimeout = .seconds(1)
            }
            client.start()
            try await waitForStatus(client, "connected") { $0.state == .connected }
            proxy.mode = .blackhole
            let dead = try await waitForStatus(client, "ping timeout") { $0.lastError != nil }
            #expect(dead.lastError == MQTTSessionError.pingTimeout.description)
            proxy.mode = .forward
            proxy.cutAll()
            try await waitForStatus(client, "connected again") { $0.state == .connected }
        }
    }

    @Test("while the broker is away publishing never blocks and the buffer keeps to its limits")
    func boundedWhileAway() async throws {
        try await withRefusingPort { port in
            var session = MQTTSessionConfiguration(clientID: "away", backoff: MQTTBackoff(initial: .seconds(1), maximum: .seconds(5)))
            session.bufferLimits = MQTTBufferLimits(maximumRetainedTopics: 10, maximumEvents: 100, maximumBytes: 1 << 20)
            let client = try MQTTClient(configuration: MQTTClientConfiguration(host: "127.0.0.1", port: port, session: session),
                                        logger: LogCapture().logger)
            client.start()
            for index in 0..<20_000 {
                try client.publish(topic: "state/\(index % 10)", text: "\(index)", qos: .atLeastOnce, retain: true)
                try client.publish(topic: "events", text: "\(index)", qos: .atLeastOnce)
            }
            let status = try await waitForStatus(client, "all publications handled") { $0.queuedMessages == 110 && $0.droppedMessages == 19_900 }
            #expect(status.state != .connected)
            await client.shutdown(drainTimeout: .zero)
        }
    }
}
