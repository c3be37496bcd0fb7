import Testing
@testable import MQTTProtocol

@Suite("Malformed packets")
struct MalformedPacketTests {
    static let all: [(String, MQTTVersion, [UInt8])] =
        Vectors.v3.map { ($0.0, .v3_1_1, $0.1) } + Vectors.v5.map { ($0.0 + " (5)", .v5, $0.1) }

    @Test("every truncation of every valid packet is refused")
    func everyTruncation() {
        for (name, version, packet) in Self.all {
            for length in 0..<packet.count {
                #expect(protocolError { _ = try MQTTPacket.decode(packet.prefix(length)[...], version: version) } != nil,
                        "\(name) cut to \(length) bytes was accepted")
            }
        }
    }

    @Test("every truncation of the body with a matching remaining length is refused where the body has a fixed shape")
    func shortenedBodies() throws {
        // Packets whose every field is mandatory: dropping trailing body bytes (and fixing the length) breaks them.
        let fixedShape: [(MQTTVersion, [UInt8])] = [
            (.v3_1_1, bytes("10 12 00 04 4D 51 54 54 04 02 00 3C 00 06 67 65 6E 6D 6F 6E")),
            (.v3_1_1, bytes("20 02 00 00")), (.v3_1_1, bytes("40 02 00 0A")), (.v3_1_1, bytes("B0 02 00 03")),
            (.v3_1_1, bytes("82 0C 00 01 00 03 61 2F 2B 01 00 01 23 00")),
            (.v5, bytes("20 0D 01 00 0A 21 00 0A 24 00 12 00 02 61 62")),
            (.v5, bytes("10 16 00 04 4D 51 54 54 05 02 00 1E 08 11 00 00 00 78 21 00 14 00 01 63")),
            (.v5, bytes("E0 06 8B 04 1F 00 01 78")), (.v5, bytes("B0 05 00 03 00 00 11")),
        ]
        for (version, packet) in fixedShape {
            let body = Array(packet[2...])
            // Some shorter bodies are valid on their own: SUBSCRIBE with its first filter only, UNSUBACK with its
            // first code only, DISCONNECT without reason or properties.
            for keep in 0..<body.count where !(packet[0] == 0x82 && keep == 8) && !(packet[0] == 0xB0 && version == .v5 && keep == 4)
                && !(packet[0] == 0xE0 && keep < 2) {
                let shortened = [packet[0], UInt8(keep)] + body.prefix(keep)
                #expect(protocolError { _ = try MQTTPacket.decode(shortened, version: version) } != nil, "\(packet) kept \(keep)")
            }
        }
    }

    @Test("an extra byte after a packet with a fixed shape is refused")
    func trailingByte() {
        for (name, version, packet) in Self.all where packet[0] >> 4 != 3 {
            let longer = [packet[0]] + (try! VariableByteInteger.encode(packet.count - 1)) + packet[2...] + [0xFF]
            #expect(protocolError { _ = try MQTTPacket.decode(longer, version: version) } != nil, "\(name) with an extra byte")
        }
    }

    @Test("remaining length disagreeing with the bytes is refused")
    func lengthMismatch() {
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("C0 01"), version: .v3_1_1) } == .truncated(needed: 1))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("C0 00 00"), version: .v3_1_1) } == .remainingLengthMismatch(declared: 0, actual: 1))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("D0 80 00"), version: .v3_1_1) } == .nonMinimalVariableByteInteger)
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 FF FF FF FF 01"), version: .v3_1_1) } == .malformedVariableByteInteger)
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("C0"), version: .v3_1_1) } == .truncated(needed: 1))
        #expect(protocolError { _ = try MQTTPacket.decode([], version: .v3_1_1) } == .truncated(needed: 2))
    }

    @Test("fixed-header flags other than the required ones are refused for every packet type but PUBLISH")
    func fixedHeaderFlags() {
        for (_, version, packet) in Self.all where packet[0] >> 4 != 3 {
            let type = MQTTPacketType(rawValue: packet[0] >> 4)!
            for flags in UInt8(0)...15 where flags != type.requiredFlags {
                var changed = packet
                changed[0] = type.rawValue << 4 | flags
                #expect(protocolError { _ = try MQTTPacket.decode(changed, version: version) } == .invalidFixedHeaderFlags(packet: type, flags: flags))
            }
        }
    }

    @Test("reserved packet types are refused")
    func reservedTypes() {
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("00 00"), version: .v5) } == .reservedPacketType(0))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("F0 00"), version: .v3_1_1) } == .reservedPacketType(15))
        #expect(protocolError { _ = try MQTTPacket.auth(MQTTAuth()).encode(version: .v3_1_1) } == .notInVersion("AUTH", .v3_1_1))
    }

    @Test("CONNECT: protocol name, level and flag combinations")
    func connect() {
        let valid = bytes("10 12 00 04 4D 51 54 54 04 02 00 3C 00 06 67 65 6E 6D 6F 6E")
        func with(_ index: Int, _ value: UInt8) -> [UInt8] { var copy = valid; copy[index] = value; return copy }
        #expect(protocolError { _ = try MQTTPacket.decode(with(5, 0x6D), version: .v3_1_1) } == .invalidProtocolName("MmTT"))
        #expect(protocolError { _ = try MQTTPacket.decode(with(8, 3), version: .v3_1_1) } == .unsupportedProtocolLevel(3))
        #expect(protocolError { _ = try MQTTPacket.decode(with(8, 6), version: .v3_1_1) } == .unsupportedProtocolLevel(6))
        #expect(protocolError { _ = try MQTTPacket.decode(with(9, 0x03), version: .v3_1_1) } == .invalidConnectFlags(0x03))  // reserved bit
        #expect(protocolError { _ = try MQTTPacket.decode(with(9, 0x22), version: .v3_1_1) } == .invalidConnectFlags(0x22))  // will retain, no will
        #expect(protocolError { _ = try MQTTPacket.decode(with(9, 0x0A), version: .v3_1_1) } == .invalidConnectFlags(0x0A))  // will QoS, no will
        #expect(protocolError { _ = try MQTTPacket.decode(with(9, 0x1E), version: .v3_1_1) } == .invalidConnectFlags(0x1E))  // will QoS 3
        #expect(protocolError { _ = try MQTTPacket.decode(with(9, 0x42), version: .v3_1_1) } == .invalidConnectFlags(0x42))  // password, no user
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("10 11 00 04 4D 51 54 54 04 06 00 00 00 00 00 01 2B 00 00"), version: .v3_1_1) }
            == .invalidTopicName("+"))  // will topic with a wildcard
        #expect(protocolError { _ = try MQTTPacket.connect(MQTTConnect(version: .v3_1_1, clientID: "c", password: [1])).encode(version: .v3_1_1) } != nil)
        #expect(protocolError { _ = try MQTTPacket.connect(MQTTConnect(version: .v3_1_1, clientID: "c", properties: [.receiveMaximum(1)])).encode(version: .v3_1_1) }
            == .notInVersion("properties", .v3_1_1))
    }

    @Test("CONNACK: reserved flags, session present on refusal, unknown codes")
    func connAck() {
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 02 02 00"), version: .v3_1_1) } == .invalidConnAckFlags(2))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 02 01 05"), version: .v3_1_1) } == .invalidConnAckFlags(1))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 02 00 06"), version: .v3_1_1) } == .invalidReasonCode(6, packet: .connAck))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 03 00 01 00"), version: .v5) } == .invalidReasonCode(1, packet: .connAck))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 03 01 86 00"), version: .v5) } == .invalidConnAckFlags(1))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 02 00 00"), version: .v5) } == .truncated(needed: 1))  // v5 needs properties
    }

    @Test("PUBLISH: QoS 3, DUP on QoS 0, packet id 0, wildcards and empty topics")
    func publish() {
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("36 07 00 03 61 2F 62 00 01"), version: .v3_1_1) } == .invalidQoS(3))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("38 05 00 03 61 2F 62"), version: .v3_1_1) } == .duplicateFlagOnQoS0)
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("32 07 00 03 61 2F 62 00 00"), version: .v3_1_1) } == .invalidPacketIdentifier)
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 05 00 03 61 2F 2B"), version: .v3_1_1) } == .invalidTopicName("a/+"))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 05 00 03 23 2F 62"), version: .v3_1_1) } == .invalidTopicName("#/b"))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 02 00 00"), version: .v3_1_1) } == .invalidTopicName(""))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 03 00 00 00"), version: .v5) } == .invalidTopicName(""))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 06 00 00 03 23 00 00"), version: .v5) } == .invalidPropertyValue(.topicAlias, value: 0))
        #expect(protocolError { _ = try MQTTPacket.publish(MQTTPublish(topic: "a", payload: [], dup: true)).encode(version: .v3_1_1) } == .duplicateFlagOnQoS0)
        #expect(protocolError { _ = try MQTTPacket.publish(MQTTPublish(topic: "a", payload: [], packetID: 1)).encode(version: .v3_1_1) } == .invalidPacketIdentifier)
        #expect(protocolError { _ = try MQTTPacket.publish(MQTTPublish(topic: "a", payload: [], qos: .atLeastOnce)).encode(version: .v3_1_1) } == .invalidPacketIdentifier)
        #expect(protocolError { _ = try MQTTPacket.publish(MQTTPublish(topic: "a", payload: [], qos: .atLeastOnce, packetID: 0)).encode(version: .v3_1_1) } == .invalidPacketIdentifier)
        #expect(protocolError { _ = try MQTTPacket.publish(MQTTPublish(topic: "a", payload: [], properties: [.contentType("x")])).encode(version: .v3_1_1) }
            == .notInVersion("properties", .v3_1_1))
    }

    @Test("acknowledgements: packet id 0, reason codes outside each packet's table")
    func acknowledgements() {
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("40 02 00 00"), version: .v3_1_1) } == .invalidPacketIdentifier)
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("40 03 00 0A 92"), version: .v5) } == .invalidReasonCode(0x92, packet: .pubAck))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("62 03 00 0A 10"), version: .v5) } == .invalidReasonCode(0x10, packet: .pubRel))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("40 03 00 0A 10"), version: .v3_1_1) } == .trailingBytes(count: 1))
        #expect(protocolError { _ = try MQTTPacket.pubAck(MQTTPublishAck(packetID: 1, reasonCode: .quotaExceeded)).encode(version: .v3_1_1) } != nil)
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("E0 01 05"), version: .v5) } == .invalidReasonCode(5, packet: .disconnect))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("F0 01 01"), version: .v5) } == .invalidReasonCode(1, packet: .auth))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("E0 01 04"), version: .v3_1_1) } == .trailingBytes(count: 1))
    }

    @Test("SUBSCRIBE / SUBACK / UNSUBSCRIBE / UNSUBACK: options, empty lists, bad filters and codes")
    func subscriptions() {
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 06 00 01 00 01 61 04"), version: .v3_1_1) } == .invalidSubscriptionOptions(4))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 06 00 01 00 01 61 03"), version: .v3_1_1) } == .invalidSubscriptionOptions(3))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 07 00 01 00 00 01 61 30"), version: .v5) } == .invalidSubscriptionOptions(0x30))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 07 00 01 00 00 01 61 40"), version: .v5) } == .invalidSubscriptionOptions(0x40))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 02 00 01"), version: .v3_1_1) } == .emptyPayload(packet: .subscribe))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 08 00 01 00 03 61 23 62 00"), version: .v3_1_1) } == .invalidTopicFilter("a#b"))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 0F 00 01 00 00 09 24 73 68 61 72 65 2F 67 2F 61 04"), version: .v5) } != nil)  // "$share/g/" + "a"? filter cut
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 12 00 02 00 00 0C 24 73 68 61 72 65 2F 67 2F 61 2F 23 05"), version: .v5) }
            == .invalidSubscriptionOptions(5))  // No Local on a shared subscription
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("90 02 00 01"), version: .v3_1_1) } == .emptyPayload(packet: .subAck))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("90 03 00 01 03"), version: .v3_1_1) } == .invalidReasonCode(3, packet: .subAck))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("90 03 00 01 97"), version: .v3_1_1) } == .invalidReasonCode(0x97, packet: .subAck))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("A2 02 00 01"), version: .v3_1_1) } == .emptyPayload(packet: .unsubscribe))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("B0 03 00 01 00"), version: .v5) } == .emptyPayload(packet: .unsubAck))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("B0 04 00 01 00 02"), version: .v5) } == .invalidReasonCode(2, packet: .unsubAck))
        #expect(protocolError { _ = try MQTTPacket.subscribe(MQTTSubscribe(packetID: 1, subscriptions: [MQTTSubscription(filter: "a", noLocal: true)])).encode(version: .v3_1_1) }
            == .notInVersion("subscription options", .v3_1_1))
    }

    @Test("properties: unknown, misplaced, duplicated, out of range, cut")
    func properties() {
        // PUBACK v5 with one property list: 40 LL 00 0A 00 <len> <props>
        func puback(_ properties: String) -> [UInt8] {
            let props = bytes(properties)
            return [0x40, UInt8(4 + props.count), 0x00, 0x0A, 0x00, UInt8(props.count)] + props
        }
        func publish(_ properties: String) -> [UInt8] {
            let props = bytes(properties)
            return [0x30, UInt8(4 + props.count), 0x00, 0x01, 0x61, UInt8(props.count)] + props
        }
        #expect(protocolError { _ = try MQTTPacket.decode(puback("7F 00"), version: .v5) } == .unknownProperty(identifier: 0x7F))
        #expect(protocolError { _ = try MQTTPacket.decode(puback("80 01 00"), version: .v5) } == .unknownProperty(identifier: 128))
        #expect(protocolError { _ = try MQTTPacket.decode(puback("11 00 00 00 01"), version: .v5) } == .propertyNotAllowed(.sessionExpiryInterval, in: .publishAck))
        #expect(protocolError { _ = try MQTTPacket.decode(puback("1F 00 01 61 1F 00 01 62"), version: .v5) } == .duplicateProperty(.reasonString))
        #expect(protocolError { _ = try MQTTPacket.decode(puback("26 00 01 61 00 01 62 26 00 01 61 00 01 62"), version: .v5) } == nil)
        #expect(protocolError { _ = try MQTTPacket.decode(puback("1F 00 05 61"), version: .v5) } == .truncated(needed: 4))
        #expect(protocolError { _ = try MQTTPacket.decode(publish("01 02"), version: .v5) } == .invalidPropertyValue(.payloadFormatIndicator, value: 2))
        #expect(protocolError { _ = try MQTTPacket.decode(publish("01 01 01 00"), version: .v5) } == .duplicateProperty(.payloadFormatIndicator))
        #expect(protocolError { _ = try MQTTPacket.decode(publish("0B 00"), version: .v5) } == .invalidPropertyValue(.subscriptionIdentifier, value: 0))
        #expect(protocolError { _ = try MQTTPacket.decode(publish("08 00 01 23"), version: .v5) } == .invalidTopicName("#"))
        #expect(protocolError { _ = try MQTTPacket.decode(publish("21 00 01"), version: .v5) } == .propertyNotAllowed(.receiveMaximum, in: .publish))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 06 00 00 03 21 00 00"), version: .v5) } == .invalidPropertyValue(.receiveMaximum, value: 0))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 08 00 00 05 27 00 00 00 00"), version: .v5) } == .invalidPropertyValue(.maximumPacketSize, value: 0))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("20 05 00 00 02 24 02"), version: .v5) } == .invalidPropertyValue(.maximumQoS, value: 2))
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("82 0B 00 02 04 0B 05 0B 06 00 01 61 01"), version: .v5) } == .duplicateProperty(.subscriptionIdentifier))
        // A property length longer than the packet.
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("40 04 00 0A 00 05"), version: .v5) } == .truncated(needed: 5))
        #expect(protocolError { _ = try MQTTPacket.pubAck(MQTTPublishAck(packetID: 1, properties: [.topicAlias(1)])).encode(version: .v5) }
            == .propertyNotAllowed(.topicAlias, in: .publishAck))
    }
}
