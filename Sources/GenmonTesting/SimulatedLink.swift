import Foundation
import GenmonBasics
import ModbusCore
import ModbusTransport
import Monitor
import Simulator
import Synchronization

/// A controller link with no wire: requests go straight to a simulated controller, and time passes
/// only on the clock both share. With a `ManualClock` the monitor's scheduler, watchdog, outage
/// delays and command deadlines run in milliseconds.
///
/// Each transaction sleeps on the clock for its time on the wire, as a real link waits: a test's
/// `ManualClock.run(for:)` steps through them. `setSilent(true)` makes the controller stop
/// answering: each transaction then waits its timeout and fails.
public final class SimulatedLink: ControllerLink {
    public let controller: SimulatedController
    private let clock: ManualClock
    /// A noisy line, as the simulator's `faults` command makes one, for the in-memory link: each
    /// answered transaction is corrupted (a CRC error, found when the reply has arrived), dropped
    /// (it costs the whole timeout) or garbled (an invalid response) with these probabilities.
    public struct Faults: Sendable, Equatable {
        public var crc: Double
        public var drop: Double
        public var garbage: Double
        public var seed: UInt64

        public init(crc: Double = 0, drop: Double = 0, garbage: Double = 0, seed: UInt64 = 1) {
            self.crc = crc
            self.drop = drop
            self.garbage = garbage
            self.seed = seed
        }
    }

    private struct State {
        var statistics: CommunicationStatistics
        var silent = false
        var faults = Faults()
        var failing: Set<UInt16> = []
        var random = SeededGenerator(seed: 1)
        var reads: [(address: UInt16, count: UInt16, at: ContinuousClock.Instant)] = []
        var writes: [(address: UInt16, values: [UInt16])] = []
    }
    private let state: Mutex<State>
    /// What one unanswered transaction costs (a one-register read at 9600 baud: about 1.27 s).
    public let timeout: Duration
    /// What one answered transaction costs on the clock (about 25 ms at 9600 baud; zero: instant).
    public let transactionTime: Duration

    public init(controller: SimulatedController, clock: ManualClock, timeout: Duration = .milliseconds(1270),
                transactionTime: Duration = .milliseconds(25)) {
        self.controller = controller
        self.clock = clock
        self.timeout = timeout
        self.transactionTime = transactionTime
        state = Mutex(State(statistics: CommunicationStatistics(since: clock.now)))
    }

    public var kind: LinkKind { .serial(baud: 9600) }
    public var endpoint: String { "simulated" }
    public var communicationStatistics: CommunicationStatistics {
        var statistics = state.withLock { $0.statistics }
        statistics.measureRate(at: clock.now)
        return statistics
    }

    /// The controller stops (true) or starts again (false) answering.
    public func setSilent(_ silent: Bool) { state.withLock { $0.silent = silent } }

    /// Makes the line noisy (or quiet again with `Faults()`); the same seed gives the same faults.
    public func setFaults(_ faults: Faults) {
        state.withLock {
            $0.faults = faults
            $0.random = SeededGenerator(seed: faults.seed)
        }
    }

    /// Reads starting at these addresses go unanswered (each costs the timeout) until set again:
    /// one register's values going out of date while everything else is read.
    public func setFailing(_ addresses: Set<UInt16>) { state.withLock { $0.failing = addresses } }

    /// What the faults do to the next transaction.
    private enum Fault { case none, crc, drop, garbage }

    private func drawFault() -> Fault {
        state.withLock { state in
            let faults = state.faults
            // Every rate is drawn every time, so one rate's change does not shift the others' sequence.
            let drop = state.random.chance(faults.drop), crc = state.random.chance(faults.crc), garbage = state.random.chance(faults.garbage)
            if drop { return .drop }
            if crc {
                state.statistics.crcErrors += 1
                return .crc
            }
            if garbage {
                state.statistics.validationErrors += 1
                state.statistics.discardedBytes += 8
                return .garbage
            }
            return .none
        }
    }

    /// Every read so far, with the clock's time when it was asked.
    public var reads: [(address: UInt16, count: UInt16, at: ContinuousClock.Instant)] { state.withLock { $0.reads } }
    public var writes: [(address: UInt16, values: [UInt16])] { state.withLock { $0.writes } }

    public func readRegisters(address: UInt16, count: UInt16, urgent: Bool) async throws(ModbusClientError) -> [UInt16] {
        let silent = state.withLock { state in
            state.reads.append((address, count, clock.now))
            state.statistics.requestsSent += 1
            return state.silent || state.failing.contains(address)
        }
        if silent { throw await failSilently() }
        switch drawFault() {
        case .none: break
        case .drop: throw await failSilently()
        case .crc:
            try? await clock.sleep(for: transactionTime)
            throw .crcError(.crcMismatch(received: 0, computed: 1))
        case .garbage:
            try? await clock.sleep(for: transactionTime)
            throw .invalidResponse(.unexpectedFunction(expected: 3, received: 0x83))
        }
        try? await clock.sleep(for: transactionTime)
        let response = await controller.respond(to: .readHoldingRegisters(address: address, count: count))
        return try answer(response, request: .readHoldingRegisters(address: address, count: count))
    }

    public func writeRegisters(_ blocks: [(address: UInt16, values: [UInt16])]) async throws(ModbusClientError) {
        for block in blocks {
            let silent = state.withLock { state in
                state.statistics.requestsSent += 1
                return state.silent
            }
            if silent { throw await failSilently() }
            try? await clock.sleep(for: transactionTime)
            let request = ModbusRequest.writeMultipleRegisters(address: block.address, values: block.values)
            _ = try answer(await controller.respond(to: request), request: request)
            state.withLock { $0.writes.append(block) }
        }
    }

    public func close() {}

    private func failSilently() async -> ModbusClientError {
        try? await clock.sleep(for: timeout)
        state.withLock { $0.statistics.timeouts += 1 }
        return .timeout(after: timeout)
    }

    private func answer(_ response: ModbusResponse?, request: ModbusRequest) throws(ModbusClientError) -> [UInt16] {
        try state.withLock { state throws(ModbusClientError) -> [UInt16] in
            guard let response else {
                state.statistics.timeouts += 1
                throw .timeout(after: timeout)
            }
            state.statistics.responsesReceived += 1
            switch response {
            case let .exception(_, code):
                state.statistics.exceptions += 1
                state.statistics.exceptionsByCode[code.rawValue, default: 0] += 1
                throw .exception(code)
            case let .registers(words):
                state.statistics.successes += 1
                return words
            default:
                state.statistics.successes += 1
                return []
            }
        }
    }
}

/// A monitor on a manual clock, reading a simulated controller through a `SimulatedLink`: the
/// fast tier's whole-monitor rig. Hours of monitoring run in milliseconds.
public final class ClockedMonitorRig: Sendable {
    public let clock: ManualClock
    public let controller: SimulatedController
    public let link: SimulatedLink
    public let monitor: GeneratorMonitor
    public let persistence: InMemoryPersistence
    /// The power, fuel and sensor logs: pass the same to a second rig to see them survive a restart.
    public let dataLogs: any DataLogPersistence
    private let monitoring: Task<Void, Never>

    public static let start = Date(timeIntervalSince1970: 1_709_634_600)  // Tuesday 2024-03-05 10:30 UTC

    /// - Parameter persistence: what a previous run left (a restart), or a new empty store.
    public init(_ family: ControllerProfile.Family = .evolutionLiquidCooled, configuration: MonitorConfiguration? = nil,
                start: Date = ClockedMonitorRig.start, persistence: InMemoryPersistence = InMemoryPersistence(),
                dataLogs: any DataLogPersistence = InMemoryDataLogs()) {
        self.persistence = persistence
        self.dataLogs = dataLogs
        clock = ManualClock(start: start)
        let utc = TimeZone(identifier: "UTC")!
        let model = GeneratorModel(profile: ControllerProfile.standard(family, start: start), start: start, timeZone: utc)
        controller = SimulatedController(simulation: Simulation(model: model), clock: clock)
        link = SimulatedLink(controller: controller, clock: clock)
        var settings = configuration ?? MonitorConfiguration(siteName: "Test", timeZone: utc, clockDriftThreshold: 1e9)
        settings.alignSetTimeToMinute = false
        monitor = GeneratorMonitor(link: link, configuration: settings, persistence: persistence, dataLogs: dataLogs, clock: clock)
        let monitor = self.monitor
        monitoring = Task { await monitor.run() }
    }

    /// Runs the monitor for `duration` of clock time (one poll cycle per step). `sleepers`: how many
    /// tasks sleep on the clock when all is quiet — one more for each service under test that keeps a
    /// timer on it (a GPIO minute ticker), so time never moves while the monitor is still busy.
    public func run(for duration: Duration, sleepers: Int = 1) async { await clock.run(for: duration, sleepers: sleepers) }

    /// Runs until a snapshot satisfies `condition`, at most `limit` of clock time; the snapshot, or nil.
    public func run(until limit: Duration, sleepers: Int = 1, _ condition: (GeneratorSnapshot) -> Bool) async -> GeneratorSnapshot? {
        let end = clock.now + limit
        while clock.now < end {
            let snapshot = await monitor.snapshot()
            if condition(snapshot) { return snapshot }
            await clock.run(for: .milliseconds(250), sleepers: sleepers)
        }
        let snapshot = await monitor.snapshot()
        return condition(snapshot) ? snapshot : nil
    }

    /// Acts on the simulator as `genmon simctl` would.
    @discardableResult
    public func sim(_ line: String) async -> String { await controller.perform(line: line) }

    /// Stops the monitor as cancellation would; everything queued is written first.
    public func stop() async {
        monitoring.cancel()
        await monitoring.value
    }
}
