import Foundation
import GenmonConfig

/// A notification decided on but not yet written out: what happened, for whom, and which facts
/// to add. `MessageComposer` turns it into the text every channel sends.
public struct NotificationDraft: Sendable, Equatable {
    /// What the message needs beyond its own lines.
    public enum Attachment: Sendable, Equatable {
        /// Nothing: a short message.
        case none
        /// The facts block and the full status and maintenance reports (the original's "status+maint").
        case status
        /// The facts block and the monitor report (communication messages).
        case monitor
    }

    public var category: NotificationCategory
    public var subject: String
    /// The first line: what happened, in one sentence.
    public var headline: String
    /// Lines after the headline (the original's own lines, a flicker summary, what to check...).
    public var details: [String]
    public var attachment: Attachment
    /// Where it came from: the event's name, `rule:<name>`, `notify_message`, `startup`...
    public var source: String
    /// When it happened.
    public var time: Date
    /// Explicit recipients, which bypass the category table (the original's maintainer submissions,
    /// and later replies to e-mailed commands); nil routes by category.
    public var recipients: [String]?
    /// Subject to the per-recipient repeat limit (messages that a topic already spaces are not).
    public var rateLimited: Bool

    public init(category: NotificationCategory, subject: String, headline: String, details: [String] = [],
                attachment: Attachment = .status, source: String, time: Date, recipients: [String]? = nil, rateLimited: Bool = false) {
        self.category = category
        self.subject = subject
        self.headline = headline
        self.details = details
        self.attachment = attachment
        self.source = source
        self.time = time
        self.recipients = recipients
        self.rateLimited = rateLimited
    }
}

/// The original's subjects, word for word (mail filters match them), for a site.
public struct Subjects: Sendable, Equatable {
    public let site: String

    public init(site: String) { self.site = site }

    public var starting: String { "Generator Monitor Starting at \(site)" }
    public var notice: String { "Generator Notice: \(site)" }
    /// With the original's trailing space.
    public var alert: String { "Generator Alert at \(site): CRITICAL " }
    public var outage: String { "Outage Notice at \(site)" }
    public var recovery: String { "Outage Recovery Notice at \(site)" }
    public var recurringOutage: String { "Recurring Outage Notice at \(site)" }
    public var transferSwitch: String { "Transfer Switch Changed State Notice at \(site)" }
    public var communicationLost: String { "Generator Monitor Communication WARNING at \(site)" }
    public var communicationRestored: String { "Generator Monitor Communication Restored at \(site)" }
    public var timeUpdate: String { "Generator Time Update at \(site)" }
    public func fuelLow(_ percent: Int) -> String { "Warning: Fuel Level Low (\(percent)%) at \(site)" }
    /// The original's form for a warning about one thing ("Load Imbalance on L1 - L2"): service due, threshold rules.
    public func warning(_ what: String) -> String { "Generator Warning at \(site): \(what)" }
    public func warningCleared(_ what: String) -> String { "Generator Warning Cleared at \(site): \(what)" }
    /// `notify_message` from the socket: `<site>: <title>`.
    public func message(_ title: String) -> String { "\(site): \(title)" }
    public var test: String { "Genmon Test Email" }
}
