import Foundation
import MailProtocol
import Notify
import Store

/// Where replies to e-mail commands go: rendered once as MIME and committed to the notification
/// outbox on the e-mail lane of their one recipient, then the delivery worker is woken. So a reply
/// is retried like every notification and survives a restart.
public struct CommandReplyOutbox: Sendable {
    public let sender: Mailbox
    public let database: GenmonDatabase
    public let signal: DeliverySignal
    public let timeZone: TimeZone
    /// The outbox channel replies are delivered on (the e-mail channel's name).
    public static let channel = "email"

    public init(sender: Mailbox, database: GenmonDatabase, signal: DeliverySignal, timeZone: TimeZone = .current) {
        self.sender = sender
        self.database = database
        self.signal = signal
        self.timeZone = timeZone
    }

    /// Renders `message` and commits it to the outbox; the outbox id.
    @discardableResult
    public func queue(_ message: MailMessage, at date: Date) async throws -> Int64 {
        var generator = SystemRandomNumberGenerator()
        let rendered = try MIMEWriter.render(message, date: date, timeZone: timeZone, messageIDDomain: sender.address.domain, using: &generator)
        let lanes = message.recipients.map { OutboxLane(channel: Self.channel, recipient: $0.description) }
        let id = try await database.enqueue(OutboxMessage(
            created: date, category: "warn", subject: message.subject, body: message.textBody, source: "email-command",
            messageID: rendered.messageID.description, payloads: [Self.channel: rendered.bytes], lanes: lanes))
        signal.notify()
        return id
    }
}
