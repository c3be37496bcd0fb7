import Foundation
import GenmonBasics
import LegacyProtocol
import Logging
import Monitor
import MQTT
import MQTTProtocol

/// The original genhomeassistant inside genmon: discovery configs, states on change, availability
/// with a last will, discovery again when Home Assistant announces itself `online`, stale entities
/// removed with empty retained configs, and the controls' commands through the monitor's door.
actor HomeAssistantChannel: PublishingChannel {
    let client: MQTTClient
    let purpose = "Home Assistant"
    let discovery: HomeAssistantDiscovery
    let context: ReportContext
    let gateway: CommandGateway
    let clock: any GenmonClock
    let logger: Logger
    /// Every config is sent again this often (nil: only on connect and on HA's `online`).
    let discoveryInterval: Duration?
    var configs = ChangeTracker()
    var states = ChangeTracker()
    var discoveredAt: ContinuousClock.Instant?
    /// Monitor statistics change every second; their states go out at most every 30 s.
    var statisticsSentAt: ContinuousClock.Instant?
    static let statisticsInterval = Duration.seconds(30)
    static let statisticIDs = Set(FigureCatalog.all.filter(\.monitorStatistic).map(\.id))
    var latest: GeneratorSnapshot?
    var isConnected = false
    /// Config topics of this device the broker holds (seen on our subscription) or we published.
    var knownConfigs: Set<String> = []
    /// The configs of the latest complete snapshot; nil before the controller is known.
    var currentConfigs: Set<String>?

    init(client: MQTTClient, discovery: HomeAssistantDiscovery, discoveryInterval: Duration?, context: ReportContext, gateway: CommandGateway,
         clock: any GenmonClock, logger: Logger) {
        self.client = client
        self.discovery = discovery
        self.discoveryInterval = discoveryInterval.flatMap { $0 > .zero ? $0 : nil }
        self.context = context
        self.gateway = gateway
        self.clock = clock
        self.logger = logger
    }

    /// `offline`, retained, QoS 1, on `<base>/status`.
    static func will(_ discovery: HomeAssistantDiscovery) -> MQTTWill {
        MQTTWill(topic: discovery.availabilityTopic, payload: Array("offline".utf8), qos: .atLeastOnce, retain: true)
    }

    func connected() async {
        isConnected = true
        configs.reset()
        states.reset()
        statisticsSentAt = nil
        send(discovery.availabilityTopic, "online", qos: .atLeastOnce, retain: true, logger: logger)
        subscribe(discovery.homeAssistantStatusTopic, logger: logger) { [weak self] message in
            if message.text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "online" { await self?.homeAssistantCameOnline() }
        }
        subscribe(discovery.configFilter, logger: logger) { [weak self] message in await self?.sawConfig(message) }
        for filter in discovery.commandFilters {
            subscribe(filter, logger: logger) { [weak self] message in await self?.command(message) }
        }
        publishChanges()
    }

    func disconnected() { isConnected = false }

    func update(_ snapshot: GeneratorSnapshot) async {
        latest = snapshot
        publishChanges()
    }

    func nextDeadline() -> ContinuousClock.Instant? {
        guard isConnected else { return nil }
        let rediscovery = discoveryInterval.flatMap { interval in discoveredAt.map { $0 + interval } }
        return [rediscovery, states.nextFlush].compactMap { $0 }.min()
    }

    func tick() async {
        if let interval = discoveryInterval, let at = discoveredAt, at.duration(to: clock.now) >= interval { configs.reset() }
        publishChanges()
    }

    func goingOffline() { send(discovery.availabilityTopic, "offline", qos: .atLeastOnce, retain: true, logger: logger) }

    /// Home Assistant (re)started: it has forgotten nothing retained, but the original sends everything again, and so do we.
    func homeAssistantCameOnline() {
        logger.info("Home Assistant is online: publishing discovery again")
        configs.reset()
        states.reset()
        publishChanges()
    }

    /// A retained config of this device the broker holds: removed when it is not one of ours now.
    func sawConfig(_ message: MQTTMessage) {
        guard !message.payload.isEmpty else {
            knownConfigs.remove(message.topic)
            return
        }
        knownConfigs.insert(message.topic)
        removeStale()
    }

    func removeStale() {
        guard isConnected, let current = currentConfigs else { return }
        for topic in knownConfigs.subtracting(current).sorted() {
            logger.info("removing the stale Home Assistant entity \(topic)")
            send(MQTTMessage(topic: topic, payload: [], qos: .atLeastOnce, retain: true), logger: logger)
            knownConfigs.remove(topic)
            configs.forget(topic)
        }
    }

    func command(_ message: MQTTMessage) async {
        guard let control = discovery.control(forCommandTopic: message.topic) else { return }
        guard let snapshot = latest else { return }
        let source = FigureSource(snapshot: snapshot, context: context.at(clock.date))
        let payload = String(decoding: message.payload.prefix(256), as: UTF8.self)
        let outcome: CommandOutcome
        let commandText: String
        switch control.command(payload, source) {
        case let .failure(error):
            commandText = "\(control.id)=\(payload)"
            outcome = CommandOutcome(result: .failed, message: error.description, legacyReply: error.description)
        case let .success(text):
            commandText = text
            outcome = await gateway.run(text)
        }
        logger.info("Home Assistant \(control.id): \(commandText) \(outcome.result.rawValue): \(outcome.message)")
        send(discovery.responseTopic, gateway.response(command: commandText, outcome: outcome, time: clock.date, correlation: control.id),
             qos: .atLeastOnce, retain: false, logger: logger)
    }

    /// Discovery for whatever changed (or everything after a reset), then the states that changed.
    func publishChanges() {
        guard isConnected, let snapshot = latest, snapshot.isInitialized else { return }
        let now = clock.now
        let source = FigureSource(snapshot: snapshot, context: context.at(clock.date))
        let entities = discovery.entities(source)
        let configCandidates = entities.map { ($0.configTopic, Array($0.config.utf8)) }
        let newConfigs = configs.select(configCandidates, now: now)
        if newConfigs.count == configCandidates.count { discoveredAt = now }
        for (topic, payload) in newConfigs { send(MQTTMessage(topic: topic, payload: payload, qos: .atLeastOnce, retain: true), logger: logger) }
        currentConfigs = Set(configCandidates.map(\.0))
        knownConfigs.formUnion(newConfigs.map(\.topic))
        removeStale()
        let statisticsDue = statisticsSentAt.map { $0.duration(to: now) >= Self.statisticsInterval } ?? true
        if statisticsDue { statisticsSentAt = now }
        let stateCandidates = entities.compactMap { entity -> (String, [UInt8])? in
            guard let topic = entity.stateTopic, let state = entity.state else { return nil }
            if !statisticsDue && Self.statisticIDs.contains(entity.id) { return nil }
            return (topic, Array(state.utf8))
        }
        for (topic, payload) in states.select(stateCandidates, now: now) {
            send(MQTTMessage(topic: topic, payload: payload, qos: .atMostOnce, retain: true), logger: logger)
        }
    }
}
