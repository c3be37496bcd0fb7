/// Everything that can be wrong with bytes that claim to be an MQTT packet, or with a packet we are asked to encode.
///
/// Decoders and encoders throw these instead of trapping, so a misbehaving broker can never crash the client.
public enum MQTTProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The packet ended while `needed` more bytes were expected.
    case truncated(needed: Int)
    /// Bytes remain after the last field the packet may carry.
    case trailingBytes(count: Int)
    /// The fixed header's remaining length disagrees with the bytes given.
    case remainingLengthMismatch(declared: Int, actual: Int)
    /// A variable byte integer longer than four bytes.
    case malformedVariableByteInteger
    /// A variable byte integer not in its shortest form (the spec requires the minimum number of bytes).
    case nonMinimalVariableByteInteger
    /// A number too large for the field that must carry it.
    case valueTooLarge(field: String, value: Int, maximum: Int)
    /// Packet type 0 (or 15 in MQTT 3.1.1), which no packet may use.
    case reservedPacketType(UInt8)
    /// Fixed-header flag bits that the packet type does not allow.
    case invalidFixedHeaderFlags(packet: MQTTPacketType, flags: UInt8)
    /// A CONNECT whose protocol name is not "MQTT".
    case invalidProtocolName(String)
    /// A CONNECT protocol level other than 4 (3.1.1) or 5.
    case unsupportedProtocolLevel(UInt8)
    /// CONNECT flags that contradict each other or set the reserved bit.
    case invalidConnectFlags(UInt8)
    /// CONNACK acknowledge flags with reserved bits set, or session present on a refusal.
    case invalidConnAckFlags(UInt8)
    /// A QoS value of 3, or a QoS this packet may not use.
    case invalidQoS(UInt8)
    /// A PUBLISH with QoS 0 and the DUP flag set.
    case duplicateFlagOnQoS0
    /// A packet identifier of 0, or a missing / unexpected one.
    case invalidPacketIdentifier
    /// A string that is not well-formed UTF-8.
    case invalidUTF8
    /// A string containing U+0000, which MQTT forbids.
    case stringContainsNull
    /// A string or binary field longer than 65535 bytes.
    case fieldTooLong(length: Int)
    /// A topic name that is empty or contains wildcards.
    case invalidTopicName(String)
    /// A topic filter that breaks the wildcard rules.
    case invalidTopicFilter(String)
    /// A reason or return code the packet type does not define.
    case invalidReasonCode(UInt8, packet: MQTTPacketType)
    /// A property identifier MQTT 5 does not define.
    case unknownProperty(identifier: Int)
    /// A property not allowed in this packet.
    case propertyNotAllowed(MQTTPropertyIdentifier, in: MQTTPropertyContext)
    /// A property given twice where only one is allowed.
    case duplicateProperty(MQTTPropertyIdentifier)
    /// A property value outside its allowed range.
    case invalidPropertyValue(MQTTPropertyIdentifier, value: Int)
    /// Invalid subscription options byte.
    case invalidSubscriptionOptions(UInt8)
    /// A SUBSCRIBE, UNSUBSCRIBE, SUBACK or UNSUBACK with no entries.
    case emptyPayload(packet: MQTTPacketType)
    /// Something this protocol version cannot express (properties in 3.1.1, AUTH in 3.1.1, ...).
    case notInVersion(String, MQTTVersion)
    /// A packet larger than the allowed maximum.
    case packetTooLarge(size: Int, maximum: Int)

    public var description: String {
        switch self {
        case let .truncated(needed): "packet truncated: \(needed) more byte(s) needed"
        case let .trailingBytes(count): "\(count) unexpected byte(s) after the last field"
        case let .remainingLengthMismatch(declared, actual): "remaining length says \(declared) bytes, packet has \(actual)"
        case .malformedVariableByteInteger: "variable byte integer longer than 4 bytes"
        case .nonMinimalVariableByteInteger: "variable byte integer not in its shortest form"
        case let .valueTooLarge(field, value, maximum): "\(field) \(value) exceeds the maximum \(maximum)"
        case let .reservedPacketType(type): "reserved packet type \(type)"
        case let .invalidFixedHeaderFlags(packet, flags): "\(packet) with invalid fixed header flags \(flags)"
        case let .invalidProtocolName(name): "protocol name \"\(name)\" is not \"MQTT\""
        case let .unsupportedProtocolLevel(level): "unsupported protocol level \(level)"
        case let .invalidConnectFlags(flags): "invalid CONNECT flags \(flags)"
        case let .invalidConnAckFlags(flags): "invalid CONNACK flags \(flags)"
        case let .invalidQoS(qos): "invalid QoS \(qos)"
        case .duplicateFlagOnQoS0: "DUP flag set on a QoS 0 PUBLISH"
        case .invalidPacketIdentifier: "missing, zero or unexpected packet identifier"
        case .invalidUTF8: "string is not well-formed UTF-8"
        case .stringContainsNull: "string contains U+0000"
        case let .fieldTooLong(length): "field of \(length) bytes exceeds 65535"
        case let .invalidTopicName(topic): "invalid topic name \"\(topic)\""
        case let .invalidTopicFilter(filter): "invalid topic filter \"\(filter)\""
        case let .invalidReasonCode(code, packet): "reason code \(code) is not defined for \(packet)"
        case let .unknownProperty(identifier): "unknown property identifier \(identifier)"
        case let .propertyNotAllowed(property, context): "property \(property) not allowed in \(context)"
        case let .duplicateProperty(property): "property \(property) given more than once"
        case let .invalidPropertyValue(property, value): "property \(property) has invalid value \(value)"
        case let .invalidSubscriptionOptions(options): "invalid subscription options \(options)"
        case let .emptyPayload(packet): "\(packet) without any entries"
        case let .notInVersion(feature, version): "\(feature) cannot be expressed in MQTT \(version)"
        case let .packetTooLarge(size, maximum): "packet of \(size) bytes exceeds the maximum \(maximum)"
        }
    }
}
