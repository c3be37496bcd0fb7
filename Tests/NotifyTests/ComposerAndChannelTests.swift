import Foundation
import GenmonConfig
import LegacyProtocol
import MailProtocol
import MailTransport
import Monitor
@testable import Notify
import Testing

/// The text every channel sends, its HTML alternative, and the e-mail channel as mymail.conf sets it up.
@Suite("Message text and the e-mail channel")
struct ComposerAndChannelTests {
    static let composer = MessageComposer(reportContext: ReportContext(timeZone: NotifyFixture.utc), siteName: "Cabin")

    @Test("what happened first, then the facts, then the original's status and maintenance reports")
    func layout() throws {
        var snapshot = NotifyFixture.snapshot()
        snapshot.outage = OutageStatus(inOutage: true, currentStart: NotifyFixture.start)
        let draft = NotificationDraft(category: .outage, subject: "Outage Notice at Cabin", headline: "Utility Power Out at 2025-11-25 15:07:12",
                                      details: ["A detail."], source: "outage_started", time: NotifyFixture.start)
        let content = Self.composer.compose(draft, snapshot: snapshot, now: NotifyFixture.start)
        let lines = content.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Utility Power Out at 2025-11-25 15:07:12" && content.headline == lines[0])
        #expect(lines[1] == "A detail." && lines[2] == "")
        #expect(lines[3] == "Site : Cabin" && lines[4] == "Time : 2025-11-25 15:07:12")
        #expect(lines.contains { $0.hasPrefix("State : Auto, ") })
        #expect(lines.contains { $0.hasPrefix("Battery : ") && $0.hasSuffix(" V") })
        #expect(lines.contains("Utility power out since : 2025-11-25 15:07:12"))
        let status = try #require(lines.firstIndex { $0.hasPrefix("Status :") })
        let maintenance = try #require(lines.firstIndex { $0.hasPrefix("Maintenance :") })
        #expect(status > 4 && maintenance > status)
        #expect(content.text.hasSuffix("\n") && !content.text.contains("\r"))
    }

    @Test("short messages carry only site and time; a huge body is cut with a note")
    func shortAndLong() {
        let short = Self.composer.compose(NotificationDraft(category: .info, subject: "s", headline: "hello", attachment: .none,
                                                           source: "test", time: NotifyFixture.start), snapshot: NotifyFixture.snapshot(), now: NotifyFixture.start)
        #expect(short.text == "hello\n\nSite : Cabin\nTime : 2025-11-25 15:07:12\n")
        let long = Self.composer.compose(NotificationDraft(category: .info, subject: "s", headline: String(repeating: "x", count: 200_000),
                                                          attachment: .none, source: "test", time: NotifyFixture.start), snapshot: nil, now: NotifyFixture.start)
        #expect(long.text.utf8.count < MessageComposer.maximumTextLength + 100 && long.text.hasSuffix("too long]\n"))
    }

    @Test("the HTML alternative: key-value lines as table rows, headings, paragraphs, everything escaped")
    func html() {
        let html = HTMLBody.render("Alarm <b>now</b> & then\nSite : Cabin & Co\nEngine :\nplain line\n", title: "A \"title\"")
        #expect(html.contains("<title>A &quot;title&quot;</title>"))
        #expect(html.contains("Alarm &lt;b&gt;now&lt;/b&gt; &amp; then</p>"))
        #expect(html.contains("<td style=\"padding: 2px 8px 2px 0; color: #555; vertical-align: top;\">Site</td><td style=\"padding: 2px 0;\">Cabin &amp; Co</td>"))
        #expect(html.contains(">Engine</h3>") && html.contains(">plain line</p>"))
        #expect(html.contains("name=\"viewport\""), "made for a phone")
    }

    static func mail(_ change: (inout MailSettings) -> Void = { _ in }) throws -> MailSettings {
        var mail = MailSettings()
        mail.path = "mymail.conf"
        mail.smtpServer = "smtp.example.org"
        mail.account = "genmon@example.org"
        mail.password = "secret"
        mail.sender = try EmailAddress("genmon@example.org")
        mail.senderName = "Genmon Cabin"
        change(&mail)
        return mail
    }

    @Test("mymail.conf's security keys become the SMTP connection: STARTTLS by default, SMTPS, plain, no sign-in, ssl_ca_file and tls_verify")
    func serverSettings() throws {
        var notify = NotifySettings()
        let startTLS = try #require(EmailChannel(mail: try Self.mail(), notify: notify))
        #expect(startTLS.server.tls.mode == .startTLS && startTLS.server.tls.verifyCertificates && startTLS.server.port == 587)
        #expect(startTLS.server.credentials?.username == "genmon@example.org")
        let implicit = try #require(EmailChannel(mail: try Self.mail { $0.sslEnabled = true; $0.smtpPort = 465; $0.extendWait = 30 }, notify: notify))
        #expect(implicit.server.tls.mode == .implicit && implicit.server.port == 465 && implicit.extraRetryDelay == .seconds(30))
        let plain = try #require(EmailChannel(mail: try Self.mail { $0.tlsDisable = true; $0.smtpAuthDisable = true }, notify: notify))
        #expect(plain.server.tls.mode == .none && plain.server.credentials == nil)
        notify.caFile = "/etc/genmon/ca.pem"
        notify.verifyTLS = false
        let trusted = try #require(EmailChannel(mail: try Self.mail(), notify: notify))
        #expect(trusted.server.tls.additionalCAFile == "/etc/genmon/ca.pem" && !trusted.server.tls.verifyCertificates)
        #expect(EmailChannel(mail: try Self.mail { $0.disableSMTP = true }, notify: notify) == nil)
        #expect(EmailChannel(mail: try Self.mail { $0.password = "" }, notify: NotifySettings())?.server.credentials == nil)
    }

    @Test("rendered once as MIME: From with sender_name, To or hidden recipients (usebcc), Message-ID, UTF-8 subject, HTML when asked")
    func rendering() throws {
        let content = Self.composer.compose(NotificationDraft(category: .warn, subject: "Generator Alert at Hütte: CRITICAL ", headline: "Alarm",
                                                             source: "alarm_raised", time: NotifyFixture.start), snapshot: nil, now: NotifyFixture.start)
        let channel = try #require(EmailChannel(mail: try Self.mail { $0.useHTML = true }, notify: NotifySettings(), timeZone: NotifyFixture.utc))
        let payload = try channel.render(content, for: ["alice@example.org", "bob@example.org"], at: NotifyFixture.start)
        let text = String(decoding: payload.bytes, as: UTF8.self)
        #expect(text.contains("From: Genmon Cabin <genmon@example.org>\r\n"))
        #expect(text.contains("To: <alice@example.org>, <bob@example.org>\r\n"))
        #expect(text.contains("Message-ID: \(try #require(payload.messageID))\r\n"))
        #expect(text.contains("Date: Tue, 25 Nov 2025 15:07:12 +0000\r\n"))
        #expect(text.lowercased().contains("subject: =?utf-8?"))
        #expect(text.contains("multipart/alternative") && text.contains("text/html"))
        let hidden = try #require(EmailChannel(mail: try Self.mail { $0.useBcc = true }, notify: NotifySettings()))
        let bcc = String(decoding: try hidden.render(content, for: ["alice@example.org", "bob@example.org"], at: NotifyFixture.start).bytes, as: UTF8.self)
        #expect(bcc.contains("To: undisclosed-recipients:;\r\n") && !bcc.contains("alice@example.org") && !bcc.lowercased().contains("\r\nbcc:"))
        #expect(!bcc.contains("text/html"), "no HTML part without use_html")
        #expect(hidden.validate(recipient: "not an address") != nil && hidden.validate(recipient: "a@example.org") == nil)
    }
}
