import Foundation
import MQTTProtocol

/// What a status page shows about the broker connection.
public struct MQTTConnectionStatus: Sendable, Equatable {
    /// Connection state in words a status page can show.
    public enum State: String, Sendable {
        case idle, connecting, connected
        case waitingToReconnect = "waiting to reconnect"
        case stopped
    }

    public var state: State
    /// "host:port".
    public var broker: String
    public var version: MQTTVersion
    /// The last failure, kept after recovery.
    public var lastError: String?
    public var lastErrorAt: Date?
    public var connectedSince: Date?
    /// When the next connection attempt starts, while waiting.
    public var nextAttemptAt: Date?
    /// Failed attempts since the last successful connection.
    public var failedAttempts: Int
    /// When a PUBLISH was last written to the broker.
    public var lastPublishAt: Date?
    /// Messages waiting in the offline buffer.
    public var queuedMessages: Int
    /// QoS 1 messages sent and not yet acknowledged.
    public var inFlightMessages: Int
    /// Messages dropped: buffer limits, too large for the broker, unacknowledged after a session loss, slow handlers.
    public var droppedMessages: Int
    public var messagesSent: Int
    public var messagesReceived: Int

    init(broker: String, version: MQTTVersion) {
        state = .idle
        self.broker = broker
        self.version = version
        failedAttempts = 0
        queuedMessages = 0
        inFlightMessages = 0
        droppedMessages = 0
        messagesSent = 0
        messagesReceived = 0
    }
}
