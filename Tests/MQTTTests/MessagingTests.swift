import Foundation
import GenmonTesting
import Testing
@testable import MQTT
import MQTTProtocol

@Suite("Messages through mosquitto: retained, last will, inbound handlers", .tags(.process), .slowTier)
struct MessagingTests {
    static let versions: [MQTTVersion] = [.v3_1_1, .v5]
    static let statusTopic = "genmon/site/status"

    func will() -> MQTTWill { MQTTWill(topic: Self.statusTopic, payload: Array("offline".utf8), qos: .atLeastOnce, retain: true) }

    @Test("a retained message reaches a client that subscribes later, flagged as retained", arguments: versions)
    func retained(version: MQTTVersion) async throws {
        try await withRig { _, rig in
            let publisher = try rig.client(version: version)
            publisher.start()
            try publisher.publish(topic: "state/engine", text: "Running", qos: .atLeastOnce, retain: true)
            try await waitForStatus(publisher, "retained message acknowledged") { $0.messagesSent == 1 && $0.inFlightMessages == 0 }
            let late = try rig.client(version: version)
            let received = MessageRecorder()
            try late.subscribe("state/#", handler: received.handler)
            late.start()
            let messages = try await received.waitFor("retained state") { !$0.isEmpty }
            #expect(messages.first?.topic == "state/engine" && messages.first?.text == "Running")
            #expect(messages.first?.retain == true)
        }
    }

    @Test("the broker publishes the last will when the connection is cut without DISCONNECT", arguments: versions)
    func willOnAbruptLoss(version: MQTTVersion) async throws {
        try await withRig { _, rig in
            let observed = MessageRecorder()
            let observer = try rig.client(version: version)
            try await connectAndSubscribe(observer, "genmon/#", probeTopic: "genmon/probe", into: observed)
            let proxy = try await rig.proxy()
            let client = try rig.client(port: proxy.port, version: version, will: will())
            client.start()
            try await waitForStatus(client, "connected through the proxy") { $0.state == .connected }
            try client.publish(topic: Self.statusTopic, text: "online", qos: .atLeastOnce, retain: true)
            try await observed.waitFor("online") { $0.contains { $0.topic == Self.statusTopic && $0.text == "online" } }
            proxy.mode = .refuse
            proxy.cutAll()
            try await observed.waitFor("the will") { $0.contains { $0.topic == Self.statusTopic && $0.text == "offline" } }
        }
    }

    @Test("a clean shutdown sends DISCONNECT, so the will is not published", arguments: versions)
    func noWillOnShutdown(version: MQTTVersion) async throws {
        try await withRig { _, rig in
            let observed = MessageRecorder()
            let observer = try rig.client(version: version)
            try await connectAndSubscribe(observer, "genmon/#", probeTopic: "genmon/probe", into: observed)
            let client = try rig.client(version: version, will: will())
            client.start()
            try client.publish(topic: Self.statusTopic, text: "online", qos: .atLeastOnce, retain: true)
            try await observed.waitFor("online") { $0.contains { $0.text == "online" } }
            await client.shutdown()
            #expect(client.status.state == .stopped)
            // A marker from the observer after the shutdown: by the time it comes back, a will would have been sent.
            try observer.publish(topic: "genmon/marker", text: "after shutdown", qos: .atLeastOnce)
            let messages = try await observed.waitFor("marker") { $0.contains { $0.topic == "genmon/marker" } }
            #expect(!messages.contains { $0.text == "offline" })
            // And the retained state a newcomer sees is still "online".
            let newcomer = try rig.client(version: version)
            let seen = MessageRecorder()
            try newcomer.subscribe(Self.statusTopic, handler: seen.handler)
            newcomer.start()
            #expect(try await seen.waitFor("retained status") { !$0.isEmpty }.first?.text == "online")
        }
    }

    @Test("inbound handler: wildcard filters, QoS 1 delivery, unsubscribe stops delivery", arguments: versions)
    func inboundHandler(version: MQTTVersion) async throws {
        try await withRig { _, rig in
            let received = MessageRecorder()
            let client = try rig.client(version: version)
            try await connectAndSubscribe(client, "in/probe", probeTopic: "in/probe", into: received)
            try client.subscribe("in/+/command", qos: .atLeastOnce, handler: received.handler)
            let sender = try rig.client(version: version)
            sender.start()
            // Until the new subscription is active the sender's messages may pass it by: repeat until one arrives.
            try await withTimeout(.seconds(20), "first command") {
                while await !received.messages.contains(where: { $0.topic == "in/a/command" }) {
                    try sender.publish(topic: "in/a/command", text: "start", qos: .atLeastOnce)
                    try sender.publish(topic: "in/b/other", text: "ignored", qos: .atLeastOnce)
                    try sender.publish(topic: "in/probe", text: "tick", qos: .atLeastOnce)
                    try await received.waitFor("tick") { $0.filter { $0.text == "tick" }.count >= 1 }
                    await Task.yield()
                }
            }
            let command = await received.messages.first { $0.topic == "in/a/command" }
            #expect(command?.text == "start" && command?.qos == .atLeastOnce)
            #expect(await !received.messages.contains { $0.topic == "in/b/other" })
            client.unsubscribe("in/+/command")
            let before = await received.messages.filter { $0.topic == "in/a/command" }.count
            // After the unsubscribe has gone out (the next probe round trip proves the order), commands stop.
            try client.publish(topic: "in/probe", text: "after unsubscribe", qos: .atLeastOnce)
            try await received.waitFor("own probe") { $0.contains { $0.text == "after unsubscribe" } }
            try sender.publish(topic: "in/a/command", text: "stop", qos: .atLeastOnce)
            try sender.publish(topic: "in/probe", text: "last", qos: .atLeastOnce)
            try await received.waitFor("last probe") { $0.contains { $0.text == "last" } }
            #expect(await received.messages.filter { $0.topic == "in/a/command" }.count == before)
        }
    }

    @Test("shutdown waits for unacknowledged QoS 1 messages, so the last publications still arrive", arguments: versions)
    func shutdownDrains(version: MQTTVersion) async throws {
        try await withRig { _, rig in
            let observed = MessageRecorder()
            let observer = try rig.client(version: version)
            try await connectAndSubscribe(observer, "drain/#", probeTopic: "drain/probe", into: observed)
            let client = try rig.client(version: version) { session in session.maximumInFlight = 4 }
            client.start()
            try await waitForStatus(client, "connected") { $0.state == .connected }
            for index in 1...40 { try client.publish(topic: "drain/\(index)", text: "\(index)", qos: .atLeastOnce) }
            await client.shutdown(drainTimeout: .seconds(10))
            #expect(client.status.queuedMessages == 0 && client.status.inFlightMessages == 0)
            try await observed.waitFor("all 40") { $0.filter { $0.topic != "drain/probe" }.count == 40 }
        }
    }

    @Test("MQTT 5 publish properties reach the subscriber through mosquitto")
    func v5Properties() async throws {
        try await withRig { _, rig in
            let received = MessageRecorder()
            let subscriber = try rig.client(version: .v5)
            try await connectAndSubscribe(subscriber, "props/#", probeTopic: "props/probe", into: received)
            let publisher = try rig.client(version: .v5)
            publisher.start()
            let properties: MQTTProperties = [.contentType("application/json"), .userProperty(name: "schema", value: "1"),
                                              .messageExpiryInterval(300), .payloadFormatIndicator(1)]
            try publisher.publish(topic: "props/state", text: "{}", qos: .atLeastOnce, properties: properties)
            let message = try await received.waitFor("state with properties") { $0.contains { $0.topic == "props/state" } }
                .first { $0.topic == "props/state" }
            #expect(message?.properties.contentType == "application/json")
            #expect(message?.properties.payloadFormatIndicator == 1)
            #expect(message?.properties.userProperties.first?.name == "schema" && message?.properties.userProperties.first?.value == "1")
            #expect((message?.properties.messageExpiryInterval ?? 0) > 0)
        }
    }
}
