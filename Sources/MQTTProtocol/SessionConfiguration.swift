/// Exponential reconnect back-off: `initial × multiplier^attempt`, capped at `maximum`, then reduced by a
/// random fraction of up to `jitter` so that many clients do not reconnect in step.
public struct MQTTBackoff: Equatable, Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Int
    /// 0...1: the delay is drawn uniformly from `[base × (1 − jitter), base]`.
    public var jitter: Double

    /// Creates the value from its fields (defaults as shown).
    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(120), multiplier: Int = 2, jitter: Double = 0.5) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The un-jittered delay before reconnect attempt `attempt` (0 = first).
    public func baseDelay(attempt: Int) -> Duration {
        // Clamped so that no configuration can overflow Duration arithmetic.
        let day = Duration.seconds(86_400)
        let cap = min(max(initial, maximum), day)
        var delay = min(max(initial, .milliseconds(1)), cap)
        for _ in 0..<max(0, attempt) {
            if delay >= cap { break }  // at the cap: large attempt counts cost nothing
            delay = delay * min(max(1, multiplier), 16)
        }
        return min(delay, cap)
    }

    /// The delay before attempt `attempt`, with `unitRandom` in 0..<1 choosing the jitter.
    public func delay(attempt: Int, unitRandom: Double) -> Duration {
        let base = baseDelay(attempt: attempt)
        let fraction = min(max(jitter, 0), 1) * min(max(unitRandom, 0), 1)
        return base - base * fraction
    }
}

/// Limits of the offline buffer, which holds messages while the broker is away or the in-flight window is full.
///
/// Memory bound: at most `maximumBytes` of topic + payload bytes (plus a few dozen bytes of bookkeeping per
/// message), however long the broker is away.
public struct MQTTBufferLimits: Equatable, Sendable {
    /// Distinct retained topics kept (newest payload per topic); past this the oldest topic is dropped.
    public var maximumRetainedTopics: Int
    /// Non-retained messages (events) kept; past this the oldest is dropped and counted.
    public var maximumEvents: Int
    /// Topic and payload bytes kept in total; past this the oldest events go first, then the oldest states.
    public var maximumBytes: Int

    /// Creates the value from its fields (defaults as shown).
    public init(maximumRetainedTopics: Int = 1024, maximumEvents: Int = 1000, maximumBytes: Int = 4 << 20) {
        self.maximumRetainedTopics = maximumRetainedTopics
        self.maximumEvents = maximumEvents
        self.maximumBytes = maximumBytes
    }
}

/// Everything the session state machine needs to know about the connection it keeps.
public struct MQTTSessionConfiguration: Equatable, Sendable {
    public var version: MQTTVersion
    /// May be empty with a clean session (the broker then assigns one).
    public var clientID: String
    /// Clean session (3.1.1) / clean start (5). When false the broker keeps subscriptions and unacknowledged
    /// QoS 1 messages across reconnects, and the client re-sends its own with DUP set.
    public var cleanSession: Bool
    /// Seconds between control packets; 0 turns keep-alive off.
    public var keepAlive: UInt16
    public var username: String?
    public var password: [UInt8]?
    public var will: MQTTWill?
    /// MQTT 5 session expiry in seconds; nil means 0 for a clean session and one day otherwise.
    public var sessionExpiryInterval: UInt32?
    /// Largest packet accepted from the broker (announced in MQTT 5; oversize packets are dropped).
    public var maximumIncomingPacketSize: Int
    /// MQTT 5 topic aliases the broker may use towards us (0 = none).
    public var topicAliasMaximum: UInt16
    /// MQTT 5: QoS 1/2 messages the broker may have in flight towards us (nil = the protocol default, 65535).
    public var receiveMaximum: UInt16?
    /// How long to wait for CONNACK and for PINGRESP before declaring the connection dead.
    public var responseTimeout: Duration
    /// QoS 1 messages sent but not yet acknowledged, at most (also capped by the broker's receive maximum).
    public var maximumInFlight: Int
    public var backoff: MQTTBackoff
    public var bufferLimits: MQTTBufferLimits
    /// After a reconnect in which the broker kept no session, unacknowledged QoS 1 messages are sent again as
    /// new messages (true) or dropped and counted (false).
    public var republishUnacknowledged: Bool
    /// A connection that lasted this long resets the back-off to its initial delay.
    public var stableConnectionTime: Duration

    /// Creates the value from its fields (defaults as shown).
    public init(version: MQTTVersion = .v3_1_1, clientID: String, cleanSession: Bool = true, keepAlive: UInt16 = 60,
                username: String? = nil, password: [UInt8]? = nil, will: MQTTWill? = nil, sessionExpiryInterval: UInt32? = nil,
                maximumIncomingPacketSize: Int = 1 << 20, topicAliasMaximum: UInt16 = 0, receiveMaximum: UInt16? = nil, responseTimeout: Duration = .seconds(10),
                maximumInFlight: Int = 32, backoff: MQTTBackoff = MQTTBackoff(), bufferLimits: MQTTBufferLimits = MQTTBufferLimits(),
                republishUnacknowledged: Bool = true, stableConnectionTime: Duration = .seconds(30)) {
        self.version = version
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.will = will
        self.sessionExpiryInterval = sessionExpiryInterval
        self.maximumIncomingPacketSize = maximumIncomingPacketSize
        self.topicAliasMaximum = topicAliasMaximum
        self.receiveMaximum = receiveMaximum
        self.responseTimeout = responseTimeout
        self.maximumInFlight = maximumInFlight
        self.backoff = backoff
        self.bufferLimits = bufferLimits
        self.republishUnacknowledged = republishUnacknowledged
        self.stableConnectionTime = stableConnectionTime
    }

    /// The CONNECT packet this configuration sends (`clientID` may be the broker-assigned one).
    func connectPacket(clientID: String) -> MQTTConnect {
        var properties: MQTTProperties = []
        if version == .v5 {
            let expiry = sessionExpiryInterval ?? (cleanSession ? 0 : 86_400)
            if expiry > 0 { properties.sessionExpiryInterval = expiry }
            if maximumIncomingPacketSize < VariableByteInteger.maximum + 5 {
                properties.maximumPacketSize = UInt32(clamping: max(1, maximumIncomingPacketSize))
            }
            if topicAliasMaximum > 0 { properties.topicAliasMaximum = topicAliasMaximum }
            if let receiveMaximum, receiveMaximum > 0 { properties.receiveMaximum = receiveMaximum }
        }
        return MQTTConnect(version: version, cleanStart: cleanSession, keepAlive: keepAlive, clientID: clientID, will: will,
                           username: username, password: password, properties: properties)
    }
}
