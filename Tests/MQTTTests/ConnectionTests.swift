import Foundation
import GenmonTesting
import Testing
@testable import MQTT
import MQTTProtocol

@Suite("Connecting to mosquitto: passwords, TLS, client certificates", .tags(.process), .slowTier)
struct ConnectionTests {
    static let versions: [MQTTVersion] = [.v3_1_1, .v5]

    @Test("connects with a password; QoS 0 and QoS 1 reach a second client", arguments: versions)
    func passwordAndPublish(version: MQTTVersion) async throws {
        try await withRig { broker, rig in
            let received = MessageRecorder()
            let receiver = try rig.client(version: version)
            try await connectAndSubscribe(receiver, "test/#", probeTopic: "test/probe", into: received)
            let publisher = try rig.client(version: version)
            publisher.start()
            let connected = try await waitForStatus(publisher, "publisher connected") { $0.state == .connected }
            #expect(connected.connectedSince != nil && connected.lastError == nil && connected.broker == "127.0.0.1:\(broker.plainPort)")
            try publisher.publish(topic: "test/q0", text: "zero", qos: .atMostOnce)
            try publisher.publish(topic: "test/q1", text: "one", qos: .atLeastOnce)
            let messages = try await received.waitFor("q0 and q1") { messages in
                messages.contains { $0.topic == "test/q0" } && messages.contains { $0.topic == "test/q1" }
            }
            #expect(messages.first { $0.topic == "test/q0" }?.text == "zero")
            #expect(messages.first { $0.topic == "test/q1" }?.text == "one")
            #expect(messages.first { $0.topic == "test/q1" }?.qos == .atLeastOnce)
            let status = try await waitForStatus(publisher, "PUBACK") { $0.inFlightMessages == 0 && $0.messagesSent == 2 }
            #expect(status.lastPublishAt != nil && status.queuedMessages == 0)
            #expect(try await statistics(publisher).messagesAcknowledged == 1)
        }
    }

    @Test("a wrong password is refused with a clear error, logged once however often it retries", arguments: versions)
    func wrongPassword(version: MQTTVersion) async throws {
        try await withRig { _, rig in
            let log = LogCapture()
            let client = try rig.client(version: version, password: "wrong", log: log)
            client.start()
            let status = try await waitForStatus(client, "several refusals") { $0.failedAttempts >= 5 }
            #expect(status.state != .connected && status.connectedSince == nil)
            // mosquitto answers a wrong password with "not authorized"; other brokers say "bad user name or password".
            #expect(status.lastError?.hasPrefix("broker refused the connection: not authorized (0x87)") == true, "\(status.lastError ?? "")")
            #expect(status.lastError?.contains("check the user name, password") == true)
            #expect(status.lastErrorAt != nil)
            let warnings = log.lines(atLeast: .warning)
            #expect(warnings.count == 1, "\(warnings)")
            #expect(warnings.first?.contains("not authorized") == true)
        }
    }

    @Test("TLS with the test CA, verifying the broker by IP address or by name", arguments: versions)
    func tls(version: MQTTVersion) async throws {
        try await withRig { broker, rig in
            for serverName in [nil, "localhost"] {
                let tls = MQTTTLSConfiguration(caFile: broker.certificates.caFile, serverName: serverName)
                let client = try rig.client(port: broker.tlsPort, version: version, tls: tls)
                let received = MessageRecorder()
                try await connectAndSubscribe(client, "tls/#", probeTopic: "tls/probe", into: received)
                try client.publish(topic: "tls/data", text: "secret", qos: .atLeastOnce, retain: false)
                try await received.waitFor("data over TLS") { $0.contains { $0.topic == "tls/data" && $0.text == "secret" } }
                await client.shutdown()
            }
        }
    }

    @Test("TLS refuses a broker whose certificate the configured CA did not sign (verification is on by default)")
    func untrustedBroker() async throws {
        try await withRig { broker, rig in
            let client = try rig.client(port: broker.tlsPort, version: .v5, tls: MQTTTLSConfiguration(caFile: broker.certificates.otherCAFile))
            client.start()
            let status = try await waitForStatus(client, "a failed handshake") { $0.failedAttempts >= 2 }
            #expect(status.connectedSince == nil)
            #expect(status.lastError?.lowercased().contains("certificate") == true, "\(status.lastError ?? "")")
        }
    }

    @Test("nobody listening: the error says so plainly, and the client keeps trying")
    func nobodyListening() async throws {
        try await withRefusingPort { port in
            let session = MQTTSessionConfiguration(clientID: "x", backoff: MQTTBackoff(initial: .milliseconds(50), maximum: .milliseconds(100)))
            let client = try MQTTClient(configuration: MQTTClientConfiguration(host: "127.0.0.1", port: port, session: session),
                                        logger: LogCapture().logger)
            client.start()
            let status = try await waitForStatus(client, "refusals") { $0.failedAttempts >= 3 }
            await client.shutdown()
            #expect(status.lastError == "cannot connect to 127.0.0.1:\(port): connection refused")
            #expect(status.state != .connected)
        }
    }

    @Test("a missing CA file is reported when the client is made")
    func missingCAFile() {
        let configuration = MQTTClientConfiguration(host: "127.0.0.1", tls: MQTTTLSConfiguration(caFile: "/nonexistent/ca.pem"),
                                                    session: MQTTSessionConfiguration(clientID: "x"))
        #expect(throws: MQTTClientError.self) { try MQTTClient(configuration: configuration, logger: LogCapture().logger) }
    }

    @Test("a client certificate opens the listener that requires one; without it the handshake fails", arguments: versions)
    func clientCertificate(version: MQTTVersion) async throws {
        try await withRig { broker, rig in
            let certificates = broker.certificates
            let withCertificate = MQTTTLSConfiguration(caFile: certificates.caFile, certificateFile: certificates.clientCertificateFile,
                                                       privateKeyFile: certificates.clientKeyFile)
            let client = try rig.client(port: broker.clientCertificatePort, version: version, username: nil, password: nil, tls: withCertificate)
            let received = MessageRecorder()
            try await connectAndSubscribe(client, "cert/#", probeTopic: "cert/probe", into: received)

            let anonymous = try rig.client(port: broker.clientCertificatePort, version: version, username: nil, password: nil,
                                           tls: MQTTTLSConfiguration(caFile: certificates.caFile))
            anonymous.start()
            let status = try await waitForStatus(anonymous, "refusal without a certificate") { $0.failedAttempts >= 2 }
            #expect(status.connectedSince == nil && status.lastError != nil)
        }
    }

    @Test("status updates show connecting, then connected, then stopped")
    func statusStream() async throws {
        try await withRig { _, rig in
            let client = try rig.client(version: .v5)
            let seen = MessageRecorder()  // records states as messages, for its waiting helper
            let updates = client.statusUpdates()
            let watcher = Task {
                for await status in updates { await seen.record(MQTTMessage(topic: "state", text: status.state.rawValue)) }
            }
            client.start()
            try await seen.waitFor("connected") { $0.contains { $0.text == "connected" } }
            await client.shutdown()
            try await seen.waitFor("stopped") { $0.contains { $0.text == "stopped" } }
            // Observers get the newest status, so quick intermediate states may be skipped; the order holds.
            let states = await seen.texts
            #expect(states.firstIndex(of: "connected")! < states.firstIndex(of: "stopped")!)
            #expect(states.last == "stopped")
            await watcher.value  // the stream ends at shutdown
            #expect(throws: MQTTSessionError.stopped) { try client.publish(topic: "t", text: "late") }
        }
    }
}
