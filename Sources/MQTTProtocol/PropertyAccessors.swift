/// Typed views of the properties the client reads or sets.
extension MQTTProperties {
    /// The payload format indicator property, nil when absent.
    public var payloadFormatIndicator: UInt8? {
        get { if case let .payloadFormatIndicator(v)? = self[.payloadFormatIndicator] { v } else { nil } }
        set { set(.payloadFormatIndicator, newValue.map { .payloadFormatIndicator($0) }) }
    }
    /// The message expiry interval property, nil when absent.
    public var messageExpiryInterval: UInt32? {
        get { if case let .messageExpiryInterval(v)? = self[.messageExpiryInterval] { v } else { nil } }
        set { set(.messageExpiryInterval, newValue.map { .messageExpiryInterval($0) }) }
    }
    /// The content type property, nil when absent.
    public var contentType: String? {
        get { if case let .contentType(v)? = self[.contentType] { v } else { nil } }
        set { set(.contentType, newValue.map { .contentType($0) }) }
    }
    /// The response topic property, nil when absent.
    public var responseTopic: String? {
        get { if case let .responseTopic(v)? = self[.responseTopic] { v } else { nil } }
        set { set(.responseTopic, newValue.map { .responseTopic($0) }) }
    }
    /// The correlation data property, nil when absent.
    public var correlationData: [UInt8]? {
        get { if case let .correlationData(v)? = self[.correlationData] { v } else { nil } }
        set { set(.correlationData, newValue.map { .correlationData($0) }) }
    }
    /// The session expiry interval property, nil when absent.
    public var sessionExpiryInterval: UInt32? {
        get { if case let .sessionExpiryInterval(v)? = self[.sessionExpiryInterval] { v } else { nil } }
        set { set(.sessionExpiryInterval, newValue.map { .sessionExpiryInterval($0) }) }
    }
    /// The assigned client identifier property, nil when absent.
    public var assignedClientIdentifier: String? {
        get { if case let .assignedClientIdentifier(v)? = self[.assignedClientIdentifier] { v } else { nil } }
        set { set(.assignedClientIdentifier, newValue.map { .assignedClientIdentifier($0) }) }
    }
    /// The server keep alive property, nil when absent.
    public var serverKeepAlive: UInt16? {
        get { if case let .serverKeepAlive(v)? = self[.serverKeepAlive] { v } else { nil } }
        set { set(.serverKeepAlive, newValue.map { .serverKeepAlive($0) }) }
    }
    /// The will delay interval property, nil when absent.
    public var willDelayInterval: UInt32? {
        get { if case let .willDelayInterval(v)? = self[.willDelayInterval] { v } else { nil } }
        set { set(.willDelayInterval, newValue.map { .willDelayInterval($0) }) }
    }
    /// The reason string property, nil when absent.
    public var reasonString: String? {
        get { if case let .reasonString(v)? = self[.reasonString] { v } else { nil } }
        set { set(.reasonString, newValue.map { .reasonString($0) }) }
    }
    /// The receive maximum property, nil when absent.
    public var receiveMaximum: UInt16? {
        get { if case let .receiveMaximum(v)? = self[.receiveMaximum] { v } else { nil } }
        set { set(.receiveMaximum, newValue.map { .receiveMaximum($0) }) }
    }
    /// The topic alias maximum property, nil when absent.
    public var topicAliasMaximum: UInt16? {
        get { if case let .topicAliasMaximum(v)? = self[.topicAliasMaximum] { v } else { nil } }
        set { set(.topicAliasMaximum, newValue.map { .topicAliasMaximum($0) }) }
    }
    /// The topic alias property, nil when absent.
    public var topicAlias: UInt16? {
        get { if case let .topicAlias(v)? = self[.topicAlias] { v } else { nil } }
        set { set(.topicAlias, newValue.map { .topicAlias($0) }) }
    }
    /// The maximum qo s property, nil when absent.
    public var maximumQoS: UInt8? {
        get { if case let .maximumQoS(v)? = self[.maximumQoS] { v } else { nil } }
        set { set(.maximumQoS, newValue.map { .maximumQoS($0) }) }
    }
    /// The retain available property, nil when absent.
    public var retainAvailable: UInt8? {
        get { if case let .retainAvailable(v)? = self[.retainAvailable] { v } else { nil } }
        set { set(.retainAvailable, newValue.map { .retainAvailable($0) }) }
    }
    /// The maximum packet size property, nil when absent.
    public var maximumPacketSize: UInt32? {
        get { if case let .maximumPacketSize(v)? = self[.maximumPacketSize] { v } else { nil } }
        set { set(.maximumPacketSize, newValue.map { .maximumPacketSize($0) }) }
    }
    /// The server reference property, nil when absent.
    public var serverReference: String? {
        get { if case let .serverReference(v)? = self[.serverReference] { v } else { nil } }
        set { set(.serverReference, newValue.map { .serverReference($0) }) }
    }
    /// All user properties, in order.
    public var userProperties: [(name: String, value: String)] {
        entries.compactMap { if case let .userProperty(name, value) = $0 { (name, value) } else { nil } }
    }
    /// All subscription identifiers, in order (a PUBLISH may carry several).
    public var subscriptionIdentifiers: [Int] {
        entries.compactMap { if case let .subscriptionIdentifier(value) = $0 { value } else { nil } }
    }
}
