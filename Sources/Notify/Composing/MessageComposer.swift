import Foundation
import Generac
import GenmonConfig
import LegacyProtocol
import Monitor

/// A notification written out: the subject and the text every channel sends, and the HTML
/// alternative for e-mail.
public struct NotificationContent: Sendable, Equatable {
    public var category: NotificationCategory
    public var subject: String
    /// Plain text, `\n` line ends: the headline first, then the facts, then the reports.
    public var text: String
    public var html: String
    public var source: String
    public var time: Date
    /// The short form for SMS, push, chat, webhooks and syslog.
    public var brief: NotificationBrief

    public init(category: NotificationCategory, subject: String, text: String, html: String, source: String, time: Date,
                brief: NotificationBrief? = nil) {
        self.category = category
        self.subject = subject
        self.text = text
        self.html = html
        self.source = source
        self.time = time
        self.brief = brief ?? NotificationBrief(site: "", event: nil, label: subject, lines: [String(text.prefix { $0 != "\n" })],
                                                filter: AddonFilterCategory(category), clockTime: "")
    }

    /// The first line: short channels (SMS, push, chat) send this.
    public var headline: String { String(text.prefix { $0 != "\n" }) }
}

/// Turns a draft into the message text: what happened in the first line, then the facts (site,
/// time, state, battery, utility, the alarm and what to check), then the status summary (the
/// original's status and maintenance reports, or its monitor report for link messages).
public struct MessageComposer: Sendable {
    /// Report settings, as the command socket uses them (`now` is set per message).
    public var reportContext: ReportContext
    public var siteName: String

    /// The longest text kept (a very long `notify_message` body is cut, with a note).
    public static let maximumTextLength = 64 * 1024

    public init(reportContext: ReportContext, siteName: String) {
        self.reportContext = reportContext
        self.siteName = siteName
    }

    public func compose(_ draft: NotificationDraft, snapshot: GeneratorSnapshot?, now: Date) -> NotificationContent {
        var lines = [draft.headline] + draft.details
        lines.append("")
        lines += facts(draft, snapshot: snapshot)
        if draft.attachment != .none, let snapshot, let reports = Reports(snapshot: snapshot, context: reportContext.at(now)) {
            lines.append("")
            switch draft.attachment {
            case .status:
                lines.append(ReportRendering.text(reports.status()).trimmingCharacters(in: .newlines))
                lines.append(ReportRendering.text(reports.maintenance()).trimmingCharacters(in: .newlines))
            case .monitor:
                lines.append(ReportRendering.text(reports.monitor()).trimmingCharacters(in: .newlines))
            case .none:
                break
            }
        }
        var text = lines.joined(separator: "\n").replacingOccurrences(of: "\r\n", with: "\n") + "\n"
        if text.utf8.count > Self.maximumTextLength {
            text = String(decoding: Array(text.utf8.prefix(Self.maximumTextLength)), as: UTF8.self) + "\n[… cut: the message was too long]\n"
        }
        return NotificationContent(category: draft.category, subject: draft.subject, text: text,
                                   html: HTMLBody.render(text, title: draft.subject), source: draft.source, time: draft.time,
                                   brief: brief(draft, snapshot: snapshot))
    }

    /// The short form: the original's add-on text when the notification is one of its events,
    /// else genmon's own title; then the headline and the facts (the site is in the first words).
    func brief(_ draft: NotificationDraft, snapshot: GeneratorSnapshot?) -> NotificationBrief {
        let event = AddonEvent(source: draft.source, base: snapshot?.readings?.status.baseStatus)
        let label: String
        switch (event, draft.source) {
        case (.systemHealth?, "communication_lost"): label = "System Health : Controller not answering"
        case (.systemHealth?, _): label = "System Health : OK"
        case let (event?, _): label = event.text
        case (nil, _):
            let prefix = siteName + ": "
            label = draft.subject.hasPrefix(prefix) ? String(draft.subject.dropFirst(prefix.count)) : draft.subject
        }
        var lines = [draft.headline]
        if draft.source == "notify_message" { lines += draft.details }
        lines += facts(draft, snapshot: snapshot).filter { !$0.hasPrefix("Site : ") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = reportContext.timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: draft.time)
        return NotificationBrief(site: siteName, event: event, label: label, lines: lines,
                                 filter: event?.filter ?? AddonFilterCategory(draft.category),
                                 clockTime: String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0))
    }

    /// `Key : Value` lines for the facts block.
    func facts(_ draft: NotificationDraft, snapshot: GeneratorSnapshot?) -> [String] {
        var facts = [("Site", siteName), ("Time", NotificationText.dateTime(draft.time, timeZone: reportContext.timeZone))]
        if draft.attachment != .none, let snapshot {
            if let readings = snapshot.readings {
                facts.append(("State", readings.status.oneLine))
                facts.append(("Battery", String(format: "%.1f V", readings.engine.batteryVolts)))
                facts.append(("Utility", "\(readings.line.utilityVolts) V"))
                if readings.status.engineState.description.lowercased().contains("running") {
                    facts.append(("Output", "\(readings.line.outputVolts) V, \(String(format: "%.1f", readings.engine.frequencyHz)) Hz"))
                }
                if let alarm = AlarmExplanation(readings.status) {
                    facts.append(("Alarm", alarm.title + (alarm.code.map { " (code \($0))" } ?? "")))
                    facts.append(("What to check", alarm.whatToCheck))
                }
            }
            if snapshot.outage.inOutage, let start = snapshot.outage.currentStart {
                facts.append(("Utility power out since", NotificationText.dateTime(start, timeZone: reportContext.timeZone)))
            }
            if !snapshot.communication.isReceiving { facts.append(("Controller", "not answering")) }
        }
        return facts.map { "\($0.0) : \($0.1)" }
    }
}
