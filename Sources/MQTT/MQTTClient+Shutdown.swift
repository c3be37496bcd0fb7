import MQTTProtocol
import NIOCore

/// Clean shutdown (on the event loop).
extension MQTTClient {
    func beginShutdown(drainTimeout: Duration) {
        if finished { stopWaiters.forEach { $0.succeed() }; stopWaiters = []; return }
        guard !stopping else { return }
        stopping = true
        if session.isConnected && !session.isDrained && drainTimeout > .zero {
            drainTimer = eventLoop.scheduleTask(in: .nanoseconds(nanoseconds(drainTimeout))) { [self] in finishShutdown() }
        } else {
            finishShutdown()
        }
    }

    func finishShutdown() {
        guard !finished else { return }
        finished = true
        drainTimer?.cancel()
        drainTimer = nil
        let closing = channel
        if !session.buffer.isEmpty || session.inFlightCount > 0 {
            logger.notice("MQTT stopping with \(session.buffer.count) queued and \(session.inFlightCount) unacknowledged message(s) unsent")
        }
        perform(session.disconnect(now: .now))
        timer?.cancel()
        timer = nil
        finishSubscribers()
        for observer in statusObservers.values { observer.yield(status); observer.finish() }
        statusObservers = [:]
        let waiters = stopWaiters
        stopWaiters = []
        let closed = closing?.closeFuture ?? eventLoop.makeSucceededVoidFuture()
        closed.whenComplete { [self] _ in
            logger.info("MQTT client stopped")
            waiters.forEach { $0.succeed() }
            eventLoop.execute { self.stopWaiters.forEach { $0.succeed() }; self.stopWaiters = [] }
        }
    }
}
