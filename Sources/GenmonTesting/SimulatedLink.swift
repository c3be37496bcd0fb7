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
/// `silent` makes the controller stop answering: each transaction then costs its timeout on the
/// manual clock and fails, as a real link would after waiting.
public final class SimulatedLink: ControllerLink {
    public let controller: SimulatedController
    private let clock: ManualClock
    private struct State {
        var statistics: CommunicationStatistics
        var silent = false
        var reads: [(address: UInt16, count: UInt16, at: ContinuousClock.Instant)] = []
        var writes: [(address: UInt16, values: [UInt16])] = []
    }
    private let state: Mutex<State>
    /// What one unanswered transaction costs (a one-register read at 9600 baud: about 1.27 s).
    public let timeout: Duration

    public init(controller: SimulatedController, clock: ManualClock, timeout: Duration = .milliseconds(1270)) {
        self.controller = controller
        self.clock = clock
        self.timeout = timeout
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

    /// Every read so far, with the clock's time when it was asked.
    public var reads: [(address: UInt16, count: UInt16, at: ContinuousClock.Instant)] { state.withLock { $0.reads } }
    public var writes: [(address: UInt16, values: [UInt16])] { state.withLock { $0.writes } }

    public func readRegisters(address: UInt16, count: UInt16, urgent: Bool) async throws(ModbusClientError) -> [UInt16] {
        let silent = state.withLock { state in
            state.reads.append((address, count, clock.now))
            state.statistics.requestsSent += 1
            return state.silent
        }
        if silent { throw failSilently() }
        let response = await controller.respond(to: .readHoldingRegisters(address: address, count: count))
        return try answer(response, request: .readHoldingRegisters(address: address, count: count))
    }

    public func writeRegisters(_ blocks: [(address: UInt16, values: [UInt16])]) async throws(ModbusClientError) {
        for block in blocks {
            let silent = state.withLock { state in
                state.statistics.requestsSent += 1
                return state.silent
            }
            if silent { throw failSilently() }
            let request = ModbusRequest.writeMultipleRegisters(address: block.address, values: block.values)
            _ = try answer(await controller.respond(to: request), request: request)
            state.withLock { $0.writes.append(block) }
        }
    }

    public func close() {}

    private func failSilently() -> ModbusClientError {
        clock.advance(by: timeout)
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
