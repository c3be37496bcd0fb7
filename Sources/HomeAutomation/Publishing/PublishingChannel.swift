import Foundation
import GenmonBasics
import Logging
import Monitor
import MQTT
import MQTTProtocol

/// One broker connection and what it publishes (the original's layout, genmon's layout, Home Assistant).
/// `ChannelDriver` feeds it; it decides what goes out.
protocol PublishingChannel: Actor {
    var client: MQTTClient { get }
    var purpose: String { get }
    /// Connected (again): announce, subscribe, publish everything.
    func connected() async
    func disconnected()
    /// A new snapshot.
    func update(_ snapshot: GeneratorSnapshot) async
    /// A monitor event.
    func event(_ event: MonitorEvent) async
    /// When something is due without a new snapshot (flush interval, discovery interval).
    func nextDeadline() -> ContinuousClock.Instant?
    /// Publishes what is due at `now`.
    func tick() async
    /// Clean stop: say offline (the broker discards the will on DISCONNECT).
    func goingOffline()
}

extension PublishingChannel {
    func event(_ event: MonitorEvent) async {}

    /// Publishes, logging instead of throwing: a message that can never be sent is a bug worth a line, not a stop.
    func send(_ topic: String, _ payload: String, qos: MQTTQoS = .atMostOnce, retain: Bool, logger: Logger) {
        send(MQTTMessage(topic: topic, text: payload, qos: qos, retain: retain), logger: logger)
    }

    func send(_ message: MQTTMessage, logger: Logger) {
        do { try client.publish(message) } catch {
            logger.warning("MQTT message to \(message.topic) not sent: \(error)")
        }
    }

    func subscribe(_ filter: String, logger: Logger, handler: @escaping @Sendable (MQTTMessage) async -> Void) {
        do { try client.subscribe(filter, qos: .atLeastOnce, handler: handler) } catch {
            logger.error("MQTT cannot subscribe to \(filter): \(error)")
        }
    }
}

/// Runs one channel: its client, the snapshots and events it follows, its timers, until cancelled.
struct ChannelDriver {
    let channel: any PublishingChannel
    let service: any GeneratorService
    let clock: any GenmonClock

    func run() async {
        let client = await channel.client
        client.start()
        // Every loop ends when the surrounding task is cancelled (graceful shutdown).
        await withDiscardingTaskGroup { group in
            group.addTask { await followConnection(client) }
            group.addTask { for await snapshot in service.snapshots() { await channel.update(snapshot) } }
            group.addTask { for await event in service.events() { await channel.event(event) } }
            group.addTask { await runTimers() }
        }
        await channel.goingOffline()
        await client.shutdown()
    }

    /// Calls `connected` on every transition into the connected state.
    func followConnection(_ client: MQTTClient) async {
        var wasConnected = false
        for await status in client.statusUpdates() {
            let isConnected = status.state == .connected
            if isConnected && !wasConnected { await channel.connected() }
            if !isConnected && wasConnected { await channel.disconnected() }
            wasConnected = isConnected
            if Task.isCancelled { break }
        }
    }

    /// Ticks the channel when its deadline has come, then sleeps until the next one (re-checked at
    /// least every second, as new snapshots move deadlines; at most ten ticks a second whatever happens).
    func runTimers() async {
        while !Task.isCancelled {
            let now = clock.now
            if let deadline = await channel.nextDeadline(), deadline <= now { await channel.tick() }
            let next = await channel.nextDeadline() ?? now + .seconds(1)
            let wake = max(now + .milliseconds(100), min(next, now + .seconds(1)))
            do { try await clock.sleep(until: wake) } catch { return }
        }
    }
}
