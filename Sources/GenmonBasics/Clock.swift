import Foundation

/// The one source of time for genmon's decisions: a monotonic instant for deadlines and intervals,
/// a wall-clock date for timestamps, and a sleep that follows the same clock.
///
/// Production code uses `SystemClock`; tests use `ManualClock` (GenmonTesting), which moves only
/// when told, so the scheduler, the watchdog, outage delays and command deadlines are tested in
/// milliseconds. Instants are `ContinuousClock.Instant` values so that pure state machines keep one
/// instant type whichever clock drives them.
public protocol GenmonClock: Sendable {
    /// Monotonic time, for deadlines and intervals.
    var now: ContinuousClock.Instant { get }
    /// Wall-clock time, for timestamps people read.
    var date: Date { get }
    /// Suspends until `deadline` on this clock. Throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

extension GenmonClock {
    /// Suspends for `duration` on this clock.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}

/// Real time: the continuous clock and the system's wall clock.
public struct SystemClock: GenmonClock {
    public init() {}

    public var now: ContinuousClock.Instant { .now }
    public var date: Date { Date() }

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}
