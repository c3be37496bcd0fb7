import Testing
@testable import MailProtocol

@Suite("SMTP reply parser")
struct SMTPReplyParserTests {
    /// The EHLO reply of RFC 5321 section 4.1.1.1's shape, with common extensions.
    static let ehlo = "250-smtp.example.com Hello client.example.org\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-STARTTLS\r\n"
        + "250-AUTH LOGIN PLAIN XOAUTH2\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n"

    static func parse(_ text: String, limits: SMTPReplyParser.Limits = .init()) throws -> [SMTPReply] {
        var parser = SMTPReplyParser(limits: limits)
        return try parser.feed(bytes(text))
    }

    @Test("a single-line reply with an enhanced status code")
    func singleLine() throws {
        let replies = try Self.parse("535 5.7.8 Authentication credentials invalid\r\n")
        try #require(replies.count == 1)
        #expect(replies[0].code == 535)
        #expect(replies[0].enhancedCode == EnhancedStatusCode(statusClass: 5, subject: 7, detail: 8))
        #expect(replies[0].text == "Authentication credentials invalid")
        #expect(replies[0].description == "535 5.7.8 Authentication credentials invalid")
        #expect(replies[0].isPermanentFailure)
    }

    @Test("a multi-line EHLO reply and the capabilities in it")
    func multiLine() throws {
        let replies = try Self.parse(Self.ehlo)
        try #require(replies.count == 1)
        #expect(replies[0].lines.count == 8)
        let capabilities = SMTPCapabilities(ehloReply: replies[0])
        #expect(capabilities.startTLS && capabilities.eightBitMIME && capabilities.smtpUTF8 && capabilities.pipelining)
        #expect(capabilities.enhancedStatusCodes)
        #expect(capabilities.authMechanisms == ["LOGIN", "PLAIN", "XOAUTH2"])
        #expect(capabilities.maximumMessageSize == 35_882_577)
    }

    @Test("old AUTH= announcements, SIZE without a limit, lower-case keywords")
    func capabilityVariants() {
        let reply = SMTPReply(code: 250, lines: ["mx", "auth=LOGIN", "AUTH plain login", "size", "starttls"])
        let capabilities = SMTPCapabilities(ehloReply: reply)
        #expect(capabilities.authMechanisms == ["LOGIN", "PLAIN"])
        #expect(capabilities.size && capabilities.maximumMessageSize == nil)
        #expect(capabilities.startTLS)
        #expect(SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["only a greeting"])) == .none)
    }

    @Test("a reply split at every byte position comes out the same")
    func everySplit() throws {
        let text = Self.ehlo + "220 2.0.0 Ready to start TLS\r\n"
        let whole = try Self.parse(text)
        let data = bytes(text)
        for split in 0...data.count {
            var parser = SMTPReplyParser()
            let first = try parser.feed(data[..<split])
            let second = try parser.feed(data[split...])
            #expect(first + second == whole, "split at \(split)")
            #expect(!parser.hasBufferedInput)
        }
        var byteByByte = SMTPReplyParser()
        var replies: [SMTPReply] = []
        for byte in data { replies += try byteByByte.feed([byte]) }
        #expect(replies == whole)
    }

    @Test("every truncation yields no reply and keeps the rest buffered, never a wrong reply")
    func everyTruncation() throws {
        let data = bytes(Self.ehlo)
        for length in 0..<data.count {
            var parser = SMTPReplyParser()
            let replies = try parser.feed(data[..<length])
            #expect(replies.isEmpty, "truncated at \(length)")
            #expect(parser.hasBufferedInput == (length > 0), "truncated at \(length)")
        }
    }

    @Test("bare LF line ends, code-only lines and several replies in one read")
    func lenientForms() throws {
        let replies = try Self.parse("250\n354 Go ahead\r\n221-bye\n221 \r\n")
        #expect(replies.map(\.code) == [250, 354, 221])
        #expect(replies[0].lines == [""])
        #expect(replies[2].lines == ["bye", ""])
        #expect(replies[0].enhancedCode == nil)
    }

    @Test("enhanced codes are read only when well formed and of the reply's class")
    func enhancedCodes() {
        #expect(SMTPReply(code: 250, lines: ["2.1.5 Ok"]).enhancedCode?.description == "2.1.5")
        #expect(SMTPReply(code: 550, lines: ["5.1.1"]).enhancedCode?.description == "5.1.1")
        #expect(SMTPReply(code: 451, lines: ["4.7.650 The mail server is experiencing issues"]).enhancedCode?.description == "4.7.650")
        for text in ["2.1.5 Ok", "5.1 x", "5.1.1x", "5..1 x", "5.1.1234 x", "9.1.1 x", "x5.1.1", "5.1.", ".1.1 x"] {
            let reply = SMTPReply(code: 550, lines: [text])
            #expect(reply.enhancedCode == nil, "\(text)")
            #expect(reply.text == text)
        }
    }

    @Test("malformed lines are errors, and the parser stays failed")
    func malformed() {
        for text in ["hello\r\n", "25\r\n", "2500 x\r\n", "250x\r\n", "150 x\r\n", "650 x\r\n", "2a0 x\r\n", "\r\n", "250_x\r\n"] {
            var parser = SMTPReplyParser()
            #expect(throws: SMTPReplyError.self, "\(text)") { try parser.feed(bytes(text)) }
            #expect(throws: SMTPReplyError.self, "stays failed after \(text)") { try parser.feed(bytes("250 ok\r\n")) }
        }
    }

    @Test("a continuation line with another code is an error")
    func inconsistentCode() {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyError.inconsistentCode(expected: 250, received: 251)) {
            try parser.feed(bytes("250-first\r\n251 second\r\n"))
        }
    }

    @Test("a NUL byte is refused")
    func nulByte() {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyError.nulByte) { try parser.feed([0x32, 0x35, 0x30, 0x20, 0x00]) }
    }

    @Test("line, line-count and reply-size limits hold")
    func limits() {
        let limits = SMTPReplyParser.Limits(maximumLineLength: 64, maximumLines: 4, maximumReplyBytes: 200)
        var longLine = SMTPReplyParser(limits: limits)
        #expect(throws: SMTPReplyError.lineTooLong(limit: 64)) { try longLine.feed(bytes("250 " + String(repeating: "x", count: 70))) }
        var exact = SMTPReplyParser(limits: limits)
        #expect((try? exact.feed(bytes("250 " + String(repeating: "x", count: 60) + "\r\n")))?.count == 1)
        var manyLines = SMTPReplyParser(limits: limits)
        #expect(throws: SMTPReplyError.tooManyLines(limit: 4)) { try manyLines.feed(bytes(String(repeating: "250-x\r\n", count: 5))) }
        var large = SMTPReplyParser(limits: SMTPReplyParser.Limits(maximumLineLength: 64, maximumLines: 100, maximumReplyBytes: 200))
        let line = "250-" + String(repeating: "y", count: 50) + "\r\n"
        #expect(throws: SMTPReplyError.replyTooLarge(limit: 200)) { try large.feed(bytes(String(repeating: line, count: 5))) }
    }

    @Test("the DATA payload doubles leading dots, normalises line ends and ends with CRLF.CRLF")
    func dataPayload() {
        let cases: [(String, String)] = [
            ("", ".\r\n"),
            ("a", "a\r\n.\r\n"),
            ("a\r\n", "a\r\n.\r\n"),
            (".\r\n", "..\r\n.\r\n"),
            ("x\n.\n..y\r\n.", "x\r\n..\r\n...y\r\n..\r\n.\r\n"),
            ("a\rb\r\n\r.c", "a\r\nb\r\n\r\n..c\r\n.\r\n"),
            ("mid.dot .\r\n", "mid.dot .\r\n.\r\n"),
        ]
        for (input, expected) in cases {
            #expect(SMTPDataEncoder.payload(for: bytes(input)) == bytes(expected), "\(input.debugDescription)")
        }
        let (payload, size) = SMTPDataEncoder.encode(bytes(".a\n.b\n"))
        #expect(payload == bytes("..a\r\n..b\r\n.\r\n"))
        #expect(size == 8)
        #expect(SMTPDataEncoder.isEightBit(bytes("ü")) && !SMTPDataEncoder.isEightBit(bytes("u")))
    }
}
