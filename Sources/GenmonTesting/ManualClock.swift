import Foundation
import GenmonBasics
import Synchronization

/// A clock that moves only when told to. The monitor, the command door, the simulator and the
/// notification engine all read time from a `GenmonClock`, so a test drives a whole day of polling
/// in milliseconds: it waits until the code under test sleeps, then moves time to its deadline.
public final class ManualClock: GenmonClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: ContinuousClock.Instant
        var date: Date
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Tests waiting for `count` sleepers, or for time to reach `until` (code that advances the
        /// clock itself, such as a link timing out, may never sleep).
        var watchers: [(count: Int, until: ContinuousClock.Instant?, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>

    /// - Parameter start: the wall-clock date the clock shows at first.
    public init(start: Date = Date(timeIntervalSince1970: 1_709_634_600)) {
        state = Mutex(State(now: .now, date: start))
    }

    public var now: ContinuousClock.Instant { state.withLock { $0.now } }
    public var date: Date { state.withLock { $0.date } }

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id: UInt64? = state.withLock { state in
            guard deadline > state.now else { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return try Task.checkCancellation() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    let count = state.sleepers.count
                    let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
                    state.watchers.removeAll { $0.count <= count }
                    return ready
                }
                if Task.isCancelled { cancel(id) }
                ready.forEach { $0.resume() }
            }
        } onCancel: {
            cancel(id)
        }
    }

    private func cancel(_ id: UInt64) {
        let sleeper = state.withLock { state -> Sleeper? in
            guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
            return state.sleepers.remove(at: index)
        }
        sleeper?.continuation.resume(throwing: CancellationError())
    }

    /// How many tasks sleep on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline anyone sleeps until.
    public var nextDeadline: ContinuousClock.Instant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Moves time forward by `duration`, waking every sleeper whose deadline has come (earliest first).
    public func advance(by duration: Duration) {
        let (woken, watchers) = state.withLock { state -> ([Sleeper], [CheckedContinuation<Void, Never>]) in
            state.now = state.now + duration
            state.date = state.date.addingTimeInterval(duration.seconds)
            let due = state.sleepers.filter { $0.deadline <= state.now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= state.now }
            let now = state.now
            let reached = state.watchers.filter { $0.until.map { $0 <= now } ?? false }.map(\.continuation)
            state.watchers.removeAll { $0.until.map { $0 <= now } ?? false }
            return (due, reached)
        }
        woken.forEach { $0.continuation.resume() }
        watchers.forEach { $0.resume() }
    }

    /// Moves time forward by `seconds`.
    public func advance(by seconds: TimeInterval) { advance(by: .seconds(double: seconds)) }

    /// Sets the wall-clock date without moving monotonic time (a clock correction).
    public func set(_ date: Date) { state.withLock { $0.date = date } }

    /// Suspends until at least `count` tasks sleep on this clock (the code under test has caught up),
    /// or until something else moves the clock to `until`.
    public func waitForSleepers(_ count: Int = 1, orUntil until: ContinuousClock.Instant? = nil) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let satisfied = state.withLock { state -> Bool in
                guard state.sleepers.count < count, until.map({ state.now < $0 }) ?? true else { return true }
                state.watchers.append((count, until, continuation))
                return false
            }
            if satisfied { continuation.resume() }
        }
    }

    /// Waits until someone sleeps, then moves time to the earliest deadline (waking that sleeper).
    /// Returns the time moved.
    @discardableResult
    public func advanceToNextDeadline(waitingFor sleepers: Int = 1) async -> Duration {
        await waitForSleepers(sleepers)
        let step = state.withLock { state -> Duration in
            guard let deadline = state.sleepers.map(\.deadline).min() else { return .zero }
            return max(.zero, state.now.duration(to: deadline))
        }
        advance(by: step)
        return step
    }

    /// Runs the code under test for `duration` of clock time: repeatedly waits for `sleepers`
    /// sleepers and moves to the earliest deadline, stopping at exactly `duration` later.
    public func run(for duration: Duration, sleepers: Int = 1) async {
        let end = now + duration
        while now < end {
            await waitForSleepers(sleepers, orUntil: end)
            let step = state.withLock { state -> Duration in
                let deadline = state.sleepers.map(\.deadline).min() ?? end
                return max(.zero, state.now.duration(to: min(deadline, end)))
            }
            advance(by: step)
            // Let the woken task run up to its next sleep before looking again.
            await Task.yield()
        }
    }
}
