import Foundation
import Generac
import LegacyProtocol
import ModbusTransport
import GenmonConfig
import Monitor
import Notify
import Simulator
import Store
@testable import Web

/// The real thing on this machine: a simulated controller on a pseudo-terminal, a monitor polling
/// it through genmon's serial and Modbus code, the store, accounts, and the web server on a free
/// loopback port, with the simulator's control channel for `utility off`.
final class LiveRig: Sendable {
    static let adminName = "alice", adminPassword = "alice-password-1"

    let controller: SimulatedController
    let simulator: RunningSimulator
    let control: RunningSimulator
    let client: ModbusClient
    let monitor: GeneratorMonitor
    let database: GenmonDatabase
    let accounts: AccountStore
    let server: WebServer
    let monitoring: Task<Void, Never>

    init(speed: Double = 1, withAdmin: Bool = true, setupCode: SetupCode? = nil) async throws {
        let start = Date()
        let profile = ControllerProfile.standard(.evolutionLiquidCooled, start: start)
        controller = SimulatedController(simulation: Simulation(model: GeneratorModel(profile: profile, start: start)),
                                         clock: ScaledClock(start: start, speed: speed), faults: FaultInjector(pacing: .off))
        simulator = try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: controller.faults)
        control = try ControlChannel.serve(controller, port: 0)
        client = ModbusClient(stream: try SerialPort.stream(path: simulator.address),
                              configuration: .init(responseAllowance: .milliseconds(800), quietGap: .milliseconds(40)))
        var configuration = MonitorConfiguration(siteName: "Browser Test", hotInterval: .milliseconds(200), liveInterval: .milliseconds(600),
                                                 settingsInterval: .seconds(5), communicationLossAfter: .seconds(3),
                                                 sampleInterval: .seconds(1), sampleFlushInterval: .seconds(2))
        configuration.alignSetTimeToMinute = false
        database = try GenmonDatabase.inMemory()
        try await Self.recordPastDays(database, until: start)
        monitor = GeneratorMonitor(link: client, configuration: configuration, persistence: database)
        let monitor = self.monitor
        monitoring = Task { await monitor.run() }
        accounts = try AccountStore.inMemory()
        if withAdmin { try await accounts.addUser(name: Self.adminName, role: .admin, password: Self.adminPassword) }
        // Notifications with e-mail off, one rule, and a notice waiting in the outbox, for the admin page.
        var notify = NotifySettings()
        notify.rules = [ThresholdRuleSpec(name: "battery", reading: .battery, direction: .below, limit: 12.2, duration: 300)]
        let routing = NotificationRouting(["email": [ChannelRecipient(id: "alice@example.org", categories: [.outage, .warn])]])
        let desk = NotificationDesk(
            engine: nil, database: database, routing: routing, channels: [],
            composer: MessageComposer(reportContext: ReportContext(), siteName: "Browser Test"), siteName: "Browser Test",
            settings: notify, emailOffReason: "there is no mymail.conf", emailDetail: "", mailFile: nil, problems: [])
        try await database.enqueue(OutboxMessage(
            created: start.addingTimeInterval(-3600), category: "outage", subject: "Outage Notice at Browser Test",
            body: "Utility Power Out at 2026-01-01 12:00:00\n\nSite : Browser Test\n", source: "outage_started",
            payloads: ["email": [0]], lanes: [OutboxLane(channel: "email", recipient: "alice@example.org")]))
        let legacy = LegacyDispatcher(service: monitor, configuration: .init(networkProbe: { "OK" }, notifications: desk))
        let app = WebApp(service: monitor, database: database, accounts: accounts, legacy: legacy, notifications: desk,
                         configuration: WebAppConfiguration(setupCode: setupCode, heartbeat: .seconds(5)))
        server = try await WebServer.start(app, configuration: .init(host: "127.0.0.1", port: 0))
    }

    var baseURL: String { server.baseURL }

    /// Three days of minute samples before the test, with an afternoon outage the generator
    /// covered, so the history charts have something to draw.
    static func recordPastDays(_ database: GenmonDatabase, until end: Date) async throws {
        let minutes = 3 * 24 * 60
        var samples: [HistorySample] = []
        for minute in 0..<minutes {
            let time = end.addingTimeInterval(Double(minute - minutes) * 60)
            let outage = (minutes - 600)..<(minutes - 480) ~= minute
            let wave = sin(Double(minute) / 90)
            samples.append(HistorySample(
                time: time, utilityVolts: outage ? 0 : 240 + 2.5 * wave, batteryVolts: outage ? 13.9 : 13.4 + 0.15 * cos(Double(minute) / 300),
                outputVolts: outage ? 240 + wave : 0, frequencyHz: outage ? 60 : 0, rpm: outage ? 3600 : 0, powerKW: outage ? 6 + 2 * wave : 0))
            if samples.count == 1000 {
                try await database.record(samples)
                samples.removeAll()
            }
        }
        try await database.record(samples)
        _ = try await database.maintain(now: end)
    }

    /// Sends one line to the simulator's control channel, as `genmon simctl` does.
    @discardableResult
    func simctl(_ line: String) async throws -> String {
        let port = Int(control.address.split(separator: ":").last ?? "") ?? 0
        let stream = try TCPConnection.stream(host: "127.0.0.1", port: port, connectTimeout: .seconds(2), failFast: true)
        defer { stream.close() }
        try await stream.write(Array((line + "\n").utf8))
        var reply: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while !reply.contains(UInt8(ascii: "\n")) {
            let bytes = try await stream.read(until: deadline)
            if bytes.isEmpty { break }
            reply += bytes
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// Waits until the monitor's snapshot satisfies `condition`.
    func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: @escaping @Sendable (GeneratorSnapshot) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(monitor.snapshot()) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("timed out waiting for \(what); status: \(monitor.snapshot().readings?.status.oneLine ?? "none")")
    }

    func stop() async {
        await server.close()
        monitoring.cancel()
        await monitoring.value
        client.stream.close()
        await control.shutdown()
        await simulator.shutdown()
    }
}
