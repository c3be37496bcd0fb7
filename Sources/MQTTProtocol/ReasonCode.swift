/// An MQTT 5 reason code (one byte). MQTT 3.1.1 return codes are mapped onto these (see `MQTTConnAck`).
public struct MQTTReasonCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    /// The reason code with this byte value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Codes 0x80 and above report a failure.
    public var isFailure: Bool { rawValue >= 0x80 }

    public static let success = MQTTReasonCode(rawValue: 0x00)
    public static let normalDisconnection = MQTTReasonCode(rawValue: 0x00)
    public static let grantedQoS0 = MQTTReasonCode(rawValue: 0x00)
    public static let grantedQoS1 = MQTTReasonCode(rawValue: 0x01)
    public static let grantedQoS2 = MQTTReasonCode(rawValue: 0x02)
    public static let disconnectWithWillMessage = MQTTReasonCode(rawValue: 0x04)
    public static let noMatchingSubscribers = MQTTReasonCode(rawValue: 0x10)
    public static let noSubscriptionExisted = MQTTReasonCode(rawValue: 0x11)
    public static let continueAuthentication = MQTTReasonCode(rawValue: 0x18)
    public static let reAuthenticate = MQTTReasonCode(rawValue: 0x19)
    public static let unspecifiedError = MQTTReasonCode(rawValue: 0x80)
    public static let malformedPacket = MQTTReasonCode(rawValue: 0x81)
    public static let protocolError = MQTTReasonCode(rawValue: 0x82)
    public static let implementationSpecificError = MQTTReasonCode(rawValue: 0x83)
    public static let unsupportedProtocolVersion = MQTTReasonCode(rawValue: 0x84)
    public static let clientIdentifierNotValid = MQTTReasonCode(rawValue: 0x85)
    public static let badUserNameOrPassword = MQTTReasonCode(rawValue: 0x86)
    public static let notAuthorized = MQTTReasonCode(rawValue: 0x87)
    public static let serverUnavailable = MQTTReasonCode(rawValue: 0x88)
    public static let serverBusy = MQTTReasonCode(rawValue: 0x89)
    public static let banned = MQTTReasonCode(rawValue: 0x8A)
    public static let serverShuttingDown = MQTTReasonCode(rawValue: 0x8B)
    public static let badAuthenticationMethod = MQTTReasonCode(rawValue: 0x8C)
    public static let keepAliveTimeout = MQTTReasonCode(rawValue: 0x8D)
    public static let sessionTakenOver = MQTTReasonCode(rawValue: 0x8E)
    public static let topicFilterInvalid = MQTTReasonCode(rawValue: 0x8F)
    public static let topicNameInvalid = MQTTReasonCode(rawValue: 0x90)
    public static let packetIdentifierInUse = MQTTReasonCode(rawValue: 0x91)
    public static let packetIdentifierNotFound = MQTTReasonCode(rawValue: 0x92)
    public static let receiveMaximumExceeded = MQTTReasonCode(rawValue: 0x93)
    public static let topicAliasInvalid = MQTTReasonCode(rawValue: 0x94)
    public static let packetTooLarge = MQTTReasonCode(rawValue: 0x95)
    public static let messageRateTooHigh = MQTTReasonCode(rawValue: 0x96)
    public static let quotaExceeded = MQTTReasonCode(rawValue: 0x97)
    public static let administrativeAction = MQTTReasonCode(rawValue: 0x98)
    public static let payloadFormatInvalid = MQTTReasonCode(rawValue: 0x99)
    public static let retainNotSupported = MQTTReasonCode(rawValue: 0x9A)
    public static let qosNotSupported = MQTTReasonCode(rawValue: 0x9B)
    public static let useAnotherServer = MQTTReasonCode(rawValue: 0x9C)
    public static let serverMoved = MQTTReasonCode(rawValue: 0x9D)
    public static let sharedSubscriptionsNotSupported = MQTTReasonCode(rawValue: 0x9E)
    public static let connectionRateExceeded = MQTTReasonCode(rawValue: 0x9F)
    public static let maximumConnectTime = MQTTReasonCode(rawValue: 0xA0)
    public static let subscriptionIdentifiersNotSupported = MQTTReasonCode(rawValue: 0xA1)
    public static let wildcardSubscriptionsNotSupported = MQTTReasonCode(rawValue: 0xA2)

    private static let names: [UInt8: String] = [
        0x00: "success", 0x01: "granted QoS 1", 0x02: "granted QoS 2", 0x04: "disconnect with will message",
        0x10: "no matching subscribers", 0x11: "no subscription existed", 0x18: "continue authentication",
        0x19: "re-authenticate", 0x80: "unspecified error", 0x81: "malformed packet", 0x82: "protocol error",
        0x83: "implementation specific error", 0x84: "unsupported protocol version",
        0x85: "client identifier not valid", 0x86: "bad user name or password", 0x87: "not authorized",
        0x88: "server unavailable", 0x89: "server busy", 0x8A: "banned", 0x8B: "server shutting down",
        0x8C: "bad authentication method", 0x8D: "keep alive timeout", 0x8E: "session taken over",
        0x8F: "topic filter invalid", 0x90: "topic name invalid", 0x91: "packet identifier in use",
        0x92: "packet identifier not found", 0x93: "receive maximum exceeded", 0x94: "topic alias invalid",
        0x95: "packet too large", 0x96: "message rate too high", 0x97: "quota exceeded",
        0x98: "administrative action", 0x99: "payload format invalid", 0x9A: "retain not supported",
        0x9B: "QoS not supported", 0x9C: "use another server", 0x9D: "server moved",
        0x9E: "shared subscriptions not supported", 0x9F: "connection rate exceeded",
        0xA0: "maximum connect time", 0xA1: "subscription identifiers not supported",
        0xA2: "wildcard subscriptions not supported",
    ]

    public var description: String {
        let hex = String(rawValue, radix: 16, uppercase: true)
        return "\(Self.names[rawValue] ?? "reason") (0x\(hex.count < 2 ? "0" + hex : hex))"
    }

    /// Codes each packet type may carry in MQTT 5 (spec §2.4 table), as 256-bit sets for cheap lookup.
    static func isAllowed(_ code: UInt8, in packet: MQTTPacketType) -> Bool {
        let set: ReasonSet
        switch packet {
        case .connAck: set = .connAck
        case .pubAck, .pubRec: set = .pubAck
        case .pubRel, .pubComp: set = .pubRel
        case .subAck: set = .subAck
        case .unsubAck: set = .unsubAck
        case .disconnect: set = .disconnect
        case .auth: set = .auth
        default: return false
        }
        return set.contains(code)
    }
}

/// A set of byte values.
struct ReasonSet {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ codes: [UInt8]) {
        for code in codes {
            let bit = UInt64(1) << UInt64(code & 63)
            switch code >> 6 {
            case 0: words.0 |= bit
            case 1: words.1 |= bit
            case 2: words.2 |= bit
            default: words.3 |= bit
            }
        }
    }

    func contains(_ code: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(code & 63)
        switch code >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    static let connAck = ReasonSet([0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F])
    static let pubAck = ReasonSet([0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99])
    static let pubRel = ReasonSet([0x00, 0x92])
    static let subAck = ReasonSet([0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2])
    static let subAckV3 = ReasonSet([0x00, 0x01, 0x02, 0x80])
    static let unsubAck = ReasonSet([0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91])
    static let disconnect = ReasonSet([0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2])
    static let auth = ReasonSet([0x00, 0x18, 0x19])
}
