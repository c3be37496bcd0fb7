import GenmonBasics
import GenmonTesting
import Testing
@testable import MQTTProtocol

@Suite("Offline buffer")
struct OfflineBufferTests {
    func state(_ topic: String, _ value: String) -> MQTTMessage { MQTTMessage(topic: topic, text: value, qos: .atLeastOnce, retain: true) }
    func event(_ value: String) -> MQTTMessage { MQTTMessage(topic: "events", text: value, qos: .atLeastOnce) }

    @Test("newest state wins per topic and moves behind the events published before it")
    func newestStateWins() {
        var buffer = MQTTOfflineBuffer()
        buffer.append(state("a", "1"))
        buffer.append(event("e1"))
        buffer.append(state("b", "1"))
        buffer.append(state("a", "2"))
        buffer.append(state("a", "3"))
        #expect(buffer.messages.map(\.text) == ["e1", "1", "3"])
        #expect(buffer.messages.map(\.topic) == ["events", "b", "a"])
        #expect(buffer.replacedStates == 2 && buffer.count == 3 && buffer.retainedCount == 2 && buffer.eventCount == 1)
    }

    @Test("events beyond the limit drop the oldest and are counted")
    func eventLimit() {
        var buffer = MQTTOfflineBuffer(limits: MQTTBufferLimits(maximumEvents: 3))
        buffer.append(state("s", "x"))
        for index in 1...10 { buffer.append(event("e\(index)")) }
        #expect(buffer.messages.map(\.text) == ["x", "e8", "e9", "e10"])
        #expect(buffer.droppedEvents == 7 && buffer.eventCount == 3)
    }

    @Test("retained topics beyond the limit drop the oldest topic")
    func retainedLimit() {
        var buffer = MQTTOfflineBuffer(limits: MQTTBufferLimits(maximumRetainedTopics: 2))
        buffer.append(state("a", "1"))
        buffer.append(state("b", "1"))
        buffer.append(state("a", "2"))  // a is now newer than b
        buffer.append(state("c", "1"))
        #expect(buffer.messages.map(\.topic) == ["a", "c"])
        #expect(buffer.droppedStates == 1)
    }

    @Test("the byte limit drops events before states")
    func byteLimit() {
        var buffer = MQTTOfflineBuffer(limits: MQTTBufferLimits(maximumBytes: 100))
        buffer.append(state("s", String(repeating: "x", count: 49)))  // 50 bytes
        for index in 0..<5 { buffer.append(MQTTMessage(topic: "e", text: "\(index)" + String(repeating: "y", count: 18))) }  // 20 each
        #expect(buffer.byteCount <= 100)
        #expect(buffer.messages.first?.topic == "s")
        #expect(buffer.messages.map(\.text.first) == ["x", "3", "4"])
        #expect(buffer.droppedEvents == 3 && buffer.droppedStates == 0)
        buffer.append(state("t", String(repeating: "z", count: 99)))  // alone fills the budget
        #expect(buffer.byteCount <= 100 && buffer.messages.map(\.topic) == ["t"])
        #expect(buffer.droppedStates == 1)
    }

    @Test("prepend puts a message first, unless a newer state for its topic waits")
    func prepend() {
        var buffer = MQTTOfflineBuffer()
        buffer.append(event("e2"))
        buffer.append(state("a", "new"))
        buffer.prepend(event("e1"))
        buffer.prepend(state("a", "old"))
        buffer.prepend(state("b", "old"))
        #expect(buffer.messages.map(\.text) == ["old", "e1", "e2", "new"])
        #expect(buffer.messages.first?.topic == "b")
        #expect(buffer.removeFirst()?.topic == "b")
        #expect(buffer.removeFirst()?.text == "e1")
    }

    @Test("a long random workload keeps every limit and every count consistent")
    func randomWorkload() async {
        let limits = MQTTBufferLimits(maximumRetainedTopics: 20, maximumEvents: 50, maximumBytes: 2_000)
        var buffer = MQTTOfflineBuffer(limits: limits)
        var generator = SeededGenerator(seed: 42)
        var pacer = CooperativePacer()
        for step in 0..<200_000 {
            await pacer.pace()
            switch generator.int(in: 0...9) {
            case 0...3: buffer.append(state("s\(generator.int(in: 0...40))", "\(step)"))
            case 4...6: buffer.append(event("\(step)" + String(repeating: "p", count: generator.int(in: 0...60))))
            case 7: if let first = buffer.removeFirst() { if generator.bool() { buffer.prepend(first) } }
            default: _ = buffer.removeFirst()
            }
            #expect(buffer.eventCount <= limits.maximumEvents && buffer.retainedCount <= limits.maximumRetainedTopics)
            #expect(buffer.byteCount <= limits.maximumBytes)
            if step % 100 == 0 {
                let messages = buffer.messages
                #expect(messages.count == buffer.count)
                #expect(messages.reduce(0) { $0 + $1.bufferedSize } == buffer.byteCount)
                let retainedTopics = messages.filter(\.retain).map(\.topic)
                #expect(Set(retainedTopics).count == retainedTopics.count, "one state per topic")
                // Events keep their publication order.
                let eventSteps = messages.filter { !$0.retain }.map { Int($0.text.prefix { $0.isNumber })! }
                #expect(eventSteps == eventSteps.sorted())
            }
        }
    }
}
