import MailTransport
import Testing

@Suite("IMAP reconnect back-off")
struct IMAPBackoffTests {
    @Test("doubles from the initial delay up to the cap")
    func exponentialAndCapped() {
        let backoff = IMAPBackoff(initial: .seconds(2), maximum: .seconds(60), jitter: 0)
        #expect((0..<8).map { backoff.delay(attempt: $0, unit: 0.3) } == [2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
        #expect(backoff.delay(attempt: Int.max, unit: 0) == .seconds(60))
        #expect(backoff.delay(attempt: -3, unit: 0) == .seconds(2))
    }

    @Test("jitter takes a random share of each delay, from the injected source")
    func jitter() {
        let backoff = IMAPBackoff(initial: .seconds(10), maximum: .seconds(100), jitter: 0.5)
        #expect(backoff.delay(attempt: 0, unit: 0) == .seconds(5))
        #expect(backoff.delay(attempt: 0, unit: 0.5) == .milliseconds(7500))
        #expect(backoff.delay(attempt: 0, unit: 0.999_999) <= .seconds(10))
        #expect(backoff.delay(attempt: 10, unit: 1) == .seconds(100))
        #expect(backoff.delay(attempt: 1, unit: .nan) == .seconds(10))
        #expect(backoff.delay(attempt: 1, unit: 7) == .seconds(20))
    }

    @Test("nonsense settings are clamped")
    func clamped() {
        let backoff = IMAPBackoff(initial: .zero, maximum: .seconds(-5), multiplier: 0.1, jitter: 3)
        #expect(backoff.initial == .milliseconds(1) && backoff.maximum == .milliseconds(1))
        #expect(backoff.multiplier == 1 && backoff.jitter == 1)
    }
}
