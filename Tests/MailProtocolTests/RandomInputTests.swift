import GenmonBasics
import GenmonTesting
import Testing
@testable import MailProtocol

/// Seeded runs of random and mutated input through every reader: nothing may trap, every limit
/// must hold, and what is accepted must read back the same when written out again.
@Suite("Random input")
struct RandomInputTests {
    static let seed: UInt64 = 0x6D61_696C_736D_7470  // "mailsmtp"

    @Test("100,000 reply streams: limits hold, accepted replies re-encode to the same replies")
    func replyParser() async throws {
        var generator = SeededGenerator(seed: Self.seed)
        let limits = SMTPReplyParser.Limits(maximumLineLength: 120, maximumLines: 6, maximumReplyBytes: 400)
        let samples = [SMTPReplyParserTests.ehlo, "220 mx ESMTP\r\n", "535 5.7.8 bad\r\n", "250-a\n250 b\n", "354 go\r\n"]
        var accepted = 0
        var pacer = CooperativePacer()
        for index in 0..<100_000 {
            await pacer.pace()
            var input = index % 3 == 0 ? generator.bytes(generator.int(in: 0...300)) : Array(generator.pick(samples).utf8)
            if index % 3 != 0 { Mutator.mutate(&input, using: &generator, alphabet: Array("0123456789- \r\n2345".utf8)) }
            var parser = SMTPReplyParser(limits: limits)
            var replies: [SMTPReply] = []
            var offset = 0
            do {
                while offset < input.count {
                    let end = min(input.count, offset + generator.int(in: 1...64))
                    replies += try parser.feed(input[offset..<end])
                    #expect(parser.bufferedLineLength <= limits.maximumLineLength + 1)
                    offset = end
                }
            } catch {
                continue
            }
            for reply in replies {
                accepted += 1
                #expect((200...599).contains(reply.code))
                #expect(reply.lines.count <= limits.maximumLines)
                let encoded = reply.lines.enumerated().map { index, line in
                    "\(reply.code)\(index == reply.lines.count - 1 ? " " : "-")\(line)\r\n"
                }.joined()
                var again = SMTPReplyParser()
                let reparsed = try again.feed(Array(encoded.utf8))
                #expect(reparsed.count == 1 && reparsed.first?.code == reply.code)
                #expect(reparsed.first?.lines.map { $0.trimmingASCIISpaces() } == reply.lines.map { $0.trimmingASCIISpaces() })
            }
        }
        #expect(accepted > 10_000, "the run must exercise the accepting paths too")
    }

    @Test("60,000 header blocks: limits hold, parsed fields written out parse back the same")
    func headerParser() async throws {
        var generator = SeededGenerator(seed: Self.seed &+ 1)
        let limits = MailHeaders.Limits(maximumFields: 12, maximumFieldBytes: 200, maximumHeaderBytes: 1500)
        let pieces = ["Subject", "From", "To", "X-A", ":", ": ", " ", "\t", "\r\n", "\n", "\r", "=?UTF-8?Q?x?=", "a@b.c", "é", "\u{0}",
                      "value", "From ", "\r\n\r\n", "Received", "::", ";"]
        var parsedCount = 0
        var pacer = CooperativePacer()
        for index in 0..<60_000 {
            await pacer.pace()
            let input = index % 5 == 0
                ? generator.bytes(generator.int(in: 0...400))
                : Array((0..<generator.int(in: 0...80)).map { _ in generator.pick(pieces) }.joined().utf8)
            guard let headers = try? MailHeaders.parse(input, limits: limits) else { continue }
            parsedCount += 1
            #expect(headers.fields.count <= limits.maximumFields)
            #expect(headers.bodyOffset <= input.count)
            for field in headers.fields {
                // The limit counts raw bytes; read as Latin-1, a byte may take two in UTF-8.
                #expect(field.value.utf8.count <= 2 * limits.maximumFieldBytes)
                #expect(!field.value.contains("\n") && !field.name.isEmpty)
            }
            let written = headers.fields.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
            let again = try MailHeaders.parse(Array(written.utf8), limits: MailHeaders.Limits(maximumFieldBytes: 1000))
            #expect(again.fields == headers.fields)
        }
        #expect(parsedCount > 30_000)
    }

    @Test("60,000 encoded-word texts: no trap, plain text untouched, written words decode back")
    func encodedWords() async throws {
        var generator = SeededGenerator(seed: Self.seed &+ 2)
        let pieces = ["=?", "?=", "?Q?", "?B?", "?q?", "UTF-8", "iso-8859-1", "windows-1252", "us-ascii", "koi8", "*en", "=C3", "=BC",
                      "=8", "_", " ", "\r\n ", "w7w=", "SGk", "==", "?", "=", "a", "é", "\u{1F50C}", "(", ")"]
        var pacer = CooperativePacer()
        for index in 0..<60_000 {
            await pacer.pace()
            switch index % 3 {
            case 0:
                let text = (0..<generator.int(in: 0...30)).map { _ in generator.pick(pieces) }.joined()
                let decoded = EncodedWords.decode(text)
                if !text.contains("=?") { #expect(decoded == text) }
                #expect(decoded.unicodeScalars.count <= text.unicodeScalars.count + 1)
            case 1:
                let text = String(decoding: generator.bytes(generator.int(in: 0...120)), as: UTF8.self)
                _ = EncodedWords.decode(text)
            default:
                let original = RandomText.string(using: &generator, maximumLength: 60)
                let clean = HeaderWriter.sanitize(original)
                let words = HeaderWriter.encodedWords(clean, firstWidth: generator.int(in: 16...75))
                #expect(words.allSatisfy { $0.utf8.count <= 75 })
                #expect(EncodedWords.decode(words.joined(separator: generator.pick([" ", "\r\n ", "\t"]))) == clean)
            }
        }
    }

    @Test("40,000 address lists: no trap, addresses lower-case, bounded, and parse back the same")
    func addressParser() async throws {
        var generator = SeededGenerator(seed: Self.seed &+ 3)
        let pieces = ["<", ">", "\"", "(", ")", ",", ";", ":", "@", ".", "\\", " ", "alice", "Example", "com", "[1.2.3.4]",
                      "=?UTF-8?B?R8OpbsOpcmF0ZXVy?=", "Ünï", "\t", "\r\n", "x@y.z", "Name <a@b.c>"]
        var pacer = CooperativePacer()
        for index in 0..<40_000 {
            await pacer.pace()
            let text = index % 4 == 0
                ? String(decoding: generator.bytes(generator.int(in: 0...200)), as: UTF8.self)
                : (0..<generator.int(in: 0...40)).map { _ in generator.pick(pieces) }.joined()
            let mailboxes = AddressParser.parseList(text)
            #expect(mailboxes.count <= AddressParser.maximumMailboxes)
            for mailbox in mailboxes {
                #expect(mailbox.address == mailbox.address.lowercased())
                #expect(mailbox.address.utf8.count <= 254 && mailbox.address.contains("@"))
                #expect(!mailbox.address.utf8.contains(where: { $0 < 0x20 }))
            }
            let written = mailboxes.map { "<\($0.address)>" }.joined(separator: ", ")
            #expect(AddressParser.parseList(written).map(\.address) == mailboxes.map(\.address), "\(text)")
        }
    }

    @Test("40,000 Authentication-Results values: no trap, bounded, normalised, and the verdict never traps")
    func authenticationResults() async throws {
        var generator = SeededGenerator(seed: Self.seed &+ 4)
        let pieces = ["mx.example.com", ";", "=", "(", ")", "\"", ".", "/", " ", "spf", "dkim", "dmarc", "pass", "fail", "none",
                      "smtp.mailfrom", "header.from", "header.d", "example.org", "a@example.org", "reason", "1", "\\", "\r\n "]
        var parsed = 0
        var pacer = CooperativePacer()
        for index in 0..<40_000 {
            await pacer.pace()
            let text = index % 4 == 0
                ? String(decoding: generator.bytes(generator.int(in: 0...200)), as: UTF8.self)
                : (0..<generator.int(in: 0...40)).map { _ in generator.pick(pieces) }.joined()
            if let results = AuthenticationResults.parse(text) {
                parsed += 1
                #expect(!results.authservID.isEmpty)
                #expect(results.results.count <= AuthenticationResults.maximumResults)
                for result in results.results {
                    #expect(!result.method.isEmpty && result.method == result.method.lowercased())
                    #expect(!result.result.isEmpty && result.result == result.result.lowercased())
                }
            }
            _ = SenderAuthentication.verify(senderAddress: "a@example.org", fields: [text, text], trustedAuthservIDs: index % 2 == 0 ? [] : ["mx.example.com"])
        }
        #expect(parsed > 10_000)
    }
}

/// Byte-level mutations of valid input.
enum Mutator {
    static func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator, alphabet: [UInt8]) {
        for _ in 0..<generator.int(in: 0...4) {
            switch generator.int(in: 0...4) {
            case 0 where !bytes.isEmpty: bytes[generator.int(in: 0...(bytes.count - 1))] = UInt8(truncatingIfNeeded: generator.next())
            case 1 where !bytes.isEmpty: bytes.remove(at: generator.int(in: 0...(bytes.count - 1)))
            case 2: bytes.insert(generator.pick(alphabet), at: generator.int(in: 0...bytes.count))
            case 3 where !bytes.isEmpty: bytes.removeLast(generator.int(in: 0...bytes.count))
            default: bytes += bytes.prefix(generator.int(in: 0...40))
            }
        }
    }
}

/// Random Unicode text: ASCII, Latin, CJK, emoji and a few control characters.
enum RandomText {
    static let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0x17F, 0x4E00...0x4E80, 0x1F300...0x1F64F, 0x00...0x1F, 0x2028...0x2029]

    static func string(using generator: inout SeededGenerator, maximumLength: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<generator.int(in: 0...maximumLength) {
            let range = generator.pick(ranges)
            let value = range.lowerBound + UInt32(generator.int(in: 0...Int(range.upperBound - range.lowerBound)))
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}
