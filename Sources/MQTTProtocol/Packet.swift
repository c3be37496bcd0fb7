/// The two protocol versions spoken, by their CONNECT protocol level.
public enum MQTTVersion: UInt8, Sendable, CustomStringConvertible {
    case v3_1_1 = 4
    case v5 = 5

    public var description: String { self == .v5 ? "5" : "3.1.1" }
}

/// Quality of service of a message.
public enum MQTTQoS: UInt8, Sendable, Comparable {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2

    public static func < (lhs: MQTTQoS, rhs: MQTTQoS) -> Bool { lhs.rawValue < rhs.rawValue }

    static func decode(_ value: UInt8) throws(MQTTProtocolError) -> MQTTQoS {
        guard let qos = MQTTQoS(rawValue: value) else { throw .invalidQoS(value) }
        return qos
    }
}

/// Control packet types (high nibble of the first byte).
public enum MQTTPacketType: UInt8, Sendable, CustomStringConvertible {
    case connect = 1, connAck, publish, pubAck, pubRec, pubRel, pubComp
    case subscribe, subAck, unsubscribe, unsubAck, pingReq, pingResp, disconnect, auth

    public var description: String {
        switch self {
        case .connect: "CONNECT"
        case .connAck: "CONNACK"
        case .publish: "PUBLISH"
        case .pubAck: "PUBACK"
        case .pubRec: "PUBREC"
        case .pubRel: "PUBREL"
        case .pubComp: "PUBCOMP"
        case .subscribe: "SUBSCRIBE"
        case .subAck: "SUBACK"
        case .unsubscribe: "UNSUBSCRIBE"
        case .unsubAck: "UNSUBACK"
        case .pingReq: "PINGREQ"
        case .pingResp: "PINGRESP"
        case .disconnect: "DISCONNECT"
        case .auth: "AUTH"
        }
    }

    /// The fixed flags every packet but PUBLISH must carry (0b0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE).
    var requiredFlags: UInt8 {
        switch self {
        case .pubRel, .subscribe, .unsubscribe: 0b0010
        default: 0
        }
    }
}

/// One MQTT control packet.
public enum MQTTPacket: Equatable, Sendable {
    case connect(MQTTConnect)
    case connAck(MQTTConnAck)
    case publish(MQTTPublish)
    case pubAck(MQTTPublishAck)
    case pubRec(MQTTPublishAck)
    case pubRel(MQTTPublishAck)
    case pubComp(MQTTPublishAck)
    case subscribe(MQTTSubscribe)
    case subAck(MQTTSubAck)
    case unsubscribe(MQTTUnsubscribe)
    case unsubAck(MQTTUnsubAck)
    case pingReq
    case pingResp
    case disconnect(MQTTDisconnect)
    case auth(MQTTAuth)

    /// The packet's type.
    public var type: MQTTPacketType {
        switch self {
        case .connect: .connect
        case .connAck: .connAck
        case .publish: .publish
        case .pubAck: .pubAck
        case .pubRec: .pubRec
        case .pubRel: .pubRel
        case .pubComp: .pubComp
        case .subscribe: .subscribe
        case .subAck: .subAck
        case .unsubscribe: .unsubscribe
        case .unsubAck: .unsubAck
        case .pingReq: .pingReq
        case .pingResp: .pingResp
        case .disconnect: .disconnect
        case .auth: .auth
        }
    }

    /// Decodes one whole packet (fixed header included, nothing after it).
    ///
    /// `version` is the connection's protocol version; a CONNECT carries its own and ignores it.
    public static func decode(_ bytes: ArraySlice<UInt8>, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTPacket {
        guard let first = bytes.first else { throw .truncated(needed: 2) }
        let (remainingLength, lengthBytes) = try VariableByteInteger.decode(bytes.dropFirst())
        let bodyStart = bytes.startIndex + 1 + lengthBytes
        let actual = bytes.endIndex - bodyStart
        if actual < remainingLength { throw .truncated(needed: remainingLength - actual) }
        if actual > remainingLength { throw .remainingLengthMismatch(declared: remainingLength, actual: actual) }

        guard let type = MQTTPacketType(rawValue: first >> 4), !(type == .auth && version == .v3_1_1) else {
            throw .reservedPacketType(first >> 4)
        }
        let flags = first & 0x0F
        if type != .publish && flags != type.requiredFlags { throw .invalidFixedHeaderFlags(packet: type, flags: flags) }
        var reader = ByteReader(bytes[bodyStart...])
        let packet: MQTTPacket
        switch type {
        case .connect: packet = .connect(try MQTTConnect.decode(&reader))
        case .connAck: packet = .connAck(try MQTTConnAck.decode(&reader, version: version))
        case .publish: packet = .publish(try MQTTPublish.decode(&reader, flags: flags, version: version))
        case .pubAck: packet = .pubAck(try MQTTPublishAck.decode(&reader, type: type, version: version))
        case .pubRec: packet = .pubRec(try MQTTPublishAck.decode(&reader, type: type, version: version))
        case .pubRel: packet = .pubRel(try MQTTPublishAck.decode(&reader, type: type, version: version))
        case .pubComp: packet = .pubComp(try MQTTPublishAck.decode(&reader, type: type, version: version))
        case .subscribe: packet = .subscribe(try MQTTSubscribe.decode(&reader, version: version))
        case .subAck: packet = .subAck(try MQTTSubAck.decode(&reader, version: version))
        case .unsubscribe: packet = .unsubscribe(try MQTTUnsubscribe.decode(&reader, version: version))
        case .unsubAck: packet = .unsubAck(try MQTTUnsubAck.decode(&reader, version: version))
        case .pingReq: packet = .pingReq
        case .pingResp: packet = .pingResp
        case .disconnect: packet = .disconnect(try MQTTDisconnect.decode(&reader, version: version))
        case .auth: packet = .auth(try MQTTAuth.decode(&reader))
        }
        try reader.expectEnd()
        return packet
    }

    /// Decodes one whole packet.
    public static func decode(_ bytes: [UInt8], version: MQTTVersion) throws(MQTTProtocolError) -> MQTTPacket {
        try decode(bytes[...], version: version)
    }

    /// Encodes the packet for a connection of `version` (a CONNECT uses its own version).
    ///
    /// Throws for anything the decoder would refuse or the version cannot express.
    public func encode(version: MQTTVersion) throws(MQTTProtocolError) -> [UInt8] {
        var body: [UInt8] = []
        var flags = type.requiredFlags
        switch self {
        case let .connect(connect): try connect.encode(into: &body)
        case let .connAck(ack): try ack.encode(into: &body, version: version)
        case let .publish(publish): flags = try publish.encode(into: &body, version: version)
        case let .pubAck(ack), let .pubRec(ack), let .pubRel(ack), let .pubComp(ack):
            try ack.encode(into: &body, type: type, version: version)
        case let .subscribe(subscribe): try subscribe.encode(into: &body, version: version)
        case let .subAck(ack): try ack.encode(into: &body, version: version)
        case let .unsubscribe(unsubscribe): try unsubscribe.encode(into: &body, version: version)
        case let .unsubAck(ack): try ack.encode(into: &body, version: version)
        case .pingReq, .pingResp: break
        case let .disconnect(disconnect): try disconnect.encode(into: &body, version: version)
        case let .auth(auth):
            if version == .v3_1_1 { throw .notInVersion("AUTH", version) }
            try auth.encode(into: &body)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count + 5)
        bytes.append(type.rawValue << 4 | flags)
        try bytes.appendVariableByteInteger(body.count, field: "remaining length")
        bytes.append(contentsOf: body)
        return bytes
    }
}

/// Whether a packet's optional reason code / property length were present on the wire.
///
/// Several MQTT 5 packets may omit a success reason code and an empty property list. Decoders remember
/// which form they saw so the packet re-encodes to the same bytes; encoders use at least that form.
enum TrailerForm: UInt8, Comparable, Sendable {
    case omitted = 0, reasonOnly, full

    static func < (lhs: TrailerForm, rhs: TrailerForm) -> Bool { lhs.rawValue < rhs.rawValue }

    static func needed(reason: MQTTReasonCode, properties: MQTTProperties, atLeast minimum: TrailerForm) -> TrailerForm {
        let form: TrailerForm = !properties.isEmpty ? .full : (reason != .success ? .reasonOnly : .omitted)
        return Swift.max(form, minimum)
    }
}
