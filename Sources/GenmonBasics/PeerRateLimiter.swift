/// Token buckets per peer: how long a peer's next request must wait so that, over time, it gets no
/// more than `rate` requests a second (after a burst of `burst`). A server that waits this long
/// before reading the peer's next request slows a flood down to the rate, at no cost but a timer.
/// Pure: time is passed in; remembers at most `capacity` peers (full buckets are forgotten first).
public struct PeerRateLimiter: Sendable {
    public struct Bucket: Sendable, Equatable {
        /// Tokens left; below zero, the debt a peer has run up.
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let rate: Double
    public let burst: Double
    public let capacity: Int
    public private(set) var buckets: [String: Bucket] = [:]

    public init(rate: Double, burst: Double, capacity: Int = 4096) {
        self.rate = max(rate, 0.001)
        self.burst = max(burst, 1)
        self.capacity = max(capacity, 1)
    }

    /// Takes a token for one request from `peer`; returns how long the request should wait (zero
    /// while the peer is within its budget).
    public mutating func take(_ peer: String, now: ContinuousClock.Instant) -> Duration {
        var bucket = buckets[peer] ?? Bucket(tokens: burst, updated: now)
        let elapsed = max(0, bucket.updated.duration(to: now).seconds)
        bucket.tokens = min(burst, bucket.tokens + elapsed * rate) - 1
        bucket.updated = now
        if buckets[peer] == nil, buckets.count >= capacity { forgetFullest(now: now) }
        buckets[peer] = bucket
        return bucket.tokens >= 0 ? .zero : .seconds(-bucket.tokens / rate)
    }

    /// Makes room: forgets the peers whose buckets have refilled (they lose nothing), or else the one
    /// with the most tokens.
    private mutating func forgetFullest(now: ContinuousClock.Instant) {
        let refilled = buckets.filter { min(burst, $0.value.tokens + max(0, $0.value.updated.duration(to: now).seconds) * rate) >= burst }
        if !refilled.isEmpty {
            for key in refilled.keys { buckets[key] = nil }
        } else if let fullest = buckets.max(by: { $0.value.tokens < $1.value.tokens })?.key {
            buckets[fullest] = nil
        }
    }
}
