import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waiting on a child: every wait polls with `Task.sleep` against a deadline, so a test's task
/// gives its cooperative thread back while it waits.
extension RunningProcess {
    /// Waits until the output contains `text` (or the process ends, or `timeout` passes).
    @discardableResult
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let ended = termination != nil && shared.outputEnded
            let printed = output
            if printed.contains(text) { return printed }
            if ended || ContinuousClock.now >= deadline { throw Failure.noOutput(text, printed: printed) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the first complete output line `parse` accepts, and returns what it made of it
    /// (for "READY <port>" lines and the like).
    public func waitForLine<T>(timeout: Duration = .seconds(30), describedAs description: String = "a matching line",
                               _ parse: (Substring) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            let ended = termination != nil && shared.outputEnded
            let printed = output
            for line in printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                if let found = parse(line) { return found }
            }
            // A last line without its newline counts once nothing more can come.
            if ended, let last = printed.split(separator: "\n").last, !printed.hasSuffix("\n"), let found = parse(last) { return found }
            if ended || ContinuousClock.now >= deadline { throw Failure.noOutput(description, printed: printed) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits until something listens on every one of `ports` on 127.0.0.1 (probed by binding, so
    /// the server sees no connection); fails at once if the process ends.
    public func waitUntilListening(on ports: [Int], timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !ports.allSatisfy(LoopbackPort.isTaken) {
            if termination != nil || ContinuousClock.now >= deadline {
                throw Failure.notListening(ports: ports, printed: output + errorOutput)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the process to end and its output to be read; nil when it still runs after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(30)) async -> Termination? {
        guard await Self.poll(until: ContinuousClock.now + timeout, { termination != nil }) else { return nil }
        // Its output is complete once every writer has closed the pipe (a helper it left may hold it).
        _ = await Self.poll(until: ContinuousClock.now + .seconds(2)) { shared.outputEnded }
        return termination
    }

    /// Stops the process: closes its input, kills its helpers (descendants) while it can still reap
    /// them, sends SIGTERM, and SIGKILL once `grace` has passed; then waits until it has been reaped
    /// and its output read. Cancellation turns the wait into an immediate kill.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) async -> Termination {
        closeInput()
        if termination == nil {
            let helpers = shared.killHelpers()
            _ = await Self.poll(until: .now + .seconds(2)) { !helpers.contains(where: ProcessTree.isRunning) }
            signal(SIGTERM)
            if await !Self.poll(until: .now + grace, { termination != nil }) {
                killNow()
            }
            if await !Self.poll(until: .now + .seconds(30), { termination != nil }) {
                killNow()  // cancelled, or stuck in the kernel: the reaper thread still collects it
            }
        }
        shared.killOrphans()
        _ = await Self.poll(until: .now + .seconds(2)) { shared.outputEnded }
        return termination ?? Termination(waitStatus: SIGKILL)
    }

    /// Polls `condition` every 10 ms until it holds (true) or `deadline` passes or the task is
    /// cancelled (false).
    static func poll(until deadline: ContinuousClock.Instant, _ condition: () -> Bool) async -> Bool {
        while !condition() {
            guard ContinuousClock.now < deadline, !Task.isCancelled else { return condition() }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
