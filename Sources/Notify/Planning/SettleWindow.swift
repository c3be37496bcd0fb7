/// Holds a topic's changes until they settle: a window opens at the first change, every further
/// change moves its end to `settle` later, and it closes at the latest `maximumHold` after it
/// opened, so a value that never stops flapping still gets reported. Pure, driven by `now`.
struct SettleWindow: Sendable, Equatable {
    let settle: Duration
    let maximumHold: Duration
    private(set) var opened: ContinuousClock.Instant?
    private(set) var deadline: ContinuousClock.Instant?

    init(settle: Duration) {
        self.settle = max(settle, .zero)
        // Ten quiet periods at most: long enough to see through a flap, short enough for an outage.
        self.maximumHold = max(settle, .zero) * 10
    }

    var isOpen: Bool { opened != nil }

    /// A change at `now`: opens the window, or keeps it open a little longer.
    mutating func note(at now: ContinuousClock.Instant) {
        let start = opened ?? now
        opened = start
        deadline = min(now + settle, start + maximumHold)
    }

    /// True when the window is open and its end has come.
    func isDue(at now: ContinuousClock.Instant) -> Bool {
        guard let deadline else { return false }
        return now >= deadline
    }

    mutating func close() {
        opened = nil
        deadline = nil
    }
}

/// The per-topic repeat limit: a message with the same key (its subject, and for alarms the alarm)
/// goes out at most once per `interval`. A message that comes too soon is not dropped: the topic
/// holds it until `releaseTime(for:)` and then says what is true at that moment, if anything.
struct RepeatSpacing: Sendable, Equatable {
    let interval: Duration
    private var lastSent: [String: ContinuousClock.Instant] = [:]

    init(interval: Duration) { self.interval = max(interval, .zero) }

    /// When a message with `key` may go out; nil when it may go now.
    func releaseTime(for key: String, at now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard interval > .zero, let last = lastSent[key], now < last + interval else { return nil }
        return last + interval
    }

    mutating func sent(_ key: String, at now: ContinuousClock.Instant) {
        lastSent[key] = now
        // Keys of long-past messages are forgotten, so the table stays small whatever happens.
        if lastSent.count > 64 { lastSent = lastSent.filter { now < $0.value + interval } }
    }
}
