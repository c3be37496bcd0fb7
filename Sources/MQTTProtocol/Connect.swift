/// The last will: published by the broker when the connection ends without a DISCONNECT.
public struct MQTTWill: Equatable, Sendable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: MQTTQoS
    public var retain: Bool
    /// MQTT 5 will properties (will delay, message expiry, content type, ...).
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false, properties: MQTTProperties = []) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.properties = properties
    }
}

/// CONNECT: the first packet a client sends.
public struct MQTTConnect: Equatable, Sendable {
    public var version: MQTTVersion
    /// "Clean session" in 3.1.1, "clean start" in 5.
    public var cleanStart: Bool
    /// Seconds; 0 turns keep-alive off.
    public var keepAlive: UInt16
    public var clientID: String
    public var will: MQTTWill?
    public var username: String?
    public var password: [UInt8]?
    /// MQTT 5 connect properties (session expiry, receive maximum, maximum packet size, ...).
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(version: MQTTVersion, cleanStart: Bool = true, keepAlive: UInt16 = 60, clientID: String,
                will: MQTTWill? = nil, username: String? = nil, password: [UInt8]? = nil, properties: MQTTProperties = []) {
        self.version = version
        self.cleanStart = cleanStart
        self.keepAlive = keepAlive
        self.clientID = clientID
        self.will = will
        self.username = username
        self.password = password
        self.properties = properties
    }

    private static let protocolName = "MQTT"

    static func decode(_ reader: inout ByteReader) throws(MQTTProtocolError) -> MQTTConnect {
        let name = try reader.string()
        guard name == protocolName else { throw .invalidProtocolName(name) }
        let level = try reader.byte()
        guard let version = MQTTVersion(rawValue: level) else { throw .unsupportedProtocolLevel(level) }
        let flags = try reader.byte()
        let hasUsername = flags & 0x80 != 0, hasPassword = flags & 0x40 != 0
        let willRetain = flags & 0x20 != 0, willQoSBits = (flags >> 3) & 0x03, hasWill = flags & 0x04 != 0
        // Reserved bit; will QoS/retain without a will; will QoS 3; 3.1.1 forbids a password without a user name.
        if flags & 0x01 != 0 || (!hasWill && (willRetain || willQoSBits != 0)) || willQoSBits == 3
            || (version == .v3_1_1 && hasPassword && !hasUsername) {
            throw .invalidConnectFlags(flags)
        }
        let keepAlive = try reader.uint16()
        let properties = version == .v5 ? try MQTTProperties.decode(from: &reader, context: .connect) : []
        let clientID = try reader.string()
        var will: MQTTWill?
        if hasWill {
            let willProperties = version == .v5 ? try MQTTProperties.decode(from: &reader, context: .will) : []
            let topic = try reader.string()
            try MQTTTopic.validateName(topic)
            let payload = try reader.binary()
            will = MQTTWill(topic: topic, payload: payload, qos: try MQTTQoS.decode(willQoSBits), retain: willRetain, properties: willProperties)
        }
        let username = hasUsername ? try reader.string() : nil
        let password = hasPassword ? try reader.binary() : nil
        return MQTTConnect(version: version, cleanStart: flags & 0x02 != 0, keepAlive: keepAlive, clientID: clientID,
                           will: will, username: username, password: password, properties: properties)
    }

    func encode(into bytes: inout [UInt8]) throws(MQTTProtocolError) {
        if version == .v3_1_1 {
            try properties.requireEmpty(for: version)
            try will?.properties.requireEmpty(for: version)
            if password != nil && username == nil { throw .notInVersion("a password without a user name", version) }
        }
        var flags: UInt8 = cleanStart ? 0x02 : 0
        if let will {
            try MQTTTopic.validateName(will.topic)
            flags |= 0x04 | will.qos.rawValue << 3 | (will.retain ? 0x20 : 0)
        }
        if username != nil { flags |= 0x80 }
        if password != nil { flags |= 0x40 }
        try bytes.appendString(Self.protocolName)
        bytes.append(version.rawValue)
        bytes.append(flags)
        bytes.appendUInt16(keepAlive)
        if version == .v5 { try properties.encode(into: &bytes, context: .connect) }
        try bytes.appendString(clientID)
        if let will {
            if version == .v5 { try will.properties.encode(into: &bytes, context: .will) }
            try bytes.appendString(will.topic)
            try bytes.appendBinary(will.payload)
        }
        if let username { try bytes.appendString(username) }
        if let password { try bytes.appendBinary(password) }
    }
}

/// CONNACK: the broker's answer to CONNECT.
///
/// MQTT 3.1.1 return codes map onto MQTT 5 reason codes one to one: 0 success, 1 unsupported protocol
/// version (0x84), 2 client identifier not valid (0x85), 3 server unavailable (0x88), 4 bad user name
/// or password (0x86), 5 not authorized (0x87).
public struct MQTTConnAck: Equatable, Sendable {
    public var sessionPresent: Bool
    public var reasonCode: MQTTReasonCode
    /// MQTT 5 properties (assigned client id, receive maximum, maximum QoS, server keep alive, ...).
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(sessionPresent: Bool = false, reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = []) {
        self.sessionPresent = sessionPresent
        self.reasonCode = reasonCode
        self.properties = properties
    }

    private static let v3Codes: [MQTTReasonCode] = [.success, .unsupportedProtocolVersion, .clientIdentifierNotValid,
                                                    .serverUnavailable, .badUserNameOrPassword, .notAuthorized]

    static func decode(_ reader: inout ByteReader, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTConnAck {
        let flags = try reader.byte()
        let rawCode = try reader.byte()
        let code: MQTTReasonCode
        if version == .v3_1_1 {
            guard Int(rawCode) < v3Codes.count else { throw .invalidReasonCode(rawCode, packet: .connAck) }
            code = v3Codes[Int(rawCode)]
        } else {
            guard MQTTReasonCode.isAllowed(rawCode, in: .connAck) else { throw .invalidReasonCode(rawCode, packet: .connAck) }
            code = MQTTReasonCode(rawValue: rawCode)
        }
        // Bits 7-1 are reserved; a refusal never reports a present session.
        if flags & 0xFE != 0 || (flags == 1 && code != .success) { throw .invalidConnAckFlags(flags) }
        let properties = version == .v5 ? try MQTTProperties.decode(from: &reader, context: .connAck) : []
        return MQTTConnAck(sessionPresent: flags == 1, reasonCode: code, properties: properties)
    }

    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) {
        if sessionPresent && reasonCode != .success { throw .invalidConnAckFlags(1) }
        bytes.append(sessionPresent ? 1 : 0)
        if version == .v3_1_1 {
            try properties.requireEmpty(for: version)
            guard let index = Self.v3Codes.firstIndex(of: reasonCode) else { throw .notInVersion("CONNACK \(reasonCode)", version) }
            bytes.append(UInt8(index))
        } else {
            guard MQTTReasonCode.isAllowed(reasonCode.rawValue, in: .connAck) else {
                throw .invalidReasonCode(reasonCode.rawValue, packet: .connAck)
            }
            bytes.append(reasonCode.rawValue)
            try properties.encode(into: &bytes, context: .connAck)
        }
    }
}
