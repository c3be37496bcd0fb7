import Foundation
import GenmonBasics
@testable import Notify
import Testing

/// The small pure parts of noise control and retrying.
@Suite("Noise control and back-off")
struct NoiseControlTests {
    @Test("onlyonce sends a subject once per run; oncedaily once per 24-hour window that restarts after 24 hours")
    func onceFilters() {
        var filter = OnceFilter()
        let day0 = NotifyFixture.start
        func admit(_ subject: String, once: Bool = false, daily: Bool = false, after seconds: Double = 0) -> Bool {
            filter.admit(subject, onlyOnce: once, onceDaily: daily, at: day0.addingTimeInterval(seconds))
        }
        let answers = [admit("a", once: true), admit("a", once: true, after: 10 * 86_400), admit("b", daily: true),
                       admit("b", daily: true, after: 86_399), admit("b", daily: true, after: 86_400), admit("c"), admit("c")]
        #expect(answers == [true, false, true, false, true, true, true])
    }

    @Test("the same subject goes to the same recipient at most once per interval; the next one counts what was held back")
    func repeatLimiter() {
        var limiter = RepeatLimiter(interval: 300)
        let t = NotifyFixture.start
        func decide(_ subject: String, _ recipient: String, after seconds: Double) -> RepeatLimiter.Decision {
            limiter.decide(subject: subject, recipient: recipient, at: t.addingTimeInterval(seconds))
        }
        let answers = [decide("s", "a", after: 0), decide("s", "b", after: 0), decide("other", "a", after: 0),
                       decide("s", "a", after: 10), decide("s", "A", after: 20), decide("s", "a", after: 300)]
        // Another recipient and another subject are not limited; the same ones are, case aside; then it counts.
        #expect(answers == [.send(heldBack: 0), .send(heldBack: 0), .send(heldBack: 0), .holdBack, .holdBack, .send(heldBack: 2)])
    }

    @Test("a settle window closes its settle time after the last change, and at most ten times that after the first")
    func settleWindow() {
        var window = SettleWindow(settle: .seconds(3))
        let origin = ContinuousClock.now
        window.note(at: origin)
        #expect(!window.isDue(at: origin + .seconds(2.9)))
        for second in 1...40 { window.note(at: origin + .seconds(second)) }
        #expect(window.isDue(at: origin + .seconds(30)))
        #expect(!window.isDue(at: origin + .milliseconds(29_999)))
        window.close()
        #expect(!window.isOpen && !window.isDue(at: origin + .seconds(100)))
    }

    @Test("back-off doubles from 5 s, is capped at 2 minutes, jittered between half and all, plus extend_wait")
    func backoff() {
        let backoff = RetryBackoff()
        var generator = SeededGenerator(seed: 7)
        for attempt in 1...40 {
            let full = min(5.0 * pow(2, Double(attempt - 1)), 120)
            for _ in 0..<200 {
                let delay = backoff.delay(afterAttempt: attempt, using: &generator).seconds
                #expect(delay >= full / 2 - 1e-9 && delay <= full + 1e-9, "attempt \(attempt): \(delay)")
            }
        }
        let delays = (0..<1000).map { _ in backoff.delay(afterAttempt: 30, using: &generator).seconds }
        #expect(delays.max()! <= 120 && delays.min()! >= 60)
        #expect(Set(delays.map { Int($0) }).count > 20, "jitter spreads lanes that failed together")
        let extended = backoff.delay(afterAttempt: 30, extra: .seconds(30), using: &generator).seconds
        #expect(extended >= 90 && extended <= 150)
        let suggested = backoff.delay(afterAttempt: 1, suggested: .seconds(60), using: &generator).seconds
        #expect(suggested == 60)
        #expect(backoff.delay(afterAttempt: Int.max, using: &generator).seconds <= 120)
        #expect(backoff.delay(afterAttempt: Int.min, using: &generator).seconds <= 5)
    }
}
