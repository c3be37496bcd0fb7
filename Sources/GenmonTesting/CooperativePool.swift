import CGenmonTesting
import Foundation

// The cooperative thread pool has as many threads as the machine has cores: two on CI. A blocking
// call or a long loop that never suspends holds one of them for its whole duration, and the
// timing-sensitive tests (pseudo-terminal, TCP, real servers) starve. What follows keeps them fair.

/// Whether Swift Testing's capture of a backtrace for every thrown error is off in this process:
/// CGenmonTesting turns it off before the test run starts (the random-input suites throw millions of
/// errors on purpose), unless SWT_SWIFT_ERROR_BACKTRACING_ENABLED is set.
public var thrownErrorBacktracesAreOff: Bool { genmon_testing_thrown_error_backtraces_off() != 0 }

/// Runs blocking `work` (a blocking socket call, a DNS lookup, a wait on a semaphore) on a thread
/// of its own and resumes the caller with its result, leaving the cooperative pool free meanwhile.
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Runs blocking `work` that cannot fail on a thread of its own (see the throwing variant).
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// Paces a long CPU-bound test loop (random-input runs, workloads): call `await pacer.pace()` once
/// per iteration. The first call waits for the CPU lane (`CPULane`: one such loop on the pool at a
/// time); then, whenever a slice of work (5 ms) is used up, the pacer gives the lane to the next
/// loop in line, yields the thread, and waits for its turn again. A slice is measured on the clock,
/// so this holds however fast an iteration is in this build on this machine.
public struct CooperativePacer {
    /// The longest the loop keeps its thread between yields.
    public let slice: Duration
    private let lane: CPULane
    private var lease: UInt64?
    private var sliceEnds = ContinuousClock.now
    /// How many times it has yielded.
    public private(set) var yields = 0

    public init(slice: Duration = .milliseconds(5)) {
        self.init(slice: slice, lane: .shared)
    }

    init(slice: Duration, lane: CPULane) {
        self.slice = slice
        self.lane = lane
    }

    /// Takes the lane on the first call; afterwards yields (and lets the next loop run) when this
    /// slice is used up, a clock read otherwise.
    public mutating func pace() async {
        guard let lease else {
            lease = await lane.enter(for: slice)
            sliceEnds = .now + slice
            return
        }
        guard ContinuousClock.now >= sliceEnds else { return }
        lane.leave(lease, slice: slice)
        await Task.yield()
        yields += 1
        self.lease = await lane.enter(for: slice)
        sliceEnds = .now + slice
    }

    /// Gives the lane back before the end of the loop's scope (otherwise it is taken back once the
    /// loop has stopped pacing for a moment).
    public mutating func finish() {
        if let lease { lane.leave(lease, slice: slice) }
        lease = nil
    }
}
