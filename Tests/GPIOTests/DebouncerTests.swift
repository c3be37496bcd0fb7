import GenmonTesting
@testable import GPIO
import GenmonBasics
import Testing

@Suite("GPIO software debounce")
struct DebouncerTests {
    let ms: UInt64 = 1_000_000

    private func presses(_ debouncer: inout PressDebouncer, _ edges: [(UInt64, Bool)]) -> Int {
        edges.filter { debouncer.edge(to: $0.1, at: $0.0) }.count
    }

    @Test("a bouncing press and its bouncing release give one press")
    func bouncingPress() {
        var debouncer = PressDebouncer(trigger: .falling, windowMilliseconds: 200, initialLevel: true)
        let press: [(UInt64, Bool)] = [(1000 * ms, false), (1001 * ms, true), (1002 * ms, false), (1003 * ms, true), (1005 * ms, false)]
        let release: [(UInt64, Bool)] = [(1400 * ms, true), (1401 * ms, false), (1402 * ms, true), (1404 * ms, false), (1406 * ms, true)]
        #expect(presses(&debouncer, press) == 1)
        #expect(presses(&debouncer, release) == 0)
        #expect(debouncer.level)
        // The next press, once the line has rested high, counts again.
        #expect(presses(&debouncer, [(2000 * ms, false), (2001 * ms, true), (2002 * ms, false)]) == 1)
    }

    @Test("a release that bounces soon after a short press does not count twice")
    func shortPress() {
        var debouncer = PressDebouncer(trigger: .falling, windowMilliseconds: 200, initialLevel: true)
        #expect(presses(&debouncer, [(0, false), (50 * ms, true), (51 * ms, false), (52 * ms, true)]) == 1)
    }

    @Test("rising and both triggers")
    func triggers() {
        var rising = PressDebouncer(trigger: .rising, windowMilliseconds: 50, initialLevel: false)
        #expect(presses(&rising, [(0, true), (1 * ms, false), (2 * ms, true), (500 * ms, false), (501 * ms, true), (502 * ms, false)]) == 1)
        var both = PressDebouncer(trigger: .both, windowMilliseconds: 50, initialLevel: true)
        #expect(presses(&both, [(0, false), (1 * ms, true), (2 * ms, false), (500 * ms, true), (501 * ms, false), (502 * ms, true)]) == 2)
    }

    @Test("without a window every edge of the trigger's kind counts, as the original's bounce = 0")
    func noWindow() {
        var debouncer = PressDebouncer(trigger: .falling, windowMilliseconds: 0, initialLevel: true)
        #expect(presses(&debouncer, [(0, false), (1, true), (2, false), (3, true), (4, false)]) == 3)
        var negative = PressDebouncer(trigger: .falling, windowMilliseconds: -5, initialLevel: true)
        let counted = negative.edge(to: false, at: 0)
        #expect(negative.windowNanoseconds == 0 && counted)
    }

    @Test("time running backwards is taken as no time, never as a press or a trap")
    func backwards() {
        var debouncer = PressDebouncer(trigger: .falling, windowMilliseconds: 10, initialLevel: true)
        let results = [debouncer.edge(to: false, at: 1000 * ms), debouncer.edge(to: true, at: 999 * ms),
                       debouncer.edge(to: false, at: 5 * ms), debouncer.edge(to: false, at: .max)]
        #expect(results == [true, false, false, true])
    }

    @Test("seeded random contacts: exactly one press per press, however it bounces; presses at least a window apart")
    func randomContacts() async {
        var random = SeededGenerator(seed: 0xB0_0CE)
        var edges = 0
        var pacer = CooperativePacer()
        for round in 0..<2000 {
            await pacer.pace()
            let window = Int.random(in: 1...300, using: &random)
            let windowNs = UInt64(window) * ms
            let trigger: InputTrigger = round % 2 == 0 ? .falling : .rising
            let active = trigger == .rising
            var debouncer = PressDebouncer(trigger: trigger, windowMilliseconds: window, initialLevel: !active)
            var time = UInt64.random(in: 0...(1 << 40), using: &random)
            var counted = 0
            var lastPress: UInt64?
            var closestPresses = UInt64.max
            let pressesMade = Int.random(in: 1...40, using: &random)
            for _ in 0..<pressesMade {
                // Rest at the inactive level for at least the window, then a bouncing contact, held, then a bouncing release.
                time += windowNs + UInt64.random(in: 0...(2 * windowNs), using: &random)
                for (level, bounces) in [(active, Int.random(in: 0...8, using: &random)), (!active, Int.random(in: 0...8, using: &random))] {
                    // Every bounce ends on the new level; the gaps inside a burst are shorter than the window.
                    var burst = [level]
                    for _ in 0..<bounces { burst += [!level, level] }
                    for (index, edgeLevel) in burst.enumerated() {
                        if index > 0 { time += UInt64.random(in: 0..<(windowNs / UInt64(2 * bounces + 1) + 1), using: &random) }
                        edges += 1
                        if debouncer.edge(to: edgeLevel, at: time) {
                            counted += 1
                            if let last = lastPress { closestPresses = min(closestPresses, time - last) }
                            lastPress = time
                        }
                    }
                    // Held (or released) for at least the window.
                    time += windowNs + UInt64.random(in: 0...windowNs, using: &random)
                }
            }
            if counted != pressesMade { Issue.record("round \(round): \(counted) presses counted for \(pressesMade) made") }
            if closestPresses < windowNs { Issue.record("round \(round): presses \(closestPresses) ns apart, window \(windowNs)") }
        }
        #expect(edges > 200_000)
    }
}
