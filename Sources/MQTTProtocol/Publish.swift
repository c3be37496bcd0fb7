/// PUBLISH: an application message.
public struct MQTTPublish: Equatable, Sendable {
    /// The topic; may be empty only in MQTT 5 when a topic alias property stands for it.
    public var topic: String
    public var payload: [UInt8]
    public var qos: MQTTQoS
    public var retain: Bool
    /// Set on a re-delivery of a QoS 1 or 2 message; never on QoS 0.
    public var dup: Bool
    /// Present exactly when `qos` is 1 or 2, and never 0.
    public var packetID: UInt16?
    /// MQTT 5 properties (payload format, message expiry, topic alias, response topic, ...).
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false, dup: Bool = false,
                packetID: UInt16? = nil, properties: MQTTProperties = []) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.packetID = packetID
        self.properties = properties
    }

    static func decode(_ reader: inout ByteReader, flags: UInt8, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTPublish {
        let qos = try MQTTQoS.decode((flags >> 1) & 0x03)
        let dup = flags & 0x08 != 0
        if dup && qos == .atMostOnce { throw .duplicateFlagOnQoS0 }
        let topic = try reader.string()
        var packetID: UInt16?
        if qos != .atMostOnce {
            let id = try reader.uint16()
            guard id != 0 else { throw .invalidPacketIdentifier }
            packetID = id
        }
        let properties = version == .v5 ? try MQTTProperties.decode(from: &reader, context: .publish) : []
        try validateTopic(topic, properties: properties, version: version)
        return MQTTPublish(topic: topic, payload: reader.rest(), qos: qos, retain: flags & 0x01 != 0, dup: dup,
                           packetID: packetID, properties: properties)
    }

    /// A topic name without wildcards; empty only when an MQTT 5 topic alias replaces it.
    private static func validateTopic(_ topic: String, properties: MQTTProperties, version: MQTTVersion) throws(MQTTProtocolError) {
        if topic.isEmpty && version == .v5 && properties.topicAlias != nil { return }
        try MQTTTopic.validateName(topic)
    }

    /// Appends the variable header and payload; returns the fixed-header flags.
    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) -> UInt8 {
        if dup && qos == .atMostOnce { throw .duplicateFlagOnQoS0 }
        if (qos == .atMostOnce) != (packetID == nil) || packetID == 0 { throw .invalidPacketIdentifier }
        try properties.requireEmpty(for: version)
        try Self.validateTopic(topic, properties: properties, version: version)
        try bytes.appendString(topic)
        if let packetID { bytes.appendUInt16(packetID) }
        if version == .v5 { try properties.encode(into: &bytes, context: .publish) }
        bytes.append(contentsOf: payload)
        return (dup ? 0x08 : 0) | qos.rawValue << 1 | (retain ? 0x01 : 0)
    }
}

/// PUBACK, PUBREC, PUBREL or PUBCOMP: a packet identifier with an MQTT 5 reason code and properties.
public struct MQTTPublishAck: Equatable, Sendable {
    public var packetID: UInt16
    public var reasonCode: MQTTReasonCode
    public var properties: MQTTProperties
    /// The shortest form the decoder saw, so re-encoding gives the same bytes.
    var trailer: TrailerForm = .omitted

    /// Creates the value from its fields (defaults as shown).
    public init(packetID: UInt16, reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = []) {
        self.packetID = packetID
        self.reasonCode = reasonCode
        self.properties = properties
    }

    /// Equal when the content is equal, whichever wire form carried it.
    public static func == (lhs: MQTTPublishAck, rhs: MQTTPublishAck) -> Bool {
        lhs.packetID == rhs.packetID && lhs.reasonCode == rhs.reasonCode && lhs.properties == rhs.properties
    }

    static func decode(_ reader: inout ByteReader, type: MQTTPacketType, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTPublishAck {
        let id = try reader.uint16()
        guard id != 0 else { throw .invalidPacketIdentifier }
        var ack = MQTTPublishAck(packetID: id)
        guard version == .v5, !reader.isAtEnd else { return ack }
        let code = try reader.byte()
        guard MQTTReasonCode.isAllowed(code, in: type) else { throw .invalidReasonCode(code, packet: type) }
        ack.reasonCode = MQTTReasonCode(rawValue: code)
        ack.trailer = .reasonOnly
        guard !reader.isAtEnd else { return ack }
        ack.properties = try MQTTProperties.decode(from: &reader, context: .publishAck)
        ack.trailer = .full
        return ack
    }

    func encode(into bytes: inout [UInt8], type: MQTTPacketType, version: MQTTVersion) throws(MQTTProtocolError) {
        guard packetID != 0 else { throw .invalidPacketIdentifier }
        bytes.appendUInt16(packetID)
        if version == .v3_1_1 {
            try properties.requireEmpty(for: version)
            if reasonCode != .success { throw .notInVersion("\(type) \(reasonCode)", version) }
            return
        }
        guard MQTTReasonCode.isAllowed(reasonCode.rawValue, in: type) else { throw .invalidReasonCode(reasonCode.rawValue, packet: type) }
        let form = TrailerForm.needed(reason: reasonCode, properties: properties, atLeast: trailer)
        if form >= .reasonOnly { bytes.append(reasonCode.rawValue) }
        if form == .full { try properties.encode(into: &bytes, context: .publishAck) }
    }
}
