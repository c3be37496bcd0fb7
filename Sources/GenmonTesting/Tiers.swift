import Foundation
import Testing

/// The slow tiers of the suite. `swift test` runs everything; the fast tier alone (pure code, manual
/// clocks, in-process servers) is `swift test --skip-tag pseudoTerminal ...` — see README.
extension Tag {
    /// Real time over a pseudo-terminal: the simulator served as a serial device, the monitor reading it.
    @Tag public static var pseudoTerminal: Self
    /// A real Chromium driving the web page.
    @Tag public static var browser: Self
    /// The built `genmon` executable or a real peer started as a child process.
    @Tag public static var process: Self
}

/// Which tiers a run includes: `GENMON_TESTS=fast swift test` leaves out the slow ones (tagged
/// `.pseudoTerminal`, `.browser`, `.process`); plain `swift test` runs everything.
public enum TestTier {
    public static let slowTiersRun = ProcessInfo.processInfo.environment["GENMON_TESTS"]?.lowercased() != "fast"
}

extension Trait where Self == ConditionTrait {
    /// Marks a suite as part of a slow tier: skipped when `GENMON_TESTS=fast`.
    public static var slowTier: Self { .enabled(if: TestTier.slowTiersRun, "GENMON_TESTS=fast leaves out the slow tiers") }
}

/// Runs each test at high task priority, for tests whose assertions are real-time deadlines (a
/// Modbus answer within 415 ms, a quiet gap of 40 ms). Swift Testing starts every test of the run
/// at once at medium priority, so at the start hundreds of them stand in the cooperative pool's
/// queue; the pool takes higher-priority jobs first, so the steps of these tests (and of the tasks
/// they start, which inherit the priority) no longer wait behind that queue.
public struct TimingSensitiveTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// Scopes every test case (a suite's own scope needs nothing).
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // The body runs in a task of its own (it inherits the test's task-local values, so issues
        // are still recorded against the test), awaited before the scope ends, cancelled with it.
        try await withoutActuallyEscaping(function) { body in
            let prioritised = Task(priority: .high) { try await body() }
            try await withTaskCancellationHandler { try await prioritised.value } onCancel: { prioritised.cancel() }
        }
    }
}

extension Trait where Self == TimingSensitiveTrait {
    /// Runs the test (each test of the suite) at high task priority: see `TimingSensitiveTrait`.
    public static var timingSensitive: Self { Self() }
}
