import Testing
@testable import MQTT

@Suite("Connection log throttle")
struct ConnectionLogThrottleTests {
    @Test("first failure logged, then one summary a minute, then the recovery")
    func throttle() {
        var throttle = ConnectionLogThrottle(summaryInterval: .seconds(60))
        let start = ContinuousClock.now
        #expect(throttle.connected(now: start) == .connected)
        #expect(throttle.failure("refused", now: start + .seconds(100)) == .firstFailure("refused"))
        for second in stride(from: 101, to: 160, by: 2) {
            #expect(throttle.failure("refused", now: start + .seconds(second)) == nil)
        }
        #expect(throttle.failure("timeout", now: start + .seconds(160)) == .stillFailing(attempts: 32, since: .seconds(60), lastError: "timeout"))
        #expect(throttle.failure("timeout", now: start + .seconds(200)) == nil)
        #expect(throttle.failure("timeout", now: start + .seconds(221)) == .stillFailing(attempts: 34, since: .seconds(121), lastError: "timeout"))
        #expect(throttle.connected(now: start + .seconds(230)) == .recovered(attempts: 34, after: .seconds(130)))
        // A new outage starts a new story.
        #expect(throttle.failure("reset", now: start + .seconds(300)) == .firstFailure("reset"))
    }

    @Test("failures before the first connection are reported as such")
    func neverConnected() {
        var throttle = ConnectionLogThrottle()
        let start = ContinuousClock.now
        #expect(throttle.failure("refused", now: start) == .firstFailure("refused"))
        #expect(throttle.connected(now: start + .seconds(5)) == .recovered(attempts: 1, after: .seconds(5)))
        #expect(throttle.connected(now: start + .seconds(6)) == nil)
    }
}
