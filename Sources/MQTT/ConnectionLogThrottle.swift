/// Decides which connection events are worth a log line, so a broker that is away for a day does not fill the log.
///
/// The first failure is logged, then at most one summary per `summaryInterval` while failures continue, then the
/// recovery with how long it took. Pure: time comes in as a parameter.
struct ConnectionLogThrottle {
    typealias Instant = ContinuousClock.Instant

    enum Line: Equatable {
        /// The first connection was made.
        case connected
        /// The first failure after being connected (or at start).
        case firstFailure(String)
        /// Still failing: attempts since the first failure, and the latest error.
        case stillFailing(attempts: Int, since: Duration, lastError: String)
        /// Connected again after failures.
        case recovered(attempts: Int, after: Duration)
    }

    let summaryInterval: Duration
    private var failingSince: Instant?
    private var failures = 0
    private var lastLine: Instant?
    private var everConnected = false

    init(summaryInterval: Duration = .seconds(60)) { self.summaryInterval = summaryInterval }

    /// A connection attempt failed or a connection was lost.
    mutating func failure(_ error: String, now: Instant) -> Line? {
        failures += 1
        guard let since = failingSince, let lastLine else {
            failingSince = now
            lastLine = now
            return .firstFailure(error)
        }
        guard now - lastLine >= summaryInterval else { return nil }
        self.lastLine = now
        return .stillFailing(attempts: failures, since: now - since, lastError: error)
    }

    /// CONNACK accepted.
    mutating func connected(now: Instant) -> Line? {
        defer {
            failingSince = nil
            lastLine = nil
            failures = 0
            everConnected = true
        }
        if let since = failingSince { return .recovered(attempts: failures, after: now - since) }
        return everConnected ? nil : .connected
    }
}
