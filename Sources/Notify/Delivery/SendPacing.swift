import Foundation
import GenmonConfig

/// When one lane (a channel and a recipient) may send next: at most one message per minimum
/// interval, at most the daily limit in any 24 hours. Pure: it is told the sends and asked with a
/// date. What waits meanwhile goes as one summary when the lane may send again.
public struct SendPacing: Sendable, Equatable {
    public static let window: TimeInterval = 86_400
    public let settings: PacingSettings
    /// Sends within the last window, oldest first.
    public private(set) var sends: [Date]

    public init(settings: PacingSettings, sends: [Date] = []) {
        self.settings = settings
        self.sends = sends.sorted()
    }

    /// Whether this channel paces at all.
    public var isActive: Bool { settings.minimumInterval > 0 || settings.dailyLimit > 0 }

    /// The first time at or after `date` a send is allowed.
    public func nextAllowed(at date: Date) -> Date {
        var next = date
        if settings.minimumInterval > 0, let last = sends.last { next = max(next, last.addingTimeInterval(settings.minimumInterval)) }
        if settings.dailyLimit > 0 {
            let recent = sends.filter { $0 > date.addingTimeInterval(-Self.window) }
            if recent.count >= settings.dailyLimit {
                // The oldest send that keeps the count at the limit leaves the window then.
                next = max(next, recent[recent.count - settings.dailyLimit].addingTimeInterval(Self.window))
            }
        }
        return next
    }

    /// Whether the daily limit (not the interval) is what holds the lane at `date`.
    public func isAtDailyLimit(at date: Date) -> Bool {
        settings.dailyLimit > 0 && sends.filter { $0 > date.addingTimeInterval(-Self.window) }.count >= settings.dailyLimit
    }

    /// A send happened at `date`.
    public mutating func sent(at date: Date) {
        sends.append(date)
        sends.sort()
        let cutoff = date.addingTimeInterval(-Self.window)
        sends.removeAll { $0 <= cutoff }
        // Never more than the limit needs (a clock that jumped must not grow it without bound).
        if sends.count > 10_000 { sends.removeFirst(sends.count - 10_000) }
    }
}
