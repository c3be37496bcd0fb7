import Foundation

/// The original's `onlyonce` and `oncedaily` for messages that ask for them: a subject with
/// `onlyonce` goes out once per run of genmon; with `oncedaily` once per 24-hour window, the window
/// starting again when 24 hours have passed since it last started. Pure, driven by `now`.
public struct OnceFilter: Sendable, Equatable {
    private var sentOnce = Set<String>()
    private var sentToday = Set<String>()
    private var windowStart: Date?
    public static let day: TimeInterval = 86_400

    public init() {}

    /// True when a message with `subject` may go out now (and notes that it went).
    public mutating func admit(_ subject: String, onlyOnce: Bool, onceDaily: Bool, at now: Date) -> Bool {
        if onlyOnce {
            guard sentOnce.insert(subject).inserted else { return false }
        }
        if onceDaily {
            if let start = windowStart, now.timeIntervalSince(start) >= Self.day || now < start {
                sentToday.removeAll()
                windowStart = now
            }
            if windowStart == nil { windowStart = now }
            guard sentToday.insert(subject).inserted else { return false }
        }
        return true
    }
}

/// The per-recipient repeat limit for messages no topic spaces (`notify_message` from add-ons, say):
/// the same subject goes to the same recipient at most once per `interval`; what comes sooner is
/// held back and counted, and the next one that goes says how many were held back.
public struct RepeatLimiter: Sendable, Equatable {
    public let interval: TimeInterval
    private var lastSent: [String: Date] = [:]
    private var heldBack: [String: Int] = [:]

    public init(interval: TimeInterval) { self.interval = max(interval, 0) }

    public enum Decision: Sendable, Equatable {
        /// Send; `heldBack` similar messages were held back before this one.
        case send(heldBack: Int)
        case holdBack
    }

    public mutating func decide(subject: String, recipient: String, at now: Date) -> Decision {
        let key = recipient.lowercased() + "\u{1F}" + subject
        if interval > 0, let last = lastSent[key], now.timeIntervalSince(last) < interval, now >= last {
            heldBack[key, default: 0] += 1
            return .holdBack
        }
        lastSent[key] = now
        if lastSent.count > 1024 { lastSent = lastSent.filter { now.timeIntervalSince($0.value) < interval } }
        return .send(heldBack: heldBack.removeValue(forKey: key) ?? 0)
    }
}
