/// Decides which topics to publish: a topic goes out when its payload differs from the one last
/// published, or when `flushInterval` has passed since it last went out (the original's
/// `flush_interval`). Pure: time comes in as `now`.
///
/// Memory: one entry per topic ever published, bounded by `maximumTopics` (the oldest-published are
/// forgotten first, which at worst re-publishes them once).
public struct ChangeTracker: Sendable {
    struct Entry: Sendable {
        var payload: [UInt8]
        var publishedAt: ContinuousClock.Instant
    }

    /// nil: unchanged values are never re-sent.
    public var flushInterval: Duration?
    public let maximumTopics: Int
    private var entries: [String: Entry] = [:]

    public init(flushInterval: Duration? = nil, maximumTopics: Int = 10_000) {
        self.flushInterval = flushInterval.flatMap { $0 > .zero ? $0 : nil }
        self.maximumTopics = max(1, maximumTopics)
    }

    /// Topics known now.
    public var count: Int { entries.count }

    /// The messages of `candidates` that should go out at `now`, recorded as published. `candidates`
    /// is everything there is now: topics not among them are forgotten (so a vanished topic is never "due").
    public mutating func select(_ candidates: [(topic: String, payload: [UInt8])], now: ContinuousClock.Instant) -> [(topic: String, payload: [UInt8])] {
        var chosen: [(String, [UInt8])] = []
        let current = Set(candidates.map(\.topic))
        if entries.count > current.count || entries.keys.contains(where: { !current.contains($0) }) {
            entries = entries.filter { current.contains($0.key) }
        }
        for (topic, payload) in candidates {
            if let entry = entries[topic], entry.payload == payload {
                guard let flushInterval, entry.publishedAt.duration(to: now) >= flushInterval else { continue }
            }
            entries[topic] = Entry(payload: payload, publishedAt: now)
            chosen.append((topic, payload))
        }
        trim()
        return chosen
    }

    /// When the next unchanged topic is due again (nil without a flush interval or topics).
    public var nextFlush: ContinuousClock.Instant? {
        guard let flushInterval, let oldest = entries.values.map(\.publishedAt).min() else { return nil }
        return oldest + flushInterval
    }

    /// Forgets everything: the next `select` publishes every topic (after a reconnect).
    public mutating func reset() { entries.removeAll(keepingCapacity: true) }

    /// Forgets one topic (it was removed from the broker).
    public mutating func forget(_ topic: String) { entries[topic] = nil }

    private mutating func trim() {
        guard entries.count > maximumTopics else { return }
        let excess = entries.count - maximumTopics
        for key in entries.sorted(by: { $0.value.publishedAt < $1.value.publishedAt }).prefix(excess).map(\.key) { entries[key] = nil }
    }
}
