/// A bounded queue of messages waiting to be sent: while the broker is away, or while the in-flight window is full.
///
/// Retained messages are state: only the newest payload per topic is kept ("newest state wins"), moved to the
/// back of the queue so it still follows the events published before it. Non-retained messages are events:
/// kept in order up to a limit, the oldest dropped and counted. See `MQTTBufferLimits` for the memory bound.
public struct MQTTOfflineBuffer: Sendable {
    public let limits: MQTTBufferLimits

    private struct Entry: Sendable {
        var message: MQTTMessage
    }

    /// Live entries by sequence number; sequence numbers give the order (prepends count down).
    private var entries: [Int: Entry] = [:]
    private var lowest = 0
    private var next = 0
    /// Sequence numbers of events and of retained entries in order; may hold stale numbers, skipped lazily.
    private var eventOrder: [Int] = [], eventHead = 0
    private var retainedOrder: [Int] = [], retainedHead = 0
    private var retainedByTopic: [String: Int] = [:]

    /// Messages waiting.
    public private(set) var count = 0
    /// Topic and payload bytes waiting.
    public private(set) var byteCount = 0
    /// Non-retained messages waiting.
    public private(set) var eventCount = 0
    /// Events dropped because a limit was reached.
    public private(set) var droppedEvents = 0
    /// Retained states dropped because a limit was reached (not counting states replaced by newer ones).
    public private(set) var droppedStates = 0
    /// Retained states replaced by a newer payload for the same topic before they could be sent.
    public private(set) var replacedStates = 0

    /// Creates the value from its fields (defaults as shown).
    public init(limits: MQTTBufferLimits = MQTTBufferLimits()) { self.limits = limits }

    public var isEmpty: Bool { count == 0 }
    /// Distinct retained topics waiting.
    public var retainedCount: Int { retainedByTopic.count }

    /// Adds a message at the back, applying the newest-state rule and the limits.
    public mutating func append(_ message: MQTTMessage) {
        insert(message, sequence: next)
        next += 1
    }

    /// Puts a message back at the front (an unacknowledged message to be re-published first).
    ///
    /// A retained message is dropped if a newer state for its topic is already waiting.
    public mutating func prepend(_ message: MQTTMessage) {
        if message.retain, retainedByTopic[message.topic] != nil { replacedStates += 1; return }
        lowest -= 1
        insert(message, sequence: lowest, atFront: true)
    }

    /// The message at the front.
    public var first: MQTTMessage? {
        guard count > 0 else { return nil }
        var sequence = lowest
        while entries[sequence] == nil { sequence += 1 }
        return entries[sequence]?.message
    }

    /// Removes and returns the message at the front.
    public mutating func removeFirst() -> MQTTMessage? {
        guard count > 0 else { return nil }
        while entries[lowest] == nil { lowest += 1 }
        let sequence = lowest
        lowest += 1
        return remove(sequence)
    }

    /// All waiting messages in order (for inspection and tests).
    public var messages: [MQTTMessage] {
        (lowest..<next).compactMap { entries[$0]?.message }
    }

    private mutating func insert(_ message: MQTTMessage, sequence: Int, atFront: Bool = false) {
        if message.retain {
            if let old = retainedByTopic[message.topic] {
                _ = remove(old)
                replacedStates += 1
            }
            retainedByTopic[message.topic] = sequence
            if atFront { Self.pushFront(sequence, &retainedOrder, &retainedHead) } else { retainedOrder.append(sequence) }
        } else {
            eventCount += 1
            if atFront { Self.pushFront(sequence, &eventOrder, &eventHead) } else { eventOrder.append(sequence) }
        }
        entries[sequence] = Entry(message: message)
        count += 1
        byteCount += message.bufferedSize
        enforceLimits()
    }

    private mutating func enforceLimits() {
        while eventCount > limits.maximumEvents, dropOldest(events: true) { droppedEvents += 1 }
        while retainedByTopic.count > limits.maximumRetainedTopics, dropOldest(events: false) { droppedStates += 1 }
        while byteCount > limits.maximumBytes {
            if eventCount > 0, dropOldest(events: true) {
                droppedEvents += 1
            } else if dropOldest(events: false) {
                droppedStates += 1
            } else {
                break
            }
        }
    }

    private mutating func dropOldest(events: Bool) -> Bool {
        while true {
            let sequence: Int
            if events {
                guard eventHead < eventOrder.count else { return false }
                sequence = eventOrder[eventHead]
                eventHead += 1
            } else {
                guard retainedHead < retainedOrder.count else { return false }
                sequence = retainedOrder[retainedHead]
                retainedHead += 1
            }
            if let entry = entries[sequence], entry.message.retain != events {
                _ = remove(sequence)
                return true
            }
        }
    }

    private mutating func remove(_ sequence: Int) -> MQTTMessage? {
        guard let entry = entries.removeValue(forKey: sequence) else { return nil }
        count -= 1
        byteCount -= entry.message.bufferedSize
        if entry.message.retain {
            if retainedByTopic[entry.message.topic] == sequence { retainedByTopic[entry.message.topic] = nil }
        } else {
            eventCount -= 1
        }
        if count == 0 { reset() } else { compactOrders() }
        return entry.message
    }

    /// Keeps the order lists close to the live entries, so they stay bounded however long the queue lives.
    ///
    /// Events leave only from the front (sent or dropped as oldest), so skipping dead numbers at the head
    /// suffices; retained entries can also be replaced in the middle, so that list is filtered now and then.
    private mutating func compactOrders() {
        while eventHead < eventOrder.count, entries[eventOrder[eventHead]]?.message.retain != false { eventHead += 1 }
        while retainedHead < retainedOrder.count, entries[retainedOrder[retainedHead]]?.message.retain != true { retainedHead += 1 }
        if eventHead > 64 && eventHead * 2 > eventOrder.count {
            eventOrder.removeFirst(eventHead)
            eventHead = 0
        }
        if retainedOrder.count > 64 && retainedOrder.count > 2 * (retainedByTopic.count + 16) {
            retainedOrder = retainedOrder[retainedHead...].filter { entries[$0]?.message.retain == true }
            retainedHead = 0
        }
    }

    private mutating func reset() {
        eventOrder.removeAll(keepingCapacity: true)
        retainedOrder.removeAll(keepingCapacity: true)
        eventHead = 0
        retainedHead = 0
        lowest = next
    }

    private static func pushFront(_ sequence: Int, _ order: inout [Int], _ head: inout Int) {
        if head > 0 {
            head -= 1
            order[head] = sequence
        } else {
            order.insert(sequence, at: 0)
        }
    }
}
