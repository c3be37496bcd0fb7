import Foundation
import Monitor

/// The link to the controller: "Communication WARNING" when the controller stops answering and
/// "Communication Restored" when it answers again; a loss that ends inside the settle window is one
/// "Restored" message saying how long it lasted.
struct CommunicationTopic: Sendable {
    var window: SettleWindow
    var spacing: RepeatSpacing
    private var releaseAt: ContinuousClock.Instant?
    private var announcedLost = false
    private var lostNow = false
    private var lostSince: Date?
    private var lastGap: TimeInterval = 0
    private var briefCount = 0
    private var briefTotal: TimeInterval = 0

    init(settle: Duration, repeatInterval: Duration) {
        window = SettleWindow(settle: settle)
        spacing = RepeatSpacing(interval: repeatInterval)
    }

    mutating func observe(_ event: MonitorEvent, now: ContinuousClock.Instant) {
        switch event.kind {
        case let .communicationLost(silentFor):
            lostNow = true
            lostSince = event.time.addingTimeInterval(-max(silentFor, 0))
            window.note(at: now)
        case let .communicationRestored(after):
            lostNow = false
            lastGap = max(after, 0)
            if !announcedLost {
                briefCount += 1
                briefTotal += lastGap
            }
            window.note(at: now)
        default:
            break
        }
    }

    var nextDeadline: ContinuousClock.Instant? { [window.deadline, releaseAt].compactMap { $0 }.min() }

    mutating func tick(now: ContinuousClock.Instant, _ context: PlannerContext) -> [NotificationDraft] {
        let released = releaseAt.map { now >= $0 } ?? false
        guard window.isDue(at: now) || released else { return [] }
        window.close()
        if let releaseAt, now < releaseAt { return [] }
        releaseAt = nil
        let subjects = context.subjects
        let draft: NotificationDraft
        if lostNow, !announcedLost {
            let since = lostSince ?? context.date
            draft = NotificationDraft(
                category: .error, subject: subjects.communicationLost,
                headline: "The controller has not answered since \(context.dateTime(since)) "
                    + "(\(NotificationText.duration(context.date.timeIntervalSince(since)))).",
                details: ["Check the cable or network adapter between genmon and the controller, and that the controller has power."],
                attachment: .monitor, source: "communication_lost", time: context.date)
        } else if !lostNow, announcedLost {
            draft = NotificationDraft(
                category: .error, subject: subjects.communicationRestored,
                headline: "The controller is answering again after \(NotificationText.duration(lastGap)) without an answer.",
                attachment: .monitor, source: "communication_restored", time: context.date)
        } else if !lostNow, !announcedLost, briefCount > 0 {
            draft = NotificationDraft(
                category: .error, subject: subjects.communicationRestored,
                headline: briefCount == 1
                    ? "The controller did not answer for \(NotificationText.duration(briefTotal)) and is answering again."
                    : "The controller stopped answering \(briefCount) times (\(NotificationText.duration(briefTotal)) in all) and is answering again.",
                attachment: .monitor, source: "communication_restored", time: context.date)
        } else {
            return []
        }
        if let release = spacing.releaseTime(for: draft.subject, at: now) {
            releaseAt = release
            return []
        }
        spacing.sent(draft.subject, at: now)
        announcedLost = lostNow
        briefCount = 0
        briefTotal = 0
        return [draft]
    }
}

/// The transfer switch (Evolution liquid-cooled, PZ200): "Transfer Switch Changed State Notice"
/// when the load has moved and stayed moved for the settle window.
struct TransferTopic: Sendable {
    var window: SettleWindow
    var spacing: RepeatSpacing
    private var releaseAt: ContinuousClock.Instant?
    private var announced: String?
    private var position: String?

    init(settle: Duration, repeatInterval: Duration) {
        window = SettleWindow(settle: settle)
        spacing = RepeatSpacing(interval: repeatInterval)
    }

    /// The position as first read, so a move and a move back inside the window says nothing.
    mutating func learn(_ initial: String?) {
        guard announced == nil, position == nil, let initial else { return }
        announced = initial
        position = initial
    }

    mutating func moved(to position: String, now: ContinuousClock.Instant) {
        self.position = position
        window.note(at: now)
    }

    var nextDeadline: ContinuousClock.Instant? { [window.deadline, releaseAt].compactMap { $0 }.min() }

    mutating func tick(now: ContinuousClock.Instant, _ context: PlannerContext) -> [NotificationDraft] {
        let released = releaseAt.map { now >= $0 } ?? false
        guard window.isDue(at: now) || released else { return [] }
        window.close()
        if let releaseAt, now < releaseAt { return [] }
        releaseAt = nil
        guard let position, position != announced else { return [] }
        let key = "transfer|" + position
        if let release = spacing.releaseTime(for: key, at: now) {
            releaseAt = release
            return []
        }
        spacing.sent(key, at: now)
        announced = position
        let source = position.lowercased().contains("generator") ? "the generator" : "the utility"
        return [NotificationDraft(category: .outage, subject: context.subjects.transferSwitch,
                                  headline: "The transfer switch moved: the house is now powered by \(source).",
                                  source: "transfer_switch_changed", time: context.date)]
    }
}
