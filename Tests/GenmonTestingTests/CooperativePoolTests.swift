import Foundation
@testable import GenmonTesting
import Synchronization
import Testing

/// The CPU lane, the pacer that uses it, and the scheduling traits.
@Suite("Cooperative pool fairness")
struct CooperativePoolTests {
    /// Spins for `duration` without suspending, as a CPU-bound iteration does.
    static func spin(_ duration: Duration) {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {}
    }

    /// What the loops of `lanesTakeTurns` saw.
    final class Observations: Sendable {
        let running = Atomic(0)
        let overlaps = Atomic(0)
        let order = Mutex<[Int]>([])
    }

    struct Refused: Error {}

    @Test("two paced loops take turns on the lane and never run at the same time")
    func lanesTakeTurns() async {
        // Long enough that a loop the system deschedules for a moment is not taken for idle.
        let lane = CPULane(idleAfter: .seconds(30))
        let seen = Observations()
        await withTaskGroup(of: Void.self) { group in
            for loop in 0..<2 {
                group.addTask {
                    var pacer = CooperativePacer(slice: .milliseconds(5), lane: lane)
                    for _ in 0..<60 {
                        await pacer.pace()
                        if seen.running.add(1, ordering: .sequentiallyConsistent).newValue > 1 { seen.overlaps.add(1, ordering: .relaxed) }
                        seen.order.withLock { $0.append(loop) }
                        Self.spin(.milliseconds(1))
                        seen.running.subtract(1, ordering: .sequentiallyConsistent)
                    }
                    pacer.finish()
                }
            }
        }
        #expect(seen.overlaps.load(ordering: .relaxed) == 0)
        // Each loop got the lane more than once: they alternated, neither ran to its end first.
        let runs = seen.order.withLock { order in zip(order, order.dropFirst()).filter { $0 != $1 }.count }
        #expect(runs >= 2, "the loops did not alternate")
        #expect(!lane.isHeld)
    }

    @Test("a holder that stops pacing loses the lane to the next in line")
    func idleHolderLosesTheLane() async throws {
        let lane = CPULane(idleAfter: .milliseconds(20))
        let holder = Task {
            var pacer = CooperativePacer(slice: .milliseconds(5), lane: lane)
            await pacer.pace()
            try? await Task.sleep(for: .seconds(30))  // waits on something else, lane in hand
        }
        defer { holder.cancel() }
        while !lane.isHeld { await Task.yield() }
        let asked = ContinuousClock.now
        var pacer = CooperativePacer(slice: .milliseconds(5), lane: lane)
        await pacer.pace()
        #expect(ContinuousClock.now - asked < .seconds(10), "the idle holder kept the lane")
        pacer.finish()
    }

    @Test("a timing-sensitive test runs at high priority, and so do the tasks it starts", .timingSensitive)
    func highPriority() async {
        #expect(Task.currentPriority >= .high)
        let child = Task { Task.currentPriority }
        #expect(await child.value >= .high, "tasks it starts inherit the priority")
    }

    @Test("Swift Testing's backtrace for every thrown error is off unless the developer asked for it")
    func thrownErrorBacktraces() {
        let setting = ProcessInfo.processInfo.environment["SWT_SWIFT_ERROR_BACKTRACING_ENABLED"]
        #expect(setting != nil, "CGenmonTesting's constructor did not run")
        if setting == "0" { #expect(thrownErrorBacktracesAreOff) }
    }

    @Test("blocking work on a dedicated thread returns its result or its error")
    func dedicatedThread() async throws {
        #expect(await onDedicatedThread { 6 * 7 } == 42)
        await #expect(throws: Refused.self) { try await onDedicatedThread { () throws -> Int in throw Refused() } }
    }
}
