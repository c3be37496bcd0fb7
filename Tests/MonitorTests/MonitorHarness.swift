import Foundation
import Generac
import GenmonTesting
import ModbusTransport
@testable import Monitor
import Simulator
import Synchronization
import Testing

/// A simulated controller on a pseudo-terminal, on a hand-driven clock, with a real monitor
/// watching it through genmon's own serial and Modbus code.
final class MonitorHarness: Sendable {
    let clock: ManualClock
    let rig: PseudoTerminalRig
    let persistence = InMemoryPersistence()
    let recorder: EventRecorder

    var controller: SimulatedController { rig.controller }
    var client: ModbusClient { rig.client }
    var monitor: GeneratorMonitor { rig.monitor }

    static let start = Date(timeIntervalSince1970: 1_709_634_600)  // Tuesday 2024-03-05 10:30 UTC

    init(_ family: ControllerProfile.Family, faults: FaultSettings = FaultSettings(), lossAfter: Duration = .seconds(30),
         start: Date = MonitorHarness.start, samples: (every: Duration, storedEvery: Duration)? = nil) throws {
        clock = ManualClock(start: start)
        var configuration = PseudoTerminalRig.fastConfiguration(lossAfter: lossAfter)
        if let samples {
            configuration.sampleInterval = samples.every
            configuration.sampleFlushInterval = samples.storedEvery
        }
        rig = try PseudoTerminalRig(family: family, start: start, simulatorClock: clock, faults: faults,
                                    configuration: configuration, persistence: persistence)
        recorder = EventRecorder(rig.monitor.events())
    }

    func stop() async { await rig.stop() }

    /// Acts on the simulator as `genmon simctl` would.
    @discardableResult
    func sim(_ line: String) async -> String { await controller.perform(line: line) }

    /// Moves simulated time forward.
    func advance(_ seconds: TimeInterval) { clock.advance(by: seconds) }

    /// Waits until a published snapshot satisfies `condition`.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(15), _ condition: @Sendable @escaping (GeneratorSnapshot) -> Bool) async throws -> GeneratorSnapshot {
        guard let found = await rig.waitFor(timeout: timeout, condition) else {
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

