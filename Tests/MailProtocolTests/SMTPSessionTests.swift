import Testing
@testable import MailProtocol

@Suite("SMTP session: successful conversations")
struct SMTPSessionTests {
    static let credentials: SMTPCredentials = {
        do { return try SMTPCredentials(username: "tim", password: "tanstaaftanstaaf") } catch { fatalError("\(error)") }
    }()

    @Test("plain SMTP with AUTH PLAIN: every command in order, one at a time")
    func plainDelivery() throws {
        var talk = Conversation(credentials: Self.credentials, recipients: ["alice@example.com", "bob@example.com"])
        #expect(talk.session.waitingFor == .connect)
        talk.greet()
        #expect(talk.sent == ["EHLO genmon.test"])
        talk.reply("250-mx.example.com\n250-SIZE 1000000\n250-8BITMIME\n250 AUTH PLAIN LOGIN")
        #expect(talk.lastSent == "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm")
        #expect(talk.session.waitingFor == .authentication)
        talk.reply("235 2.7.0 Authentication successful")
        #expect(talk.lastSent == "MAIL FROM:<genmon@example.org> SIZE=24")
        talk.reply("250 2.1.0 Ok")
        #expect(talk.lastSent == "RCPT TO:<alice@example.com>")
        #expect(talk.session.waitingFor == .rcptTo(address("alice@example.com")))
        talk.reply("250 2.1.5 Ok")
        #expect(talk.lastSent == "RCPT TO:<bob@example.com>")
        talk.reply("250 2.1.5 Ok")
        #expect(talk.lastSent == "DATA")
        talk.reply("354 End data with <CR><LF>.<CR><LF>")
        #expect(talk.lastSent == "<message 27 bytes>")
        #expect(talk.session.waitingFor == .endOfMessage)
        talk.reply("250 2.0.0 Ok: queued as 4F2A1")
        #expect(talk.lastSent == "QUIT")
        #expect(talk.results.isEmpty)
        talk.reply("221 2.0.0 Bye")
        #expect(talk.closed == 1)
        let result = try #require(talk.result)
        #expect(talk.results.count == 1)
        #expect(result.succeeded)
        #expect(result.authenticated && !result.usedTLS)
        #expect(result.accepted.map(\.description) == ["alice@example.com", "bob@example.com"])
        #expect(result.messageReply?.text == "Ok: queued as 4F2A1")
        #expect(talk.session.isFinished && talk.session.waitingFor == nil)
    }

    @Test("STARTTLS: upgrade first, forget the first EHLO, greet again, then sign in")
    func startTLS() throws {
        var talk = Conversation(security: .startTLS, credentials: Self.credentials)
        talk.greet()
        talk.reply("250-mx.example.com\n250-STARTTLS\n250 AUTH PLAIN")
        #expect(talk.lastSent == "STARTTLS")
        talk.reply("220 2.0.0 Ready to start TLS")
        #expect(talk.startTLSRequested == 1)
        #expect(talk.session.waitingFor == .tlsHandshake)
        talk.event(.tlsEstablished)
        #expect(talk.lastSent == "EHLO genmon.test")
        talk.reply("250-mx.example.com\n250 AUTH LOGIN")
        #expect(talk.lastSent == "AUTH LOGIN", "the capabilities after TLS decide, not those before")
        #expect(talk.sentBeforeTLS == ["EHLO genmon.test", "STARTTLS"])
    }

    @Test("implicit TLS waits for the handshake before the greeting")
    func implicitTLS() {
        var talk = Conversation(security: .implicitTLS, credentials: Self.credentials)
        talk.event(.connected(localAddress: nil))
        #expect(talk.session.waitingFor == .tlsHandshake)
        #expect(talk.sent.isEmpty)
        talk.event(.tlsEstablished)
        #expect(talk.session.waitingFor == .greeting)
        talk.reply("220 ready")
        talk.reply("250-mx\n250 AUTH PLAIN")
        #expect(talk.lastSent?.hasPrefix("AUTH PLAIN ") == true)
        #expect(talk.sentBeforeTLS.isEmpty)
    }

    @Test("AUTH LOGIN answers the user name, then the password, in base64")
    func authLogin() {
        var talk = Conversation(credentials: Self.credentials)
        talk.greet()
        talk.reply("250-mx\n250 AUTH=LOGIN")
        #expect(talk.lastSent == "AUTH LOGIN")
        talk.reply("334 VXNlcm5hbWU6")
        #expect(talk.lastSent == "dGlt")
        talk.reply("334 UGFzc3dvcmQ6")
        #expect(talk.lastSent == "dGFuc3RhYWZ0YW5zdGFhZg==")
        talk.reply("235 ok")
        #expect(talk.lastSent == "MAIL FROM:<genmon@example.org>")
    }

    @Test("AUTH PLAIN answered with 334 sends the response on its own line")
    func authPlainContinuation() {
        var talk = Conversation(credentials: Self.credentials)
        talk.greet()
        talk.reply("250-mx\n250 AUTH PLAIN")
        talk.reply("334 ")
        #expect(talk.lastSent == "AHRpbQB0YW5zdGFhZnRhbnN0YWFm")
        talk.reply("235 ok")
        #expect(talk.lastSent == "MAIL FROM:<genmon@example.org>")
    }

    @Test("EHLO not understood: HELO, then mail without extensions")
    func heloFallback() {
        var talk = Conversation()
        talk.greet()
        talk.reply("502 5.5.2 Command not recognized")
        #expect(talk.lastSent == "HELO genmon.test")
        #expect(talk.session.waitingFor == .helo)
        talk.reply("250 mx")
        #expect(talk.lastSent == "MAIL FROM:<genmon@example.org>")
    }

    @Test("ESMTP parameters: SIZE, BODY=8BITMIME for 8-bit content, SMTPUTF8 for international addresses")
    func parameters() {
        var eightBit = Conversation(message: bytes("Subject: ü\r\n\r\nü\r\n"))
        eightBit.greet()
        eightBit.reply("250-mx\n250-SIZE\n250 8BITMIME")
        #expect(eightBit.lastSent == "MAIL FROM:<genmon@example.org> SIZE=19 BODY=8BITMIME")

        var international = Conversation(recipients: ["jörg@example.de"])
        international.greet()
        international.reply("250-mx\n250 SMTPUTF8")
        #expect(international.lastSent == "MAIL FROM:<genmon@example.org> SMTPUTF8")
        international.reply("250 ok")
        #expect(international.lastSent == "RCPT TO:<jörg@example.de>")
    }

    @Test("the client name falls back to the connection's address literal")
    func clientNameFallback() throws {
        let envelope = try SMTPEnvelope(sender: Conversation.sender, recipients: [address("a@example.com")])
        var session = SMTPSession(configuration: SMTPSessionConfiguration(
            clientName: nil, security: .plain, credentials: nil, purpose: .deliver(envelope, message: [])))
        _ = session.handle(.connected(localAddress: SMTPClientName.addressLiteral(forIP: "192.0.2.7")))
        let actions = session.handle(.reply(SMTPReply(code: 220, lines: ["hi"])))
        #expect(actions == [.send(bytes("EHLO [192.0.2.7]\r\n"))])
    }

    @Test("checking a connection signs in and quits without a transaction")
    func checkConnection() throws {
        var talk = Conversation(security: .startTLS, credentials: Self.credentials, checkOnly: true)
        talk.greet()
        talk.reply("250-mx\n250 STARTTLS")
        talk.reply("220 go")
        talk.event(.tlsEstablished)
        talk.reply("250-mx\n250 AUTH PLAIN")
        talk.reply("235 ok")
        #expect(talk.lastSent == "QUIT")
        talk.event(.connectionClosed)
        let result = try #require(talk.result)
        #expect(result.sessionFailure == nil && result.recipients.isEmpty && result.usedTLS && result.authenticated)
    }

    @Test("QUIT unanswered or the connection closed after it still counts as delivered")
    func quitEndings() throws {
        for ending in [SMTPSessionEvent.timedOut(afterSeconds: 10), .connectionClosed, .reply(SMTPReply(code: 500, lines: ["?"]))] {
            var talk = Conversation()
            talk.greet()
            talk.reply("250 mx")
            talk.reply("250 ok")
            talk.reply("250 ok")
            talk.reply("354 go")
            talk.reply("250 queued")
            talk.event(ending)
            #expect(talk.result?.succeeded == true, "\(ending)")
            talk.event(.connectionClosed)
            #expect(talk.results.count == 1, "nothing after the end")
        }
    }
}
