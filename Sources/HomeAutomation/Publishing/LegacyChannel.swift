import Foundation
import GenmonBasics
import LegacyProtocol
import Logging
import Monitor
import MQTT
import MQTTProtocol

/// The original genmqtt inside genmon: `R/generator/…` topics from every new snapshot (changed
/// values only, plus `flush_interval`), `client_status` Online / Offline (the last will), and
/// commands on `R/generator/command` with genmon's answer on `R/generator/command/response`.
actor LegacyChannel: PublishingChannel {
    let client: MQTTClient
    let purpose = "genmqtt"
    let layout: LegacyTopicLayout
    let retain: Bool
    let context: ReportContext
    let gateway: CommandGateway
    let clock: any GenmonClock
    let logger: Logger
    var tracker: ChangeTracker
    var latest: GeneratorSnapshot?
    var isConnected = false

    init(client: MQTTClient, layout: LegacyTopicLayout, retain: Bool, flushInterval: Duration?, context: ReportContext,
         gateway: CommandGateway, clock: any GenmonClock, logger: Logger) {
        self.client = client
        self.layout = layout
        self.retain = retain
        self.context = context
        self.gateway = gateway
        self.clock = clock
        self.logger = logger
        tracker = ChangeTracker(flushInterval: flushInterval)
    }

    /// The last will: `Offline`, retained, as the original.
    static func will(_ layout: LegacyTopicLayout) -> MQTTWill {
        MQTTWill(topic: layout.clientStatusTopic, payload: Array("Offline".utf8), qos: .atMostOnce, retain: true)
    }

    func connected() async {
        isConnected = true
        tracker.reset()
        send(layout.clientStatusTopic, "Online", retain: true, logger: logger)
        let gateway = gateway, layout = layout, clock = clock
        subscribe(layout.commandTopic, logger: logger) { [weak self] message in
            let command = String(decoding: message.payload.prefix(CommandGateway.maximumCommandLength * 4), as: UTF8.self)
            let outcome = await gateway.run(command)
            await self?.send(layout.responseTopic, gateway.response(command: command, outcome: outcome, time: clock.date),
                             qos: .atLeastOnce, retain: false)
        }
        publishChanges()
    }

    func disconnected() { isConnected = false }

    func update(_ snapshot: GeneratorSnapshot) async {
        latest = snapshot
        publishChanges()
    }

    func nextDeadline() -> ContinuousClock.Instant? { isConnected ? tracker.nextFlush : nil }

    func tick() async { publishChanges() }

    func goingOffline() { send(layout.clientStatusTopic, "Offline", retain: true, logger: logger) }

    func send(_ topic: String, _ payload: String, qos: MQTTQoS, retain: Bool) { send(topic, payload, qos: qos, retain: retain, logger: logger) }

    /// Publishes the topics whose value changed (or whose flush time came), while connected: what
    /// happens while the broker is away is published in full at the next connection.
    func publishChanges() {
        guard isConnected, let snapshot = latest, let reports = Reports(snapshot: snapshot, context: context.at(clock.date)) else { return }
        let candidates = layout.messages(for: layout.tree(reports)).map { ($0.topic, Array($0.payload.utf8)) }
        for (topic, payload) in tracker.select(candidates, now: clock.now) {
            send(MQTTMessage(topic: topic, payload: payload, qos: .atMostOnce, retain: retain), logger: logger)
        }
    }
}
