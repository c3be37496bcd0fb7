import ArgumentParser
import Foundation
import GenmonConfig
import LegacyProtocol
import Monitor
import ModbusTransport
import Store
import Web

/// Runs a monitor on a link with everything around it (persistence, interfaces, console), until
/// SIGINT or SIGTERM. Shared by `genmon run` and `genmon demo`.
struct MonitorHost {
    let configuration: GenmonConfiguration
    let client: ModbusClient
    let monitor: GeneratorMonitor
    /// Events, outages, the audit log and history for charts.
    let database: GenmonDatabase

    /// The original's command handler, shared by the command socket and the web app's `/cmd/` routes
    /// (so both answer alike and keep one maintenance journal).
    let legacyDispatcher: LegacyDispatcher

    /// - Parameter keepsFiles: false for the demo, which writes nothing to disk.
    init(configuration: GenmonConfiguration, database: GenmonDatabase, keepsFiles: Bool = true) throws {
        self.configuration = configuration
        self.database = database
        self.client = try Self.openLink(configuration)
        let monitorConfiguration = MonitorConfiguration(
            siteName: configuration.siteName, settings: configuration.settings,
            communicationLossAfter: .milliseconds(Int64(configuration.communicationLossSeconds * 1000)),
            clockDriftThreshold: configuration.clockDriftSeconds,
            outageNoticeDelay: configuration.outageNoticeDelay, outageCheckDisabled: configuration.outageCheckDisabled)
        self.monitor = GeneratorMonitor(client: client, configuration: monitorConfiguration, persistence: database)
        let platform = LinuxPlatformStats()
        let context = ReportContext(timeZone: .current, settings: configuration.settings, siteName: configuration.siteName,
                                    platformStats: platform.provider,
                                    outageCheckEnabled: !configuration.outageCheckDisabled, isRaspberryPi: platform.isRaspberryPi)
        let journal = MaintenanceJournal(path: keepsFiles ? (configuration.dataDirectory as NSString).appendingPathComponent("maintlog.json") : nil)
        self.legacyDispatcher = LegacyDispatcher(service: monitor, journal: journal, configuration: .init(context: context))
    }

    /// Opens (creating if needed) the database in the configured data directory.
    static func openDatabase(in directory: String) throws -> GenmonDatabase {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the data directory \(directory): \(error.localizedDescription) "
                                  + "(choose another with --data-dir or datadirectory in genmon.conf)")
        }
        let path = (directory as NSString).appendingPathComponent("genmon.sqlite")
        do {
            return try GenmonDatabase(path: path)
        } catch {
            throw ValidationError("cannot open the database \(path): \(error)")
        }
    }

    /// Opens the controller link the configuration describes.
    static func openLink(_ configuration: GenmonConfiguration) throws -> ModbusClient {
        let allowance = Duration.milliseconds(Int64(configuration.additionalTimeout * 1000))
        let pause = Duration.milliseconds(Int64(configuration.betweenFrameDelay * 1000))
        switch configuration.link {
        case let .serial(path, settings):
            let stream = try SerialPort.stream(path: path, settings: settings)
            return ModbusClient(stream: stream, configuration: .init(
                framing: .rtu, slaveAddress: configuration.slaveAddress, alternateResponseAddress: configuration.alternateResponseAddress,
                responseAllowance: .milliseconds(1250) + allowance, serial: settings, pauseBetweenTransactions: pause,
                readsUseInputRegisters: configuration.readsUseInputRegisters, evolution2Unlock: configuration.evolution2Unlock))
        case let .rtuOverTCP(host, port), let .modbusTCP(host, port):
            let stream = try TCPConnection.stream(host: host, port: port)
            let framing: ModbusClientConfiguration.Framing = if case .modbusTCP = configuration.link { .tcp } else { .rtu }
            return ModbusClient(stream: stream, configuration: .init(
                framing: framing, slaveAddress: configuration.slaveAddress, alternateResponseAddress: configuration.alternateResponseAddress,
                responseAllowance: .milliseconds(3000) + allowance, serial: nil, pauseBetweenTransactions: pause,
                readsUseInputRegisters: configuration.readsUseInputRegisters, evolution2Unlock: configuration.evolution2Unlock))
        }
    }

    /// Starts the original's command socket (port 9082 unless configured), so its clients work.
    func startCommandSocket() async throws -> LegacyCommandServer {
        let policy: ControlPolicy
        do { policy = try ControlPolicy(allowing: configuration.socketControlAllowList) } catch {
            throw ValidationError("socket_control_allow: \(error)")
        }
        let dispatcher = legacyDispatcher
        do {
            return try await LegacyCommandServer.start(dispatcher: dispatcher, configuration: .init(
                host: configuration.socketAddress, port: configuration.socketPort, policy: policy))
        } catch {
            throw ValidationError("cannot open the command socket on \(configuration.socketAddress):\(configuration.socketPort): \(error) "
                                  + "(is another genmon running? set server_port in genmon.conf)")
        }
    }

    /// Monitors until a termination signal, printing events as they happen.
    func run(quiet: Bool = false, socket: Bool = true, web: WebMode = .off) async throws {
        let monitor = self.monitor
        let commandSocket = socket ? try await startCommandSocket() : nil
        if let commandSocket, !quiet {
            print("command socket on \(configuration.socketAddress):\(commandSocket.port) (genmon client, Nagios, add-ons)")
        }
        let webServer: WebServer?
        do {
            webServer = try await startWeb(web, quiet: quiet)
        } catch {
            await commandSocket?.close()
            throw error
        }
        let monitoring = Task { await monitor.run() }
        let database = self.database
        let upkeep = Task {
            // Roll history up and drop what has expired, once an hour (and once at start).
            while !Task.isCancelled {
                do { _ = try await database.maintain(now: Date()) } catch {
                    FileHandle.standardError.write(Data("genmon: database upkeep failed: \(error)\n".utf8))
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        let clockKeeper = Task { await Self.keepControllerClock(monitor, configuration: configuration) }
        let console = Task {
            guard !quiet else { return }
            await Self.printEvents(monitor)
        }
        let progress = Task {
            guard !quiet else { return }
            await Self.announceStartup(monitor)
        }
        await TerminationSignal.wait()
        print("stopping")
        monitoring.cancel()
        upkeep.cancel()
        clockKeeper.cancel()
        console.cancel()
        progress.cancel()
        await webServer?.close()
        await monitoring.value
        await commandSocket?.close()
        client.stream.close()
    }

    /// The original's `synctime` (set the controller clock once the monitor is up, then hourly) and
    /// `syncdst` (set it when daylight-saving time starts or ends). Commands go through the same
    /// door as everyone's, from the scheduler, and are audited.
    static func keepControllerClock(_ monitor: GeneratorMonitor, configuration: GenmonConfiguration) async {
        guard configuration.syncTime || configuration.syncDST else { return }
        let origin = CommandOrigin(interface: .scheduler, principal: configuration.syncTime ? "synctime" : "syncdst", mayControl: true)
        for await snapshot in monitor.snapshots() where snapshot.isInitialized { break }
        guard !Task.isCancelled else { return }
        _ = await monitor.execute(.generac(.setTime), origin: origin)
        var lastSync = Date()
        var daylightSaving = TimeZone.current.isDaylightSavingTime(for: Date())
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(60))
            let now = Date()
            let dstNow = TimeZone.current.isDaylightSavingTime(for: now)
            let dstChanged = configuration.syncDST && dstNow != daylightSaving
            daylightSaving = dstNow
            if dstChanged || (configuration.syncTime && now.timeIntervalSince(lastSync) >= 3600) {
                _ = await monitor.execute(.generac(.setTime), origin: origin)
                lastSync = now
            }
        }
    }

    static func printEvents(_ monitor: GeneratorMonitor) async {
        for await event in monitor.events() {
            print(Self.timestamp(event.time) + "  " + event.summary)
        }
    }

    /// Says once when the first complete status is in, with the one-line status and timings.
    static func announceStartup(_ monitor: GeneratorMonitor) async {
        var announcedStatus = false
        for await snapshot in monitor.snapshots() {
            if !announcedStatus, let readings = snapshot.readings, let after = snapshot.monitor.firstCompleteStatusAfter {
                announcedStatus = true
                print(timestamp(Date()) + "  " + readings.identity.detectedName + ": " + readings.status.oneLine
                      + String(format: "  (complete status after %.1f s)", after.seconds))
            }
            if announcedStatus, let logs = snapshot.monitor.logsCompleteAfter {
                print(timestamp(Date()) + String(format: "  logs read after %.1f s", logs.seconds))
                return
            }
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }
}
