/// Where the session is in its connection life.
public enum MQTTConnectionState: Equatable, Sendable {
    /// Not started yet.
    case idle
    /// Opening the transport or waiting for CONNACK.
    case connecting
    /// CONNACK accepted; messages flow.
    case connected
    /// The last attempt failed or the connection was lost; the next attempt starts at `until`.
    case waitingToReconnect(until: ContinuousClock.Instant)
    /// Stopped by `disconnect`; nothing more happens.
    case stopped
}

/// Why a connection attempt failed or a connection ended.
public enum MQTTSessionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The broker refused the CONNECT (bad credentials, not authorised, ...).
    case refused(MQTTReasonCode)
    /// No CONNACK within the response timeout.
    case connectTimeout
    /// No PINGRESP within the response timeout: the connection is dead.
    case pingTimeout
    /// The broker sent DISCONNECT (MQTT 5), with its reason.
    case serverDisconnected(MQTTReasonCode, reason: String?)
    /// The broker broke the protocol.
    case protocolViolation(String)
    /// The broker sent bytes that are not a valid packet.
    case malformedPacket(MQTTProtocolError)
    /// The transport failed or closed (connection refused, TLS failure, reset, ...).
    case transport(String)
    /// A message or subscription the client was asked to send is invalid.
    case invalidRequest(MQTTProtocolError)
    /// The session was stopped; nothing more is sent.
    case stopped

    public var description: String {
        switch self {
        case let .refused(code) where code == .badUserNameOrPassword || code == .notAuthorized:
            "broker refused the connection: \(code) — check the user name, password and the broker's access rules"
        case let .refused(code): "broker refused the connection: \(code)"
        case .connectTimeout: "no CONNACK from the broker in time"
        case .pingTimeout: "no PINGRESP from the broker in time: connection considered dead"
        case let .serverDisconnected(code, reason): "broker disconnected: \(code)" + (reason.map { " (\($0))" } ?? "")
        case let .protocolViolation(what): "broker violated the protocol: \(what)"
        case let .malformedPacket(error): "malformed packet from the broker: \(error)"
        case let .transport(what): what
        case let .invalidRequest(error): "invalid request: \(error)"
        case .stopped: "the MQTT session is stopped"
        }
    }
}

/// What the session asks its driver to do.
public enum MQTTSessionAction: Equatable, Sendable {
    /// Open the transport (TCP or TLS), then call `transportConnected` or `connectionLost`.
    case openConnection
    /// Write this packet.
    case send(MQTTPacket)
    /// Close the transport after the packets already sent are written.
    case closeConnection
    /// An attempt failed or the connection was lost; the next attempt is at `retryAt` (nil once stopped).
    case failed(MQTTSessionError, retryAt: ContinuousClock.Instant?)
    /// CONNACK accepted.
    case connected(sessionPresent: Bool)
    /// An inbound application message for the subscribers.
    case deliver(MQTTMessage)
    /// The broker refused a subscription.
    case subscriptionFailed(filter: String, MQTTReasonCode)
}

/// Counters for status pages and tests.
public struct MQTTSessionStatistics: Equatable, Sendable {
    /// PUBLISH packets sent for the first time.
    public var messagesSent = 0
    /// QoS 1 messages the broker acknowledged.
    public var messagesAcknowledged = 0
    /// Acknowledgements carrying a failure reason (MQTT 5).
    public var messagesRejected = 0
    /// Unacknowledged messages re-sent with DUP after a reconnect.
    public var messagesResent = 0
    /// Unacknowledged messages dropped after a reconnect without session (`republishUnacknowledged` off).
    public var messagesDroppedUnacknowledged = 0
    /// Messages dropped because they exceed the broker's maximum packet size.
    public var messagesDroppedTooLarge = 0
    /// Application messages received.
    public var messagesReceived = 0
    /// Inbound packets dropped for exceeding `maximumIncomingPacketSize`.
    public var oversizePacketsDropped = 0
    /// Successful connections (CONNACK accepted).
    public var connections = 0
    /// When a PUBLISH was last written.
    public var lastPublish: ContinuousClock.Instant?
}

