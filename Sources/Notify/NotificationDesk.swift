import Foundation
import GenmonBasics
import GenmonConfig
import LegacyProtocol
import Logging
import MailProtocol
import Store
import Synchronization

/// The notification engine as the interfaces see it: what is configured (channels, recipients,
/// rules), "send test", the socket's `notify_message`, and the original's recipient table
/// (`notifications`, `setnotifications`), which is also written back to mymail.conf.
public final class NotificationDesk: LegacyNotifications, Sendable {
    /// A channel as the web page lists it.
    public struct ChannelInfo: Sendable, Equatable {
        public var name: String
        public var enabled: Bool
        /// Where it sends (`smtp.example.org:587, STARTTLS, certificate checked`), or why it is off.
        public var detail: String
        public var recipients: [ChannelRecipient]
    }

    /// A threshold rule as the web page lists it.
    public struct RuleInfo: Sendable, Equatable {
        public var name: String
        public var reading: String
        public var unit: String
        public var direction: String
        public var limit: Double
        public var clearLevel: Double
        public var duration: Double
        public var category: String
        public var summary: String

        init(_ spec: ThresholdRuleSpec) {
            name = spec.name
            reading = spec.reading.rawValue
            unit = spec.reading.unit
            direction = spec.direction.rawValue
            limit = spec.limit
            clearLevel = spec.clearLevel
            duration = spec.duration
            category = spec.category.rawValue
            summary = spec.summary
        }
    }

    /// What the web page shows above the outbox.
    public struct Overview: Sendable, Equatable {
        public var channels: [ChannelInfo]
        public var rules: [RuleInfo]
        public var settleSeconds: Double
        public var repeatMinutes: Double
        public var expireHours: Double
        /// Configuration problems found at start (file, line, key and what is wrong).
        public var problems: [String]
    }

    let engine: NotificationEngine?
    let database: GenmonDatabase
    let routing: NotificationRouting
    let channels: [any NotificationChannel]
    let composer: MessageComposer
    let clock: any GenmonClock
    let siteName: String
    let settings: NotifySettings
    /// Why e-mail is off, when it is.
    let emailOffReason: String?
    let emailDetail: String
    /// mymail.conf, rewritten by `setnotifications`; nil keeps changes in memory (the demo).
    let mailFile: String?
    let problems: [String]
    /// Channels beyond e-mail that are configured but off, and why.
    let channelsOff: [String: String]
    let logger: Logger
    private let fileLock = Mutex(())

    public init(engine: NotificationEngine?, database: GenmonDatabase, routing: NotificationRouting, channels: [any NotificationChannel],
                composer: MessageComposer, siteName: String, settings: NotifySettings, emailOffReason: String?, emailDetail: String,
                mailFile: String?, problems: [String], channelsOff: [String: String] = [:], clock: any GenmonClock = SystemClock(),
                logger: Logger = Logger(label: "genmon.notify")) {
        self.channelsOff = channelsOff
        self.engine = engine
        self.database = database
        self.routing = routing
        self.channels = channels
        self.composer = composer
        self.siteName = siteName
        self.settings = settings
        self.emailOffReason = emailOffReason
        self.emailDetail = emailDetail
        self.mailFile = mailFile
        self.problems = problems
        self.clock = clock
        self.logger = logger
    }

    public func overview() -> Overview {
        let email = ChannelInfo(name: "email", enabled: emailOffReason == nil, detail: emailOffReason.map { "off: \($0)" } ?? emailDetail,
                                recipients: routing.recipients(of: "email"))
        var listed = [email]
        for channel in channels where channel.name != "email" {
            listed.append(ChannelInfo(name: channel.name, enabled: true, detail: channel.detail, recipients: routing.recipients(of: channel.name)))
        }
        for (name, reason) in channelsOff.sorted(by: { $0.key < $1.key }) where !channels.contains(where: { $0.name == name }) {
            listed.append(ChannelInfo(name: name, enabled: false, detail: "off: \(reason)", recipients: []))
        }
        return Overview(channels: listed, rules: settings.rules.map(RuleInfo.init), settleSeconds: settings.settleSeconds, repeatMinutes: settings.repeatMinutes,
                        expireHours: settings.expireHours, problems: problems)
    }

    /// Sends a test message at once on `channel` (default: e-mail) to `recipient`, or to every
    /// recipient of the channel, or (with none) checks the connection; records it in the outbox.
    public func sendTest(channel name: String? = nil, to recipient: String? = nil) async -> ChannelTestReport {
        let wanted = name ?? "email"
        guard let channel = channels.first(where: { $0.name == wanted }) else {
            let reason = wanted == "email" ? (emailOffReason ?? "it is not configured")
                : channelsOff[wanted] ?? "genmon has no channel called \(wanted); it has \(channels.map(\.name).joined(separator: ", "))"
            return ChannelTestReport(channel: wanted, succeeded: false, summary: "Cannot send a test: \(wanted) is off (\(reason)).")
        }
        if let recipient, let problem = channel.validate(recipient: recipient) {
            return ChannelTestReport(channel: wanted, succeeded: false, summary: "Cannot send a test to \(recipient): \(problem).")
        }
        let recipients = recipient.map { [$0] } ?? routing.recipients(of: wanted).map(\.id)
        let draft = NotificationDraft(
            category: .info, subject: wanted == "email" ? Subjects(site: siteName).test : "Genmon Test Message",
            headline: "This is a test message from genmon at \(siteName): if you can read it, genmon can reach you here.",
            attachment: .none, source: "test", time: clock.date, recipients: recipients)
        let content = composer.compose(draft, snapshot: nil, now: clock.date)
        let report = await channel.test(content, to: recipients)
        if !report.results.isEmpty {
            let message = OutboxMessage(created: content.time, category: content.category.rawValue, subject: content.subject,
                                        body: content.text, source: "test")
            let deliveries = report.results.map { result -> DirectDelivery in
                let outcome: AttemptOutcome = switch result.outcome {
                case .delivered: .delivered
                case .retryLater: .retry
                case .failed: .failed
                }
                return DirectDelivery(lane: OutboxLane(channel: wanted, recipient: result.recipient), outcome: outcome,
                                      detail: result.outcome.detail, duration: result.duration)
            }
            do { try await database.recordDirect(message, deliveries: deliveries) } catch {
                logger.error("cannot record the test message: \(error)")
            }
        }
        logger.info("test on \(wanted): \(report.summary)")
        return report
    }

    // MARK: LegacyNotifications

    public func notifyMessage(title: String, body: String, category: String, onlyOnce: Bool, onceDaily: Bool) async {
        guard let engine, let parsed = NotificationCategory(rawValue: category.lowercased()) else { return }
        await engine.message(title: title, body: body, category: parsed, onlyOnce: onlyOnce, onceDaily: onceDaily)
    }

    public func emailRecipients() async -> [(address: String, categories: String?)] {
        routing.recipients(of: "email").map { ($0.id, $0.categories.map(NotificationCategory.listText)) }
    }

    public func setEmailRecipients(_ recipients: [(address: String, categories: String)]) async -> String? {
        var table: [ChannelRecipient] = []
        var seen = Set<String>()
        for (text, categoriesText) in recipients {
            let address: EmailAddress
            do { address = try EmailAddress(text) } catch { return "Invalid e-mail address \(text): \(error)" }
            guard seen.insert(address.normalized).inserted else { continue }
            let (categories, unknown) = NotificationCategory.parseList(categoriesText)
            guard unknown.isEmpty else { return "Unknown categories for \(text): \(unknown.joined(separator: ", ")) (use outage, error, warn, info)" }
            table.append(ChannelRecipient(id: address.description, categories: categories.isEmpty ? nil : categories))
        }
        let previous = routing.recipients(of: "email")
        if let mailFile {
            do { try write(table, replacing: previous, to: mailFile) } catch {
                return "Cannot save the recipients: \(error)"
            }
        }
        routing.replace("email", with: table)
        let listed = table.map { "\($0.id) (\($0.categories.map(NotificationCategory.listText) ?? "all"))" }.joined(separator: ", ")
        logger.notice("e-mail recipients changed: \(listed)")
        return nil
    }

    /// Rewrites `email_recipient` and the per-address lines of mymail.conf, keeping every other line.
    private func write(_ table: [ChannelRecipient], replacing previous: [ChannelRecipient], to path: String) throws {
        try fileLock.withLock { _ in
            let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "[MyMail]\n"
            var changes: [(key: String, value: String?)] = [("email_recipient", table.map(\.id).joined(separator: ","))]
            let kept = Set(table.map { $0.id.lowercased() })
            for old in previous where !kept.contains(old.id.lowercased()) { changes.append((old.id, nil)) }
            for recipient in table { changes.append((recipient.id, recipient.categories.map(NotificationCategory.listText))) }
            try IniEditor.write(IniEditor.update(text, section: "MyMail", changes: changes), to: path)
        }
    }
}
