import Testing
@testable import MailProtocol

@Suite("SMTP commands and addresses")
struct SMTPCommandTests {
    @Test("every command encodes to its RFC 5321 line with CRLF")
    func encodings() throws {
        let name = try SMTPClientName("genmon.example.org")
        let cases: [(SMTPCommand, String)] = [
            (.ehlo(name), "EHLO genmon.example.org\r\n"),
            (.helo(name), "HELO genmon.example.org\r\n"),
            (.startTLS, "STARTTLS\r\n"),
            (.authLogin, "AUTH LOGIN\r\n"),
            (.authResponse("dGltAA=="), "dGltAA==\r\n"),
            (.authCancel, "*\r\n"),
            (.mailFrom(address("genmon@example.org"), parameters: []), "MAIL FROM:<genmon@example.org>\r\n"),
            (.mailFrom(address("genmon@example.org"), parameters: ["SIZE=1000", "BODY=8BITMIME"]),
             "MAIL FROM:<genmon@example.org> SIZE=1000 BODY=8BITMIME\r\n"),
            (.rcptTo(address("Alice@Example.COM")), "RCPT TO:<Alice@example.com>\r\n"),
            (.data, "DATA\r\n"), (.rset, "RSET\r\n"), (.quit, "QUIT\r\n"),
        ]
        for (command, line) in cases {
            #expect(try command.encoded() == bytes(line))
        }
    }

    @Test("AUTH PLAIN carries NUL user NUL password in base64 (RFC 4616 section 4 example)")
    func authPlainVector() throws {
        let credentials = try SMTPCredentials(username: "tim", password: "tanstaaftanstaaf")
        #expect(try SMTPCommand.authPlain(credentials).encoded() == bytes("AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n"))
        #expect(SMTPCommand.authPlain(credentials).logDescription == "AUTH PLAIN <hidden>")
        #expect(!credentials.description.contains("tanstaaf"))
    }

    @Test("client names: host names and address literals only")
    func clientNames() {
        for good in ["localhost", "genmon.example.org", "a-b.c", "[192.0.2.7]", "[IPv6:2001:db8::7]", "[IPv6:::1]"] {
            #expect((try? SMTPClientName(good)) != nil, "\(good)")
        }
        for bad in ["", "genmon example", "genmon\r\nMAIL FROM:<x@y>", "-bad.example", "bad-.example", "a..b", "[300.1.1.1]",
                    "[IPv6:zz::1]", "münchen.de", "[1.2.3]", "x\u{0}y"] {
            #expect((try? SMTPClientName(bad)) == nil, "\(bad)")
        }
        #expect(SMTPClientName.addressLiteral(forIP: "192.0.2.7")?.description == "[192.0.2.7]")
        #expect(SMTPClientName.addressLiteral(forIP: "2001:db8::7")?.description == "[IPv6:2001:db8::7]")
        #expect(SMTPClientName.addressLiteral(forIP: "not an ip") == nil)
    }

    @Test("credentials refuse empty, NUL and over-long values")
    func credentials() {
        #expect((try? SMTPCredentials(username: "", password: "x")) == nil)
        #expect((try? SMTPCredentials(username: "u", password: "")) == nil)
        #expect((try? SMTPCredentials(username: "u\u{0}v", password: "x")) == nil)
        #expect((try? SMTPCredentials(username: "u", password: String(repeating: "p", count: 1025))) == nil)
        #expect((try? SMTPCredentials(username: "u", password: "line\r\nbreaks are fine: base64")) != nil)
    }

    @Test("ESMTP parameters cannot smuggle spaces or line breaks")
    func parameters() {
        let sender = address("a@example.org")
        for bad in ["", "SIZE 1", "X=\r\nRCPT", "=x", "BODY=8BIT\u{0}"] {
            #expect(throws: SMTPCommandError.self) { try SMTPCommand.mailFrom(sender, parameters: [bad]).encoded() }
        }
        #expect(throws: SMTPCommandError.self) { try SMTPCommand.authResponse("not base64!").encoded() }
    }

    @Test("addresses: sane syntax accepted, everything that could break a line or a header refused")
    func addresses() {
        for good in ["a@b", "first.last@example.org", "user+tag@sub.example.co.uk", "x@[192.0.2.1]", "x@[IPv6:2001:db8::1]",
                     "o'brien@example.ie", "üser@bücher.de", "a!#$%&'*+-/=?^_`{|}~@example.org"] {
            #expect((try? EmailAddress(good)) != nil, "\(good)")
        }
        let bad = ["", "plain", "@example.org", "user@", "a b@example.org", "a@b c", "a\r\n@b", "a@b\r\nRCPT TO:<x@y>", "<a@b>",
                   "a@b>", ".a@b", "a.@b", "a..b@c", "a@-b.c", "a@b-.c", "a@b..c", "\"quoted\"@example.org", "a@[1.2.3.4",
                   "a@b\u{0}", String(repeating: "a", count: 65) + "@b.c", "a@" + String(repeating: "b", count: 64) + ".c",
                   "a@" + Array(repeating: "bbbbbbbbbb", count: 26).joined(separator: ".")]
        for text in bad {
            #expect((try? EmailAddress(text)) == nil, "\(text)")
        }
    }

    @Test("address domain is lower-cased, local part kept, ASCII-ness reported")
    func addressParts() throws {
        let mixed = try EmailAddress("  Alice.Smith@Example.ORG ")
        #expect(mixed.localPart == "Alice.Smith")
        #expect(mixed.domain == "example.org")
        #expect(mixed.normalized == "alice.smith@example.org")
        #expect(mixed.isASCII)
        #expect(!(try EmailAddress("jörg@example.de")).isASCII)
    }

    @Test("an envelope drops duplicate recipients and needs at least one")
    func envelope() throws {
        let envelope = try SMTPEnvelope(sender: address("s@x.org"), recipients: [address("a@x.org"), address("A@X.org"), address("b@x.org")])
        #expect(envelope.recipients.map(\.description) == ["a@x.org", "b@x.org"])
        #expect(throws: SMTPEnvelope.Problem.noRecipients) { try SMTPEnvelope(sender: address("s@x.org"), recipients: []) }
    }
}
