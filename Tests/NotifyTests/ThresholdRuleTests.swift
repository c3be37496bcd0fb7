import Foundation
import GenmonBasics
import GenmonConfig
import Monitor
@testable import Notify
import Testing

/// Threshold rules on a manual timeline: fire once, clear once, and a value hovering at the limit
/// sends one message, not fifty.
@Suite("Threshold rules")
struct ThresholdRuleTests {
    static let batteryLow = ThresholdRuleSpec(name: "battery", reading: .battery, direction: .below, limit: 12.2, duration: 300, hysteresis: 0.3)

    /// Feeds `values` (one per `step` seconds) and returns the transitions with their offsets.
    static func feed(_ spec: ThresholdRuleSpec, _ values: [Double?], step: Double = 10) -> [(Double, ThresholdEvaluator.Transition)] {
        var evaluator = ThresholdEvaluator(spec: spec)
        let origin = ContinuousClock.now
        var transitions: [(Double, ThresholdEvaluator.Transition)] = []
        for (index, value) in values.enumerated() {
            let offset = Double(index) * step
            if let transition = evaluator.update(value: value, now: origin + .seconds(double: offset)) { transitions.append((offset, transition)) }
        }
        return transitions
    }

    @Test("fires once after the whole duration below the limit, and clears once after as long above the clear level")
    func firesOnceClearsOnce() {
        let values: [Double?] = Array(repeating: 12.6, count: 3) + Array(repeating: 12.0, count: 60) + Array(repeating: 12.8, count: 60)
        let transitions = Self.feed(Self.batteryLow, values)
        #expect(transitions.count == 2)
        #expect(transitions.first?.0 == 330 && transitions.first?.1 == .fired(value: 12.0))
        #expect(transitions.last?.0 == 930 && transitions.last?.1 == .cleared(value: 12.8))
    }

    @Test("a value hovering at the limit fires once and never clears until it passes the hysteresis")
    func hysteresis() {
        // 12.1 / 12.3 alternating: below the limit half the time, never back above 12.5.
        var values: [Double?] = Array(repeating: 12.0, count: 31)
        for index in 0..<500 { values.append(index % 2 == 0 ? 12.1 : 12.3) }
        let transitions = Self.feed(Self.batteryLow, values)
        #expect(transitions.count == 1)
        #expect(transitions.first?.1 == .fired(value: 12.0))
    }

    @Test("a dip shorter than the duration does not fire; a rise shorter than the duration does not clear")
    func durationsBothWays() {
        let dip: [Double?] = Array(repeating: 12.0, count: 29) + [12.6] + Array(repeating: 12.0, count: 29) + [12.6]
        #expect(Self.feed(Self.batteryLow, dip).isEmpty)
        let firing: [Double?] = Array(repeating: 12.0, count: 31)
        let rise: [Double?] = Array(repeating: 12.8, count: 29) + [12.0] + Array(repeating: 12.8, count: 10)
        let transitions = Self.feed(Self.batteryLow, firing + rise)
        #expect(transitions.map(\.1) == [.fired(value: 12.0)])
    }

    @Test("an unknown value stops the countdown and never fires or clears")
    func unknownValues() {
        let values: [Double?] = Array(repeating: 12.0, count: 20) + [nil] + Array(repeating: 12.0, count: 20)
        #expect(Self.feed(Self.batteryLow, values).isEmpty)
        let firing: [Double?] = Array(repeating: 12.0, count: 31) + Array(repeating: nil, count: 100) + [.nan, .infinity]
        #expect(Self.feed(Self.batteryLow, firing).map(\.1) == [.fired(value: 12.0)])
    }

    @Test("above-rules and a zero duration act at once")
    func aboveAtOnce() {
        let hours = ThresholdRuleSpec(name: "hours", reading: .runHours, direction: .above, limit: 500, duration: 0, hysteresis: 1)
        let transitions = Self.feed(hours, [499, 500, 500.5, 501, 499.6, 498.9, 510])
        #expect(transitions.map(\.0) == [20, 50, 60])
        #expect(transitions.map(\.1) == [.fired(value: 500.5), .cleared(value: 498.9), .fired(value: 510)])
    }

    @Test("in the planner a rule says 'Generator Warning' when it fires and 'Warning Cleared' when it clears, on a manual clock")
    func plannerMessages() throws {
        var run = PlannerRun(NotifyFixture.settings(rules: [Self.batteryLow]))
        var snapshot = NotifyFixture.snapshot()
        func battery(_ volts: Double, at offset: Double) {
            snapshot.readings?.engine.batteryVolts = volts
            snapshot.updatedAt = run.date(offset)
            run.snapshot(snapshot, at: offset)
        }
        battery(13.1, at: 0)
        battery(12.0, at: 10)
        // No new snapshot while the value stays: the clock alone fires the rule.
        run.advance(to: 309, step: 1)
        #expect(run.said.isEmpty)
        run.advance(to: 311, step: 1)
        #expect(run.subjects == ["Generator Warning at Cabin: Battery below 12.2 V"])
        #expect(run.said[0].draft.headline == "Battery below 12.2 V for 5 min: now 12 V.")
        #expect(run.said[0].draft.category == .warn)
        for offset in stride(from: 320.0, to: 900, by: 20) { battery(offset.truncatingRemainder(dividingBy: 40) == 0 ? 12.1 : 12.4, at: offset) }
        #expect(run.said.count == 1, "hovering between 12.1 and 12.4 says nothing more")
        battery(12.9, at: 900)
        run.advance(to: 1300, step: 1)
        #expect(run.subjects == ["Generator Warning at Cabin: Battery below 12.2 V", "Generator Warning Cleared at Cabin: Battery below 12.2 V"])
        #expect(run.said[1].draft.headline.contains("back to 12.9 V"))
    }
}

/// The rule syntax of genmon.conf (`threshold_<name> = ...`).
@Suite("Threshold rule syntax")
struct ThresholdRuleSyntaxTests {
    @Test("the documented forms parse", arguments: [
        ("battery below 12.2 V for 5 min", ThresholdRuleSpec(name: "r", reading: .battery, direction: .below, limit: 12.2, duration: 300)),
        ("utility < 200V for 30s hysteresis 10", ThresholdRuleSpec(name: "r", reading: .utility, direction: .below, limit: 200, duration: 30, hysteresis: 10)),
        ("run_hours above 500 h category info", ThresholdRuleSpec(name: "r", reading: .runHours, direction: .above, limit: 500, category: .info)),
        ("service-hours below 10", ThresholdRuleSpec(name: "r", reading: .serviceHours, direction: .below, limit: 10)),
        ("fuel<25% for 1 h hysteresis 5 % category outage", ThresholdRuleSpec(name: "r", reading: .fuel, direction: .below, limit: 25, duration: 3600, hysteresis: 5, category: .outage)),
        ("FREQUENCY ABOVE 61.5 HZ FOR 90 SECONDS", ThresholdRuleSpec(name: "r", reading: .frequency, direction: .above, limit: 61.5, duration: 90)),
    ])
    func documentedForms(text: String, expected: ThresholdRuleSpec) throws {
        #expect(try ThresholdRuleSpec(name: "r", text: text) == expected)
    }

    @Test("mistakes are refused with words that say what is wrong", arguments: [
        ("", "empty"), ("voltage below 12", "is not a reading"), ("battery under 12", "'below' or 'above'"),
        ("battery below", "the limit is missing"), ("battery below twelve", "is not a number"), ("battery below 12 Hz", "measured in V"),
        ("battery below 12 for", "needs a duration"), ("battery below 12 for 5 fortnights", "not a unit of time"),
        ("battery below 12 for 200 h", "longer than 7 days"), ("battery below 12 hysteresis -1", "cannot be negative"),
        ("battery below 12 category loud", "category must be"), ("battery below 12 for 1 min for 2 min", "given twice"),
        ("battery below 12 soon", "unexpected 'soon'"), ("battery below 9999999", "too large"), ("battery below 1e9", "unexpected 'e'"),
    ])
    func mistakes(text: String, words: String) {
        do {
            let spec = try ThresholdRuleSpec(name: "r", text: text)
            Issue.record("accepted \(text) as \(spec)")
        } catch {
            #expect(error.description.contains(words), "\(text): \(error)")
        }
    }

    @Test("a seeded run of random rule texts: nothing traps, and what is accepted re-reads to the same rule")
    func randomTexts() async {
        var generator = SeededGenerator(seed: 13)
        func pick(_ words: [String]) -> String { words[generator.int(in: 0...(words.count - 1))] }
        let garbage = ["", " ", "\u{0}", "é", "..", "-", "=", "%", "1e3", "nan", "inf", "12.2V", "5min", "<", ">", ",", "\t"]
        var accepted = 0, refused = 0
        for round in 0..<200_000 {
            if round % 2000 == 0 { await Task.yield() }
            // A well-formed rule, then a few random edits: dropped, doubled, swapped or garbled words.
            var words = [pick(ThresholdRuleSpec.Reading.allCases.map(\.rawValue)), pick(["below", "above", "<", ">"]),
                         String(generator.int(in: -2000...2000)) + (generator.bool() ? "." + String(generator.int(in: 0...99)) : "")]
            if generator.bool() { words.append(pick(["v", "V", "hz", "h", "%", "kw", "rpm"])) }
            if generator.bool() { words += ["for", String(generator.int(in: 0...900)), pick(["s", "min", "h", "sec", "hours"])] }
            if generator.bool() { words += ["hysteresis", String(generator.int(in: 0...50))] }
            if generator.bool() { words += ["category", pick(["outage", "error", "warn", "info", "loud"])] }
            for _ in 0..<generator.int(in: 0...3) {
                let index = generator.int(in: 0...(words.count - 1))
                switch generator.int(in: 0...3) {
                case 0: words.remove(at: index)
                case 1: words.insert(words[index], at: index)
                case 2: words[index] = pick(garbage)
                default: words[index] += pick(garbage)
                }
                if words.isEmpty { break }
            }
            let text = words.joined(separator: generator.int(in: 0...5) == 0 ? "" : " ")
            guard let spec = try? ThresholdRuleSpec(name: "x", text: text) else {
                refused += 1
                continue
            }
            accepted += 1
            #expect(spec.limit.isFinite && abs(spec.limit) <= 1e6 && spec.hysteresis >= 0 && spec.duration >= 0 && spec.duration <= 7 * 86_400)
            let again = try? ThresholdRuleSpec(name: "x", text: "\(spec.reading.rawValue) \(spec.direction.rawValue) \(spec.limit) for \(spec.duration) s hysteresis \(spec.hysteresis) category \(spec.category.rawValue)")
            #expect(again == spec, "\(text)")
        }
        #expect(accepted > 10_000 && refused > 10_000, "accepted \(accepted), refused \(refused)")
    }
}
