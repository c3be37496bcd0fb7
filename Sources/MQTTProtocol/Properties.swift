/// An ordered MQTT 5 property list, kept in wire order so a decoded packet re-encodes byte for byte.
///
/// Typed accessors read the first occurrence and set by replacing it (or removing it with nil).
public struct MQTTProperties: Equatable, Sendable, ExpressibleByArrayLiteral {
    /// The properties in wire order.
    public var entries: [MQTTProperty]

    /// A list of these properties, in this order.
    public init(_ entries: [MQTTProperty] = []) { self.entries = entries }
    /// A list of these properties, in this order.
    public init(arrayLiteral elements: MQTTProperty...) { entries = elements }

    /// True when there are no properties.
    public var isEmpty: Bool { entries.isEmpty }

    /// The first property with this identifier.
    public subscript(identifier: MQTTPropertyIdentifier) -> MQTTProperty? {
        entries.first { $0.identifier == identifier }
    }

    /// Replaces (or removes, with nil) every property with this identifier.
    mutating func set(_ identifier: MQTTPropertyIdentifier, _ property: MQTTProperty?) {
        if let index = entries.firstIndex(where: { $0.identifier == identifier }) {
            entries.removeAll { $0.identifier == identifier }
            if let property { entries.insert(property, at: index) }
        } else if let property {
            entries.append(property)
        }
    }

    // MARK: Decoding and encoding

    /// Decodes a property list (length prefix included) for the given context, enforcing allowed
    /// properties, duplicates and value ranges.
    static func decode(from reader: inout ByteReader, context: MQTTPropertyContext) throws(MQTTProtocolError) -> MQTTProperties {
        let length = try reader.variableByteInteger()
        var body = ByteReader(try reader.slice(length))
        var entries: [MQTTProperty] = []
        var seen: UInt64 = 0
        while !body.isAtEnd {
            let rawIdentifier = try body.variableByteInteger()
            guard rawIdentifier < 256, let identifier = MQTTPropertyIdentifier(rawValue: UInt8(rawIdentifier)) else {
                throw .unknownProperty(identifier: rawIdentifier)
            }
            guard identifier.isAllowed(in: context) else { throw .propertyNotAllowed(identifier, in: context) }
            let bit = UInt64(1) << UInt64(identifier.rawValue)
            if seen & bit != 0 && !identifier.mayRepeat(in: context) { throw .duplicateProperty(identifier) }
            seen |= bit
            let property = try decodeValue(identifier, from: &body)
            try property.validateValue()
            entries.append(property)
        }
        return MQTTProperties(entries)
    }

    private static func decodeValue(_ identifier: MQTTPropertyIdentifier, from reader: inout ByteReader) throws(MQTTProtocolError) -> MQTTProperty {
        switch identifier {
        case .payloadFormatIndicator: .payloadFormatIndicator(try reader.byte())
        case .messageExpiryInterval: .messageExpiryInterval(try reader.uint32())
        case .contentType: .contentType(try reader.string())
        case .responseTopic: .responseTopic(try reader.string())
        case .correlationData: .correlationData(try reader.binary())
        case .subscriptionIdentifier: .subscriptionIdentifier(try reader.variableByteInteger())
        case .sessionExpiryInterval: .sessionExpiryInterval(try reader.uint32())
        case .assignedClientIdentifier: .assignedClientIdentifier(try reader.string())
        case .serverKeepAlive: .serverKeepAlive(try reader.uint16())
        case .authenticationMethod: .authenticationMethod(try reader.string())
        case .authenticationData: .authenticationData(try reader.binary())
        case .requestProblemInformation: .requestProblemInformation(try reader.byte())
        case .willDelayInterval: .willDelayInterval(try reader.uint32())
        case .requestResponseInformation: .requestResponseInformation(try reader.byte())
        case .responseInformation: .responseInformation(try reader.string())
        case .serverReference: .serverReference(try reader.string())
        case .reasonString: .reasonString(try reader.string())
        case .receiveMaximum: .receiveMaximum(try reader.uint16())
        case .topicAliasMaximum: .topicAliasMaximum(try reader.uint16())
        case .topicAlias: .topicAlias(try reader.uint16())
        case .maximumQoS: .maximumQoS(try reader.byte())
        case .retainAvailable: .retainAvailable(try reader.byte())
        case .userProperty: .userProperty(name: try reader.string(), value: try reader.string())
        case .maximumPacketSize: .maximumPacketSize(try reader.uint32())
        case .wildcardSubscriptionAvailable: .wildcardSubscriptionAvailable(try reader.byte())
        case .subscriptionIdentifierAvailable: .subscriptionIdentifierAvailable(try reader.byte())
        case .sharedSubscriptionAvailable: .sharedSubscriptionAvailable(try reader.byte())
        }
    }

    /// Appends the length-prefixed property list, after the same checks the decoder makes.
    func encode(into bytes: inout [UInt8], context: MQTTPropertyContext) throws(MQTTProtocolError) {
        var body: [UInt8] = []
        var seen: UInt64 = 0
        for property in entries {
            let identifier = property.identifier
            guard identifier.isAllowed(in: context) else { throw .propertyNotAllowed(identifier, in: context) }
            let bit = UInt64(1) << UInt64(identifier.rawValue)
            if seen & bit != 0 && !identifier.mayRepeat(in: context) { throw .duplicateProperty(identifier) }
            seen |= bit
            try property.validateValue()
            body.append(identifier.rawValue)
            try property.encodeValue(into: &body)
        }
        try bytes.appendVariableByteInteger(body.count, field: "property length")
        bytes.append(contentsOf: body)
    }

    /// Throws when a non-empty list is given to a 3.1.1 packet, which has no properties.
    func requireEmpty(for version: MQTTVersion) throws(MQTTProtocolError) {
        if version == .v3_1_1 && !entries.isEmpty { throw .notInVersion("properties", version) }
    }
}

extension MQTTProperty {
    /// Range checks from the spec: boolean bytes are 0/1, several values must not be 0.
    func validateValue() throws(MQTTProtocolError) {
        switch self {
        case let .payloadFormatIndicator(value), let .requestProblemInformation(value), let .requestResponseInformation(value),
             let .maximumQoS(value), let .retainAvailable(value), let .wildcardSubscriptionAvailable(value),
             let .subscriptionIdentifierAvailable(value), let .sharedSubscriptionAvailable(value):
            if value > 1 { throw .invalidPropertyValue(identifier, value: Int(value)) }
        case let .receiveMaximum(value), let .topicAlias(value):
            if value == 0 { throw .invalidPropertyValue(identifier, value: 0) }
        case let .maximumPacketSize(value):
            if value == 0 { throw .invalidPropertyValue(identifier, value: 0) }
        case let .subscriptionIdentifier(value):
            if value < 1 || value > VariableByteInteger.maximum { throw .invalidPropertyValue(identifier, value: value) }
        case let .responseTopic(topic):
            try MQTTTopic.validateName(topic)
        case let .contentType(text), let .assignedClientIdentifier(text), let .authenticationMethod(text),
             let .responseInformation(text), let .serverReference(text), let .reasonString(text):
            try MQTTString.validate(text)
        case let .userProperty(name, value):
            try MQTTString.validate(name)
            try MQTTString.validate(value)
        case let .correlationData(data), let .authenticationData(data):
            if data.count > 65535 { throw .fieldTooLong(length: data.count) }
        case .messageExpiryInterval, .sessionExpiryInterval, .serverKeepAlive, .willDelayInterval, .topicAliasMaximum:
            break
        }
    }

    func encodeValue(into bytes: inout [UInt8]) throws(MQTTProtocolError) {
        switch self {
        case let .payloadFormatIndicator(value), let .requestProblemInformation(value), let .requestResponseInformation(value),
             let .maximumQoS(value), let .retainAvailable(value), let .wildcardSubscriptionAvailable(value),
             let .subscriptionIdentifierAvailable(value), let .sharedSubscriptionAvailable(value):
            bytes.append(value)
        case let .messageExpiryInterval(value), let .sessionExpiryInterval(value), let .willDelayInterval(value),
             let .maximumPacketSize(value):
            bytes.appendUInt32(value)
        case let .serverKeepAlive(value), let .receiveMaximum(value), let .topicAliasMaximum(value), let .topicAlias(value):
            bytes.appendUInt16(value)
        case let .contentType(text), let .responseTopic(text), let .assignedClientIdentifier(text),
             let .authenticationMethod(text), let .responseInformation(text), let .serverReference(text),
             let .reasonString(text):
            try bytes.appendString(text)
        case let .correlationData(data), let .authenticationData(data):
            try bytes.appendBinary(data)
        case let .subscriptionIdentifier(value):
            try bytes.appendVariableByteInteger(value, field: "subscription identifier")
        case let .userProperty(name, value):
            try bytes.appendString(name)
            try bytes.appendString(value)
        }
    }
}
