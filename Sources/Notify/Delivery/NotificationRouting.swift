import Foundation
import GenmonConfig
import Store
import Synchronization

/// A recipient of one channel and the categories it receives (nil: all four).
public struct ChannelRecipient: Sendable, Equatable {
    public var id: String
    public var categories: Set<NotificationCategory>?

    public init(id: String, categories: Set<NotificationCategory>? = nil) {
        self.id = id
        self.categories = categories
    }

    public func wants(_ category: NotificationCategory) -> Bool { categories?.contains(category) ?? true }

    /// The names of the categories it receives, in the original's order (all four without a line of its own).
    public var categoryNames: [String] { (categories ?? Set(NotificationCategory.allCases)).sorted().map(\.rawValue) }
}

/// Who gets what, per channel: the original's category table (mymail.conf's per-address lines),
/// changeable while genmon runs (`setnotifications`).
public final class NotificationRouting: Sendable {
    private let table: Mutex<[String: [ChannelRecipient]]>

    public init(_ recipients: [String: [ChannelRecipient]] = [:]) { table = Mutex(recipients) }

    public func recipients(of channel: String) -> [ChannelRecipient] { table.withLock { $0[channel] ?? [] } }

    public func replace(_ channel: String, with recipients: [ChannelRecipient]) { table.withLock { $0[channel] = recipients } }

    /// The lanes a message of `category` goes to on `channels`; `explicit` recipients (on the first
    /// channel only) bypass the table, as the original's maintainer submissions did.
    public func lanes(for category: NotificationCategory, explicit: [String]?, channels: [String]) -> [OutboxLane] {
        if let explicit {
            guard let channel = channels.first else { return [] }
            return explicit.map { OutboxLane(channel: channel, recipient: $0) }
        }
        return table.withLock { table in
            channels.flatMap { channel in
                (table[channel] ?? []).filter { $0.wants(category) }.map { OutboxLane(channel: channel, recipient: $0.id) }
            }
        }
    }
}

/// Wakes the delivery worker when something was queued (it also looks by itself on its schedule).
public final class DeliverySignal: Sendable {
    private let continuation = Mutex<AsyncStream<Void>.Continuation?>(nil)
    private let sent = Mutex(0)

    /// Wake-ups sent so far (tests compare it with what the worker has taken).
    var count: Int { sent.withLock { $0 } }

    public init() {}

    /// A stream of wake-ups for the one worker; a later call replaces an earlier worker's stream.
    func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.continuation.withLock { $0 = continuation }
        return stream
    }

    /// Something was queued.
    public func notify() {
        continuation.withLock { continuation in
            guard let continuation else { return }
            // Counted only when a worker listens, and coalesced like the stream (it keeps the newest one).
            if case .enqueued = continuation.yield() { sent.withLock { $0 += 1 } }
        }
    }
}

/// When to try again after a temporary failure: exponential from `base`, at most `cap`, jittered
/// (a random time between half and all of the delay, so lanes that failed together spread out),
/// plus the channel's fixed extra delay. Pure; the randomness is passed in.
public struct RetryBackoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(5), cap: Duration = .seconds(120)) {
        self.base = base
        self.cap = cap
    }

    /// The delay after the `attempt`-th failed attempt (1 for the first).
    public func delay(afterAttempt attempt: Int, extra: Duration = .zero, suggested: Duration? = nil,
                      using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = attempt <= 1 ? 0 : min(attempt - 1, 20)
        let full = min(base * (1 << exponent), cap)
        let fraction = 0.5 + 0.5 * Double(generator.next() >> 11) / Double(1 << 53)
        var delay = full * fraction
        if let suggested { delay = min(max(delay, suggested), cap) }
        return delay + max(extra, .zero)
    }
}
