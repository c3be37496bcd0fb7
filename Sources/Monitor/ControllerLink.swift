import GenmonBasics
import ModbusCore
import ModbusTransport

/// What the monitor needs of the wire to the controller. `ModbusClient` is the real one; tests use
/// an in-memory controller on a manual clock (GenmonTesting), so the monitor's decisions are
/// tested in milliseconds.
public protocol ControllerLink: Sendable {
    /// Serial (with its baud rate) or TCP, and where: for reports and logs.
    var kind: LinkKind { get }
    var endpoint: String { get }
    /// The counters as of the last finished transaction.
    var communicationStatistics: CommunicationStatistics { get }
    /// Reads registers; `urgent` reads (a command's read-back) go ahead of routine polls.
    func readRegisters(address: UInt16, count: UInt16, urgent: Bool) async throws(ModbusClientError) -> [UInt16]
    /// Writes the blocks in order in one hold of the wire; stops at the first failure, never retries.
    func writeRegisters(_ blocks: [(address: UInt16, values: [UInt16])]) async throws(ModbusClientError)
    /// Closes the link (the monitor has stopped).
    func close()
    /// The thread the link reads on, when it can run the poll loop's work too (nil: the global pool).
    var taskExecutor: (any TaskExecutor)? { get }
    /// The poll loop's wait between cycles, until `deadline` on `clock`; returns early on cancellation.
    func pause(until deadline: ContinuousClock.Instant, on clock: any GenmonClock) async
}

extension ControllerLink {
    public var taskExecutor: (any TaskExecutor)? { nil }

    public func pause(until deadline: ContinuousClock.Instant, on clock: any GenmonClock) async {
        try? await clock.sleep(until: deadline)
    }
}

/// The physical kind of link, as the original's statistics name it.
public enum LinkKind: Sendable, Equatable, CustomStringConvertible {
    case serial(baud: Int)
    case tcp

    public var description: String {
        switch self {
        case .serial: "Serial"
        case .tcp: "TCP"
        }
    }
}

extension CommunicationStatistics {
    /// A copy of a Modbus client's counters, with the packet rate measured at `now`.
    public init(_ modbus: ModbusStatistics, at now: ContinuousClock.Instant) {
        self = modbus
        measureRate(at: now)
    }
}

extension ModbusClient: ControllerLink {
    public nonisolated var kind: LinkKind {
        switch stream.kind {
        case let .serial(baud): .serial(baud: baud)
        case .tcp: .tcp
        }
    }

    public nonisolated var endpoint: String { stream.endpointDescription }
    public nonisolated var communicationStatistics: CommunicationStatistics { CommunicationStatistics(currentStatistics, at: clock.now) }

    public func readRegisters(address: UInt16, count: UInt16, urgent: Bool) async throws(ModbusClientError) -> [UInt16] {
        try await readHoldingRegisters(address: address, count: count, urgent: urgent)
    }

    public nonisolated func close() { stream.close() }

    public nonisolated var taskExecutor: (any TaskExecutor)? { stream as? any TaskExecutor }

    /// In real time on a stream with its own reading thread, that thread times the pause (no timer
    /// thread, no hand-off to it); on any other clock (tests' manual one) the clock does.
    public nonisolated func pause(until deadline: ContinuousClock.Instant, on clock: any GenmonClock) async {
        if clock is SystemClock, let stream = stream as? DescriptorStream {
            await stream.pause(until: deadline)
        } else {
            try? await clock.sleep(until: deadline)
        }
    }
}
