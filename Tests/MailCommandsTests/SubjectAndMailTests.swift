import Foundation
import MailCommands
import MailProtocol
import Testing

@Suite("Subjects: the request for the socket's parser and the one-time code")
struct SubjectRequestTests {
    @Test("the code is taken out; the rest is the request, prefix matched without case, blanks before it allowed")
    func codeTakenOut() throws {
        let parsed = try SubjectRequest.parse("  GENERATOR: setremote=start  code=123456").get()
        #expect(parsed.request == "generator: setremote=start")
        #expect(parsed.code == "123456")
        let codeFirst = try SubjectRequest.parse("generator: CODE=000001 settime").get()
        #expect(codeFirst.request == "generator: settime" && codeFirst.code == "000001")
        let plain = try SubjectRequest.parse("generator: status maint").get()
        #expect(plain.request == "generator: status maint" && plain.code == nil)
        #expect(try SubjectRequest.parse("generator: setremote=start code=").get().code == "")
    }

    @Test("no subject, no prefix, two codes and over-long subjects are problems with plain words")
    func problems() {
        #expect(SubjectRequest.parse(nil) == .failure(.missing))
        #expect(SubjectRequest.parse("   ") == .failure(.missing))
        #expect(SubjectRequest.parse("status please") == .failure(.noPrefix))
        #expect(SubjectRequest.parse("Re: generator: status") == .failure(.noPrefix))
        #expect(SubjectRequest.parse("generator: setremote=start code=1 code=2") == .failure(.severalCodes))
        let long = "generator: " + String(repeating: "status ", count: 400)
        #expect(SubjectRequest.parse(long) == .failure(.tooLong(long.count)))
        #expect(SubjectRequest.Problem.noPrefix.description.contains("generator:"))
    }
}

@Suite("Command mail: only the header is read, and nothing in it can split a command or a reply")
struct CommandMailTests {
    @Test("sender, decoded subject, Message-ID, References and Authentication-Results in order")
    func readsHeader() {
        let bytes = MailFixture.header(subject: "=?UTF-8?B?Z2VuZXJhdG9yOiBzdGF0dXM=?=", references: "<a@x> <b@y> junk",
                                       authenticationResults: [MailFixture.passing(), "other.example; spf=fail"])
        let mail = CommandMail.read(header: bytes)
        #expect(mail.sender == "owner@example.com")
        #expect(mail.subject == "generator: status")
        #expect(mail.messageID == MessageID("<req-1@example.com>"))
        #expect(mail.references == [MessageID("a@x"), MessageID("b@y")].compactMap { $0 })
        #expect(mail.authenticationResults.count == 2 && mail.authenticationResults[0].hasPrefix("mx.example.org"))
        #expect(!mail.isAutomatic && mail.unreadable == nil)
    }

    @Test("CR, LF, NUL and other controls from encoded words become blanks")
    func controlsBlanked() {
        // "generator: status\r\nBcc: x\0" as base64 in an encoded word.
        let encoded = Data("generator: status\r\nBcc: x@y\u{0}".utf8).base64EncodedString()
        let mail = MailFixture.mail(subject: "=?UTF-8?B?\(encoded)?=")
        let subject = mail.subject ?? ""
        #expect(!subject.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(subject.hasPrefix("generator: status"))
    }

    @Test("no From, several From, automatic mail and an unreadable header are told apart")
    func oddSenders() {
        #expect(CommandMail.read(header: Array("Subject: generator: status\r\n\r\n".utf8)).sender == nil)
        #expect(CommandMail.read(header: Array("From: a@x.org, b@y.org\r\nSubject: s\r\n\r\n".utf8)).sender == nil)
        let bounce = CommandMail.read(header: MailFixture.header(subject: "generator: status", extra: ["Auto-Submitted: auto-replied"]))
        #expect(bounce.isAutomatic)
        let human = CommandMail.read(header: MailFixture.header(subject: "generator: status", extra: ["Auto-Submitted: no"]))
        #expect(!human.isAutomatic)
        let huge = MailFixture.header(subject: "generator: " + String(repeating: "x", count: 100_000))
        #expect(CommandMail.read(header: huge).unreadable != nil)
    }
}

@Suite("Replies: to the sender, threaded, Re: once")
struct CommandReplyTests {
    @Test("Re: is added once, long subjects are shortened, In-Reply-To and References follow the thread")
    func threading() throws {
        let mail = CommandMail.read(header: MailFixture.header(subject: "generator: status", references: "<root@example.com>"))
        #expect(CommandReply.subject(for: mail) == "Re: generator: status")
        #expect(CommandReply.subject(for: MailFixture.mail(subject: "RE: generator: status")) == "RE: generator: status")
        #expect(CommandReply.subject(for: MailFixture.mail(subject: nil)) == "Re: generator")
        #expect(CommandReply.subject(for: MailFixture.mail(subject: String(repeating: "y", count: 500))).count == 4 + 200 + 1)
        let sender = Mailbox(displayName: "Genmon", address: try EmailAddress("genmon@example.org"))
        let reply = CommandReply.message(to: try EmailAddress(MailFixture.owner), from: sender, answering: mail, body: "\nok\n")
        #expect(reply.recipients.map(\.description) == [MailFixture.owner])
        #expect(reply.inReplyTo == MessageID("<req-1@example.com>"))
        #expect(reply.references == [MessageID("root@example.com"), MessageID("req-1@example.com")].compactMap { $0 })
        var generator = SystemRandomNumberGenerator()
        let bytes = try MIMEWriter.render(reply, date: MailFixture.now, timeZone: MailFixture.utc, messageIDDomain: "example.org", using: &generator).bytes
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("In-Reply-To: <req-1@example.com>\r\n"))
        #expect(text.contains("Subject: Re: generator: status\r\n"))
    }

    @Test("the body says what was not done, then the output; never empty")
    func body() {
        #expect(CommandReply.body(refusal: "the one-time code is wrong", output: nil) == "\nNot done: the one-time code is wrong.\n")
        #expect(CommandReply.body(refusal: nil, output: "\nstatus\n") == "\nstatus\n")
        #expect(CommandReply.body(refusal: nil, output: nil).contains("No valid command recognized."))
    }
}
