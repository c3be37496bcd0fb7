/// What to do with retained messages when subscribing (MQTT 5).
public enum MQTTRetainHandling: UInt8, Sendable {
    case sendOnSubscribe = 0
    case sendOnNewSubscribe = 1
    case doNotSend = 2
}

/// One topic filter with its options.
public struct MQTTSubscription: Equatable, Sendable {
    public var filter: String
    /// The maximum QoS the broker may use to deliver.
    public var qos: MQTTQoS
    /// MQTT 5: do not receive one's own publications.
    public var noLocal: Bool
    /// MQTT 5: keep the retain flag as published.
    public var retainAsPublished: Bool
    /// MQTT 5: retained-message handling.
    public var retainHandling: MQTTRetainHandling

    /// Creates the value from its fields (defaults as shown).
    public init(filter: String, qos: MQTTQoS = .atLeastOnce, noLocal: Bool = false, retainAsPublished: Bool = false,
                retainHandling: MQTTRetainHandling = .sendOnSubscribe) {
        self.filter = filter
        self.qos = qos
        self.noLocal = noLocal
        self.retainAsPublished = retainAsPublished
        self.retainHandling = retainHandling
    }

    var optionsByte: UInt8 {
        qos.rawValue | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling.rawValue << 4
    }

    static func decode(_ reader: inout ByteReader, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTSubscription {
        let filter = try reader.string()
        try MQTTTopic.validateFilter(filter)
        let options = try reader.byte()
        let reservedMask: UInt8 = version == .v5 ? 0xC0 : 0xFC
        guard options & reservedMask == 0, let qos = MQTTQoS(rawValue: options & 0x03),
              let retainHandling = MQTTRetainHandling(rawValue: (options >> 4) & 0x03) else {
            throw .invalidSubscriptionOptions(options)
        }
        let subscription = MQTTSubscription(filter: filter, qos: qos, noLocal: options & 0x04 != 0,
                                            retainAsPublished: options & 0x08 != 0, retainHandling: retainHandling)
        // No Local on a shared subscription is a protocol error (MQTT 5 §3.8.3.1).
        if subscription.noLocal && MQTTTopic.isSharedSubscription(filter) { throw .invalidSubscriptionOptions(options) }
        return subscription
    }

    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) {
        try MQTTTopic.validateFilter(filter)
        if version == .v3_1_1 && (noLocal || retainAsPublished || retainHandling != .sendOnSubscribe) {
            throw .notInVersion("subscription options", version)
        }
        if noLocal && MQTTTopic.isSharedSubscription(filter) { throw .invalidSubscriptionOptions(optionsByte) }
        try bytes.appendString(filter)
        bytes.append(optionsByte)
    }
}

/// SUBSCRIBE: one or more topic filters.
public struct MQTTSubscribe: Equatable, Sendable {
    public var packetID: UInt16
    public var subscriptions: [MQTTSubscription]
    /// MQTT 5: subscription identifier and user properties.
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(packetID: UInt16, subscriptions: [MQTTSubscription], properties: MQTTProperties = []) {
        self.packetID = packetID
        self.subscriptions = subscriptions
        self.properties = properties
    }

    static func decode(_ reader: inout ByteReader, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTSubscribe {
        let id = try reader.uint16()
        guard id != 0 else { throw .invalidPacketIdentifier }
        let properties = version == .v5 ? try MQTTProperties.decode(from: &reader, context: .subscribe) : []
        var subscriptions: [MQTTSubscription] = []
        while !reader.isAtEnd { subscriptions.append(try MQTTSubscription.decode(&reader, version: version)) }
        if subscriptions.isEmpty { throw .emptyPayload(packet: .subscribe) }
        return MQTTSubscribe(packetID: id, subscriptions: subscriptions, properties: properties)
    }

    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) {
        guard packetID != 0 else { throw .invalidPacketIdentifier }
        if subscriptions.isEmpty { throw .emptyPayload(packet: .subscribe) }
        try properties.requireEmpty(for: version)
        bytes.appendUInt16(packetID)
        if version == .v5 { try properties.encode(into: &bytes, context: .subscribe) }
        for subscription in subscriptions { try subscription.encode(into: &bytes, version: version) }
    }
}

/// SUBACK: one reason code (granted QoS or failure) per requested filter.
public struct MQTTSubAck: Equatable, Sendable {
    public var packetID: UInt16
    public var reasonCodes: [MQTTReasonCode]
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(packetID: UInt16, reasonCodes: [MQTTReasonCode], properties: MQTTProperties = []) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }

    static func decode(_ reader: inout ByteReader, version: MQTTVersion) throws(MQTTProtocolError) -> MQTTSubAck {
        let id = try reader.uint16()
        guard id != 0 else { throw .invalidPacketIdentifier }
        let properties = version == .v5 ? try MQTTProperties.decode(from: &reader, context: .subAck) : []
        let allowed = version == .v5 ? ReasonSet.subAck : ReasonSet.subAckV3
        var codes: [MQTTReasonCode] = []
        while !reader.isAtEnd {
            let code = try reader.byte()
            guard allowed.contains(code) else { throw .invalidReasonCode(code, packet: .subAck) }
            codes.append(MQTTReasonCode(rawValue: code))
        }
        if codes.isEmpty { throw .emptyPayload(packet: .subAck) }
        return MQTTSubAck(packetID: id, reasonCodes: codes, properties: properties)
    }

    func encode(into bytes: inout [UInt8], version: MQTTVersion) throws(MQTTProtocolError) {
        guard packetID != 0 else { throw .invalidPacketIdentifier }
        if reasonCodes.isEmpty { throw .emptyPayload(packet: .subAck) }
        try properties.requireEmpty(for: version)
        bytes.appendUInt16(packetID)
        if version == .v5 { try properties.encode(into: &bytes, context: .subAck) }
        let allowed = version == .v5 ? ReasonSet.subAck : ReasonSet.subAckV3
        for code in reasonCodes {
            guard allowed.contains(code.rawValue) else { throw .invalidReasonCode(code.rawValue, packet: .subAck) }
            bytes.append(code.rawValue)
        }
    }
}
