import Foundation
import GenmonBasics
import Testing
@testable import MailProtocol

@Suite("MIME writer")
struct MIMEWriterTests {
    static let date = Date(timeIntervalSince1970: 1_764_101_232)  // 2025-11-25 20:07:12 UTC
    static let newYork = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -18000) ?? .current

    static func render(_ message: MailMessage, seed: UInt64 = 7) throws -> (RenderedMail, String) {
        var generator = SeededGenerator(seed: seed)
        let rendered = try MIMEWriter.render(message, date: date, timeZone: newYork, messageIDDomain: "genmon.example.org", using: &generator)
        return (rendered, String(decoding: rendered.bytes, as: UTF8.self))
    }

    static func message(subject: String = "Generator Notice: Home", text: String = "Hello\n", html: String? = nil,
                        name: String? = "Genmon", style: RecipientHeaderStyle = .to, attachments: [MailAttachment] = []) -> MailMessage {
        MailMessage(
            from: Mailbox(displayName: name, address: address("genmon@example.org")),
            recipients: [address("alice@example.com"), address("bob@example.net")], recipientHeader: style,
            subject: subject, textBody: text, htmlBody: html, attachments: attachments)
    }

    @Test("a plain notification, byte for byte")
    func plainMessage() throws {
        let (rendered, text) = try Self.render(Self.message())
        let expected = [
            "Date: Tue, 25 Nov 2025 15:07:12 -0500",
            "From: Genmon <genmon@example.org>",
            "To: <alice@example.com>, <bob@example.net>",
            "Subject: Generator Notice: Home",
            "Message-ID: \(rendered.messageID)",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Hello",
            "",
        ].joined(separator: "\r\n")
        #expect(text == expected)
        #expect(rendered.messageID.value.hasSuffix("@genmon.example.org"))
        #expect(rendered.messageID.value.count == 32 + 1 + 18)
    }

    @Test("the same seed gives the same bytes; another seed another Message-ID")
    func reproducible() throws {
        let message = Self.message(html: "<p>x</p>")
        #expect(try Self.render(message, seed: 1).1 == Self.render(message, seed: 1).1)
        #expect(try Self.render(message, seed: 1).0.messageID != Self.render(message, seed: 2).0.messageID)
    }

    @Test("usebcc: recipients stay out of the headers")
    func bccStyle() throws {
        let (_, text) = try Self.render(Self.message(style: .bcc))
        #expect(text.contains("\r\nTo: undisclosed-recipients:;\r\n"))
        #expect(!text.contains("alice@example.com"))
        #expect(!text.lowercased().contains("\r\nbcc:"))
        #expect(!text.lowercased().contains("\r\ncc:"))
    }

    @Test("display names: atoms as they are, specials quoted, non-ASCII encoded, none at all")
    func displayNames() throws {
        let cases: [(String?, String)] = [
            (nil, "From: <genmon@example.org>"),
            ("Genmon at Home", "From: Genmon at Home <genmon@example.org>"),
            ("Smith, John \"JJ\"", "From: \"Smith, John \\\"JJ\\\"\" <genmon@example.org>"),
            ("Générateur", "From: =?UTF-8?B?R8OpbsOpcmF0ZXVy?= <genmon@example.org>"),
        ]
        for (name, line) in cases {
            let (_, text) = try Self.render(Self.message(name: name))
            #expect(text.contains("\r\n\(line)\r\n"), "\(String(describing: name))")
        }
    }

    @Test("UTF-8 subjects become encoded-words of at most 75 characters that decode back exactly")
    func encodedSubjects() throws {
        let subjects = [
            "Outage Notice at Zürich", "停电通知：发电机正在运行", "🔌⚡️ Power back 👍🏽 after 2:03:04",
            String(repeating: "é", count: 200), "ASCII but =?looks?= like an encoded word",
            "Generator Alert at Home: CRITICAL ", String(repeating: "x", count: 120),
        ]
        for subject in subjects {
            let (rendered, text) = try Self.render(Self.message(subject: subject))
            let headers = try MailHeaders.parse(rendered.bytes)
            #expect(headers.subject == HeaderWriter.sanitize(subject), "\(subject)")
            for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
            let words = headers["Subject"]?.split(separator: " ").filter { $0.hasPrefix("=?") } ?? []
            for word in words {
                #expect(word.count <= 75)
                let payload = word.dropFirst(10).dropLast(2)
                let decoded = try #require(Base64.decode(Array(payload.utf8)))
                #expect(String(validating: decoded, as: UTF8.self) != nil, "a word must not split a UTF-8 sequence: \(word)")
            }
        }
    }

    @Test("a plain ASCII subject folds at spaces and unfolds to the same text")
    func foldedSubject() throws {
        let subject = Array(repeating: "Generator Monitor Communication WARNING at Home", count: 4).joined(separator: " ")
        let (rendered, text) = try Self.render(Self.message(subject: subject))
        #expect(text.contains("Subject: Generator Monitor Communication WARNING at Home Generator Monitor\r\n Communication"))
        #expect(try MailHeaders.parse(rendered.bytes).subject == subject)
    }

    @Test("no header injection through the subject, the name or an attachment's name")
    func noInjection() throws {
        let evil = "Hi\r\nBcc: victim@example.com\r\n\r\nbody\n.\nX-Evil: 1\u{0}"
        let message = Self.message(
            subject: evil, name: evil,
            attachments: [MailAttachment(filename: evil, contentType: "text/plain\r\nX-Evil: 2", data: [1, 2, 3])])
        let (rendered, text) = try Self.render(message)
        let headers = try MailHeaders.parse(rendered.bytes)
        #expect(headers.fields.map(\.name) == ["Date", "From", "To", "Subject", "Message-ID", "Auto-Submitted", "MIME-Version", "Content-Type"])
        #expect(headers.values("Bcc").isEmpty && headers.values("X-Evil").isEmpty)
        #expect(!text.contains("\r\nBcc:") && !text.contains("\r\nX-Evil:"))
        #expect(!text.contains("\u{0}"))
        #expect(text.contains("Content-Type: application/octet-stream;"))
    }

    @Test("HTML alternative and attachments: parts, boundaries, encodings")
    func multipart() throws {
        let csv = Array("time,volts\n12:00,13.1\n".utf8)
        let body = "--=_genmon_ is text here, = and =_ too\nFrom the generator\n.\n"
        let message = Self.message(
            text: body, html: "<p>Power is back</p>",
            attachments: [MailAttachment(filename: "/var/log/genmon/outage.csv", contentType: "text/csv", data: csv),
                          MailAttachment(filename: "état du générateur – ein sehr langer Dateiname.bin", data: Array(0...255))])
        let (rendered, text) = try Self.render(message)
        let headers = try MailHeaders.parse(rendered.bytes)
        let outer = try #require(headers["Content-Type"])
        #expect(outer.hasPrefix("multipart/mixed; boundary=\"=_genmon_"))
        let boundary = try #require(outer.split(separator: "\"").dropFirst().first)
        #expect(text.components(separatedBy: "--\(boundary)\r\n").count == 4)
        #expect(text.hasSuffix("--\(boundary)--\r\n"))
        #expect(text.contains("Content-Type: multipart/alternative;\r\n boundary=\"=_genmon_"))
        #expect(text.contains("Content-Type: text/html; charset=utf-8"))
        #expect(text.contains("Content-Type: text/csv; name=\"outage.csv\"\r\nContent-Disposition: attachment; filename=\"outage.csv\""))
        #expect(text.contains("filename*0*=UTF-8''%C3%A9tat%20du%20g%C3%A9n%C3%A9rateur%20;"))
        #expect(text.contains(Base64.encode(csv)))
        #expect(text.contains("=46rom the generator\r\n=2E\r\n"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
    }

    @Test("RFC 5322 dates in any zone, before 1970 and far ahead")
    func dates() {
        #expect(RFC5322Date.format(unixSeconds: 0, offsetMinutes: 0) == "Thu, 1 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.format(unixSeconds: -1, offsetMinutes: 0) == "Wed, 31 Dec 1969 23:59:59 +0000")
        #expect(RFC5322Date.format(unixSeconds: 951_782_400, offsetMinutes: 330) == "Tue, 29 Feb 2000 05:30:00 +0530")
        #expect(RFC5322Date.format(unixSeconds: 4_107_542_400, offsetMinutes: -570) == "Sun, 28 Feb 2100 14:30:00 -0930")
        #expect(RFC5322Date.format(unixSeconds: 1_711_846_800, offsetMinutes: 60) == "Sun, 31 Mar 2024 02:00:00 +0100")
        #expect(RFC5322Date.format(unixSeconds: 0, offsetMinutes: 5000) == "Thu, 1 Jan 1970 23:59:00 +2359")
        let summer = Date(timeIntervalSince1970: 1_751_371_200)  // 2025-07-01 12:00 UTC
        #expect(RFC5322Date.format(summer, in: Self.newYork) == "Tue, 1 Jul 2025 08:00:00 -0400")
    }

    @Test("Message-IDs: only dot-atom@dot-atom or a literal, brackets optional")
    func messageIDs() {
        #expect(MessageID("<a.b@c.d>")?.value == "a.b@c.d")
        #expect(MessageID("a@[1.2.3.4]")?.description == "<a@[1.2.3.4]>")
        for bad in ["", "<>", "a", "<a@b", "a@b>", "a b@c", "a@b c", "a@b\r\nX: y", "<a@b>\u{0}", ".a@b", "a@b..c",
                    String(repeating: "a", count: 250) + "@b"] {
            #expect(MessageID(bad) == nil, "\(bad)")
        }
        var generator = SeededGenerator(seed: 1)
        #expect(MessageID.random(domain: "bad domain", using: &generator) == nil)
    }

    @Test("replies carry In-Reply-To and References")
    func replyHeaders() throws {
        var message = Self.message(subject: "Genmon Command Response at Home")
        message.inReplyTo = MessageID("<cmd-1@mail.example.com>")
        message.references = [MessageID("<root@mail.example.com>"), MessageID("<cmd-1@mail.example.com>")].compactMap { $0 }
        let (rendered, _) = try Self.render(message)
        let headers = try MailHeaders.parse(rendered.bytes)
        #expect(headers["In-Reply-To"] == "<cmd-1@mail.example.com>")
        #expect(headers["References"] == "<root@mail.example.com> <cmd-1@mail.example.com>")
    }

    @Test("no recipients or a bad Message-ID domain are typed errors")
    func renderErrors() {
        var generator = SeededGenerator(seed: 1)
        var empty = Self.message()
        empty.recipients = []
        #expect(throws: MIMEWriteError.noRecipients) {
            try MIMEWriter.render(empty, date: Self.date, timeZone: Self.newYork, messageIDDomain: "x.org", using: &generator)
        }
        #expect(throws: MIMEWriteError.invalidMessageIDDomain("a b")) {
            try MIMEWriter.render(Self.message(), date: Self.date, timeZone: Self.newYork, messageIDDomain: "a b", using: &generator)
        }
    }
}
