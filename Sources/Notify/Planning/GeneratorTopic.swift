import Foundation
import Generac
import Monitor

/// The generator's state and alarms: "Generator Notice" (a change while not in alarm, and the first
/// reading after start) and "Generator Alert ... CRITICAL " (into or within alarm), as the original
/// sends them for changes of its status register, but one message per settled change: cranking,
/// running and the transfer that follows a start become one notice, and an alarm is told once
/// however often the engine state changes under it.
struct GeneratorTopic: Sendable {
    var window: SettleWindow
    var spacing: RepeatSpacing
    private var releaseAt: ContinuousClock.Instant?
    /// What people were last told; nil state before the first message.
    private var announcedState: String?
    private var announcedAlarm: String?
    /// Alarms raised since the last message (so one that came and went is still told).
    private var alarmsSeen: [String] = []

    init(settle: Duration, repeatInterval: Duration) {
        window = SettleWindow(settle: settle)
        spacing = RepeatSpacing(interval: repeatInterval)
    }

    mutating func observe(_ event: MonitorEvent, now: ContinuousClock.Instant) {
        switch event.kind {
        case let .alarmRaised(text, _, _):
            if !alarmsSeen.contains(text), alarmsSeen.count < 16 { alarmsSeen.append(text) }
            window.note(at: now)
        case .controllerDetected, .engineStateChanged, .switchStateChanged, .alarmCleared:
            window.note(at: now)
        default:
            break
        }
    }

    var nextDeadline: ContinuousClock.Instant? { [window.deadline, releaseAt].compactMap { $0 }.min() }

    mutating func tick(now: ContinuousClock.Instant, _ context: PlannerContext) -> [NotificationDraft] {
        let released = releaseAt.map { now >= $0 } ?? false
        guard window.isDue(at: now) || released else { return [] }
        guard let status = context.snapshot?.readings?.status else {
            // Nothing decoded yet: look again shortly.
            window.note(at: now)
            return []
        }
        window.close()
        if let releaseAt, now < releaseAt { return [] }
        releaseAt = nil
        let state = status.oneLine
        let alarm = status.alarm.isActive ? status.alarm.text : nil
        let draft: NotificationDraft
        let key: String
        if let alarm, alarm != announcedAlarm {
            draft = alert(status, context)
            key = "alert|" + alarm
        } else if alarm == nil, state != announcedState || announcedAlarm != nil || !alarmsSeen.isEmpty {
            draft = notice(status, context)
            key = "notice|" + state
        } else {
            alarmsSeen = []
            announcedState = state
            return []
        }
        if let release = spacing.releaseTime(for: key, at: now) {
            releaseAt = release
            return []
        }
        spacing.sent(key, at: now)
        announcedState = state
        announcedAlarm = alarm
        alarmsSeen = []
        return [draft]
    }

    private func alert(_ status: StatusReadings, _ context: PlannerContext) -> NotificationDraft {
        let explanation = AlarmExplanation(status)
        var details = ["Current Alarm: \(status.alarm.text)", "System In Alarm: 0001:\(status.statusPair.hex8)"]
        if let explanation {
            details.append(explanation.description)
            details.append("What to check: \(explanation.whatToCheck)")
        }
        details.append("When the cause is dealt with, press OFF and then ENTER on the controller to clear the alarm.")
        return NotificationDraft(category: .warn, subject: context.subjects.alert,
                                 headline: "The generator is in alarm: \(status.alarm.text) (\(status.oneLine)).",
                                 details: context.userURLLine + details, source: "alarm_raised", time: context.date)
    }

    private func notice(_ status: StatusReadings, _ context: PlannerContext) -> NotificationDraft {
        let state = status.oneLine
        let headline: String
        if let announcedAlarm {
            headline = "Alarm cleared: \(announcedAlarm). The generator is now \(state)."
        } else if let announcedState, announcedState != state {
            headline = "Generator state changed from \(announcedState) to \(state)."
        } else if announcedState == nil {
            headline = "Generator state when genmon started: \(state)."
        } else {
            headline = "The generator is \(state)."
        }
        var details: [String] = []
        let cameAndWent = alarmsSeen.filter { $0 != announcedAlarm }
        if !cameAndWent.isEmpty { details.append("Raised and cleared meanwhile: \(cameAndWent.joined(separator: ", ")).") }
        details.append("The generator's state changed; it is not in alarm.")
        details.append("No Alarms: 0001:\(status.statusPair.hex8)")
        return NotificationDraft(category: .info, subject: context.subjects.notice, headline: headline,
                                 details: context.userURLLine + details,
                                 source: announcedAlarm != nil ? "alarm_cleared" : "state_changed", time: context.date)
    }
}
