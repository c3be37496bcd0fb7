import Foundation
import GenmonBasics
import GenmonConfig
import LegacyProtocol
import Logging
import Monitor
import MQTT
import MQTTProtocol
import ServiceLifecycle

/// MQTT inside genmon (a `Service`): the original genmqtt's layout, genmon's own layout and Home
/// Assistant discovery, each on its own broker connection (each has its own last will), all driven
/// by the monitor's snapshots and events. A changed value goes out as soon as the monitor publishes it.
public final class MQTTPublishingService: Service, Sendable {
    let channels: [any PublishingChannel]
    let clients: [(purpose: String, client: MQTTClient)]
    let service: any GeneratorService
    let clock: any GenmonClock

    /// Builds the connections `genmqtt` and `homeAssistant` ask for. Throws when a TLS file cannot be read.
    public init(service: any GeneratorService, genmqtt: GenMQTTConfiguration?, homeAssistant: HomeAssistantConfiguration?,
                context: ReportContext, siteName: String, webPort: Int = 8000, clock: any GenmonClock = SystemClock(),
                backoff: MQTTBackoff = MQTTBackoff(), logger: Logger = Logger(label: "genmon.mqtt")) throws {
        var channels: [any PublishingChannel] = []
        var clients: [(purpose: String, client: MQTTClient)] = []
        if let genmqtt {
            let flush = genmqtt.flushInterval > 0 ? Duration.seconds(genmqtt.flushInterval) : nil
            if genmqtt.legacyLayout {
                let layout = LegacyTopicLayout(rootTopic: genmqtt.rootTopic, numericJSON: genmqtt.numericJSON, numericJSONObject: genmqtt.numericJSONObject,
                                               stringListJSON: genmqtt.stringListJSON, blacklist: genmqtt.blacklist, removeSpaces: genmqtt.removeSpaces)
                let client = try MQTTClient(configuration: genmqtt.broker.clientConfiguration(will: LegacyChannel.will(layout), backoff: backoff),
                                            logger: Self.logger(logger, "genmqtt"))
                let gateway = CommandGateway(service: service, clientID: genmqtt.broker.clientID, allowed: genmqtt.allowCommands)
                channels.append(LegacyChannel(client: client, layout: layout, retain: genmqtt.retain, flushInterval: flush, context: context,
                                              gateway: gateway, clock: clock, logger: Self.logger(logger, "genmqtt")))
                clients.append(("genmqtt", client))
            }
            if genmqtt.genmonLayout {
                let layout = SiteLayout(root: genmqtt.genmonRootTopic, site: genmqtt.siteID ?? SiteIdentifier.from(siteName: siteName))
                var broker = genmqtt.broker
                // A second connection (its own will): the original's client id with a suffix.
                broker.clientID = genmqtt.legacyLayout ? broker.clientID + "_site" : broker.clientID
                let client = try MQTTClient(configuration: broker.clientConfiguration(will: SiteChannel.will(layout), backoff: backoff),
                                            logger: Self.logger(logger, "genmon layout"))
                let gateway = CommandGateway(service: service, clientID: broker.clientID, allowed: genmqtt.allowCommands)
                channels.append(SiteChannel(client: client, layout: layout, flushInterval: flush, context: context, gateway: gateway,
                                            clock: clock, logger: Self.logger(logger, "genmon layout")))
                clients.append(("genmon layout", client))
            }
        }
        if let homeAssistant {
            let discovery = HomeAssistantDiscovery(
                prefix: homeAssistant.discoveryPrefix, base: homeAssistant.baseTopic, deviceID: homeAssistant.deviceID,
                deviceName: homeAssistant.deviceName, includeMonitorStats: homeAssistant.includeMonitorStats, includeLogs: homeAssistant.includeLogs,
                blacklist: homeAssistant.blacklist, offerControls: homeAssistant.allowCommands,
                configurationURL: homeAssistant.monitorAddress.map { "http://\($0.contains(":") ? "[\($0)]" : $0):\(webPort)" })
            let client = try MQTTClient(configuration: homeAssistant.broker.clientConfiguration(will: HomeAssistantChannel.will(discovery), backoff: backoff),
                                        logger: Self.logger(logger, "Home Assistant"))
            let gateway = CommandGateway(service: service, clientID: homeAssistant.broker.clientID, allowed: homeAssistant.allowCommands)
            let interval = homeAssistant.discoveryInterval > 0 ? Duration.seconds(homeAssistant.discoveryInterval) : nil
            channels.append(HomeAssistantChannel(client: client, discovery: discovery, discoveryInterval: interval, context: context,
                                                 gateway: gateway, clock: clock, logger: Self.logger(logger, "Home Assistant")))
            clients.append(("Home Assistant", client))
        }
        self.channels = channels
        self.clients = clients
        self.service = service
        self.clock = clock
    }

    static func logger(_ base: Logger, _ purpose: String) -> Logger {
        var logger = base
        logger[metadataKey: "mqtt.purpose"] = .string(purpose)
        return logger
    }

    /// Whether anything is configured.
    public var isEmpty: Bool { channels.isEmpty }

    /// Every connection and its state, for the web page.
    public var links: [MQTTLinkStatus] { clients.map { MQTTLinkStatus(purpose: $0.purpose, status: $0.client.status) } }

    /// `genmon_mqtt_connected{purpose=…}` for each connection.
    public func register(with metrics: GenmonMetrics) {
        metrics.addGauges { [clients] in
            clients.map { (name: "genmon_mqtt_connected", labels: [("purpose", $0.purpose)], value: $0.client.status.state == .connected ? 1 : 0) }
        }
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for channel in self.channels {
                    group.addTask { await ChannelDriver(channel: channel, service: self.service, clock: self.clock).run() }
                }
            }
        }
    }
}
