import Foundation
import GenmonConfig

/// How one delivery attempt ended, as the outbox records it.
public enum DeliveryOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Taken by the channel (for e-mail: accepted by the server for this recipient). Never sent again.
    case delivered(String)
    /// Not now; try again, after `after` when the channel knows better than the back-off.
    case retryLater(String, after: Duration?)
    /// Refused for good: retrying cannot help.
    case failed(String)

    /// The words recorded with the attempt (the server's answer, or why).
    public var detail: String {
        switch self {
        case let .delivered(detail), let .retryLater(detail, _), let .failed(detail): detail
        }
    }

    public var description: String {
        switch self {
        case let .delivered(detail): "delivered: \(detail)"
        case let .retryLater(detail, _): "will retry: \(detail)"
        case let .failed(detail): "failed: \(detail)"
        }
    }
}

/// What a channel stores for a message when it is queued: rendered once, so every retry sends the
/// same bytes (for e-mail the same Message-ID, so mail programs can drop a duplicate).
public struct RenderedPayload: Sendable, Equatable {
    public var bytes: [UInt8]
    public var messageID: String?

    public init(bytes: [UInt8], messageID: String? = nil) {
        self.bytes = bytes
        self.messageID = messageID
    }
}

/// A queued message as a channel gets it to deliver.
public struct QueuedMessage: Sendable, Equatable {
    public var notificationID: Int64
    public var subject: String
    public var category: NotificationCategory?
    /// The plain text (short channels send its first line).
    public var text: String
    /// What `render` stored.
    public var payload: [UInt8]
    public var messageID: String?
    public var created: Date

    public init(notificationID: Int64, subject: String, category: NotificationCategory?, text: String, payload: [UInt8],
                messageID: String?, created: Date) {
        self.notificationID = notificationID
        self.subject = subject
        self.category = category
        self.text = text
        self.payload = payload
        self.messageID = messageID
        self.created = created
    }
}

/// What a "send test" found, in plain words.
public struct ChannelTestReport: Sendable, Equatable {
    public var channel: String
    public var succeeded: Bool
    /// One or two sentences for a person, with the server's own answer when there was one.
    public var summary: String
    /// Each recipient tried and how it went.
    public var results: [RecipientResult]

    public struct RecipientResult: Sendable, Equatable {
        public var recipient: String
        public var outcome: DeliveryOutcome
        public var duration: TimeInterval

        public init(recipient: String, outcome: DeliveryOutcome, duration: TimeInterval) {
            self.recipient = recipient
            self.outcome = outcome
            self.duration = duration
        }
    }

    public init(channel: String, succeeded: Bool, summary: String, results: [RecipientResult] = []) {
        self.channel = channel
        self.succeeded = succeeded
        self.summary = summary
        self.results = results
    }
}

/// A way of telling people: e-mail, SMS, push, chat, webhooks and syslog. The
/// engine decides what to say and to whom; a channel renders it once for the outbox and delivers
/// it to one recipient at a time, so one recipient's trouble never holds up another's.
public protocol NotificationChannel: Sendable {
    /// The channel's name in the outbox and on the web page (`email`).
    var name: String { get }
    /// Added to every retry delay on this channel (the original's `extend_wait` for e-mail).
    var extraRetryDelay: Duration { get }
    /// Checks that `recipient` is something this channel can deliver to; the reason when not.
    func validate(recipient: String) -> String?
    /// Renders `content` once, for all of `recipients`, to be stored with the message.
    func render(_ content: NotificationContent, for recipients: [String], at date: Date) throws -> RenderedPayload
    /// Delivers a queued message to one recipient.
    func deliver(_ message: QueuedMessage, to recipient: String) async -> DeliveryOutcome
    /// Sends a test message to `recipients` (or checks the connection when there are none) and says how it went.
    func test(_ content: NotificationContent, to recipients: [String]) async -> ChannelTestReport
    /// How often one recipient may get a message (minimum interval, daily limit); none for e-mail.
    var pacing: PacingSettings { get }
    /// The category the recipient table is asked with for `content` on this channel; nil when the
    /// channel's filters (the original's `notify_*`) leave it out.
    func routingCategory(for content: NotificationContent) -> NotificationCategory?
    /// One message telling several queued ones (a burst held back by pacing), oldest first in
    /// `messages`; nil: the channel sends them one by one.
    func summarize(_ messages: [QueuedMessage]) -> QueuedMessage?
    /// Where it sends, in words for the web page (never a secret).
    var detail: String { get }
}

extension NotificationChannel {
    public var extraRetryDelay: Duration { .zero }
    public func validate(recipient: String) -> String? { recipient.isEmpty ? "empty recipient" : nil }
    public var pacing: PacingSettings { PacingSettings(minimumInterval: 0, dailyLimit: 0) }
    public func routingCategory(for content: NotificationContent) -> NotificationCategory? { content.category }
    public func summarize(_ messages: [QueuedMessage]) -> QueuedMessage? { nil }
    public var detail: String { name }
}
