import Foundation
import Logging
import MQTTProtocol
import NIOCore

/// Subscribers, status and logging (all on the event loop).
extension MQTTClient {
    /// One subscription's handler, fed through a bounded stream so a slow handler never holds up the connection.
    struct Subscriber {
        let continuation: AsyncStream<MQTTMessage>.Continuation
        let task: Task<Void, Never>
    }

    func installSubscriber(filter: String, handler: @escaping @Sendable (MQTTMessage) async -> Void) {
        removeSubscriber(filter: filter)
        let (stream, continuation) = AsyncStream.makeStream(of: MQTTMessage.self,
                                                            bufferingPolicy: .bufferingNewest(max(1, configuration.handlerQueueLimit)))
        let task = Task {
            for await message in stream { await handler(message) }
        }
        subscribers[filter] = Subscriber(continuation: continuation, task: task)
    }

    func removeSubscriber(filter: String) {
        guard let old = subscribers.removeValue(forKey: filter) else { return }
        old.continuation.finish()
        retiredHandlerTasks.append(old.task)
    }

    func finishSubscribers() {
        for subscriber in subscribers.values { subscriber.continuation.finish() }
    }

    /// Hands an inbound message to every subscription whose filter matches its topic.
    func deliver(_ message: MQTTMessage) {
        for (filter, subscriber) in subscribers where MQTTTopic.matches(filter: filter, topic: message.topic) {
            if case .dropped = subscriber.continuation.yield(message) {
                droppedInbound += 1
            }
        }
    }

    /// Recomputes the status and tells observers when it changed.
    func updateStatus() {
        var status = MQTTConnectionStatus(broker: configuration.brokerDescription, version: configuration.session.version)
        switch session.state {
        case .idle: status.state = .idle
        case .connecting: status.state = .connecting
        case .connected: status.state = .connected
        case .waitingToReconnect: status.state = .waitingToReconnect
        case .stopped: status.state = .stopped
        }
        status.lastError = session.lastError?.description
        status.lastErrorAt = lastErrorAt
        status.connectedSince = session.isConnected ? connectedSince : nil
        status.nextAttemptAt = status.state == .waitingToReconnect ? nextAttemptAt : nil
        status.failedAttempts = session.consecutiveFailures
        status.lastPublishAt = lastPublishAt
        status.queuedMessages = session.buffer.count
        status.inFlightMessages = session.inFlightCount
        let statistics = session.statistics
        status.droppedMessages = session.buffer.droppedEvents + session.buffer.droppedStates + statistics.messagesDroppedTooLarge
            + statistics.messagesDroppedUnacknowledged + droppedInbound
        status.messagesSent = statistics.messagesSent
        status.messagesReceived = statistics.messagesReceived
        let changed = statusBox.withLock { current in
            guard current != status else { return false }
            current = status
            return true
        }
        if changed { for observer in statusObservers.values { observer.yield(status) } }
    }

    func logFailure(_ error: MQTTSessionError, retryAt: ContinuousClock.Instant?) {
        let now = ContinuousClock.now
        let retry = retryAt.map { " — next attempt in \(seconds($0 - now))" } ?? ""
        switch throttle.failure(error.description, now: now) {
        case let .firstFailure(message)?:
            logger.warning("MQTT broker \(configuration.brokerDescription): \(message)\(retry)")
        case let .stillFailing(attempts, since, lastError)?:
            logger.warning("MQTT broker \(configuration.brokerDescription) still unavailable: \(attempts) failed attempts in \(seconds(since)); last error: \(lastError)")
        default:
            logger.debug("MQTT attempt failed: \(error)\(retry)")
        }
    }

    func logConnected(sessionPresent: Bool) {
        let detail = "MQTT \(configuration.session.version)" + (sessionPresent ? ", session resumed" : "")
        switch throttle.connected(now: .now) {
        case .connected?:
            logger.info("MQTT connected to \(configuration.brokerDescription) (\(detail))")
        case let .recovered(attempts, after)?:
            logger.notice("MQTT connected to \(configuration.brokerDescription) again after \(attempts) failed attempt(s) over \(seconds(after)) (\(detail))")
        default:
            logger.debug("MQTT connected (\(detail))")
        }
    }
}

/// "12.3 s" / "4 min 5 s": a duration for log lines.
func seconds(_ duration: Duration) -> String {
    let total = interval(duration)
    if total < 60 { return String(format: "%.1f s", total) }
    let whole = Int(total.rounded())
    return whole < 3600 ? "\(whole / 60) min \(whole % 60) s" : "\(whole / 3600) h \(whole / 60 % 60) min"
}
