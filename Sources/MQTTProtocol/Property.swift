/// MQTT 5 property identifiers (spec §2.2.2.2).
public enum MQTTPropertyIdentifier: UInt8, Sendable, CaseIterable {
    case payloadFormatIndicator = 0x01
    case messageExpiryInterval = 0x02
    case contentType = 0x03
    case responseTopic = 0x08
    case correlationData = 0x09
    case subscriptionIdentifier = 0x0B
    case sessionExpiryInterval = 0x11
    case assignedClientIdentifier = 0x12
    case serverKeepAlive = 0x13
    case authenticationMethod = 0x15
    case authenticationData = 0x16
    case requestProblemInformation = 0x17
    case willDelayInterval = 0x18
    case requestResponseInformation = 0x19
    case responseInformation = 0x1A
    case serverReference = 0x1C
    case reasonString = 0x1F
    case receiveMaximum = 0x21
    case topicAliasMaximum = 0x22
    case topicAlias = 0x23
    case maximumQoS = 0x24
    case retainAvailable = 0x25
    case userProperty = 0x26
    case maximumPacketSize = 0x27
    case wildcardSubscriptionAvailable = 0x28
    case subscriptionIdentifierAvailable = 0x29
    case sharedSubscriptionAvailable = 0x2A
}

/// Which packet (or part of one) a property list belongs to; each property is allowed in only some.
public enum MQTTPropertyContext: Sendable, Equatable {
    case connect, connAck, publish, will, publishAck, subscribe, subAck, unsubscribe, unsubAck, disconnect, auth
}

/// One MQTT 5 property with its value.
public enum MQTTProperty: Equatable, Sendable {
    case payloadFormatIndicator(UInt8)
    case messageExpiryInterval(UInt32)
    case contentType(String)
    case responseTopic(String)
    case correlationData([UInt8])
    case subscriptionIdentifier(Int)
    case sessionExpiryInterval(UInt32)
    case assignedClientIdentifier(String)
    case serverKeepAlive(UInt16)
    case authenticationMethod(String)
    case authenticationData([UInt8])
    case requestProblemInformation(UInt8)
    case willDelayInterval(UInt32)
    case requestResponseInformation(UInt8)
    case responseInformation(String)
    case serverReference(String)
    case reasonString(String)
    case receiveMaximum(UInt16)
    case topicAliasMaximum(UInt16)
    case topicAlias(UInt16)
    case maximumQoS(UInt8)
    case retainAvailable(UInt8)
    case userProperty(name: String, value: String)
    case maximumPacketSize(UInt32)
    case wildcardSubscriptionAvailable(UInt8)
    case subscriptionIdentifierAvailable(UInt8)
    case sharedSubscriptionAvailable(UInt8)

    /// The property's identifier.
    public var identifier: MQTTPropertyIdentifier {
        switch self {
        case .payloadFormatIndicator: .payloadFormatIndicator
        case .messageExpiryInterval: .messageExpiryInterval
        case .contentType: .contentType
        case .responseTopic: .responseTopic
        case .correlationData: .correlationData
        case .subscriptionIdentifier: .subscriptionIdentifier
        case .sessionExpiryInterval: .sessionExpiryInterval
        case .assignedClientIdentifier: .assignedClientIdentifier
        case .serverKeepAlive: .serverKeepAlive
        case .authenticationMethod: .authenticationMethod
        case .authenticationData: .authenticationData
        case .requestProblemInformation: .requestProblemInformation
        case .willDelayInterval: .willDelayInterval
        case .requestResponseInformation: .requestResponseInformation
        case .responseInformation: .responseInformation
        case .serverReference: .serverReference
        case .reasonString: .reasonString
        case .receiveMaximum: .receiveMaximum
        case .topicAliasMaximum: .topicAliasMaximum
        case .topicAlias: .topicAlias
        case .maximumQoS: .maximumQoS
        case .retainAvailable: .retainAvailable
        case .userProperty: .userProperty
        case .maximumPacketSize: .maximumPacketSize
        case .wildcardSubscriptionAvailable: .wildcardSubscriptionAvailable
        case .subscriptionIdentifierAvailable: .subscriptionIdentifierAvailable
        case .sharedSubscriptionAvailable: .sharedSubscriptionAvailable
        }
    }
}

extension MQTTPropertyIdentifier {
    /// Where the spec allows this property.
    func isAllowed(in context: MQTTPropertyContext) -> Bool {
        switch self {
        case .payloadFormatIndicator, .messageExpiryInterval, .contentType, .responseTopic, .correlationData:
            context == .publish || context == .will
        case .subscriptionIdentifier: context == .publish || context == .subscribe
        case .sessionExpiryInterval: context == .connect || context == .connAck || context == .disconnect
        case .assignedClientIdentifier, .serverKeepAlive, .responseInformation, .maximumQoS, .retainAvailable,
             .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable, .sharedSubscriptionAvailable:
            context == .connAck
        case .authenticationMethod, .authenticationData: context == .connect || context == .connAck || context == .auth
        case .requestProblemInformation, .requestResponseInformation: context == .connect
        case .willDelayInterval: context == .will
        case .serverReference: context == .connAck || context == .disconnect
        case .reasonString:
            context != .connect && context != .publish && context != .will && context != .subscribe && context != .unsubscribe
        case .receiveMaximum, .topicAliasMaximum, .maximumPacketSize: context == .connect || context == .connAck
        case .topicAlias: context == .publish
        case .userProperty: true
        }
    }

    /// Whether the property may appear more than once in one list.
    func mayRepeat(in context: MQTTPropertyContext) -> Bool {
        self == .userProperty || (self == .subscriptionIdentifier && context == .publish)
    }
}
