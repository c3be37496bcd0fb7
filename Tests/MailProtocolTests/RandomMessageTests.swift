import Foundation
import GenmonBasics
import GenmonTesting
import Testing
@testable import MailProtocol

/// Seeded runs through the writers and the session: random messages must come out as well-formed
/// MIME that reads back to what went in, and random server behaviour must always end a session
/// exactly once without credentials or mail before TLS.
@Suite("Random messages and sessions")
struct RandomMessageTests {
    @Test("5,000 random messages: lines within limits, subject, name and text read back exactly")
    func randomMessages() async throws {
        var generator = SeededGenerator(seed: 0x6D_696D_65)
        var pacer = CooperativePacer()
        for index in 0..<5_000 {
            await pacer.pace()
            let subject = RandomText.string(using: &generator, maximumLength: 160)
            let name = RandomText.string(using: &generator, maximumLength: 80)
            let text = RandomText.string(using: &generator, maximumLength: 400)
            var message = MIMEWriterTests.message(subject: subject, text: text, html: index % 2 == 0 ? text : nil, name: name)
            if index % 5 == 0 {
                message.attachments = [MailAttachment(filename: name, data: generator.bytes(generator.int(in: 0...300)))]
            }
            let (rendered, output) = try MIMEWriterTests.render(message, seed: generator.next())
            let lines = output.components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(subject.debugDescription)")
            #expect(!output.utf8.contains(where: { $0 >= 0x80 }), "7-bit output for ASCII addresses")
            #expect(!output.utf8.contains(0), "no NUL")
            let headers = try MailHeaders.parse(rendered.bytes)
            #expect(headers.subject == HeaderWriter.sanitize(subject))
            let from = headers.from.first
            #expect(from?.address == "genmon@example.org")
            let cleanName = HeaderWriter.sanitize(name)
            // Names of plain words are written as atoms, so runs of spaces between them become one.
            let collapse = { (text: String?) in text?.split(separator: " ").joined(separator: " ") }
            #expect(collapse(from?.displayName) == (cleanName.isEmpty ? nil : collapse(cleanName)), "\(name.debugDescription)")
            #expect(QuotedPrintableDecoder.firstTextPart(of: output) == Self.normalized(text))
        }
    }

    @Test("20,000 random server behaviours: one end, closed first, nothing secret before TLS")
    func randomSessions() async {
        var generator = SeededGenerator(seed: 0x7365_7373)
        let replies = ["220 hi", "250 ok", "250-mx\n250-STARTTLS\n250-AUTH PLAIN LOGIN\n250 SIZE 100000", "250-mx\n250 AUTH LOGIN",
                       "334 VXNlcm5hbWU6", "235 ok", "354 go", "221 bye", "421 closing", "451 later", "535 no", "550 no", "502 what",
                       "220 go", "554 no", "252 maybe", "334 ", "500 x"]
        let events: [SMTPSessionEvent] = [.tlsEstablished, .connectionClosed, .timedOut(afterSeconds: 5), .unexpectedDataBeforeTLS,
                                          .malformedReply(.nulByte), .connected(localAddress: nil)]
        var pacer = CooperativePacer()
        for index in 0..<20_000 {
            await pacer.pace()
            let security = generator.pick([SMTPSecurity.plain, .startTLS, .implicitTLS])
            var talk = Conversation(
                security: security, credentials: SMTPSessionTests.credentials, recipients: ["a@example.com", "b@example.com"],
                checkOnly: index % 7 == 0)
            talk.event(.connected(localAddress: nil))
            var steps = 0
            while talk.results.isEmpty, steps < 60 {
                if generator.int(in: 0...9) == 0 { talk.event(generator.pick(events)) } else { talk.reply(generator.pick(replies)) }
                steps += 1
            }
            if talk.results.isEmpty { talk.event(.connectionClosed) }
            #expect(talk.results.count == 1)
            #expect(talk.closed == 1)
            #expect(talk.session.isFinished && talk.session.waitingFor == nil)
            if security != .plain {
                #expect(!talk.sentBeforeTLS.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("MAIL") || $0.hasPrefix("RCPT") || $0.hasPrefix("<message") })
                #expect(talk.sentBeforeTLS.count <= 4)
            }
            if let result = talk.result {
                #expect(result.recipients.count == (index % 7 == 0 ? 0 : 2))
                if result.succeeded, index % 7 != 0 { #expect(talk.sent.contains { $0.hasPrefix("<message") }) }
            }
            talk.event(.reply(SMTPReply(code: 250, lines: ["late"])))
            #expect(talk.results.count == 1, "nothing after the end")
        }
    }

    /// Text as the writer sends it: every line end CRLF, a final line end.
    static func normalized(_ text: String) -> String {
        TextLines.split(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) + "\r\n" }.joined()
    }
}

/// Decodes the first quoted-printable part of a rendered message (test-side, independent of the writer).
enum QuotedPrintableDecoder {
    static func firstTextPart(of message: String) -> String? {
        guard let marker = message.range(of: "Content-Transfer-Encoding: quoted-printable\r\n\r\n") else { return nil }
        var body = String(message[marker.upperBound...])
        if let end = body.range(of: "\r\n--=_genmon_") { body = String(body[..<end.lowerBound]) }
        return decode(body)
    }

    static func decode(_ text: String) -> String {
        var output: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                index += 3
            } else if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
                      let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
