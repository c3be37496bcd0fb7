import Foundation
import GenmonBasics
import GenmonTesting
import Testing

@Suite("Clocks")
struct ClockTests {
    @Test("a manual clock wakes a sleeper only when time reaches its deadline")
    func manualSleep() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 0))
        let start = clock.now
        let sleeper = Task { try await clock.sleep(until: start + .seconds(5)); return clock.now }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        #expect(try await sleeper.value == start + .seconds(5))
        #expect(clock.date == Date(timeIntervalSince1970: 5))
    }

    @Test("a cancelled sleeper on a manual clock throws at once")
    func manualCancel() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        await clock.waitForSleepers(1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("run(for:) steps a loop from one sleep to the next and stops exactly at the end")
    func runSteps() async {
        let clock = ManualClock()
        let start = clock.now
        let ticks = Task {
            var ticks: [Duration] = []
            while !Task.isCancelled {
                ticks.append(start.duration(to: clock.now))
                try? await clock.sleep(for: .milliseconds(250))
            }
            return ticks
        }
        await clock.run(for: .seconds(1))
        #expect(start.duration(to: clock.now) == .seconds(1))
        ticks.cancel()
        let seen = await ticks.value
        #expect(Array(seen.prefix(5)) == [.zero, .milliseconds(250), .milliseconds(500), .milliseconds(750), .seconds(1)])
    }

    @Test("the system clock sleeps in real time")
    func systemSleep() async throws {
        let clock = SystemClock()
        let before = ContinuousClock.now
        try await clock.sleep(for: .milliseconds(20))
        #expect(before.duration(to: .now) >= .milliseconds(20))
    }

    @Test("seconds from configuration values never trap")
    func secondsFromDouble() {
        #expect(Duration.seconds(double: 1.5) == .milliseconds(1500))
        #expect(Duration.seconds(double: -3) == .zero)
        #expect(Duration.seconds(double: .nan) == .zero)
        #expect(Duration.seconds(double: .infinity) == .zero)
        #expect(Duration.seconds(double: 1e300) == .seconds(1_000_000_000))
        #expect(Duration.milliseconds(2500).seconds == 2.5)
    }

    @Test("the seeded generator replays from its seed")
    func seeded() {
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42)
        #expect(first.bytes(13) == second.bytes(13))
        #expect((0..<100).map { _ in first.int(in: 3...5) } == (0..<100).map { _ in second.int(in: 3...5) })
        #expect((0..<100).map { _ in first.int(in: 3...5) }.allSatisfy { (3...5).contains($0) })
        var third = SeededGenerator(seed: 43)
        #expect(first.next() != third.next())
    }
}
