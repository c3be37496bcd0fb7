/// Keeps a failing link from filling an SD card with log lines: a failure is logged in full, then
/// at most one summary line per interval while failures go on (each counting the failures since the
/// line before), and one line when a real outage of the link ends.
///
/// A pure value driven by the caller's clock; it says what to log and the caller logs it.
public struct FailureLogThrottle: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        /// Log this failure in full.
        case logFirst
        /// Log a summary: `count` failures (this one included) since the last line, `over` that long.
        case logSummary(count: Int, over: Duration)
        /// Stay quiet: counted for the next summary.
        case suppress
    }

    public let summaryInterval: Duration
    /// Consecutive failures before a success counts as a recovery worth a line (isolated CRC
    /// errors on a noisy line are not an outage).
    public let recoveryThreshold: Int
    /// Consecutive failures so far.
    public private(set) var failuresInRun = 0
    private var runStart: ContinuousClock.Instant?
    private var unreported = 0
    private var lastLine: ContinuousClock.Instant?

    public init(summaryInterval: Duration = .seconds(60), recoveryThreshold: Int = 3) {
        self.summaryInterval = summaryInterval
        self.recoveryThreshold = recoveryThreshold
    }

    /// A failure happened at `now`.
    public mutating func failed(at now: ContinuousClock.Instant) -> Decision {
        failuresInRun += 1
        if runStart == nil { runStart = now }
        if let lastLine, lastLine.duration(to: now) < summaryInterval {
            unreported += 1
            return .suppress
        }
        let pending = unreported
        let previousLine = lastLine
        unreported = 0
        lastLine = now
        guard pending > 0, let previousLine else { return .logFirst }
        return .logSummary(count: pending + 1, over: previousLine.duration(to: now))
    }

    /// A success at `now`: how many consecutive failures it ended and over how long, when that run
    /// was long enough to be worth a line.
    public mutating func succeeded(at now: ContinuousClock.Instant) -> (failures: Int, lasted: Duration)? {
        defer {
            failuresInRun = 0
            runStart = nil
        }
        guard failuresInRun >= recoveryThreshold, let runStart else { return nil }
        return (failuresInRun, runStart.duration(to: now))
    }
}
