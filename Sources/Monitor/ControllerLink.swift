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

/// Counters of the link to the controller, as the monitor reports them (the views' copy of the
/// Modbus client's statistics, so no view depends on the transport).
///
/// Every transaction ends in exactly one outcome, so
/// `requestsSent == successes + exceptions + crcErrors + timeouts + truncatedFrames + validationErrors`.
public struct CommunicationStatistics: Sendable, Equatable {
    /// Requests written to the line (the original's "M:" count).
    public var requestsSent = 0
    /// CRC-valid frames that answered a request, exceptions included (the original's "S:" count).
    public var responsesReceived = 0
    public var successes = 0
    public var crcErrors = 0
    public var timeouts = 0
    public var truncatedFrames = 0
    public var exceptions = 0
    /// Exception responses by their code.
    public var exceptionsByCode: [UInt8: Int] = [:]
    /// CRC-valid responses that did not answer the request.
    public var validationErrors = 0
    /// Responses whose data length did not fit the registers asked for (the original's "Sync Errors").
    public var syncErrors = 0
    /// Times bytes were already waiting before a request was sent (the original's "Invalid Data").
    public var unexpectedData = 0
    public var discardedBytes = 0
    /// Times the link had to be re-established.
    public var commRestarts = 0
    public var notConnected = 0
    public var totalResponseTime: Duration = .zero
    /// When counting began.
    public var since: ContinuousClock.Instant
    /// (requests + responses) per second from `since` to when this copy was taken, as the original reports it.
    public var packetsPerSecond: Double = 0

    public init(since: ContinuousClock.Instant) { self.since = since }

    public var failures: Int { crcErrors + timeouts + truncatedFrames + validationErrors + exceptions }

    /// Sets `packetsPerSecond` for a copy taken at `now`.
    public mutating func measureRate(at now: ContinuousClock.Instant) {
        let seconds = since.duration(to: now).seconds
        packetsPerSecond = seconds > 0 ? Double(requestsSent + responsesReceived) / seconds : 0
    }

    /// Mean time from request to response, or nil before the first response.
    public var averageTransactionTime: Duration? {
        let answered = successes + exceptions
        return answered > 0 ? totalResponseTime / answered : nil
    }

    public var crcPercent: Double { requestsSent > 0 ? Double(crcErrors) * 100 / Double(requestsSent) : 0 }
    /// Percent of requests that ended without a (complete) response.
    public var timeoutPercent: Double {
        requestsSent > 0 ? Double(timeouts + truncatedFrames) * 100 / Double(requestsSent) : 0
    }
}

extension CommunicationStatistics {
    /// The monitor's copy of a Modbus client's counters, taken at `now`.
    public init(_ modbus: ModbusStatistics, at now: ContinuousClock.Instant) {
        self.init(since: modbus.since)
        requestsSent = modbus.requestsSent
        responsesReceived = modbus.responsesReceived
        successes = modbus.successes
        crcErrors = modbus.crcErrors
        timeouts = modbus.timeouts
        truncatedFrames = modbus.truncatedFrames
        exceptions = modbus.exceptions
        exceptionsByCode = Dictionary(uniqueKeysWithValues: modbus.exceptionsByCode.map { ($0.key.rawValue, $0.value) })
        validationErrors = modbus.validationErrors
        syncErrors = modbus.syncErrors
        unexpectedData = modbus.unexpectedData
        discardedBytes = modbus.discardedBytes
        commRestarts = modbus.commRestarts
        notConnected = modbus.notConnected
        totalResponseTime = modbus.totalResponseTime
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
}
