import Foundation
@testable import HomeAutomation
import Testing

@Suite("What goes out: changed values and the flush interval")
struct ChangeTrackerTests {
    let start = ContinuousClock.now

    func messages(_ pairs: [(String, String)]) -> [(topic: String, payload: [UInt8])] { pairs.map { ($0.0, Array($0.1.utf8)) } }

    @Test("a topic goes out the first time and again only when its payload changes")
    func changesOnly() {
        var tracker = ChangeTracker()
        #expect(tracker.select(messages([("a", "1"), ("b", "2")]), now: start).map(\.topic) == ["a", "b"])
        #expect(tracker.select(messages([("a", "1"), ("b", "2")]), now: start + .seconds(1)).isEmpty)
        #expect(tracker.select(messages([("a", "1"), ("b", "3")]), now: start + .seconds(2)).map(\.topic) == ["b"])
        #expect(tracker.nextFlush == nil)
    }

    @Test("with a flush interval an unchanged topic goes out again once the interval has passed")
    func flushInterval() {
        var tracker = ChangeTracker(flushInterval: .seconds(10))
        _ = tracker.select(messages([("a", "1"), ("b", "2")]), now: start)
        #expect(tracker.nextFlush == start + .seconds(10))
        #expect(tracker.select(messages([("a", "1"), ("b", "2")]), now: start + .seconds(9)).isEmpty)
        #expect(tracker.select(messages([("a", "1"), ("b", "9")]), now: start + .seconds(9)).map(\.topic) == ["b"])
        #expect(tracker.select(messages([("a", "1"), ("b", "9")]), now: start + .seconds(10)).map(\.topic) == ["a"])
        #expect(tracker.nextFlush == start + .seconds(19))
    }

    @Test("a zero flush interval means never, as in the original")
    func zeroIsNever() {
        var tracker = ChangeTracker(flushInterval: .zero)
        _ = tracker.select(messages([("a", "1")]), now: start)
        #expect(tracker.select(messages([("a", "1")]), now: start + .seconds(3600)).isEmpty)
    }

    @Test("reset re-publishes everything; a topic that disappears is forgotten and never due")
    func resetAndForget() {
        var tracker = ChangeTracker(flushInterval: .seconds(5))
        _ = tracker.select(messages([("a", "1"), ("b", "2")]), now: start)
        _ = tracker.select(messages([("a", "1")]), now: start + .seconds(1))
        #expect(tracker.count == 1)
        tracker.reset()
        #expect(tracker.select(messages([("a", "1")]), now: start + .seconds(2)).map(\.topic) == ["a"])
    }

    @Test("the number of remembered topics is bounded")
    func bounded() {
        var tracker = ChangeTracker(maximumTopics: 100)
        for round in 0..<5 {
            let batch = (0..<100).map { ("t\(round)-\($0)", "x") }
            _ = tracker.select(messages(batch), now: start + .seconds(round))
        }
        #expect(tracker.count <= 100)
    }
}
