import Foundation
import Generac
import ModbusTransport
@testable import Monitor
import Simulator
import Synchronization
import Testing

/// A simulated controller on a pseudo-terminal, on a hand-driven clock, with a real monitor
/// watching it through genmon's own serial and Modbus code.
final class MonitorHarness: Sendable {
    let clock: ManualClock
    let controller: SimulatedController
    let simulator: RunningSimulator
    let client: ModbusClient
    let monitor: GeneratorMonitor
    let persistence = InMemoryPersistence()
    let monitoring: Task<Void, Never>
    let recorder: EventRecorder

    static let start = Date(timeIntervalSince1970: 1_709_634_600)  // Tuesday 2024-03-05 10:30 UTC

    init(_ family: ControllerProfile.Family, faults: FaultSettings = FaultSettings(), lossAfter: Duration = .seconds(30),
         start: Date = MonitorHarness.start, samples: (every: Duration, storedEvery: Duration)? = nil) throws {
        clock = ManualClock(start: start)
        let profile = ControllerProfile.standard(family, start: start)
        let model = GeneratorModel(profile: profile, start: start, timeZone: TimeZone(identifier: "UTC")!)
        controller = SimulatedController(simulation: Simulation(model: model), clock: clock,
                                         faults: FaultInjector(settings: faults, pacing: .off))
        simulator = try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: controller.faults)
        client = ModbusClient(stream: try SerialPort.stream(path: simulator.address),
                              configuration: .init(responseAllowance: .milliseconds(600), quietGap: .milliseconds(40)))
        var configuration = MonitorConfiguration(siteName: "Test", timeZone: TimeZone(identifier: "UTC")!,
                                                 hotInterval: .milliseconds(100), liveInterval: .milliseconds(500),
                                                 settingsInterval: .seconds(2), communicationLossAfter: lossAfter,
                                                 clockDriftThreshold: 1e9)
        configuration.alignSetTimeToMinute = false
        if let samples {
            configuration.sampleInterval = samples.every
            configuration.sampleFlushInterval = samples.storedEvery
        }
        monitor = GeneratorMonitor(client: client, configuration: configuration, persistence: persistence)
        recorder = EventRecorder(monitor.events())
        let monitor = self.monitor
        monitoring = Task { await monitor.run() }
    }

    func stop() async {
        monitoring.cancel()
        await monitoring.value
        client.stream.close()
        await simulator.shutdown()
    }

    /// Acts on the simulator as `genmon simctl` would.
    @discardableResult
    func sim(_ line: String) async -> String { await controller.perform(line: line) }

    /// Moves simulated time forward.
    func advance(_ seconds: TimeInterval) { clock.advance(by: seconds) }

    /// Waits until a published snapshot satisfies `condition`.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(15), _ condition: @Sendable @escaping (GeneratorSnapshot) -> Bool) async throws -> GeneratorSnapshot {
        let stream = monitor.snapshots()
        let found = await withTaskGroup(of: GeneratorSnapshot?.self) { group in
            group.addTask {
                for await snapshot in stream where condition(snapshot) { return snapshot }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let found else {
            let last = await monitor.snapshot()
            Issue.record("timed out waiting for \(what); last status: \(last.readings?.status.oneLine ?? "none")")
            throw HarnessError.timeout(what)
        }
        return found
    }

    func waitForStatus(_ oneLine: String, timeout: Duration = .seconds(15)) async throws {
        try await waitFor("status \(oneLine)", timeout: timeout) { $0.readings?.status.oneLine == oneLine }
    }

    /// Waits until the recorder has seen an event matching `condition`.
    @discardableResult
    func waitForEvent(_ what: String, timeout: Duration = .seconds(15), _ condition: @Sendable @escaping (MonitorEvent) -> Bool) async throws -> MonitorEvent {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = recorder.events.first(where: condition) { return event }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no event \(what); saw \(recorder.events.map(\.summary))")
        throw HarnessError.timeout(what)
    }

    static let controlOrigin = CommandOrigin(interface: .cli, principal: "test", mayControl: true)
}

enum HarnessError: Error { case timeout(String) }

/// Collects events from the moment the harness starts.
final class EventRecorder: Sendable {
    private final class Store: Sendable {
        let events = Mutex<[MonitorEvent]>([])
    }

    private let store = Store()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<MonitorEvent>) {
        let store = self.store
        task = Task { for await event in stream { store.events.withLock { $0.append(event) } } }
    }

    deinit { task.cancel() }

    var events: [MonitorEvent] { store.events.withLock { $0 } }
    var summaries: [String] { events.map(\.summary) }
}

