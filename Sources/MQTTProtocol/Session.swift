import GenmonBasics
/// The client side of one MQTT session as a pure state machine: no I/O, no clock, no sleeping.
///
/// A driver feeds it events (transport up or down, packets received, the time passing via `tick`) with the
/// current time, performs the `MQTTSessionAction`s it returns, and calls `tick` again at `nextDeadline`.
/// The session does the connect handshake, keep-alive, QoS 1 with packet identifiers and an in-flight window,
/// re-sending with DUP after a reconnect to a kept session, subscription restore, inbound QoS 1 and 2
/// acknowledgement, MQTT 5 topic aliases, a bounded offline buffer, and jittered exponential back-off.
public struct MQTTSession: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public let configuration: MQTTSessionConfiguration
    public internal(set) var state: MQTTConnectionState = .idle
    /// The last failure, kept after recovery for status pages.
    public internal(set) var lastError: MQTTSessionError?
    /// Failed attempts since the last successful CONNACK.
    public internal(set) var consecutiveFailures = 0
    public internal(set) var statistics = MQTTSessionStatistics()
    /// Messages waiting to be sent.
    public internal(set) var buffer: MQTTOfflineBuffer
    /// The client identifier the broker assigned (MQTT 5, empty configured id), reused on reconnect.
    public internal(set) var assignedClientID: String?

    // Negotiated with the broker at CONNACK.
    var serverReceiveMaximum = 65535
    var serverMaximumPacketSize = Int.max
    var serverMaximumQoS: MQTTQoS = .exactlyOnce
    var serverRetainAvailable = true
    var keepAlive: Duration = .zero

    // Timing.
    var connectDeadline: Instant?
    var awaitingConnAck = false
    var pingDeadline: Instant?
    var lastSent: Instant?
    var lastReceived: Instant?
    var connectedAt: Instant?
    var backoffAttempt = 0
    var random: SeededGenerator

    // Outbound QoS 1 messages sent and not yet acknowledged, oldest first.
    var inFlight: [(id: UInt16, message: MQTTMessage)] = []
    var usedPacketIDs: Set<UInt16> = []
    var nextPacketID: UInt16 = 1

    // Subscriptions the application wants, those the broker confirmed, and requests awaiting an answer.
    var subscriptions: [MQTTSubscription] = []
    var confirmedFilters: Set<String> = []
    var pendingSubscribes: [UInt16: [String]] = [:]
    var pendingUnsubscribes: [UInt16: [String]] = [:]
    /// Filters dropped while offline that a kept session may still hold.
    var staleFilters: Set<String> = []

    // Inbound state.
    var inboundQoS2: Set<UInt16> = []
    var inboundAliases: [UInt16: String] = [:]

    /// A session for `configuration`; `randomSeed` drives the back-off jitter.
    public init(configuration: MQTTSessionConfiguration, randomSeed: UInt64) {
        self.configuration = configuration
        buffer = MQTTOfflineBuffer(limits: configuration.bufferLimits)
        random = SeededGenerator(seed: randomSeed)
    }

    /// QoS 1 messages sent and not yet acknowledged.
    public var inFlightCount: Int { inFlight.count }
    /// True when nothing waits to be sent or acknowledged.
    public var isDrained: Bool { inFlight.isEmpty && buffer.isEmpty }
    /// True after CONNACK and before the connection ends.
    public var isConnected: Bool { state == .connected }

    /// How many QoS 1 messages may be in flight now.
    var window: Int { max(1, min(configuration.maximumInFlight, serverReceiveMaximum, 65000)) }

    // MARK: Connection lifecycle

    /// Starts the first connection attempt.
    public mutating func start(now: Instant) -> [MQTTSessionAction] {
        guard state == .idle else { return [] }
        return beginAttempt(now: now)
    }

    /// The transport is open: send CONNECT and wait for CONNACK.
    public mutating func transportConnected(now: Instant) -> [MQTTSessionAction] {
        guard state == .connecting else { return [] }
        connectDeadline = now + configuration.responseTimeout
        awaitingConnAck = true
        var actions: [MQTTSessionAction] = []
        let clientID = configuration.clientID.isEmpty ? (assignedClientID ?? "") : configuration.clientID
        send(.connect(configuration.connectPacket(clientID: clientID)), now: now, into: &actions)
        return actions
    }

    /// The transport failed to open, or closed, or broke. Ignored when no connection was expected.
    public mutating func connectionLost(_ error: MQTTSessionError, now: Instant) -> [MQTTSessionAction] {
        guard state == .connecting || state == .connected else { return [] }
        return fail(error, now: now, close: false)
    }

    /// Clean shutdown: DISCONNECT (so the broker discards the will) and close; nothing more happens after.
    public mutating func disconnect(now: Instant) -> [MQTTSessionAction] {
        var actions: [MQTTSessionAction] = []
        switch state {
        case .connected:
            send(.disconnect(MQTTDisconnect()), now: now, into: &actions)
            actions.append(.closeConnection)
        case .connecting:
            actions.append(.closeConnection)
        case .idle, .waitingToReconnect, .stopped:
            break
        }
        state = .stopped
        connectDeadline = nil
        pingDeadline = nil
        return actions
    }

    /// Drives timers: connect and ping timeouts, keep-alive pings, reconnect attempts.
    public mutating func tick(now: Instant) -> [MQTTSessionAction] {
        switch state {
        case .connecting:
            if let deadline = connectDeadline, now >= deadline { return fail(.connectTimeout, now: now, close: true) }
        case .connected:
            if let deadline = pingDeadline {
                if now >= deadline { return fail(.pingTimeout, now: now, close: true) }
            } else if let due = keepAliveDue, now >= due {
                var actions: [MQTTSessionAction] = []
                send(.pingReq, now: now, into: &actions)
                pingDeadline = now + configuration.responseTimeout
                return actions
            }
        case let .waitingToReconnect(until):
            if now >= until { return beginAttempt(now: now) }
        case .idle, .stopped:
            break
        }
        return []
    }

    /// When `tick` must next be called, if ever.
    public var nextDeadline: Instant? {
        switch state {
        case .connecting: connectDeadline
        case .connected: pingDeadline ?? keepAliveDue
        case let .waitingToReconnect(until): until
        case .idle, .stopped: nil
        }
    }

    /// A ping is due when nothing was sent, or nothing received, for a keep-alive interval; the second rule
    /// finds a dead connection even while we keep publishing QoS 0 into it.
    var keepAliveDue: Instant? {
        guard keepAlive > .zero, let lastSent else { return nil }
        let quietSince = min(lastSent, lastReceived ?? lastSent)
        return quietSince + keepAlive
    }

    mutating func beginAttempt(now: Instant) -> [MQTTSessionAction] {
        state = .connecting
        // Covers opening TCP/TLS; renewed when CONNECT goes out.
        connectDeadline = now + configuration.responseTimeout
        return [.openConnection]
    }

    /// Records a failure, schedules the next attempt, and resets per-connection state.
    mutating func fail(_ error: MQTTSessionError, now: Instant, close: Bool) -> [MQTTSessionAction] {
        if let connectedAt, now - connectedAt >= configuration.stableConnectionTime { backoffAttempt = 0 }
        lastError = error
        consecutiveFailures += 1
        let delay = configuration.backoff.delay(attempt: backoffAttempt, unitRandom: random.unit())
        backoffAttempt += 1
        let retryAt = now + delay
        state = .waitingToReconnect(until: retryAt)
        awaitingConnAck = false
        connectDeadline = nil
        pingDeadline = nil
        connectedAt = nil
        inboundAliases = [:]
        for id in pendingSubscribes.keys { usedPacketIDs.remove(id) }
        for id in pendingUnsubscribes.keys { usedPacketIDs.remove(id) }
        pendingSubscribes = [:]
        pendingUnsubscribes = [:]
        var actions: [MQTTSessionAction] = close ? [.closeConnection] : []
        actions.append(.failed(error, retryAt: retryAt))
        return actions
    }

    /// Sends DISCONNECT with a reason (MQTT 5 only) and fails the connection.
    mutating func abandon(_ error: MQTTSessionError, reason: MQTTReasonCode, now: Instant) -> [MQTTSessionAction] {
        var actions: [MQTTSessionAction] = []
        if configuration.version == .v5 && state == .connected {
            send(.disconnect(MQTTDisconnect(reasonCode: reason)), now: now, into: &actions)
        }
        return actions + fail(error, now: now, close: true)
    }

    mutating func send(_ packet: MQTTPacket, now: Instant, into actions: inout [MQTTSessionAction]) {
        lastSent = now
        actions.append(.send(packet))
    }

    /// The next free packet identifier (1...65535, skipping those in use), or nil when all are in use.
    mutating func allocatePacketID() -> UInt16? {
        guard usedPacketIDs.count < 65535 else { return nil }
        while usedPacketIDs.contains(nextPacketID) || nextPacketID == 0 { nextPacketID &+= 1 }
        let id = nextPacketID
        nextPacketID &+= 1
        usedPacketIDs.insert(id)
        return id
    }
}
