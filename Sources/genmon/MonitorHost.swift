import Appliance
import ArgumentParser
import CPosixSupport
import Foundation
import GenmonBasics
import GenmonConfig
import GPIO
import HomeAutomation
import LegacyProtocol
import Logging
import Monitor
import ModbusTransport
import Notify
import ServiceLifecycle
import Store
import Web

/// Runs a monitor with everything around it as one service group, until SIGTERM or SIGINT.
/// Shared by `genmon run` and `genmon demo`.
///
/// The group starts the parts in the order listed and shuts them down in reverse: first what
/// takes input (console, web app, command socket), then the schedulers, and last the monitor,
/// which lets commands in flight finish and be audited and writes everything queued. A part that
/// fails ends the process non-zero with one line naming it. See Sources/genmon/README.md.
struct MonitorHost {
    let configuration: GenmonConfiguration
    let link: ModbusClient
    let monitor: GeneratorMonitor
    /// Events, outages, the audit log and history for charts.
    let database: GenmonDatabase
    /// The original's command handler, shared by the command socket and the web app's `/cmd/` routes
    /// (so both answer alike and keep one maintenance journal).
    let legacyDispatcher: LegacyDispatcher
    /// Notifications: the engine, the outbox's delivery worker, and the desk the web app and socket use.
    let notify: NotifyParts
    /// What the reports show besides the snapshot (shared by the socket, the web app and MQTT).
    let reportContext: ReportContext
    /// Prometheus metrics for `/metrics`, fed by the monitor and the Modbus client.
    let metrics: GenmonMetrics
    /// MQTT (genmqtt.conf, genhomeassistant.conf), when switched on; nil otherwise.
    let mqtt: MQTTPublishingService?
    let clock: any GenmonClock
    let logger: Logger
    /// How many connections the socket and the web app may hold, within the open-files limit.
    let descriptors: DescriptorBudget
    /// Start-up is done once these listen: then systemd hears READY=1.
    let readiness = ReadinessGate(waitingFor: [MonitorHost.socketPart, MonitorHost.webPart])
    static let socketPart = "command socket", webPart = "web app"
    /// How often freed memory is looked for and given back (the tests shorten it).
    var memoryUpkeepInterval: Duration = .seconds(30)

    /// genmon.conf, when genmon runs from one: what the monitor detects is recorded there, as the original does.
    let configPath: String?

    /// - Parameters:
    ///   - configPath: the genmon.conf read, if any: mymail.conf is read from its directory, and what
    ///     the monitor detects is recorded there.
    ///   - keepsFiles: false for the demo, which writes nothing to disk.
    init(configuration: GenmonConfiguration, database: GenmonDatabase, configPath: String? = nil, keepsFiles: Bool = true,
         clock: any GenmonClock = SystemClock()) throws {
        self.configuration = configuration
        self.configPath = configPath
        self.database = database
        self.clock = clock
        var logger = Logger(label: "genmon")
        logger[metadataKey: "site"] = "\(configuration.siteName)"
        self.logger = logger
        // Each event-loop thread would otherwise keep a malloc arena of its own, and what a burst of
        // connections allocated would never go back to the system.
        genmon_limit_malloc_arenas()
        let descriptors = DescriptorBudget(limit: DescriptorBudget.raiseLimit(), socketConnections: configuration.socketMaximumConnections,
                                           webConnections: configuration.webMaximumConnections)
        self.descriptors = descriptors
        if descriptors.reduced {
            logger.warning("only \(descriptors.limit) open files allowed (ulimit -n): at most \(descriptors.socketConnections) command socket and \(descriptors.webConnections) web connections; raise the limit (LimitNOFILE= in the systemd unit) for more")
        }
        let metrics = GenmonMetrics()
        self.metrics = metrics
        self.link = try ModbusClient.open(configuration.link, options: configuration.linkOptions, clock: clock, metrics: metrics.factory)
        var monitorConfiguration = MonitorConfiguration(
            siteName: configuration.siteName, settings: configuration.settings,
            communicationLossAfter: .seconds(double: configuration.communicationLossSeconds),
            clockDriftThreshold: configuration.clockDriftSeconds,
            outageNoticeDelay: configuration.outageNoticeDelay, outageCheckDisabled: configuration.outageCheckDisabled)
        monitorConfiguration.healthWarningAfter = .seconds(double: configuration.data.healthWarningSeconds)
        monitorConfiguration.data = Self.dataSettings(configuration)
        var monitorLogger = Logger(label: "genmon.monitor")
        monitorLogger[metadataKey: "site"] = "\(configuration.siteName)"
        self.monitor = GeneratorMonitor(link: link, configuration: monitorConfiguration, persistence: database,
                                        clock: clock, logger: monitorLogger)
        let platform = LinuxPlatformStats()
        var context = ReportContext(timeZone: .current, settings: configuration.settings, siteName: configuration.siteName,
                                    platformStats: platform.provider, outageCheckEnabled: !configuration.outageCheckDisabled,
                                    powerLogMaximumMegabytes: configuration.data.powerLogMaximumMegabytes,
                                    isRaspberryPi: platform.isRaspberryPi)
        context.estimatedLoad = configuration.data.estimatedLoad
        self.reportContext = context
        self.mqtt = Self.mqttService(configuration: configuration, monitor: monitor, context: context, clock: clock)
        mqtt?.register(with: metrics)
        let journal = MaintenanceJournal(path: keepsFiles ? (configuration.dataDirectory as NSString).appendingPathComponent("maintlog.json") : nil)
        self.notify = NotifyParts.make(configPath: configPath, siteName: configuration.siteName, service: monitor, database: database,
                                       reportContext: context, clock: clock, keepsFiles: keepsFiles,
                                       onAttempt: { channel, delivered in metrics.recordNotification(channel: channel, delivered: delivered) })
        self.legacyDispatcher = LegacyDispatcher(service: monitor, journal: journal, configuration: .init(
            context: context, maximumPowerLogEntries: configuration.data.maximumPowerLogEntries, notifications: notify.desk))
    }

    /// The monitor's data settings from genmon.conf's keys.
    static func dataSettings(_ configuration: GenmonConfiguration) -> DataSettings {
        let keys = configuration.data
        var data = DataSettings()
        data.powerLogEnabled = keys.powerLogEnabled
        data.externalDataTimeout = keys.externalDataTimeout
        data.sensorLogEnabled = !keys.sensorLogDisabled
        data.fuelLogEnabled = keys.fuelLogEnabled
        data.fuelLogInterval = keys.fuelLogMinutes * 60
        data.fuelLogConfigured = keys.fuelLogConfigured
        data.tankSize = keys.tankSize
        data.subtractFuel = keys.subtractFuel
        data.metric = configuration.settings.metric
        return data
    }

    /// Makes this process's files private and the data directory with everything in it readable
    /// by genmon's user only (creating it 0700 if needed); logs what it had to change.
    static func secureDataDirectory(_ directory: String) throws {
        PrivateDirectory.restrictFileCreation()
        let logger = Logger(label: "genmon.files")
        do {
            let (repaired, notOwned) = try PrivateDirectory.secure(directory)
            if !repaired.isEmpty {
                logger.notice("made \(repaired.count) item(s) in the data directory readable by genmon's user only: \(repaired.map(\.description).joined(separator: ", "))")
            }
            if !notOwned.isEmpty {
                logger.warning("other users can read these files in the data directory, and genmon cannot change that (they belong to another user): \(notOwned.joined(separator: ", "))")
            }
        } catch {
            throw ValidationError("\(error) (choose another with --data-dir or datadirectory in genmon.conf)")
        }
    }

    /// Opens (creating if needed) the database in the configured data directory.
    static func openDatabase(in directory: String) throws -> GenmonDatabase {
        try secureDataDirectory(directory)
        let path = (directory as NSString).appendingPathComponent("genmon.sqlite")
        do {
            return try GenmonDatabase(path: path)
        } catch {
            throw ValidationError("cannot open the database \(path): \(error)")
        }
    }

    /// The original's command socket (port 9082 unless configured), so its clients work.
    func commandSocket(quiet: Bool) throws -> NamedService {
        let policy: ControlPolicy
        do { policy = try ControlPolicy(allowing: configuration.socketControlAllowList) } catch {
            throw ValidationError("socket_control_allow: \(error)")
        }
        let address = configuration.socketAddress
        let idle = configuration.socketIdleTimeout
        let readiness = readiness
        let service = CommandSocketService(
            dispatcher: legacyDispatcher,
            configuration: .init(host: address, port: configuration.socketPort, policy: policy,
                                 idleTimeout: idle > 0 ? .nanoseconds(Int64(idle * 1e9)) : nil,
                                 maximumConnections: descriptors.socketConnections,
                                 maximumConnectionsPerAddress: configuration.socketMaximumConnectionsPerAddress,
                                 loopbackReserve: max(1, descriptors.socketConnections / 8)),
            logger: Logger(label: "genmon.socket")) { port in
                if !quiet { print("command socket on \(address):\(port) (genmon client, Nagios, add-ons)") }
                readiness.ready(Self.socketPart)
            }
        return NamedService(name: "command socket", service: service)
    }

    /// Every long-running part, in start order (shutdown runs in reverse).
    func services(quiet: Bool, socket: Bool, web: WebMode, extra: [NamedService]) async throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        // The monitor ends only at shutdown; if it ever returned early, genmon must not run on without it.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: NamedService(name: "monitor", service: monitor), successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: NamedService(name: "database upkeep", service: DatabaseUpkeep(database: database, clock: clock, logger: logger))),
            .init(service: NamedService(name: "controller clock keeper", service: ControllerClockKeeper(
                monitor: monitor, syncTime: configuration.syncTime, syncDST: configuration.syncDST, timeZone: .current, clock: clock)),
                  successTerminationBehavior: .ignore),
        ]
        if let configPath {
            services.append(.init(service: NamedService(name: "settings recorder", service: DetectedSettingsRecorder(
                monitor: monitor, path: configPath, logger: Logger(label: "genmon.config"))), successTerminationBehavior: .ignore))
        }
        // After the monitor, before what takes input: at shutdown the engine stops queueing first,
        // then the worker lets deliveries in flight finish.
        services.append(.init(service: NamedService(name: "channel HTTP client", service: notify.http)))
        services.append(.init(service: NamedService(name: "notification delivery", service: notify.worker)))
        services.append(.init(service: NamedService(name: "notifications", service: notify.engine)))
        if socket { services.append(.init(service: try commandSocket(quiet: quiet))) } else { readiness.ready(Self.socketPart) }
        if let email = EmailCommandsHost.service(configPath: configPath, dataDirectory: configuration.dataDirectory, dispatcher: legacyDispatcher,
                                                 database: database, notify: notify, timeZone: reportContext.timeZone, clock: clock) {
            services.append(.init(service: email))
        }
        if let gpio = gpioService() { services.append(.init(service: gpio)) }
        services.append(.init(service: NamedService(name: "metrics", service: MetricsService(metrics: metrics, service: monitor))))
        if let mqtt { services.append(.init(service: NamedService(name: "MQTT", service: mqtt))) }
        let webParts = try await webServices(web, quiet: quiet)
        if webParts.isEmpty { readiness.ready(Self.webPart) }
        services += webParts.map { .init(service: $0) }
        services += extra.map { .init(service: $0) }
        services.append(.init(service: NamedService(name: "memory upkeep", service: MemoryUpkeep(interval: memoryUpkeepInterval, clock: clock, logger: logger))))
        if !quiet { services.append(.init(service: NamedService(name: "console", service: ConsolePrinter(monitor: monitor, clock: clock, readiness: readiness)))) }
        // Last, so that it says STOPPING=1 first when shutdown begins.
        if let notifier = try systemdNotifier() { services.append(.init(service: notifier)) }
        return services
    }

    /// Monitors until SIGTERM or SIGINT. Throws `PartFailure` when a part fails.
    func run(quiet: Bool = false, socket: Bool = true, web: WebMode = .off, extra: [NamedService] = []) async throws {
        let group = ServiceGroup(configuration: .init(
            services: try await services(quiet: quiet, socket: socket, web: web, extra: extra),
            gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
            logger: logger))
        defer { link.close() }
        try await group.run()
        logger.info("stopped")
    }
}

extension MonitorHost {
    /// sd_notify, when systemd started genmon (`NOTIFY_SOCKET`): READY=1 once the socket and the web
    /// app listen, STATUS= lines, WATCHDOG=1 while the poll loop moves (`WatchdogSec=` in the unit).
    func systemdNotifier() throws -> NamedService? {
        let environment = ProcessInfo.processInfo.environment
        let socket: NotifySocket
        do {
            guard let found = try NotifySocket.fromEnvironment(environment) else { return nil }
            socket = found
        } catch {
            throw ValidationError("\(error)")
        }
        let watchdog = WatchdogSettings.fromEnvironment(environment, processID: getpid())
        let notifier = ServiceNotifier(send: { try socket.send($0) }, readiness: readiness, watchdog: watchdog, monitor: monitor, clock: clock)
        return NamedService(name: "systemd notifications", service: notifier)
    }
}

extension MonitorHost {
    /// gengpio / gengpioin, when genloader.conf (or their files beside genmon.conf) switch them on.
    /// A board without GPIO, a line another program holds or a missing permission is logged and
    /// genmon monitors on without the pins.
    func gpioService() -> NamedService? {
        guard let directory = configuration.configurationDirectory else { return nil }
        let logger = Logger(label: "genmon.gpio")
        let switches: AddonSwitches
        do { switches = try AddonSwitches(directory: directory) } catch {
            logger.error("genloader.conf: \(error)")
            return nil
        }
        let setup = GPIOSetup.open(directory: directory, switches: switches)
        for warning in setup.warnings { logger.warning("\(warning)") }
        for problem in setup.problems { logger.error("\(problem)") }
        guard !setup.isEmpty else { return nil }
        let platform = LinuxPlatformStats()
        let service = GPIOService(monitor: monitor, outputs: setup.outputs, inputs: setup.inputs, clock: clock, logger: logger,
                                  internetReachable: { await NetworkProbe.check() == "OK" },
                                  cpuTemperature: { platform.cpuTemperatureCelsius() })
        return NamedService(name: "GPIO", service: service)
    }
}

extension MonitorHost {
    /// genmqtt and genhomeassistant, when genloader.conf (or their files beside genmon.conf) switch them
    /// on. A bad file or an unreadable certificate is logged and genmon monitors on without MQTT.
    static func mqttService(configuration: GenmonConfiguration, monitor: GeneratorMonitor, context: ReportContext,
                            clock: any GenmonClock) -> MQTTPublishingService? {
        guard let directory = configuration.configurationDirectory else { return nil }
        let logger = Logger(label: "genmon.mqtt")
        let switches: AddonSwitches
        do { switches = try AddonSwitches(directory: directory) } catch {
            logger.error("genloader.conf: \(error)")
            return nil
        }
        let addOns = MQTTAddOns(directory: directory, switches: switches)
        for problem in addOns.problems { logger.error("\(problem)") }
        guard !addOns.isEmpty else { return nil }
        do {
            return try MQTTPublishingService(service: monitor, genmqtt: addOns.genmqtt, homeAssistant: addOns.homeAssistant, context: context,
                                             siteName: configuration.siteName, webPort: configuration.webPort, clock: clock, logger: logger)
        } catch {
            logger.error("MQTT is off: \(error)")
            return nil
        }
    }
}

/// A part that fails on purpose after a delay: proves, in the end-to-end tests, that a part failing
/// after start ends genmon non-zero with its name (`genmon run --fail-after`, hidden).
struct InjectedFailure: Service {
    let after: Duration

    struct Failure: Error, CustomStringConvertible {
        var description: String { "failing on purpose, as --fail-after asked" }
    }

    func run() async throws {
        do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: after) } } catch { return }
        throw Failure()
    }
}

/// Stalls the poll loop on purpose after a delay: proves, in the end-to-end tests, that a hung loop
/// stops WATCHDOG=1 (`genmon run --stall-poll-after`, hidden).
struct InjectedStall: Service {
    let after: Duration
    let monitor: GeneratorMonitor

    func run() async {
        do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: after) } } catch { return }
        guard !Task.isCancelled else { return }
        monitor.stallPollLoop()
        try? await gracefulShutdown()
    }
}
