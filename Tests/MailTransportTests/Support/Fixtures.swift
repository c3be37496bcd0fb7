import Foundation
import Logging
import MailProtocol
import MailTransport
import Synchronization

/// A log handler that keeps every line, to check what the client logs (and that it hides passwords).
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "smtp-test") { _ in CapturingHandler(log: self) }
        logger.logLevel = .debug
        return logger
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.append("\(event.level) \(event.message)")
        }
    }
}

enum Fixture {
    static let user = "genmon-user"
    static let password = "S3cret-pa55word"

    static func address(_ text: String) -> EmailAddress {
        // Test addresses are literals known to be valid.
        (try? EmailAddress(text)) ?? { fatalError("bad test address \(text)") }()
    }

    static var credentials: SMTPCredentials {
        (try? SMTPCredentials(username: user, password: password)) ?? { fatalError("bad test credentials") }()
    }

    /// A rendered notification to `recipients` with a UTF-8 subject, an HTML part and a dot line.
    static func mail(to recipients: [String], subject: String = "Outage Notice at Home – Stromausfall") throws -> OutgoingMail {
        let message = MailMessage(
            from: Mailbox(displayName: "Genmon", address: address("genmon@example.org")),
            recipients: recipients.map(address), subject: subject,
            textBody: "Utility Power Out at 2025-11-25 15:07:12\n.\nA line that starts with a dot: .hidden\nÜnïcödé line\n",
            htmlBody: "<p>Utility Power Out</p>")
        var generator = SystemRandomNumberGenerator()
        let rendered = try MIMEWriter.render(
            message, date: Date(timeIntervalSince1970: 1_764_101_232), timeZone: TimeZone(identifier: "America/New_York") ?? .current,
            messageIDDomain: "genmon.example.org", using: &generator)
        return try OutgoingMail(rendered, of: message)
    }

    static func server(
        port: Int, mode: MailTLSConfiguration.Mode, host: String = "localhost", caFile: String? = nil, verify: Bool = true,
        credentials: SMTPCredentials? = nil, timeouts: SMTPTimeouts = SMTPTimeouts(command: .seconds(10))
    ) -> SMTPServer {
        SMTPServer(
            host: host, port: port, tls: MailTLSConfiguration(mode: mode, verifyCertificates: verify, additionalCAFile: caFile),
            credentials: credentials, clientName: try? SMTPClientName("genmon.test"), timeouts: timeouts)
    }
}
