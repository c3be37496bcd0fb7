import Foundation

/// Utility outages as the monitor sees them (the original's rules, docs/compatibility.md#outage-detection):
/// an outage starts when the utility voltage falls below the threshold (optionally for a minimum
/// time) and ends when it rises above the pickup voltage; in between nothing changes. Pure.
public struct OutageTracker: Sendable, Equatable {
    public enum Transition: Sendable, Equatable {
        case started(at: Date, volts: Int)
        case ended(OutageRecord)
    }

    public private(set) var inOutage = false
    public private(set) var start: Date?
    public private(set) var minimum: Int?
    public private(set) var maximum: Int?
    /// First low sample while waiting for `noticeDelay` to pass.
    private var lowSince: Date?
    /// After a restart in the middle of an outage: when genmon last saw it, until the first reading
    /// says whether it is still going.
    public private(set) var resumedUnseenSince: Date?
    let noticeDelay: TimeInterval

    /// The utility is there and no low reading waits for its notice delay.
    public var utilityPresent: Bool { !inOutage && lowSince == nil }

    public init(noticeDelay: TimeInterval = 0) { self.noticeDelay = noticeDelay }

    /// Continues an outage genmon was watching when it stopped. The first reading decides: still
    /// low, and the outage goes on with its original start; back, and it ends there, marked as
    /// unobserved since `lastSeen`.
    public mutating func resume(_ outage: OutageInProgress) {
        inOutage = true
        start = outage.start
        lowSince = nil
        resumedUnseenSince = outage.lastSeen
    }

    /// Feeds one utility reading.
    /// - Parameters:
    ///   - threshold: below this the utility is lost (0 means the controller's default, 143 V).
    ///   - pickup: above this it is back (0 means 190 V).
    ///   - nominal: nominal line voltage; readings above 2.5 × nominal are noise and ignored.
    public mutating func update(volts: Int, threshold: Int, pickup: Int, nominal: Int, at time: Date) -> Transition? {
        guard volts >= 0, threshold >= 0, pickup >= 0, Double(volts) < 2.5 * Double(max(nominal, 1)) else { return nil }
        let threshold = threshold == 0 ? 143 : threshold
        let pickup = pickup == 0 ? 190 : pickup

        if minimum == nil || maximum == nil {
            minimum = volts
            maximum = volts
        } else {
            if volts > maximum!, volts > pickup { maximum = volts }
            // The original never raises a minimum that started below the threshold (a monitor started
            // during an outage would show 0 V for ever); the first normal reading replaces it here.
            if volts > threshold, volts < minimum! || minimum! <= threshold { minimum = volts }
        }

        if !inOutage {
            guard volts < threshold else {
                lowSince = nil
                return nil
            }
            let since = lowSince ?? time
            lowSince = since
            guard time.timeIntervalSince(since) >= noticeDelay else { return nil }
            inOutage = true
            start = since
            lowSince = nil
            return .started(at: since, volts: volts)
        }
        let unseenSince = resumedUnseenSince
        resumedUnseenSince = nil
        guard volts > pickup, let start else { return nil }
        inOutage = false
        self.start = nil
        return .ended(OutageRecord(start: start, end: time, unobservedFrom: unseenSince))
    }
}
