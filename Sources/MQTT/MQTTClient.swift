import Foundation
import Logging
import MQTTProtocol
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// An MQTT client service: keeps one connection to a broker alive forever and publishes without making callers wait.
///
/// It drives an `MQTTSession` (the protocol state machine) over a NIO channel, TCP or TLS. All mutable state lives
/// on one event loop; public methods hop onto it and return at once. Publishing while the broker is away fills the
/// session's bounded offline buffer. Reconnects use jittered exponential back-off; the log gets the first failure,
/// then at most one summary a minute, then the recovery. `shutdown` sends DISCONNECT, so the broker does not publish
/// the last will; a connection that is simply lost (crash, network) makes it publish the will.
public final class MQTTClient: @unchecked Sendable {
    public let configuration: MQTTClientConfiguration
    let logger: Logger
    let eventLoop: any EventLoop
    private let sslContext: NIOSSLContext?
    let statusBox: Mutex<MQTTConnectionStatus>

    // Confined to `eventLoop`.
    var session: MQTTSession
    var channel: (any Channel)?
    private var generation = 0
    var timer: Scheduled<Void>?
    private var timerDeadline: ContinuousClock.Instant?
    var throttle = ConnectionLogThrottle()
    var subscribers: [String: Subscriber] = [:]
    var statusObservers: [Int: AsyncStream<MQTTConnectionStatus>.Continuation] = [:]
    private var nextObserverID = 0
    private var started = false
    var stopping = false
    var finished = false
    var drainTimer: Scheduled<Void>?
    var stopWaiters: [EventLoopPromise<Void>] = []
    var lastPublishAt: Date?
    var connectedSince: Date?
    var lastErrorAt: Date?
    var nextAttemptAt: Date?
    var droppedInbound = 0
    /// Handler tasks of replaced or removed subscriptions, awaited at shutdown.
    var retiredHandlerTasks: [Task<Void, Never>] = []

    /// A client for `configuration`, logging to `logger`. Throws when TLS files cannot be read.
    public init(configuration: MQTTClientConfiguration, logger: Logger,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "mqtt.broker"] = .string(configuration.brokerDescription)
        self.logger = logger
        eventLoop = eventLoopGroup.next()
        sslContext = try configuration.tls?.makeContext()
        session = MQTTSession(configuration: configuration.session, randomSeed: UInt64.random(in: .min ... .max))
        statusBox = Mutex(MQTTConnectionStatus(broker: configuration.brokerDescription, version: configuration.session.version))
    }

    // MARK: Public API

    /// Starts connecting (and reconnecting, forever, until `shutdown`).
    public func start() {
        eventLoop.execute { [self] in
            guard !started, !stopping else { return }
            started = true
            perform(session.start(now: .now))
        }
    }

    /// Publishes a message: sent now when connected, otherwise buffered per the session's limits. Never waits.
    ///
    /// Throws at once for a message that can never be sent (invalid topic, QoS 2, too large) or after `shutdown`.
    public func publish(_ message: MQTTMessage) throws(MQTTSessionError) {
        try MQTTSession.validate(message, version: configuration.session.version)
        if status.state == .stopped { throw .stopped }
        eventLoop.execute { [self] in
            do {
                perform(try session.publish(message, now: .now))
            } catch {
                logger.debug("MQTT message to \(message.topic) not published: \(error)")
            }
        }
    }

    /// Publishes `payload` to `topic`.
    public func publish(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false,
                        properties: MQTTProperties = []) throws(MQTTSessionError) {
        try publish(MQTTMessage(topic: topic, payload: payload, qos: qos, retain: retain, properties: properties))
    }

    /// Publishes the UTF-8 of `text` to `topic`.
    public func publish(topic: String, text: String, qos: MQTTQoS = .atMostOnce, retain: Bool = false,
                        properties: MQTTProperties = []) throws(MQTTSessionError) {
        try publish(MQTTMessage(topic: topic, text: text, qos: qos, retain: retain, properties: properties))
    }

    /// Subscribes to `filter` (kept across reconnects); `handler` gets matching messages one at a time, in order,
    /// off the event loop. Subscribing again to the same filter replaces the handler.
    public func subscribe(_ filter: String, qos: MQTTQoS = .atLeastOnce,
                          handler: @escaping @Sendable (MQTTMessage) async -> Void) throws(MQTTSessionError) {
        try subscribe(MQTTSubscription(filter: filter, qos: qos), handler: handler)
    }

    /// Subscribes with full MQTT 5 options.
    public func subscribe(_ subscription: MQTTSubscription, handler: @escaping @Sendable (MQTTMessage) async -> Void) throws(MQTTSessionError) {
        try MQTTSession.validate(subscription, version: configuration.session.version)
        if status.state == .stopped { throw .stopped }
        eventLoop.execute { [self] in
            guard !stopping else { return }
            installSubscriber(filter: subscription.filter, handler: handler)
            do { perform(try session.subscribe([subscription], now: .now)) } catch { logger.debug("MQTT subscribe failed: \(error)") }
        }
    }

    /// Drops a subscription and its handler.
    public func unsubscribe(_ filter: String) {
        eventLoop.execute { [self] in
            removeSubscriber(filter: filter)
            do { perform(try session.unsubscribe([filter], now: .now)) } catch { logger.debug("MQTT unsubscribe failed: \(error)") }
        }
    }

    /// The connection state now, for a status page.
    public var status: MQTTConnectionStatus { statusBox.withLock { $0 } }

    /// The current status, then every change, until shutdown.
    public func statusUpdates() -> AsyncStream<MQTTConnectionStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: MQTTConnectionStatus.self, bufferingPolicy: .bufferingNewest(1))
        eventLoop.execute { [self] in
            guard !finished else { continuation.yield(status); continuation.finish(); return }
            let id = nextObserverID
            nextObserverID += 1
            statusObservers[id] = continuation
            continuation.yield(status)
            continuation.onTermination = { [self] _ in eventLoop.execute { self.statusObservers[id] = nil } }
        }
        return stream
    }

    /// Clean shutdown: waits up to `drainTimeout` for queued and unacknowledged messages while connected, then sends
    /// DISCONNECT (the broker discards the will), closes, and waits for the handlers to finish.
    public func shutdown(drainTimeout: Duration = .seconds(2)) async {
        let done = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { [self] in
            stopWaiters.append(done)
            beginShutdown(drainTimeout: drainTimeout)
        }
        try? await done.futureResult.get()
        let tasks = try? await eventLoop.submit { [self] in subscribers.values.map(\.task) + retiredHandlerTasks }.get()
        for task in tasks ?? [] { await task.value }
    }

    /// Runs until the surrounding task is cancelled, then shuts down cleanly (for service groups).
    public func run() async {
        start()
        let stopped = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { [self] in if finished { stopped.succeed() } else { stopWaiters.append(stopped) } }
        await withTaskCancellationHandler {
            try? await stopped.futureResult.get()
        } onCancel: {
            Task { await self.shutdown() }
        }
    }

    // MARK: Driving the session (on the event loop)

    /// Carries out what the session asked for, then refreshes the timer and the status.
    func perform(_ actions: [MQTTSessionAction]) {
        eventLoop.assertInEventLoop()
        var lastWrite: EventLoopFuture<Void>?
        for action in actions {
            switch action {
            case .openConnection:
                openConnection()
            case let .send(packet):
                guard let channel else { continue }
                do {
                    let bytes = try packet.encode(version: configuration.session.version)
                    lastWrite = channel.write(channel.allocator.buffer(bytes: bytes))
                    if case .publish = packet { lastPublishAt = Date() }
                } catch {
                    logger.error("MQTT could not encode \(packet.type): \(error)")
                }
            case .closeConnection:
                guard let closing = channel else { continue }
                channel = nil
                closing.flush()
                // Close once what was written (a DISCONNECT, say) has gone out.
                if let lastWrite { lastWrite.whenComplete { _ in closing.close(promise: nil) } } else { closing.close(promise: nil) }
            case let .failed(error, retryAt):
                lastErrorAt = Date()
                nextAttemptAt = retryAt.map { Date().addingTimeInterval(interval($0 - .now)) }
                logFailure(error, retryAt: retryAt)
            case let .connected(sessionPresent):
                connectedSince = Date()
                nextAttemptAt = nil
                logConnected(sessionPresent: sessionPresent)
            case let .deliver(message):
                deliver(message)
            case let .subscriptionFailed(filter, code):
                logger.warning("MQTT broker refused the subscription to \(filter): \(code)")
            }
        }
        channel?.flush()
        if stopping && drainTimer != nil && (session.isDrained || !session.isConnected) { finishShutdown() }
        updateStatus()
        rescheduleTimer()
    }

    private func openConnection() {
        generation += 1
        let generation = generation
        let tlsName = configuration.tls?.hostnameForVerification(host: configuration.host)
        let sslContext = sslContext
        let version = configuration.session.version
        let maximumPacketSize = configuration.session.maximumIncomingPacketSize
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(nanoseconds(configuration.session.responseTimeout)))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                do {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: tlsName))
                    }
                    let handler = MQTTChannelHandler(version: version, maximumPacketSize: maximumPacketSize) { event in
                        // Deferred, so that events raised while we act (a close, say) never re-enter `perform`.
                        self.eventLoop.execute { self.handle(event, generation: generation) }
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        bootstrap.connect(host: configuration.host, port: configuration.port).whenComplete { [self] result in
            eventLoop.execute { self.connectCompleted(result, generation: generation) }
        }
    }

    private func connectCompleted(_ result: Result<any Channel, any Error>, generation: Int) {
        switch result {
        case let .success(newChannel):
            guard generation == self.generation, session.state == .connecting, !stopping else {
                newChannel.close(promise: nil)
                return
            }
            channel = newChannel
            perform(session.transportConnected(now: .now))
        case let .failure(error):
            guard generation == self.generation else { return }
            perform(session.connectionLost(.transport("cannot connect to \(configuration.brokerDescription): \(describe(error))"), now: .now))
        }
    }

    private func handle(_ event: ConnectionEvent, generation: Int) {
        guard generation == self.generation else { return }
        switch event {
        case let .packet(packet): perform(session.received(packet, now: .now))
        case let .malformed(error): perform(session.receivedMalformed(error, now: .now))
        case let .oversize(firstByte, size):
            logger.warning("MQTT dropped a \(size)-byte packet from the broker (limit \(configuration.session.maximumIncomingPacketSize))")
            perform(session.receivedOversize(firstByte: firstByte, size: size, now: .now))
        case let .closed(reason):
            channel = nil
            perform(session.connectionLost(.transport(reason), now: .now))
        }
    }

    private func rescheduleTimer() {
        let deadline = session.nextDeadline
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        timer = eventLoop.scheduleTask(in: .nanoseconds(max(0, nanoseconds(deadline - .now)))) { [self] in
            timer = nil
            timerDeadline = nil
            perform(session.tick(now: .now))
        }
    }
}

/// Whole nanoseconds in a duration, saturating.
func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
}

/// A duration in seconds as a `TimeInterval`.
func interval(_ duration: Duration) -> TimeInterval {
    let (seconds, attoseconds) = duration.components
    return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
}
