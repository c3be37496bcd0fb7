import Testing
@testable import MailProtocol

@Suite("SMTP session: failures, per recipient and per session")
struct SMTPSessionFailureTests {
    let credentials = SMTPSessionTests.credentials

    @Test("421 and 554 greetings end the session; only 554 gets a QUIT")
    func greetings() throws {
        var refused421 = Conversation()
        refused421.event(.connected(localAddress: nil))
        refused421.reply("421 4.3.2 Service not available, closing channel")
        #expect(refused421.failure?.kind == .greetingRefused)
        #expect(refused421.failure?.explanation.hasPrefix("the mail server is not accepting connections right now") == true)
        #expect(refused421.failure?.retry == .later)
        #expect(refused421.sent.isEmpty)
        #expect(refused421.result?.recipients.map(\.status) == [.temporaryFailure(try #require(refused421.failure))])

        var refused554 = Conversation()
        refused554.event(.connected(localAddress: nil))
        refused554.reply("554 5.7.1 No SMTP service here")
        #expect(refused554.failure?.kind == .greetingRefused)
        #expect(refused554.sent == ["QUIT"])
        #expect(refused554.failure?.explanation.hasPrefix("the mail server refused the connection") == true)
        #expect(refused554.failure?.greetingText == "554 5.7.1 No SMTP service here")
    }

    @Test("STARTTLS required but not offered: no credentials, no envelope, a clear reason")
    func startTLSNotOffered() {
        var talk = Conversation(security: .startTLS, credentials: credentials)
        talk.greet()
        talk.reply("250-mx\n250 AUTH PLAIN LOGIN")
        #expect(talk.failure?.kind == .startTLSNotOffered)
        #expect(talk.sent == ["EHLO genmon.test", "QUIT"])
        #expect(talk.failure?.retry == .afterSettingsChange)
        #expect(talk.failure?.explanation.contains("does not offer STARTTLS") == true)
    }

    @Test("EHLO refused in STARTTLS mode cannot fall back to HELO")
    func ehloRefusedNeedingTLS() {
        var talk = Conversation(security: .startTLS)
        talk.greet()
        talk.reply("500 5.5.1 unrecognized")
        #expect(talk.failure?.kind == .startTLSNotOffered)
        #expect(!talk.sent.contains("HELO genmon.test"))
    }

    @Test("STARTTLS refused, and data sneaking in before the handshake")
    func startTLSRefused() {
        var refused = Conversation(security: .startTLS)
        refused.greet()
        refused.reply("250-mx\n250 STARTTLS")
        refused.reply("454 4.7.0 TLS not available due to temporary reason")
        #expect(refused.failure?.kind == .startTLSRefused)
        #expect(refused.failure?.retry == .later)

        var injected = Conversation(security: .startTLS)
        injected.greet()
        injected.reply("250-mx\n250 STARTTLS")
        injected.reply("220 go")
        injected.event(.unexpectedDataBeforeTLS)
        #expect(injected.failure.map { if case .protocolViolation = $0.kind { true } else { false } } == true)
    }

    @Test("sign-in failures: 535 wrong password, 454 temporary, 534 app password, none offered")
    func authFailures() {
        let cases: [(String, SMTPFailure.Kind, String, SMTPFailure.Retry)] = [
            ("535 5.7.8 Authentication credentials invalid", .authenticationRejected, "the server refused the user name or password", .afterSettingsChange),
            ("454 4.7.0 Temporary authentication failure", .authenticationTemporarilyFailed, "the mail server could not check the user name and password just now", .later),
            ("534 5.7.9 Application-specific password required", .authenticationRefused, "the mail server wants a different sign-in method (some providers need an app password)", .afterSettingsChange),
            ("504 5.5.4 Unrecognized authentication type", .authenticationRefused, "the mail server refused the sign-in", .afterSettingsChange),
        ]
        for (answer, kind, explanation, retry) in cases {
            var talk = Conversation(credentials: credentials)
            talk.greet()
            talk.reply("250-mx\n250 AUTH PLAIN")
            talk.reply(answer)
            #expect(talk.failure?.kind == kind, "\(answer)")
            #expect(talk.failure?.explanation.hasPrefix(explanation) == true, "\(answer): \(talk.failure?.explanation ?? "")")
            #expect(talk.failure?.retry == retry, "\(answer)")
            #expect(talk.lastSent == "QUIT")
            #expect(talk.failure?.description.contains(answer) == true)
        }
        var none = Conversation(credentials: credentials)
        none.greet()
        none.reply("250-mx\n250 AUTH CRAM-MD5 XOAUTH2")
        #expect(none.failure?.kind == .authenticationNotOffered(offered: ["CRAM-MD5", "XOAUTH2"]))
        #expect(none.failure?.explanation.contains("CRAM-MD5, XOAUTH2") == true)

        var extra = Conversation(credentials: credentials)
        extra.greet()
        extra.reply("250-mx\n250 AUTH PLAIN")
        extra.reply("334 ")
        extra.reply("334 again?")
        #expect(extra.failure?.kind == .unexpectedReply(.authentication))
        #expect(extra.lastSent != "QUIT", "the server waits for an AUTH line, so no QUIT")
    }

    @Test("per recipient: 250 accepted, 451 retried later, 550 refused for good; the message still goes")
    func perRecipient() throws {
        var talk = Conversation(recipients: ["a@example.com", "later@example.com", "gone@example.com"])
        talk.greet()
        talk.reply("250 mx")
        talk.reply("250 ok")
        talk.reply("250 2.1.5 ok")
        talk.reply("451 4.2.1 Mailbox busy, try later")
        talk.reply("550 5.1.1 User unknown")
        #expect(talk.lastSent == "DATA")
        talk.reply("354 go")
        talk.reply("250 queued")
        talk.reply("221 bye")
        let result = try #require(talk.result)
        #expect(result.sessionFailure == nil)
        #expect(!result.succeeded)
        #expect(result.recipients[0].status == .accepted)
        guard case let .temporaryFailure(later) = result.recipients[1].status,
              case let .permanentFailure(gone) = result.recipients[2].status else {
            Issue.record("wrong statuses \(result.recipients)")
            return
        }
        #expect(later.kind == .rcpt("later@example.com") && later.retry == .later)
        #expect(later.explanation.hasPrefix("the mail server could not take mail for later@example.com now"))
        #expect(gone.kind == .rcpt("gone@example.com") && gone.isPermanent)
        #expect(gone.explanation == "the mail server refused the recipient gone@example.com: the mailbox does not exist")
    }

    @Test("every recipient refused: no DATA, just QUIT")
    func allRefused() throws {
        var talk = Conversation(recipients: ["x@example.com", "y@example.com"])
        talk.greet()
        talk.reply("250 mx")
        talk.reply("250 ok")
        talk.reply("550 no")
        talk.reply("452 4.5.3 Too many recipients")
        #expect(talk.lastSent == "QUIT")
        #expect(!talk.sent.contains("DATA"))
        talk.reply("221 bye")
        let result = try #require(talk.result)
        #expect(result.accepted.isEmpty)
        #expect(result.sessionFailure == nil)
    }

    @Test("a 421 in the middle closes at once and every recipient is retried")
    func serviceClosing() {
        var talk = Conversation(recipients: ["a@example.com", "b@example.com"])
        talk.greet()
        talk.reply("250 mx")
        talk.reply("250 ok")
        talk.reply("250 ok")
        talk.reply("421 4.4.2 timeout, closing")
        #expect(talk.failure?.kind == .serviceClosing(.rcptTo(address("b@example.com"))))
        #expect(talk.lastSent == "RCPT TO:<b@example.com>", "no QUIT to a server that is closing")
        #expect(talk.result?.recipients.allSatisfy { if case .temporaryFailure = $0.status { true } else { false } } == true)
    }

    @Test("DATA refused and the message refused: accepted recipients share the verdict")
    func dataAndMessageRefused() {
        let cases: [(String?, String, SMTPFailure.Kind, Bool)] = [
            (nil, "554 5.5.1 No valid recipients", .dataRefused, true),
            (nil, "451 4.3.0 Try later", .dataRefused, false),
            ("354 go", "550 5.7.1 Message rejected as spam", .messageRefused, true),
            ("354 go", "452 4.3.1 Insufficient system storage", .messageRefused, false),
        ]
        for (dataAnswer, verdict, kind, permanent) in cases {
            var talk = Conversation(recipients: ["a@example.com", "b@example.com"])
            talk.greet()
            talk.reply("250 mx")
            talk.reply("250 ok")
            talk.reply("250 ok")
            talk.reply("550 5.1.1 no such user")
            if let dataAnswer { talk.reply(dataAnswer) }
            talk.reply(verdict)
            #expect(talk.failure?.kind == kind, "\(verdict)")
            #expect(talk.failure?.isPermanent == permanent, "\(verdict)")
            let statuses = talk.result?.recipients.map(\.status) ?? []
            #expect(statuses.count == 2)
            if case .permanentFailure(let own) = statuses.last { #expect(own.kind == .rcpt("b@example.com")) } else {
                Issue.record("b keeps its own refusal")
            }
            #expect(talk.lastSent == "QUIT")
        }
    }

    @Test("a message larger than the server's SIZE is not offered at all")
    func tooLarge() {
        var talk = Conversation()
        talk.greet()
        talk.reply("250-mx\n250 SIZE 10")
        #expect(talk.failure?.kind == .messageTooLarge(size: 24, limit: 10))
        #expect(talk.failure?.isPermanent == true)
        #expect(talk.sent == ["EHLO genmon.test", "QUIT"])
    }

    @Test("an international address without SMTPUTF8 is refused before MAIL FROM")
    func needsSMTPUTF8() {
        var talk = Conversation(recipients: ["jörg@example.de"])
        talk.greet()
        talk.reply("250-mx\n250 8BITMIME")
        #expect(talk.failure?.kind == .internationalAddressNotSupported)
    }

    @Test("a sender refused: 5xx is a settings problem, 4xx is temporary")
    func senderRefused() {
        for (answer, retry) in [("553 5.7.1 Sender address rejected: not owned by user", SMTPFailure.Retry.afterSettingsChange),
                                ("451 4.3.0 try later", .later)] {
            var talk = Conversation()
            talk.greet()
            talk.reply("250 mx")
            talk.reply(answer)
            #expect(talk.failure?.kind == .senderRefused)
            #expect(talk.failure?.retry == retry)
        }
    }

    @Test("a timeout at every step names that step")
    func timeouts() throws {
        var steps: [(SMTPStep, String)] = []
        for stop in 0..<9 {
            var talk = Conversation(security: .startTLS, credentials: credentials)
            talk.event(.connected(localAddress: nil))
            let replies = ["220 hi", "250-mx\n250 STARTTLS", "220 go", nil, "250-mx\n250 AUTH PLAIN", "235 ok", "250 ok", "250 ok", "354 go"]
            for index in 0..<stop {
                if let reply = replies[index] { talk.reply(reply) } else { talk.event(.tlsEstablished) }
            }
            let step = try #require(talk.session.waitingFor)
            talk.event(.timedOut(afterSeconds: 60))
            #expect(talk.failure?.kind == .timedOut(step, afterSeconds: 60))
            #expect(talk.failure?.retry == .later)
            steps.append((step, talk.failure?.explanation ?? ""))
        }
        #expect(steps.map(\.0) == [.greeting, .ehlo, .startTLS, .tlsHandshake, .ehlo, .authentication, .mailFrom,
                                   .rcptTo(address("alice@example.com")), .data])
        #expect(steps.last?.1 == "no answer to DATA after 60 s")
        #expect(steps[7].1 == "no answer to RCPT TO:<alice@example.com> after 60 s")
    }

    @Test("a closed connection, an unreadable reply and a stray TLS event end the session")
    func brokenConnections() {
        var closed = Conversation()
        closed.greet()
        closed.event(.connectionClosed)
        #expect(closed.failure?.kind == .connectionLost(.ehlo))

        var garbage = Conversation()
        garbage.greet()
        garbage.event(.malformedReply(.malformedLine("HTTP/1.1 400")))
        #expect(garbage.failure.map { if case .protocolViolation = $0.kind { true } else { false } } == true)
        #expect(garbage.closed == 1)

        var stray = Conversation()
        stray.greet()
        stray.event(.tlsEstablished)
        #expect(stray.failure.map { if case .protocolViolation = $0.kind { true } else { false } } == true)

        var early = Conversation(security: .implicitTLS)
        early.event(.connected(localAddress: nil))
        early.reply("220 plain text before TLS?")
        #expect(early.failure.map { if case .protocolViolation = $0.kind { true } else { false } } == true)

        var failedTLS = Conversation(security: .implicitTLS)
        failedTLS.event(.connected(localAddress: nil))
        failedTLS.event(.connectionFailed(.certificateRejected, detail: "the certificate is not for mx.example.com"))
        #expect(failedTLS.failure?.kind == .certificateRejected)
        #expect(failedTLS.failure?.description.contains("not for mx.example.com") == true)
        #expect(failedTLS.results.count == 1 && failedTLS.closed == 1)
    }
}

extension SMTPFailure {
    /// The reply as text, for expectations.
    var greetingText: String? { reply?.description }
}
