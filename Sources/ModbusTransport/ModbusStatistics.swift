import ModbusCore

/// Counters of one Modbus link, kept from start (rates can be reset, error counts never are).
///
/// Every transaction ends in exactly one outcome, so
/// `requestsSent == successes + exceptions + crcErrors + timeouts + truncatedFrames + validationErrors`
/// holds at every moment between transactions; byte-level counters say what was thrown away on the way.
public struct ModbusStatistics: Sendable, Equatable {
    /// Requests written to the line (upstream's "M:" count).
    public var requestsSent = 0
    /// CRC-valid frames that answered a request, exceptions included (upstream's "S:" count).
    public var responsesReceived = 0
    /// Transactions that ended with the expected response.
    public var successes = 0
    /// Transactions that failed because the response's CRC was wrong.
    public var crcErrors = 0
    /// Transactions with no response at all before the deadline.
    public var timeouts = 0
    /// Transactions whose response started but stopped before its announced length.
    public var truncatedFrames = 0
    /// Exception responses, all codes together.
    public var exceptions = 0
    public var exceptionsByCode: [ExceptionCode: Int] = [:]
    /// CRC-valid responses that did not answer the request (wrong function, count, echo, slave).
    public var validationErrors = 0
    /// Responses whose data length did not fit the registers asked for (a subset of validation errors,
    /// upstream's "Sync Errors").
    public var syncErrors = 0
    /// Times bytes were already waiting before a request was sent (upstream's "Invalid Data").
    public var unexpectedData = 0
    /// Bytes received that were not part of an accepted response.
    public var discardedBytes = 0
    /// Times the link had to be re-established (serial port reopened, TCP reconnected).
    public var commRestarts = 0
    /// Transactions that could not be sent because the link was down.
    public var notConnected = 0
    /// Total time from request to accepted response, over `successes + exceptions`.
    public var totalResponseTime: Duration = .zero
    /// When the rate counters were last reset.
    public var since: ContinuousClock.Instant

    public init(since: ContinuousClock.Instant = .now) { self.since = since }

    public var failures: Int { crcErrors + timeouts + truncatedFrames + validationErrors + exceptions }

    /// (requests + responses) per second since `since`, as upstream reports it.
    public func packetsPerSecond(now: ContinuousClock.Instant = .now) -> Double {
        let seconds = since.duration(to: now).seconds
        return seconds > 0 ? Double(requestsSent + responsesReceived) / seconds : 0
    }

    /// Mean time from request to response, or nil before the first response.
    public var averageTransactionTime: Duration? {
        let answered = successes + exceptions
        return answered > 0 ? totalResponseTime / answered : nil
    }

    /// Percent of requests that ended in a CRC error.
    public var crcPercent: Double { requestsSent > 0 ? Double(crcErrors) * 100 / Double(requestsSent) : 0 }
    /// Percent of requests that ended without a (complete) response.
    public var timeoutPercent: Double {
        requestsSent > 0 ? Double(timeouts + truncatedFrames) * 100 / Double(requestsSent) : 0
    }
}
