/// UNSUBSCRIBE: one or more topic filters to drop.
public struct MQTTUnsubscribe: Equatable, Sendable {
    public var packetID: UInt16
    public var filters: [String]
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(packetID: UInt16, filters: [String], properties: MQTTProperties = []) {
        self.packetID = packetID
        self.filters = filters
        self.properties = properties
    }

    static func decode(_ reader: inout ByteReader, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTUnsubscribe {
        let id = try reader.uint16()
        guard id != 0 else { throw .invalidPacketIdentifier }
        let properties = version == .v5 ? try MQTTProperties.decode(from: &reader, context: .unsubscribe) : []
        var filters: [String] = []
        while !reader.isAtEnd {
            let filter = try reader.string()
            try MQTTTopic.validateFilter(filter)
            filters.append(filter)
        }
        if filters.isEmpty { throw .emptyPayload(packet: .unsubscribe) }
        return MQTTUnsubscribe(packetID: id, filters: filters, properties: properties)
    }

    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) {
        guard packetID != 0 else { throw .invalidPacketIdentifier }
        if filters.isEmpty { throw .emptyPayload(packet: .unsubscribe) }
        try properties.requireEmpty(for: version)
        bytes.appendUInt16(packetID)
        if version == .v5 { try properties.encode(into: &bytes, context: .unsubscribe) }
        for filter in filters {
            try MQTTTopic.validateFilter(filter)
            try bytes.appendString(filter)
        }
    }
}

/// UNSUBACK: in MQTT 5 one reason code per filter; in 3.1.1 just the packet identifier.
public struct MQTTUnsubAck: Equatable, Sendable {
    public var packetID: UInt16
    /// Empty in MQTT 3.1.1.
    public var reasonCodes: [MQTTReasonCode]
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(packetID: UInt16, reasonCodes: [MQTTReasonCode] = [], properties: MQTTProperties = []) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }

    static func decode(_ reader: inout ByteReader, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTUnsubAck {
        let id = try reader.uint16()
        guard id != 0 else { throw .invalidPacketIdentifier }
        guard version == .v5 else { return MQTTUnsubAck(packetID: id) }
        let properties = try MQTTProperties.decode(from: &reader, context: .unsubAck)
        var codes: [MQTTReasonCode] = []
        while !reader.isAtEnd {
            let code = try reader.byte()
            guard MQTTReasonCode.isAllowed(code, in: .unsubAck) else { throw .invalidReasonCode(code, packet: .unsubAck) }
            codes.append(MQTTReasonCode(rawValue: code))
        }
        if codes.isEmpty { throw .emptyPayload(packet: .unsubAck) }
        return MQTTUnsubAck(packetID: id, reasonCodes: codes, properties: properties)
    }

    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) {
        guard packetID != 0 else { throw .invalidPacketIdentifier }
        bytes.appendUInt16(packetID)
        if version == .v3_1_1 {
            try properties.requireEmpty(for: version)
            if !reasonCodes.isEmpty { throw .notInVersion("UNSUBACK reason codes", version) }
            return
        }
        if reasonCodes.isEmpty { throw .emptyPayload(packet: .unsubAck) }
        try properties.encode(into: &bytes, context: .unsubAck)
        for code in reasonCodes {
            guard MQTTReasonCode.isAllowed(code.rawValue, in: .unsubAck) else { throw .invalidReasonCode(code.rawValue, packet: .unsubAck) }
            bytes.append(code.rawValue)
        }
    }
}

/// DISCONNECT: the end of a connection; in MQTT 5 with a reason (sent by client or broker).
public struct MQTTDisconnect: Equatable, Sendable {
    public var reasonCode: MQTTReasonCode
    /// MQTT 5: session expiry, reason string, server reference, user properties.
    public var properties: MQTTProperties
    var trailer: TrailerForm = .omitted

    /// Creates the value from its fields (defaults as shown).
    public init(reasonCode: MQTTReasonCode = .normalDisconnection, properties: MQTTProperties = []) {
        self.reasonCode = reasonCode
        self.properties = properties
    }

    /// Equal when the content is equal, whichever wire form carried it.
    public static func == (lhs: MQTTDisconnect, rhs: MQTTDisconnect) -> Bool {
        lhs.reasonCode == rhs.reasonCode && lhs.properties == rhs.properties
    }

    static func decode(_ reader: inout ByteReader, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTDisconnect {
        var disconnect = MQTTDisconnect()
        guard version == .v5, !reader.isAtEnd else { return disconnect }
        (disconnect.reasonCode, disconnect.properties, disconnect.trailer) = try decodeTrailer(&reader, type: .disconnect, context: .disconnect)
        return disconnect
    }

    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) {
        if version == .v3_1_1 {
            try properties.requireEmpty(for: version)
            if reasonCode != .normalDisconnection { throw .notInVersion("DISCONNECT \(reasonCode)", version) }
            return
        }
        try encodeTrailer(into: &bytes, reasonCode: reasonCode, properties: properties, minimum: trailer, type: .disconnect, context: .disconnect)
    }
}

/// AUTH: MQTT 5 extended authentication exchange.
public struct MQTTAuth: Equatable, Sendable {
    public var reasonCode: MQTTReasonCode
    /// Authentication method and data, reason string, user properties.
    public var properties: MQTTProperties
    var trailer: TrailerForm = .omitted

    /// Creates the value from its fields (defaults as shown).
    public init(reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = []) {
        self.reasonCode = reasonCode
        self.properties = properties
    }

    /// Equal when the content is equal, whichever wire form carried it.
    public static func == (lhs: MQTTAuth, rhs: MQTTAuth) -> Bool {
        lhs.reasonCode == rhs.reasonCode && lhs.properties == rhs.properties
    }

    static func decode(_ reader: inout ByteReader) throws(MQTTProtocolError) -> MQTTAuth {
        var auth = MQTTAuth()
        guard !reader.isAtEnd else { return auth }
        (auth.reasonCode, auth.properties, auth.trailer) = try decodeTrailer(&reader, type: .auth, context: .auth)
        return auth
    }

    func encode(into bytes: inout [UInt8]) throws(MQTTProtocolError) {
        try encodeTrailer(into: &bytes, reasonCode: reasonCode, properties: properties, minimum: trailer, type: .auth, context: .auth)
    }
}

/// Reason code then optional properties, as DISCONNECT and AUTH carry them (the reader is not at its end).
private func decodeTrailer(_ reader: inout ByteReader, type: MQTTPacketType, context: MQTTPropertyContext)
    throws(MQTTProtocolError) -> (MQTTReasonCode, MQTTProperties, TrailerForm) {
    let code = try reader.byte()
    guard MQTTReasonCode.isAllowed(code, in: type) else { throw .invalidReasonCode(code, packet: type) }
    guard !reader.isAtEnd else { return (MQTTReasonCode(rawValue: code), [], .reasonOnly) }
    return (MQTTReasonCode(rawValue: code), try MQTTProperties.decode(from: &reader, context: context), .full)
}

private func encodeTrailer(into bytes: inout [UInt8], reasonCode: MQTTReasonCode, properties: MQTTProperties,
                           minimum: TrailerForm, type: MQTTPacketType, context: MQTTPropertyContext) throws(MQTTProtocolError) {
    guard MQTTReasonCode.isAllowed(reasonCode.rawValue, in: type) else { throw .invalidReasonCode(reasonCode.rawValue, packet: type) }
    let form = TrailerForm.needed(reason: reasonCode, properties: properties, atLeast: minimum)
    if form >= .reasonOnly { bytes.append(reasonCode.rawValue) }
    if form == .full { try properties.encode(into: &bytes, context: context) }
}
