import Testing
@testable import MailProtocol

@Suite("Header reading and RFC 2047 decoding")
struct MailHeadersTests {
    @Test("fields unfold, keep their order, and are found without regard to case")
    func parseAndLookup() throws {
        let text = "From nobody Tue Nov 25 15:07:12 2025\r\nReceived: from a\r\n\tby b;\r\n Tue, 25 Nov 2025\r\nSUBJECT: generator:\r\n  status maint\r\n"
            + "From: Alice <alice@example.com>\r\nX-Empty:\r\nReceived: second\r\n\r\nbody line\r\nNot-A-Header: x\r\n"
        let headers = try MailHeaders.parse(bytes(text))
        #expect(headers.fields.map(\.name) == ["Received", "SUBJECT", "From", "X-Empty", "Received"])
        #expect(headers["received"] == "from a\tby b; Tue, 25 Nov 2025")
        #expect(headers.values("RECEIVED") == ["from a\tby b; Tue, 25 Nov 2025", "second"])
        #expect(headers.subject == "generator:  status maint")
        #expect(headers["X-Empty"] == "")
        #expect(headers["Not-A-Header"] == nil)
        #expect(headers.bodyOffset == text.utf8.count - "body line\r\nNot-A-Header: x\r\n".utf8.count)
        #expect(headers.from == [ParsedMailbox(displayName: "Alice", address: "alice@example.com")])
    }

    @Test("bare LF, a missing blank line, the obsolete 'Name :' form and junk lines")
    func lenientForms() throws {
        let headers = try MailHeaders.parse(bytes("  orphan continuation\nSubject : hello\nno colon here\nBad Name: x\n: empty name\nTo: x@y"))
        #expect(headers.fields == [MailHeaderField(name: "Subject", value: "hello"), MailHeaderField(name: "To", value: "x@y")])
        #expect(headers.malformedLineCount == 4)
        #expect(headers.bodyOffset == 84, "no blank line: everything is header")
        #expect(try MailHeaders.parse([]).fields.isEmpty)
    }

    @Test("8-bit header bytes: UTF-8 kept, anything else read as Latin-1")
    func eightBit() throws {
        #expect(try MailHeaders.parse(bytes("Subject: Grüße\r\n\r\n")).subject == "Grüße")
        #expect(try MailHeaders.parse([0x53, 0x3A, 0x20, 0x47, 0x72, 0xFC, 0xDF, 0x65])["S"] == "Grüße")
    }

    @Test("field count, field size and header size limits are typed errors")
    func limits() {
        let limits = MailHeaders.Limits(maximumFields: 3, maximumFieldBytes: 32, maximumHeaderBytes: 100)
        #expect(throws: MailHeaderError.tooManyFields(limit: 3)) { try MailHeaders.parse(bytes("A: 1\nB: 2\nC: 3\nD: 4\n\n"), limits: limits) }
        #expect(throws: MailHeaderError.fieldTooLong(name: "A", limit: 32)) {
            try MailHeaders.parse(bytes("A: " + String(repeating: "x", count: 40) + "\n\n"), limits: limits)
        }
        #expect(throws: MailHeaderError.fieldTooLong(name: "A", limit: 32)) {
            try MailHeaders.parse(bytes("A: 1\n" + String(repeating: " folded\n", count: 5) + "\n"), limits: limits)
        }
        #expect(throws: MailHeaderError.headerTooLarge(limit: 100)) {
            try MailHeaders.parse(bytes(String(repeating: "no colon line\n", count: 10)), limits: limits)
        }
        #expect((try? MailHeaders.parse(bytes("A: 1\nB: 2\nC: 3\n\n" + String(repeating: "body ", count: 100)), limits: limits))?.fields.count == 3)
    }

    @Test("RFC 2047 section 8 examples")
    func rfc2047Examples() {
        let cases: [(String, String)] = [
            ("(=?ISO-8859-1?Q?a?=)", "(a)"),
            ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
            ("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore <moore@cs.utk.edu>"),
            ("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>", "Keld Jørn Simonsen <keld@dkuug.dk>"),
            ("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "André Pirard <PIRARD@vm1.ulg.ac.be>"),
            ("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=", "If you can read this yo"),
            // ISO-8859-2 is not one of genmon's charsets: that word stays as written.
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a =?ISO-8859-2?Q?_b?=)"),
        ]
        for (encoded, decoded) in cases {
            #expect(EncodedWords.decode(encoded) == decoded, "\(encoded)")
        }
    }

    @Test("UTF-8, windows-1252 and language tags; characters split across words are joined")
    func charsets() {
        #expect(EncodedWords.decode("=?utf-8?b?R8OpbsOpcmF0ZXVy?=") == "Générateur")
        #expect(EncodedWords.decode("=?UTF-8?Q?=E2=9A=A1_Power?=") == "⚡ Power")
        #expect(EncodedWords.decode("=?windows-1252?Q?=80_5_=96_=93ok=94?=") == "€ 5 – “ok”")
        #expect(EncodedWords.decode("=?UTF-8*de?Q?Gr=C3=BC=C3=9Fe?=") == "Grüße")
        // "ü" is C3 BC: a careless mailer put the two bytes in two words.
        #expect(EncodedWords.decode("=?UTF-8?Q?Gr=C3?= =?UTF-8?Q?=BCn?=") == "Grün")
        #expect(EncodedWords.decode("=?UTF-8?B?w7w?=") == "ü", "missing padding is tolerated")
        #expect(EncodedWords.decode("generator: status") == "generator: status")
        #expect(EncodedWords.decode("=?UTF-8?Q?a?= text =?UTF-8?Q?b?=") == "a text b")
    }

    @Test("malformed words stay as written and never trap")
    func malformedWords() {
        let unchanged = [
            "=?UTF-8?B?not base64!?=", "=?UTF-8?Q?bad=Zescape?=", "=?UTF-8?Q?cut=E?=", "=?UTF-8?X?unknown?=", "=?UTF-8?B?", "=?", "=??=",
            "=?UTF-8?Q?has space?=", "=?koi8-r?Q?x?=", "=?UTF-8?QQ?x?=", "=?US-ASCII?Q?=FF?=", "=?windows-1252?Q?=81?=",
            "=?UTF-8?Q?=FF=FE?=", "=?UTF-8?B?A?=", "?= =?", "=?=?UTF-8?Q?",
        ]
        for text in unchanged {
            #expect(EncodedWords.decode(text) == text, "\(text)")
        }
        #expect(EncodedWords.decode("=?UTF-8?Q?ok?= =?UTF-8?B?bad!?= =?UTF-8?Q?ok?=") == "ok =?UTF-8?B?bad!?= ok")
        #expect(EncodedWords.decode("=?UTF-8?Q?line=0D=0Abreak=00?=") == "line  break ", "decoded control characters become spaces")
        #expect(EncodedWords.decode("=?UTF-8?Q??=") == "")
    }
}
