import GenmonTesting
import Testing
@testable import MQTTProtocol

@Suite("Session: publishing, subscriptions, inbound messages")
struct SessionMessagingTests {
    func message(_ text: String, topic: String = "t", qos: MQTTQoS = .atLeastOnce, retain: Bool = false) -> MQTTMessage {
        MQTTMessage(topic: topic, text: text, qos: qos, retain: retain)
    }

    @Test("QoS 1 gets packet identifiers and waits for PUBACK; the window holds the rest back")
    func inFlightWindow() {
        var configuration = SessionHarness.configuration()
        configuration.maximumInFlight = 2
        var harness = SessionHarness(configuration)
        _ = harness.connect()
        #expect(publishes(harness.publish(message("1"))).map(\.packetID) == [1])
        #expect(publishes(harness.publish(message("2"))).map(\.packetID) == [2])
        #expect(publishes(harness.publish(message("3"))).isEmpty)
        #expect(harness.session.inFlightCount == 2 && harness.session.buffer.count == 1)
        // QoS 0 queues behind so that order is kept.
        #expect(publishes(harness.publish(message("4", qos: .atMostOnce))).isEmpty)
        let released = publishes(harness.receive(.pubAck(MQTTPublishAck(packetID: 1))))
        #expect(released.map(\.packetID) == [3, nil] && released.map { String(decoding: $0.payload, as: UTF8.self) } == ["3", "4"])
        #expect(harness.session.statistics.messagesAcknowledged == 1)
        #expect(harness.receive(.pubAck(MQTTPublishAck(packetID: 99))) == [])  // unknown identifier: ignored
    }

    @Test("the broker's receive maximum narrows the window")
    func receiveMaximum() {
        var harness = SessionHarness(SessionHarness.configuration(version: .v5))
        _ = harness.connect(properties: [.receiveMaximum(1)])
        #expect(publishes(harness.publish(message("1"))).count == 1)
        #expect(publishes(harness.publish(message("2"))).isEmpty)
        #expect(publishes(harness.receive(.pubAck(MQTTPublishAck(packetID: 1)))).count == 1)
    }

    @Test("packet identifiers wrap past 65535, skip 0 and skip those still in flight")
    func packetIDWrap() async {
        var configuration = SessionHarness.configuration()
        configuration.maximumInFlight = 3
        var harness = SessionHarness(configuration)
        _ = harness.connect()
        _ = harness.publish(message("held"))  // id 1 stays in flight
        var seen: [UInt16] = []
        var pacer = CooperativePacer()
        for index in 0..<70_000 {
            await pacer.pace()
            guard let id = publishes(harness.publish(message("\(index)"))).first?.packetID else { Issue.record("not sent"); return }
            seen.append(id)
            _ = harness.receive(.pubAck(MQTTPublishAck(packetID: id)))
        }
        #expect(!seen.contains(0) && !seen.contains(1))
        #expect(seen[65533] == 65535 && seen[65534] == 2)
    }

    @Test("while the broker is away messages are buffered, newest state wins, events are bounded")
    func offlineBuffering() {
        var configuration = SessionHarness.configuration()
        configuration.bufferLimits = MQTTBufferLimits(maximumEvents: 2)
        var harness = SessionHarness(configuration)
        _ = harness.session.start(now: harness.now)
        for value in 1...3 { #expect(harness.publish(message("state \(value)", topic: "s", retain: true)) == []) }
        for value in 1...4 { #expect(harness.publish(message("event \(value)", topic: "e", qos: .atMostOnce)) == []) }
        #expect(harness.session.buffer.count == 3 && harness.session.buffer.droppedEvents == 2)
        #expect(harness.session.buffer.replacedStates == 2)
        _ = harness.session.transportConnected(now: harness.now)
        let sent = publishes(harness.receive(.connAck(MQTTConnAck())))
        #expect(sent.map { String(decoding: $0.payload, as: UTF8.self) } == ["state 3", "event 3", "event 4"])
        #expect(sent.first?.retain == true && sent.first?.qos == .atLeastOnce)
    }

    @Test("after reconnecting to a kept session, unacknowledged messages are re-sent with DUP and their identifiers")
    func resendWithDup() throws {
        var harness = SessionHarness(SessionHarness.configuration(clean: false))
        _ = harness.connect()
        _ = try harness.session.subscribe([MQTTSubscription(filter: "cmd/#")], now: harness.now)
        _ = harness.receive(.subAck(MQTTSubAck(packetID: 1, reasonCodes: [.grantedQoS1])))
        let first = publishes(harness.publish(message("a"))) + publishes(harness.publish(message("b")))
        #expect(first.map(\.packetID) == [2, 3] && first.allSatisfy { !$0.dup })
        _ = harness.receive(.pubAck(MQTTPublishAck(packetID: 2)))
        _ = harness.session.connectionLost(.transport("reset"), now: harness.now)
        _ = harness.publish(message("c"))  // buffered meanwhile
        let actions = harness.connect(sessionPresent: true)
        let sent = publishes(actions)
        #expect(sent.map(\.packetID) == [3, 4] && sent.map(\.dup) == [true, false])
        #expect(sent.map { String(decoding: $0.payload, as: UTF8.self) } == ["b", "c"])
        // The broker kept the subscription: it is not sent again.
        #expect(!packets(actions).contains { $0.type == .subscribe })
        #expect(harness.session.statistics.messagesResent == 1)
    }

    @Test("when the broker kept no session, unacknowledged messages are re-published as new ones and subscriptions restored")
    func republishAfterCleanReconnect() throws {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        _ = try harness.session.subscribe([MQTTSubscription(filter: "cmd/#"), MQTTSubscription(filter: "ha/status", qos: .atMostOnce)], now: harness.now)
        _ = harness.receive(.subAck(MQTTSubAck(packetID: 1, reasonCodes: [.grantedQoS1, .grantedQoS0])))
        _ = harness.publish(message("a"))
        _ = harness.publish(message("b"))
        _ = harness.session.connectionLost(.transport("reset"), now: harness.now)
        let actions = harness.connect(sessionPresent: false)
        let sent = packets(actions)
        guard case let .subscribe(subscribe)? = sent.first else { Issue.record("no SUBSCRIBE first: \(sent)"); return }
        #expect(subscribe.subscriptions.map(\.filter) == ["cmd/#", "ha/status"])
        let republished = publishes(actions)
        #expect(republished.map { String(decoding: $0.payload, as: UTF8.self) } == ["a", "b"] && republished.allSatisfy { !$0.dup })
    }

    @Test("with re-publishing off, unacknowledged messages are dropped and counted")
    func dropAfterCleanReconnect() {
        var configuration = SessionHarness.configuration()
        configuration.republishUnacknowledged = false
        var harness = SessionHarness(configuration)
        _ = harness.connect()
        _ = harness.publish(message("a"))
        _ = harness.session.connectionLost(.transport("reset"), now: harness.now)
        #expect(publishes(harness.connect()).isEmpty)
        #expect(harness.session.statistics.messagesDroppedUnacknowledged == 1 && harness.session.isDrained)
    }

    @Test("a re-published retained message gives way to a newer state buffered meanwhile")
    func republishedStateYields() {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        _ = harness.publish(message("old", topic: "s", retain: true))
        _ = harness.session.connectionLost(.transport("reset"), now: harness.now)
        _ = harness.publish(message("new", topic: "s", retain: true))
        let sent = publishes(harness.connect())
        #expect(sent.map { String(decoding: $0.payload, as: UTF8.self) } == ["new"])
    }

    @Test("subscriptions made offline are sent on connect; refusals are reported")
    func subscriptions() throws {
        var harness = SessionHarness(SessionHarness.configuration(clean: false))
        _ = harness.session.start(now: harness.now)
        #expect(try harness.session.subscribe([MQTTSubscription(filter: "a/#")], now: harness.now) == [])
        let actions = harness.connect(sessionPresent: true)
        guard case let .subscribe(subscribe)? = packets(actions).first else { Issue.record("no SUBSCRIBE"); return }
        let result = harness.receive(.subAck(MQTTSubAck(packetID: subscribe.packetID, reasonCodes: [.unspecifiedError])))
        #expect(result == [.subscriptionFailed(filter: "a/#", .unspecifiedError)])
        #expect(throws: MQTTSessionError.invalidRequest(.invalidTopicFilter("a/#/b"))) {
            try harness.session.subscribe([MQTTSubscription(filter: "a/#/b")], now: harness.now)
        }
    }

    @Test("unsubscribing while offline reaches a kept session after reconnect")
    func unsubscribeOffline() throws {
        var harness = SessionHarness(SessionHarness.configuration(clean: false))
        _ = harness.connect()
        _ = try harness.session.subscribe([MQTTSubscription(filter: "x")], now: harness.now)
        _ = harness.receive(.subAck(MQTTSubAck(packetID: 1, reasonCodes: [.grantedQoS1])))
        _ = harness.session.connectionLost(.transport("reset"), now: harness.now)
        #expect(try harness.session.unsubscribe(["x"], now: harness.now) == [])
        let sent = packets(harness.connect(sessionPresent: true))
        guard case let .unsubscribe(unsubscribe)? = sent.first else { Issue.record("no UNSUBSCRIBE: \(sent)"); return }
        #expect(unsubscribe.filters == ["x"] && harness.session.subscribedFilters.isEmpty)
    }

    @Test("inbound QoS 0 is delivered, QoS 1 delivered and acknowledged, QoS 2 delivered once")
    func inbound() {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        #expect(harness.receive(.publish(MQTTPublish(topic: "a", payload: [1]))) == [.deliver(MQTTMessage(topic: "a", payload: [1]))])
        #expect(harness.receive(.publish(MQTTPublish(topic: "a", payload: [2], qos: .atLeastOnce, retain: true, packetID: 7)))
            == [.deliver(MQTTMessage(topic: "a", payload: [2], qos: .atLeastOnce, retain: true)), .send(.pubAck(MQTTPublishAck(packetID: 7)))])
        let qos2 = MQTTPublish(topic: "a", payload: [3], qos: .exactlyOnce, packetID: 8)
        #expect(harness.receive(.publish(qos2)).count == 2)
        var again = qos2
        again.dup = true
        #expect(harness.receive(.publish(again)) == [.send(.pubRec(MQTTPublishAck(packetID: 8)))])
        #expect(harness.receive(.pubRel(MQTTPublishAck(packetID: 8))) == [.send(.pubComp(MQTTPublishAck(packetID: 8)))])
        #expect(harness.session.statistics.messagesReceived == 3)
    }

    @Test("inbound topic aliases are resolved, and out-of-range or unknown ones refused")
    func topicAliases() {
        var configuration = SessionHarness.configuration(version: .v5)
        configuration.topicAliasMaximum = 4
        var harness = SessionHarness(configuration)
        _ = harness.connect()
        #expect(harness.receive(.publish(MQTTPublish(topic: "long/topic", payload: [1], properties: [.topicAlias(2)])))
            == [.deliver(MQTTMessage(topic: "long/topic", payload: [1]))])
        #expect(harness.receive(.publish(MQTTPublish(topic: "", payload: [2], properties: [.topicAlias(2)])))
            == [.deliver(MQTTMessage(topic: "long/topic", payload: [2]))])
        #expect(failure(harness.receive(.publish(MQTTPublish(topic: "", payload: [], properties: [.topicAlias(3)])))) != nil)
        _ = harness.connect()
        let actions = harness.receive(.publish(MQTTPublish(topic: "x", payload: [], properties: [.topicAlias(5)])))
        #expect(packets(actions) == [.disconnect(MQTTDisconnect(reasonCode: .topicAliasInvalid))])
    }

    @Test("the broker's limits: maximum QoS 0 downgrades, no retain clears the flag, too-large messages are dropped")
    func brokerLimits() {
        var harness = SessionHarness(SessionHarness.configuration(version: .v5))
        _ = harness.connect(properties: [.maximumQoS(0), .retainAvailable(0), .maximumPacketSize(50)])
        let sent = publishes(harness.publish(message("x", retain: true)))
        #expect(sent.first?.qos == .atMostOnce && sent.first?.retain == false && sent.first?.packetID == nil)
        #expect(publishes(harness.publish(message(String(repeating: "y", count: 100)))).isEmpty)
        #expect(harness.session.statistics.messagesDroppedTooLarge == 1)
    }

    @Test("invalid messages are refused at once with a clear error")
    func invalidMessages() throws {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        #expect(throws: MQTTSessionError.invalidRequest(.invalidTopicName("a/+"))) { try harness.session.publish(message("x", topic: "a/+"), now: harness.now) }
        #expect(throws: MQTTSessionError.invalidRequest(.invalidQoS(2))) { try harness.session.publish(message("x", qos: .exactlyOnce), now: harness.now) }
        #expect(throws: MQTTSessionError.invalidRequest(.notInVersion("properties", .v3_1_1))) {
            try harness.session.publish(MQTTMessage(topic: "t", text: "x", properties: [.contentType("a")]), now: harness.now)
        }
        var v5 = SessionHarness(SessionHarness.configuration(version: .v5))
        _ = v5.connect()
        #expect(throws: MQTTSessionError.invalidRequest(.propertyNotAllowed(.topicAlias, in: .publish))) {
            try v5.session.publish(MQTTMessage(topic: "t", text: "x", properties: [.topicAlias(1)]), now: v5.now)
        }
        #expect(try v5.session.publish(MQTTMessage(topic: "t", text: "x", properties: [.contentType("application/json")]), now: v5.now).count == 1)
    }
}
