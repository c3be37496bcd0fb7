import Foundation
import Monitor

/// Utility power: "Outage Notice", "Outage Recovery Notice" and "Recurring Outage Notice".
///
/// The monitor has already applied `outage_notice_delay`. Here an outage and its end inside one
/// settle window become one message; flickers that were never announced are counted and told in
/// the next message; a repeat of the same subject within the repeat interval waits and then says
/// what is true by then (often nothing, when power came back meanwhile).
struct PowerTopic: Sendable {
    var window: SettleWindow
    var spacing: RepeatSpacing
    let recurringInterval: Duration?
    private var releaseAt: ContinuousClock.Instant?

    /// What people were last told.
    private(set) var announcedOut = false
    private var announcedStart: Date?
    private var lastRecurring: ContinuousClock.Instant?
    /// What is true now.
    private var outNow = false
    private var currentStart: Date?
    private var announcedEnd: Date?
    /// Outages that began and ended without being announced, since the last message.
    private var briefCount = 0
    private var briefFirst: Date?
    private var briefLastEnd: Date?
    private var briefTotal: TimeInterval = 0
    /// Returns of power during an announced outage that did not last.
    private var briefReturns = 0

    init(settle: Duration, repeatInterval: Duration, recurringInterval: Duration?) {
        window = SettleWindow(settle: settle)
        spacing = RepeatSpacing(interval: repeatInterval)
        self.recurringInterval = recurringInterval
    }

    mutating func started(at start: Date, now: ContinuousClock.Instant) {
        if announcedOut, announcedEnd != nil { briefReturns += 1 }
        announcedEnd = nil
        outNow = true
        currentStart = start
        window.note(at: now)
    }

    mutating func ended(_ record: OutageRecord, now: ContinuousClock.Instant) {
        if announcedOut {
            announcedEnd = record.end
        } else {
            briefCount += 1
            briefFirst = briefFirst ?? record.start
            briefLastEnd = record.end
            briefTotal += max(record.duration, 0)
        }
        outNow = false
        currentStart = nil
        window.note(at: now)
    }

    var nextDeadline: ContinuousClock.Instant? {
        var deadlines = [window.deadline, releaseAt].compactMap { $0 }
        if announcedOut, let recurringInterval, let lastRecurring { deadlines.append(lastRecurring + recurringInterval) }
        return deadlines.min()
    }

    mutating func tick(now: ContinuousClock.Instant, _ context: PlannerContext) -> [NotificationDraft] {
        var drafts: [NotificationDraft] = []
        let released = releaseAt.map { now >= $0 } ?? false
        if window.isDue(at: now) || released {
            window.close()
            if let releaseAt, now < releaseAt {
                // Still inside the repeat interval: decide when it ends.
            } else {
                releaseAt = nil
                if let draft = decide(now: now, context) { drafts.append(draft) }
            }
        }
        if announcedOut, !window.isOpen, releaseAt == nil, let recurringInterval, let last = lastRecurring, now >= last + recurringInterval {
            lastRecurring = now
            drafts.append(recurring(context))
        }
        return drafts
    }

    private mutating func decide(now: ContinuousClock.Instant, _ context: PlannerContext) -> NotificationDraft? {
        let subjects = context.subjects
        var draft: NotificationDraft
        if outNow, !announcedOut, let start = currentStart {
            draft = NotificationDraft(category: .outage, subject: subjects.outage, headline: "Utility Power Out at \(context.dateTime(start))",
                                      details: briefSummary(context), source: "outage_started", time: start)
        } else if !outNow, announcedOut {
            let end = announcedEnd ?? context.date
            let duration = announcedStart.map { end.timeIntervalSince($0) } ?? 0
            var details: [String] = []
            if briefReturns > 0 { details.append("Power came back for a moment \(NotificationText.times(briefReturns)) during the outage.") }
            draft = NotificationDraft(category: .outage, subject: subjects.recovery,
                                      headline: "Utility Power Restored at \(context.dateTime(end)). Duration of outage \(NotificationText.duration(duration))",
                                      details: details + briefSummary(context), source: "outage_ended", time: end)
        } else if !outNow, !announcedOut, briefCount > 0, let first = briefFirst, let last = briefLastEnd {
            let headline = briefCount == 1
                ? "Utility Power Out at \(context.dateTime(first)) and Restored at \(context.dateTime(last)). Duration of outage \(NotificationText.duration(briefTotal))"
                : "Utility power failed \(briefCount) times between \(context.dateTime(first)) and \(context.dateTime(last)), "
                    + "\(NotificationText.duration(briefTotal)) without power in all; it is on now."
            draft = NotificationDraft(category: .outage, subject: subjects.recovery, headline: headline, source: "outage_ended", time: last)
        } else {
            return nil
        }
        if let release = spacing.releaseTime(for: draft.subject, at: now) {
            releaseAt = release
            return nil
        }
        spacing.sent(draft.subject, at: now)
        if draft.subject == subjects.outage {
            announcedOut = true
            announcedStart = currentStart
            lastRecurring = now
        } else if announcedOut {
            announcedOut = false
            announcedStart = nil
        }
        announcedEnd = nil
        briefCount = 0
        briefFirst = nil
        briefLastEnd = nil
        briefTotal = 0
        briefReturns = 0
        return draft
    }

    /// The flickers nobody was told about yet, as one line.
    private func briefSummary(_ context: PlannerContext) -> [String] {
        guard briefCount > 0, let first = briefFirst else { return [] }
        return ["Since \(context.dateTime(first)) utility power had also failed briefly \(NotificationText.times(briefCount)) "
                + "(\(NotificationText.duration(briefTotal)) in all)."]
    }

    private func recurring(_ context: PlannerContext) -> NotificationDraft {
        let start = announcedStart ?? context.date
        return NotificationDraft(
            category: .outage, subject: context.subjects.recurringOutage,
            headline: "Utility power is still out at \(context.dateTime(context.date)): out since \(context.dateTime(start)), "
                + "\(NotificationText.duration(context.date.timeIntervalSince(start))) so far.",
            source: "outage_recurring", time: context.date)
    }
}
