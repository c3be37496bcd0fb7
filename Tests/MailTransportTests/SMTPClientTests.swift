import Foundation
import GenmonTesting
import MailProtocol
import MailTransport
import Testing

/// The SMTP client against a real SMTP server (aiosmtpd) on 127.0.0.1.
@Suite("SMTP client against a real server", .tags(.process), .slowTier)
struct SMTPClientTests {
    let log = CapturedLog()
    var client: SMTPClient { SMTPClient(logger: log.logger) }

    @Test("plain SMTP with AUTH PLAIN delivers the exact bytes, dot lines included, and never logs the password")
    func plainWithAuthPlain() async throws {
        let options = SMTPTestServerOptions(user: Fixture.user, password: Fixture.password)
        try await withSMTPTestServer(options) { server async throws in
            let raw = Array("Subject: dots\r\n\r\n.\r\n..two\r\n.hidden\r\nend\r\n".utf8)
            let mail = OutgoingMail(
                envelope: try SMTPEnvelope(sender: Fixture.address("genmon@example.org"), recipients: [Fixture.address("alice@example.com")]),
                content: raw)
            let result = await client.send(mail, to: Fixture.server(port: server.port, mode: .none, credentials: Fixture.credentials))
            #expect(result.succeeded, "\(String(describing: result.sessionFailure))")
            #expect(result.authenticated)
            #expect(!result.usedTLS)
            #expect(result.messageReply?.code == 250)
            let received = try server.receivedMessages()
            try #require(received.count == 1)
            #expect(received[0].content == String(decoding: raw, as: UTF8.self))
            #expect(received[0].mailFrom == "genmon@example.org")
            #expect(received[0].recipients == ["alice@example.com"])
            #expect(received[0].authenticated)
            #expect(received[0].mailOptions.contains("SIZE=\(raw.count)"))
        }
        #expect(!log.text.contains(Fixture.password))
        #expect(!log.text.contains("Z2VubW9uLXVzZXI"))  // base64 of the user name as sent in AUTH
        #expect(log.text.contains("C: <sign-in data hidden>"))
    }

    @Test("AUTH LOGIN is used when the server offers no PLAIN")
    func authLogin() async throws {
        let options = SMTPTestServerOptions(user: Fixture.user, password: Fixture.password, excludedMechanisms: ["PLAIN"])
        try await withSMTPTestServer(options) { server async throws in
            let result = await client.send(try Fixture.mail(to: ["bob@example.com"]), to: Fixture.server(port: server.port, mode: .none, credentials: Fixture.credentials))
            #expect(result.succeeded, "\(String(describing: result.sessionFailure))")
            #expect(try server.receivedMessages().first?.authenticated == true)
        }
        #expect(!log.text.contains(Fixture.password))
    }

    @Test("STARTTLS with a CA the test made, trusted through additionalCAFile")
    func startTLS() async throws {
        let certificates = try TestCertificates.shared.get()
        let options = SMTPTestServerOptions(mode: .starttls, certificate: certificates.localhost, user: Fixture.user, password: Fixture.password)
        try await withSMTPTestServer(options) { server async throws in
            let mail = try Fixture.mail(to: ["alice@example.com", "bob@example.com"])
            let result = await client.send(
                mail, to: Fixture.server(port: server.port, mode: .startTLS, caFile: certificates.caFile, credentials: Fixture.credentials))
            #expect(result.succeeded, "\(String(describing: result.sessionFailure))")
            #expect(result.usedTLS)
            #expect(result.accepted.map(\.description) == ["alice@example.com", "bob@example.com"])
            let received = try server.receivedMessages()
            try #require(received.count == 1)
            #expect(received[0].tls)
            #expect(received[0].authenticated)
            #expect(received[0].content == String(decoding: mail.content, as: UTF8.self))
        }
    }

    @Test("implicit TLS (SMTPS) delivers")
    func implicitTLS() async throws {
        let certificates = try TestCertificates.shared.get()
        let options = SMTPTestServerOptions(mode: .implicit, certificate: certificates.localhost, user: Fixture.user, password: Fixture.password)
        try await withSMTPTestServer(options) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]),
                to: Fixture.server(port: server.port, mode: .implicit, caFile: certificates.caFile, credentials: Fixture.credentials))
            #expect(result.succeeded, "\(String(describing: result.sessionFailure))")
            #expect(result.usedTLS)
            #expect(try server.receivedMessages().first?.tls == true)
        }
    }

    @Test("implicit TLS to an IP address checks the certificate's IP entry")
    func implicitTLSByAddress() async throws {
        let certificates = try TestCertificates.shared.get()
        try await withSMTPTestServer(SMTPTestServerOptions(mode: .implicit, certificate: certificates.localhost)) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]),
                to: Fixture.server(port: server.port, mode: .implicit, host: "127.0.0.1", caFile: certificates.caFile))
            #expect(result.succeeded, "\(String(describing: result.sessionFailure))")
        }
    }

    @Test("a wrong password is reported in plain words and nothing is sent")
    func wrongPassword() async throws {
        let certificates = try TestCertificates.shared.get()
        let options = SMTPTestServerOptions(mode: .starttls, certificate: certificates.localhost, user: Fixture.user, password: "other")
        try await withSMTPTestServer(options) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]),
                to: Fixture.server(port: server.port, mode: .startTLS, caFile: certificates.caFile, credentials: Fixture.credentials))
            let failure = try #require(result.sessionFailure)
            #expect(failure.kind == .authenticationRejected)
            #expect(failure.reply?.code == 535)
            #expect(failure.explanation == "the server refused the user name or password")
            #expect(failure.retry == .afterSettingsChange)
            #expect(result.recipients.map(\.status) == [.temporaryFailure(failure)])
            #expect(try server.receivedMessages().isEmpty)
        }
    }

    @Test("451 and 550 answers to single recipients: the others still get the message")
    func perRecipientAnswers() async throws {
        let options = SMTPTestServerOptions(recipientAnswers: [
            "later@example.com": "451 4.3.0 Mailbox temporarily unavailable",
            "nobody@example.com": "550 5.1.1 No such user here",
        ])
        try await withSMTPTestServer(options) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["later@example.com", "alice@example.com", "nobody@example.com"]),
                to: Fixture.server(port: server.port, mode: .none))
            #expect(result.sessionFailure == nil)
            try #require(result.recipients.count == 3)
            guard case let .temporaryFailure(later) = result.recipients[0].status else { Issue.record("451 not temporary"); return }
            #expect(later.reply?.code == 451)
            #expect(later.retry == .later)
            #expect(result.recipients[1].status == .accepted)
            guard case let .permanentFailure(nobody) = result.recipients[2].status else { Issue.record("550 not permanent"); return }
            #expect(nobody.reply?.enhancedCode?.description == "5.1.1")
            #expect(nobody.explanation.contains("the mailbox does not exist"))
            #expect(try server.receivedMessages().map(\.recipients) == [["alice@example.com"]])
        }
    }

    @Test("a 421 to a recipient ends the session: everyone is retried later")
    func recipient421() async throws {
        let options = SMTPTestServerOptions(recipientAnswers: ["busy@example.com": "421 4.7.0 Too busy, closing"])
        try await withSMTPTestServer(options) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com", "busy@example.com"]), to: Fixture.server(port: server.port, mode: .none))
            let failure = try #require(result.sessionFailure)
            #expect(failure.kind == .serviceClosing(.rcptTo(Fixture.address("busy@example.com"))))
            #expect(result.recipients.allSatisfy { $0.status == .temporaryFailure(failure) })
            #expect(try server.receivedMessages().isEmpty)
        }
    }

    @Test("a 421 greeting is reported as the server not accepting connections")
    func greeting421() async throws {
        try await withSMTPTestServer(SMTPTestServerOptions(mode: .greeting)) { server async throws in
            let result = await client.send(try Fixture.mail(to: ["alice@example.com"]), to: Fixture.server(port: server.port, mode: .none))
            let failure = try #require(result.sessionFailure)
            #expect(failure.kind == .greetingRefused)
            #expect(failure.reply?.code == 421)
            #expect(failure.explanation.hasPrefix("the mail server is not accepting connections right now"))
            #expect(failure.retry == .later)
        }
    }

    @Test("a 554 greeting is a refusal")
    func greeting554() async throws {
        try await withSMTPTestServer(SMTPTestServerOptions(mode: .greeting, greeting: "554 5.7.1 No SMTP service for you")) { server async throws in
            let report = await client.testConnection(to: Fixture.server(port: server.port, mode: .none))
            #expect(!report.succeeded)
            #expect(report.result.sessionFailure?.kind == .greetingRefused)
            #expect(report.summary.contains("the mail server refused the connection"))
            #expect(report.summary.contains("554 5.7.1 No SMTP service for you"))
        }
    }
}
