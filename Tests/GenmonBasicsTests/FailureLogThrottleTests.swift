import GenmonBasics
import Testing

@Suite("Failure log throttle")
struct FailureLogThrottleTests {
    let start = ContinuousClock.now

    @Test("a link failing a thousand times over ten minutes writes the first failure, one summary a minute, and the recovery")
    func thousandFailures() throws {
        var throttle = FailureLogThrottle()
        var lines: [FailureLogThrottle.Decision] = []
        for index in 0..<1000 {
            // 1000 failures spread over 600 s: one every 0.6 s.
            let decision = throttle.failed(at: start + .milliseconds(600 * index))
            if decision != .suppress { lines.append(decision) }
        }
        #expect(lines.first == .logFirst)
        #expect(lines.count == 10)
        let summarised = lines.dropFirst().reduce(0) { total, line in
            if case let .logSummary(count, over) = line {
                #expect(over >= .seconds(60))
                return total + count
            }
            Issue.record("expected a summary, got \(line)")
            return total
        }
        // Nine summaries of a minute each (100 failures); the last 99 wait for the next line or the recovery.
        #expect(summarised == 900)
        let recovery = throttle.succeeded(at: start + .seconds(601))
        let recovered = try #require(recovery)
        #expect(recovered.failures == 1000)
        #expect(recovered.lasted == .seconds(601))
    }

    @Test("an isolated error on a noisy line logs once and no recovery line follows")
    func isolatedErrors() {
        var throttle = FailureLogThrottle()
        #expect(throttle.failed(at: start) == .logFirst)
        #expect(throttle.succeeded(at: start + .seconds(1)) == nil)
        // Another isolated error within the minute is only counted...
        #expect(throttle.failed(at: start + .seconds(30)) == .suppress)
        #expect(throttle.succeeded(at: start + .seconds(31)) == nil)
        // ... and reported with the next one after the minute.
        #expect(throttle.failed(at: start + .seconds(90)) == .logSummary(count: 2, over: .seconds(90)))
    }

    @Test("after a quiet minute a new failure is logged in full again")
    func quietThenFailure() {
        var throttle = FailureLogThrottle()
        #expect(throttle.failed(at: start) == .logFirst)
        _ = throttle.succeeded(at: start + .seconds(1))
        #expect(throttle.failed(at: start + .seconds(120)) == .logFirst)
    }
}
