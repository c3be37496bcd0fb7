import Synchronization

/// One lane for CPU-bound test loops, so that they take at most one of the cooperative pool's
/// threads between them and the other stays free for the timing-sensitive tests.
///
/// Yielding alone is not enough: the pool runs its jobs first in, first out, so with twenty random
/// runs yielding every 5 ms a pseudo-terminal test waits some 50 ms for each of its steps. With the
/// lane the other CPU-bound loops wait off the pool (suspended), and a step waits one slice at most.
///
/// A holder that stops pacing (its loop ended, or it now waits for a server) loses the lane once
/// `idleAfter` has passed, so a lane is never kept by a test that does something else. (A holder
/// the system has not scheduled for that long loses it too; two loops then overlap for a moment.)
final class CPULane: Sendable {
    static let shared = CPULane()

    /// A holder that has not come back for this long after its slice ended is taken to be idle.
    let idleAfter: Duration

    private struct State {
        var holder: UInt64?
        var lease: UInt64 = 0
        var leaseEnds = ContinuousClock.now
        var waiters: [CheckedContinuation<UInt64, Never>] = []
        var watchdogRunning = false
    }

    private let state = Mutex(State())

    init(idleAfter: Duration = .milliseconds(100)) { self.idleAfter = idleAfter }

    /// Waits for the lane and returns the lease it is held by, valid for `slice`.
    func enter(for slice: Duration) async -> UInt64 {
        await withCheckedContinuation { continuation in
            let startWatchdog = state.withLock { state -> Bool in
                if state.holder == nil {
                    continuation.resume(returning: Self.grant(&state, slice: slice))
                    return false
                }
                state.waiters.append(continuation)
                defer { state.watchdogRunning = true }
                return !state.watchdogRunning
            }
            if startWatchdog { Task { await watchdog(slice: slice) } }
        }
    }

    /// Gives the lane back (to the next waiter, if any); a lease already taken away is ignored.
    func leave(_ lease: UInt64, slice: Duration) {
        state.withLock { state in
            guard state.holder != nil, state.lease == lease else { return }
            Self.handOver(&state, slice: slice)
        }
    }

    /// Whether anything holds the lane (for tests of the lane itself).
    var isHeld: Bool { state.withLock { $0.holder != nil } }

    private static func grant(_ state: inout State, slice: Duration) -> UInt64 {
        state.lease &+= 1
        state.holder = state.lease
        state.leaseEnds = .now + slice
        return state.lease
    }

    private static func handOver(_ state: inout State, slice: Duration) {
        state.holder = nil
        guard !state.waiters.isEmpty else { return }
        let next = state.waiters.removeFirst()
        next.resume(returning: grant(&state, slice: slice))
    }

    /// While anyone waits: takes the lane from a holder that has gone idle.
    private func watchdog(slice: Duration) async {
        while true {
            let wakeAt: ContinuousClock.Instant? = state.withLock { state in
                if state.waiters.isEmpty {
                    state.watchdogRunning = false
                    return nil
                }
                if state.holder != nil, ContinuousClock.now >= state.leaseEnds + idleAfter {
                    Self.handOver(&state, slice: slice)
                }
                return state.leaseEnds + idleAfter
            }
            guard let wakeAt else { return }
            try? await Task.sleep(until: max(wakeAt, .now + .milliseconds(1)))
        }
    }
}
