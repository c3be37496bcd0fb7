import Foundation
import GenmonConfig
import Logging
import MailProtocol
import MailTransport

/// E-mail over SMTP (mymail.conf): messages rendered once as MIME (From with `sender_name`, To or
/// hidden recipients per `usebcc`, Date, Message-ID, UTF-8 subject, text with an HTML alternative
/// per `use_html`), then delivered one recipient per session, so a refused or stalling recipient
/// never holds up another.
public struct EmailChannel: NotificationChannel {
    public let name = "email"
    public let server: SMTPServer
    public let sender: Mailbox
    public let useBcc: Bool
    public let useHTML: Bool
    public let timeZone: TimeZone
    public let extraRetryDelay: Duration
    private let client: SMTPClient

    public init(server: SMTPServer, sender: Mailbox, useBcc: Bool = false, useHTML: Bool = false, extraRetryDelay: Duration = .zero,
                timeZone: TimeZone = .current, logger: Logger = Logger(label: "genmon.notify.email")) {
        self.server = server
        self.sender = sender
        self.useBcc = useBcc
        self.useHTML = useHTML
        self.extraRetryDelay = extraRetryDelay
        self.timeZone = timeZone
        client = SMTPClient(logger: logger)
    }

    /// The channel mymail.conf describes, or nil when sending is off there. `notify` brings the
    /// TLS trust settings (`ssl_ca_file`, `tls_verify`) from genmon.conf.
    public init?(mail: MailSettings, notify: NotifySettings, timeZone: TimeZone = .current,
                 timeouts: SMTPTimeouts = SMTPTimeouts(), logger: Logger = Logger(label: "genmon.notify.email")) {
        guard mail.sendingEnabled, let host = mail.smtpServer, let sender = mail.sender else { return nil }
        let mode: MailTLSConfiguration.Mode = mail.sslEnabled ? .implicit : (mail.tlsDisable ? .none : .startTLS)
        var credentials: SMTPCredentials?
        if !mail.smtpAuthDisable, !mail.password.isEmpty, let account = mail.account {
            credentials = try? SMTPCredentials(username: account, password: mail.password)
        }
        let server = SMTPServer(
            host: host, port: mail.smtpPort,
            tls: MailTLSConfiguration(mode: mode, verifyCertificates: notify.verifyTLS, additionalCAFile: notify.caFile),
            credentials: credentials, timeouts: timeouts)
        self.init(server: server, sender: Mailbox(displayName: mail.senderName, address: sender), useBcc: mail.useBcc,
                  useHTML: mail.useHTML, extraRetryDelay: .seconds(double: mail.extendWait), timeZone: timeZone, logger: logger)
    }

    public func validate(recipient: String) -> String? {
        do {
            _ = try EmailAddress(recipient)
            return nil
        } catch {
            return "\(error)"
        }
    }

    public func render(_ content: NotificationContent, for recipients: [String], at date: Date) throws -> RenderedPayload {
        let addresses = recipients.compactMap { try? EmailAddress($0) }
        let message = MailMessage(
            from: sender, recipients: addresses.isEmpty ? [sender.address] : addresses, recipientHeader: useBcc ? .bcc : .to,
            subject: content.subject, textBody: content.text, htmlBody: useHTML ? content.html : nil)
        var generator = SystemRandomNumberGenerator()
        let rendered = try MIMEWriter.render(message, date: date, timeZone: timeZone, messageIDDomain: sender.address.domain, using: &generator)
        return RenderedPayload(bytes: rendered.bytes, messageID: rendered.messageID.description)
    }

    public func deliver(_ message: QueuedMessage, to recipient: String) async -> DeliveryOutcome {
        let address: EmailAddress
        do { address = try EmailAddress(recipient) } catch { return .failed("\(recipient) is not an e-mail address: \(error)") }
        let envelope: SMTPEnvelope
        do { envelope = try SMTPEnvelope(sender: sender.address, recipients: [address]) } catch {
            return .failed("cannot address the message: \(error)")
        }
        guard !message.payload.isEmpty else { return .failed("the queued message has no e-mail rendering") }
        let result = await client.send(OutgoingMail(envelope: envelope, content: message.payload), to: server)
        return Self.outcome(result, for: address)
    }

    /// One recipient's outcome from a session's result, with the server's words.
    static func outcome(_ result: SMTPDeliveryResult, for address: EmailAddress) -> DeliveryOutcome {
        guard let status = result.recipients.first(where: { $0.address.normalized == address.normalized })?.status else {
            if let failure = result.sessionFailure { return failure.isPermanent ? .failed(failure.description) : .retryLater(failure.description, after: nil) }
            return .retryLater("the server gave no answer for \(address)", after: nil)
        }
        switch status {
        case .accepted:
            return .delivered("accepted by \(address.domain)'s mail server" + (result.messageReply.map { " (\($0))" } ?? ""))
        case let .temporaryFailure(failure):
            return .retryLater(failure.description, after: nil)
        case let .permanentFailure(failure):
            // A settings problem (password, certificate, sender) keeps the message until it is fixed.
            return failure.retry == .never ? .failed(failure.description) : .retryLater(failure.description, after: nil)
        }
    }

    public func test(_ content: NotificationContent, to recipients: [String]) async -> ChannelTestReport {
        guard !recipients.isEmpty else {
            let report = await client.testConnection(to: server)
            return ChannelTestReport(channel: name, succeeded: report.succeeded, summary: report.summary)
        }
        let payload: RenderedPayload
        do { payload = try render(content, for: recipients, at: content.time) } catch {
            return ChannelTestReport(channel: name, succeeded: false, summary: "The test message could not be written: \(error).")
        }
        var results: [ChannelTestReport.RecipientResult] = []
        for recipient in recipients {
            let started = ContinuousClock.now
            let message = QueuedMessage(notificationID: 0, subject: content.subject, category: nil, text: content.text,
                                        payload: payload.bytes, messageID: payload.messageID, created: content.time)
            let outcome = await deliver(message, to: recipient)
            results.append(.init(recipient: recipient, outcome: outcome, duration: started.duration(to: .now).seconds))
        }
        let succeeded = results.allSatisfy { if case .delivered = $0.outcome { true } else { false } }
        let lines = results.map { result -> String in
            switch result.outcome {
            case let .delivered(detail): "\(result.recipient): \(detail)."
            case let .retryLater(detail, _): "\(result.recipient): not sent now: \(detail)"
            case let .failed(detail): "\(result.recipient): refused: \(detail)"
            }
        }
        let via = "via \(server.endpoint)"
        return ChannelTestReport(channel: name, succeeded: succeeded,
                                 summary: (succeeded ? "Test e-mail sent \(via). " : "Test e-mail not sent \(via). ") + lines.joined(separator: " "),
                                 results: results)
    }
}
