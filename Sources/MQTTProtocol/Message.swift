/// An application message, as published or as delivered to a subscriber.
public struct MQTTMessage: Equatable, Sendable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: MQTTQoS
    public var retain: Bool
    /// MQTT 5 publish properties (content type, message expiry, response topic, user properties, ...).
    public var properties: MQTTProperties

    /// Creates the value from its fields (defaults as shown).
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false, properties: MQTTProperties = []) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.properties = properties
    }

    /// A message whose payload is the UTF-8 of `text`.
    public init(topic: String, text: String, qos: MQTTQoS = .atMostOnce, retain: Bool = false, properties: MQTTProperties = []) {
        self.init(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain, properties: properties)
    }

    /// The payload read as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: payload, as: UTF8.self) }

    /// Bytes this message occupies in a buffer (topic plus payload), used for memory limits.
    public var bufferedSize: Int { topic.utf8.count + payload.count }
}
