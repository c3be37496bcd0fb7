import Foundation
import GenmonBasics
import LegacyProtocol
import Logging
import Monitor
import MQTT
import MQTTProtocol

/// genmon's own layout (`SiteLayout`): availability with a last will, the retained state document,
/// one retained topic per figure with its metadata, events as they happen, and (when allowed) commands.
actor SiteChannel: PublishingChannel {
    let client: MQTTClient
    let purpose = "genmon layout"
    let layout: SiteLayout
    let context: ReportContext
    let gateway: CommandGateway
    let clock: any GenmonClock
    let logger: Logger
    var tracker: ChangeTracker
    var latest: GeneratorSnapshot?
    var isConnected = false
    /// Monitor statistics change every second; they go out at most this often.
    let statisticsInterval: Duration
    var statisticsSentAt: ContinuousClock.Instant?

    init(client: MQTTClient, layout: SiteLayout, flushInterval: Duration?, context: ReportContext, gateway: CommandGateway,
         clock: any GenmonClock, logger: Logger, statisticsInterval: Duration = .seconds(30)) {
        self.client = client
        self.layout = layout
        self.context = context
        self.gateway = gateway
        self.clock = clock
        self.logger = logger
        self.statisticsInterval = statisticsInterval
        tracker = ChangeTracker(flushInterval: flushInterval)
    }

    /// `offline`, retained, QoS 1.
    static func will(_ layout: SiteLayout) -> MQTTWill {
        MQTTWill(topic: layout.availabilityTopic, payload: Array("offline".utf8), qos: .atLeastOnce, retain: true)
    }

    func connected() async {
        isConnected = true
        tracker.reset()
        statisticsSentAt = nil
        send(layout.availabilityTopic, "online", qos: .atLeastOnce, retain: true, logger: logger)
        let gateway = gateway, layout = layout, clock = clock
        subscribe(layout.commandTopic, logger: logger) { [weak self] message in
            let request = CommandGateway.parseRequest(message.payload)
            let outcome = await gateway.run(request.command)
            let response = gateway.response(command: request.command, outcome: outcome, time: clock.date, correlation: request.id)
            await self?.respond(response, to: message, default: layout.responseTopic)
        }
        publishChanges()
    }

    func disconnected() { isConnected = false }

    func update(_ snapshot: GeneratorSnapshot) async {
        latest = snapshot
        publishChanges()
    }

    /// Events go out whether connected or not: the client keeps a bounded number while the broker is away.
    func event(_ event: MonitorEvent) async {
        send(layout.eventTopic, layout.eventDocument(event), qos: .atLeastOnce, retain: false, logger: logger)
    }

    func nextDeadline() -> ContinuousClock.Instant? { isConnected ? tracker.nextFlush : nil }

    func tick() async { publishChanges() }

    func goingOffline() { send(layout.availabilityTopic, "offline", qos: .atLeastOnce, retain: true, logger: logger) }

    /// The answer goes to the request's MQTT 5 response topic (with its correlation data) when it has one, else to ours.
    func respond(_ text: String, to request: MQTTMessage, default topic: String) {
        var message = MQTTMessage(topic: topic, text: text, qos: .atLeastOnce)
        if let replyTo = request.properties.responseTopic, MQTTTopic.isValidName(replyTo) {
            message.topic = replyTo
            if let correlation = request.properties.correlationData { message.properties.correlationData = correlation }
        }
        send(message, logger: logger)
    }

    func publishChanges() {
        guard isConnected, let snapshot = latest, snapshot.readings != nil else { return }
        let now = clock.now
        let source = FigureSource(snapshot: snapshot, context: context.at(clock.date))
        let values = SiteLayout.values(source)
        let statisticsDue = statisticsSentAt.map { $0.duration(to: now) >= statisticsInterval } ?? true
        // The state document's time changes every time: it goes out when a figure does.
        var candidates: [(String, [UInt8])] = [(layout.stateTopic, Array(layout.stateDocument(source, values: values, now: clock.date).utf8))]
        for (figure, value) in values where !figure.monitorStatistic || statisticsDue {
            candidates.append((layout.figureTopic(figure.id), Array(value.payload.utf8)))
            candidates.append((layout.metaTopic(figure.id), Array(layout.metaDocument(figure, value: value, source: source).utf8)))
        }
        if statisticsDue { statisticsSentAt = now }
        let chosen = tracker.select(Array(candidates.dropFirst()), now: now)
        for (topic, payload) in chosen { send(MQTTMessage(topic: topic, payload: payload, qos: .atMostOnce, retain: true), logger: logger) }
        if !chosen.isEmpty { send(MQTTMessage(topic: layout.stateTopic, payload: candidates[0].1, qos: .atMostOnce, retain: true), logger: logger) }
    }
}
