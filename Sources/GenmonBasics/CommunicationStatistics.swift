/// Counters of the link to the controller: kept by the Modbus client (as `ModbusStatistics`) and
/// carried in the monitor's snapshot, so the views read them without depending on the transport.
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
