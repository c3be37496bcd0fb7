import Testing
@testable import MQTTProtocol

@Suite("Packet byte vectors")
struct PacketVectorTests {
    @Test("every MQTT 3.1.1 vector decodes and re-encodes to the same bytes", arguments: Vectors.v3.map(\.0))
    func v3RoundTrip(name: String) throws {
        let packet = try #require(Vectors.v3.first { $0.0 == name }?.1)
        let decoded = try MQTTPacket.decode(packet, version: .v3_1_1)
        #expect(try decoded.encode(version: .v3_1_1) == packet)
    }

    @Test("every MQTT 5 vector decodes and re-encodes to the same bytes", arguments: Vectors.v5.map(\.0))
    func v5RoundTrip(name: String) throws {
        let packet = try #require(Vectors.v5.first { $0.0 == name }?.1)
        let decoded = try MQTTPacket.decode(packet, version: .v5)
        #expect(try decoded.encode(version: .v5) == packet)
    }

    @Test("CONNECT 3.1.1 fields")
    func connectV3() throws {
        let packet = try MQTTPacket.decode(bytes("10 19 00 04 4D 51 54 54 04 EE 00 0A 00 01 63 00 01 77 00 01 78 00 01 75 00 01 70"), version: .v5)
        let expected = MQTTConnect(version: .v3_1_1, cleanStart: true, keepAlive: 10, clientID: "c",
                                   will: MQTTWill(topic: "w", payload: [0x78], qos: .atLeastOnce, retain: true),
                                   username: "u", password: [0x70])
        #expect(packet == .connect(expected))
    }

    @Test("CONNECT 5 fields, properties and will properties")
    func connectV5() throws {
        let packet = try MQTTPacket.decode(bytes("10 16 00 04 4D 51 54 54 05 02 00 1E 08 11 00 00 00 78 21 00 14 00 01 63"), version: .v3_1_1)
        guard case let .connect(connect) = packet else { Issue.record("not CONNECT"); return }
        #expect(connect.version == .v5 && connect.keepAlive == 30 && connect.cleanStart && connect.clientID == "c")
        #expect(connect.properties.sessionExpiryInterval == 120 && connect.properties.receiveMaximum == 20)
        let withWill = try MQTTPacket.decode(bytes("10 1A 00 04 4D 51 54 54 05 04 00 00 00 00 01 63 05 18 00 00 00 05 00 01 77 00 01 78"), version: .v5)
        guard case let .connect(willConnect) = withWill else { Issue.record("not CONNECT"); return }
        #expect(willConnect.will == MQTTWill(topic: "w", payload: [0x78], properties: [.willDelayInterval(5)]))
        #expect(!willConnect.cleanStart && willConnect.keepAlive == 0)
    }

    @Test("CONNACK 3.1.1 return codes map to MQTT 5 reason codes")
    func connAckV3Codes() throws {
        let expected: [MQTTReasonCode] = [.success, .unsupportedProtocolVersion, .clientIdentifierNotValid, .serverUnavailable,
                                          .badUserNameOrPassword, .notAuthorized]
        for (code, reason) in expected.enumerated() {
            let packet = try MQTTPacket.decode([0x20, 0x02, 0x00, UInt8(code)], version: .v3_1_1)
            #expect(packet == .connAck(MQTTConnAck(reasonCode: reason)))
            #expect(try packet.encode(version: .v3_1_1) == [0x20, 0x02, 0x00, UInt8(code)])
        }
        #expect(protocolError { _ = try MQTTPacket.connAck(MQTTConnAck(reasonCode: .serverBusy)).encode(version: .v3_1_1) }
            == .notInVersion("CONNACK \(MQTTReasonCode.serverBusy)", .v3_1_1))
    }

    @Test("CONNACK 5 properties")
    func connAckV5() throws {
        let packet = try MQTTPacket.decode(bytes("20 0D 01 00 0A 21 00 0A 24 00 12 00 02 61 62"), version: .v5)
        guard case let .connAck(ack) = packet else { Issue.record("not CONNACK"); return }
        #expect(ack.sessionPresent && ack.reasonCode == .success)
        #expect(ack.properties.receiveMaximum == 10 && ack.properties.maximumQoS == 0 && ack.properties.assignedClientIdentifier == "ab")
    }

    @Test("PUBLISH fields in both versions")
    func publish() throws {
        #expect(try MQTTPacket.decode(bytes("3B 09 00 03 61 2F 62 00 0A 68 69"), version: .v3_1_1)
            == .publish(MQTTPublish(topic: "a/b", payload: [0x68, 0x69], qos: .atLeastOnce, retain: true, dup: true, packetID: 10)))
        let v5 = try MQTTPacket.decode(bytes("32 24 00 01 74 00 01 1D 01 01 02 00 00 00 3C 03 00 01 74 08 00 01 72 09 00 01 01 26 00 01 6B 00 01 76 23 00 03 78"), version: .v5)
        guard case let .publish(publish) = v5 else { Issue.record("not PUBLISH"); return }
        #expect(publish.packetID == 1 && publish.payload == [0x78] && publish.topic == "t")
        #expect(publish.properties.payloadFormatIndicator == 1 && publish.properties.messageExpiryInterval == 60)
        #expect(publish.properties.contentType == "t" && publish.properties.responseTopic == "r")
        #expect(publish.properties.correlationData == [1] && publish.properties.topicAlias == 3)
        #expect(publish.properties.userProperties.map { "\($0.name)=\($0.value)" } == ["k=v"])
        let ids = try MQTTPacket.decode(bytes("30 0A 00 01 61 04 0B 01 0B 02 7A 7A"), version: .v5)
        guard case let .publish(withIDs) = ids else { Issue.record("not PUBLISH"); return }
        #expect(withIDs.properties.subscriptionIdentifiers == [1, 2])
    }

    @Test("acknowledgements in both versions, with MQTT 5 short forms")
    func acknowledgements() throws {
        #expect(try MQTTPacket.decode(bytes("40 02 00 0A"), version: .v3_1_1) == .pubAck(MQTTPublishAck(packetID: 10)))
        #expect(try MQTTPacket.decode(bytes("40 02 00 0A"), version: .v5) == .pubAck(MQTTPublishAck(packetID: 10)))
        #expect(try MQTTPacket.decode(bytes("40 04 00 0A 00 00"), version: .v5) == .pubAck(MQTTPublishAck(packetID: 10)))
        #expect(try MQTTPacket.decode(bytes("40 03 00 0A 10"), version: .v5) == .pubAck(MQTTPublishAck(packetID: 10, reasonCode: .noMatchingSubscribers)))
        #expect(try MQTTPacket.decode(bytes("62 03 00 0A 92"), version: .v5) == .pubRel(MQTTPublishAck(packetID: 10, reasonCode: .packetIdentifierNotFound)))
        // Built packets use the shortest form.
        #expect(try MQTTPacket.pubAck(MQTTPublishAck(packetID: 10)).encode(version: .v5) == bytes("40 02 00 0A"))
        #expect(try MQTTPacket.pubRec(MQTTPublishAck(packetID: 10, reasonCode: .quotaExceeded)).encode(version: .v5) == bytes("50 03 00 0A 97"))
        #expect(try MQTTPacket.pubAck(MQTTPublishAck(packetID: 10, reasonCode: .notAuthorized, properties: [.reasonString("x")])).encode(version: .v5)
            == bytes("40 08 00 0A 87 04 1F 00 01 78"))
    }

    @Test("SUBSCRIBE options and SUBACK codes")
    func subscribe() throws {
        #expect(try MQTTPacket.decode(bytes("82 0C 00 01 00 03 61 2F 2B 01 00 01 23 00"), version: .v3_1_1)
            == .subscribe(MQTTSubscribe(packetID: 1, subscriptions: [MQTTSubscription(filter: "a/+", qos: .atLeastOnce),
                                                                     MQTTSubscription(filter: "#", qos: .atMostOnce)])))
        #expect(try MQTTPacket.decode(bytes("82 09 00 02 02 0B 05 00 01 61 2D"), version: .v5)
            == .subscribe(MQTTSubscribe(packetID: 2, subscriptions: [MQTTSubscription(filter: "a", qos: .atLeastOnce, noLocal: true,
                                                                                      retainAsPublished: true, retainHandling: .doNotSend)],
                                        properties: [.subscriptionIdentifier(5)])))
        #expect(try MQTTPacket.decode(bytes("90 04 00 01 01 80"), version: .v3_1_1)
            == .subAck(MQTTSubAck(packetID: 1, reasonCodes: [.grantedQoS1, .unspecifiedError])))
        #expect(try MQTTPacket.decode(bytes("90 05 00 01 00 02 97"), version: .v5)
            == .subAck(MQTTSubAck(packetID: 1, reasonCodes: [.grantedQoS2, .quotaExceeded])))
        #expect(try MQTTPacket.decode(bytes("B0 05 00 03 00 00 11"), version: .v5)
            == .unsubAck(MQTTUnsubAck(packetID: 3, reasonCodes: [.success, .noSubscriptionExisted])))
    }

    @Test("DISCONNECT and AUTH carry reasons and properties")
    func disconnectAndAuth() throws {
        #expect(try MQTTPacket.decode(bytes("E0 06 8B 04 1F 00 01 78"), version: .v5)
            == .disconnect(MQTTDisconnect(reasonCode: .serverShuttingDown, properties: [.reasonString("x")])))
        #expect(try MQTTPacket.decode(bytes("E0 00"), version: .v5) == .disconnect(MQTTDisconnect()))
        #expect(try MQTTPacket.disconnect(MQTTDisconnect(reasonCode: .disconnectWithWillMessage)).encode(version: .v5) == bytes("E0 01 04"))
        #expect(try MQTTPacket.decode(bytes("F0 0E 18 0C 15 00 05 50 4C 41 49 4E 16 00 01 41"), version: .v5)
            == .auth(MQTTAuth(reasonCode: .continueAuthentication, properties: [.authenticationMethod("PLAIN"), .authenticationData([0x41])])))
    }

    @Test("built packets round-trip through the decoder in both versions")
    func builtRoundTrip() throws {
        let common: [MQTTPacket] = [
            .connect(MQTTConnect(version: .v3_1_1, cleanStart: false, keepAlive: 65535, clientID: "", username: "ü", password: [])),
            .connAck(MQTTConnAck(sessionPresent: true)),
            .publish(MQTTPublish(topic: "a/€/c", payload: Array(repeating: 7, count: 300), qos: .exactlyOnce, packetID: 65535)),
            .pubAck(MQTTPublishAck(packetID: 1)), .pubRec(MQTTPublishAck(packetID: 2)), .pubRel(MQTTPublishAck(packetID: 3)),
            .pubComp(MQTTPublishAck(packetID: 4)),
            .subscribe(MQTTSubscribe(packetID: 9, subscriptions: [MQTTSubscription(filter: "+/+/#", qos: .exactlyOnce)])),
            .subAck(MQTTSubAck(packetID: 9, reasonCodes: [.grantedQoS0])),
            .unsubscribe(MQTTUnsubscribe(packetID: 10, filters: ["a", "b/#"])),
            .pingReq, .pingResp, .disconnect(MQTTDisconnect()),
        ]
        for packet in common {
            #expect(try MQTTPacket.decode(packet.encode(version: .v3_1_1), version: .v3_1_1) == packet)
        }
        let v5: [MQTTPacket] = common.map {
            if case var .connect(connect) = $0 { connect.version = .v5; return .connect(connect) }
            return $0
        } + [
            .connect(MQTTConnect(version: .v5, clientID: "x", will: MQTTWill(topic: "w", payload: [], qos: .exactlyOnce, retain: true,
                                                                           properties: [.contentType("c"), .userProperty(name: "a", value: "b")]),
                                 properties: [.maximumPacketSize(1000), .topicAliasMaximum(5), .requestProblemInformation(0),
                                              .authenticationMethod("m"), .authenticationData([1, 2])])),
            .unsubAck(MQTTUnsubAck(packetID: 10, reasonCodes: [.success, .noSubscriptionExisted])),
            .auth(MQTTAuth(reasonCode: .reAuthenticate, properties: [.authenticationMethod("SCRAM")])),
            .disconnect(MQTTDisconnect(reasonCode: .normalDisconnection, properties: [.sessionExpiryInterval(0)])),
        ]
        for packet in v5 {
            #expect(try MQTTPacket.decode(packet.encode(version: .v5), version: .v5) == packet)
        }
    }

    @Test("a large payload uses a multi-byte remaining length")
    func largeRemainingLength() throws {
        let publish = MQTTPacket.publish(MQTTPublish(topic: "t", payload: Array(repeating: 1, count: 20_000)))
        let encoded = try publish.encode(version: .v3_1_1)
        #expect(Array(encoded.prefix(4)) == [0x30, 0xA3, 0x9C, 0x01])  // 20003 = 0x4E23
        #expect(try MQTTPacket.decode(encoded, version: .v3_1_1) == publish)
    }
}
