import GenmonBasics
import GenmonTesting
import Testing
@testable import MailProtocol

/// Seeded random and mutated input through the framer, the parser, the session and the encoder.
///
/// Nothing may trap; however the bytes are split the framer must give the same result; memory held
/// between reads must stay under the limits; every accepted frame must re-frame to itself.
@Suite("IMAP random input")
struct RandomInputTests {
    static let seed: UInt64 = 0x494D_4150  // "IMAP"
    static let responseInputs = 320_000
    static let commandInputs = 40_000

    static let corpus: [[UInt8]] = [
        "* OK [CAPABILITY IMAP4rev1 IDLE LITERAL+ AUTH=PLAIN] ready\r\n", "* 3 EXISTS\r\n", "* 1 RECENT\r\n", "* 2 EXPUNGE\r\n",
        "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", "* FLAGS (\\Answered \\Seen $Forwarded)\r\n", "* SEARCH 2 84 882\r\n",
        "* LIST (\\HasNoChildren) \"/\" Generator/Processed\r\n", "* LIST () NIL {3}\r\nabc\r\n", "+ idling\r\n", "a1 OK [READ-WRITE] done\r\n",
        "a2 NO [TRYCREATE] no\r\n", "* OK [COPYUID 5 1:3 7:9] moved\r\n", "* BYE bye\r\n",
        "* 1 FETCH (UID 7 FLAGS (\\Seen) RFC822.SIZE 99 BODY[HEADER.FIELDS (SUBJECT)] {14}\r\nSubject: x\r\n\r\n)\r\n",
        "* 2 FETCH (UID 8 BODY[TEXT]<0> {5+}\r\nhello BODY[HEADER] NIL ENVELOPE (NIL \"a\" ((NIL NIL \"b\" \"c\"))))\r\n",
        "* 3 FETCH (BODY[] {40}\r\n" + String(repeating: "x", count: 40) + ")\r\n",
    ].map { Array($0.utf8) }

    static let alphabet = Array("* +(){}[]<>\"\\\r\n0123456789AOKNBYEFTCHUIDLSX:.,%&-".utf8)

    static func input(_ generator: inout SeededGenerator, index: Int) -> [UInt8] {
        switch index % 5 {
        case 0:  // noise of any byte
            return generator.bytes(generator.int(in: 0...200))
        case 1:  // noise from the grammar's own characters
            return (0..<generator.int(in: 0...200)).map { _ in alphabet[generator.int(in: 0...(alphabet.count - 1))] }
        case 2:  // a valid response with bytes changed
            var bytes = corpus[generator.int(in: 0...(corpus.count - 1))]
            for _ in 0..<generator.int(in: 1...4) { bytes[generator.int(in: 0...(bytes.count - 1))] = alphabet[generator.int(in: 0...(alphabet.count - 1))] }
            return bytes
        case 3:  // valid responses cut short or run together
            let first = corpus[generator.int(in: 0...(corpus.count - 1))], second = corpus[generator.int(in: 0...(corpus.count - 1))]
            return Array((first + second).prefix(generator.int(in: 0...(first.count + second.count))))
        default:  // a literal announcement with a random (often large or wrong) size
            let size = [0, 1, 5, 63, 64, 65, 1000, 4_294_967_295][generator.int(in: 0...7)]
            return Array("* 1 FETCH (BODY[] {\(size)\(generator.bool() ? "+" : "")}\r\n".utf8) + generator.bytes(generator.int(in: 0...80)) + Array(")\r\na1 OK\r\n".utf8)
        }
    }

    @Test("320,000 random responses: no trap, split-independent, bounded memory, frames re-frame to themselves")
    func randomResponses() async throws {
        var generator = SeededGenerator(seed: Self.seed)
        let limits = IMAPResponseFramer.Limits(maximumLineLength: 96, maximumLiteralSize: 64, maximumResponseSize: 256)
        var parsed = 0, rejected = 0, framingErrors = 0
        var pacer = CooperativePacer()
        for index in 0..<Self.responseInputs {
            await pacer.pace()
            let bytes = Self.input(&generator, index: index)
            let whole = frames(bytes, limits: limits)
            var pieces: [Int] = []
            while pieces.reduce(0, +) < bytes.count { pieces.append(generator.int(in: 1...17)) }
            #expect(frames(bytes, pieces: pieces, limits: limits) == whole)

            var framer = IMAPResponseFramer(limits: limits)
            framer.append(bytes)
            while true {
                do {
                    guard try framer.next() != nil else { break }
                } catch {
                    if error.isFatal { break }
                }
                #expect(framer.bufferedByteCount <= bytes.count)
            }
            #expect(framer.bufferedByteCount <= limits.maximumLineLength + limits.maximumResponseSize + limits.maximumLiteralSize)

            var session = IMAPSession()
            for result in whole {
                guard case let .success(frame) = result else { framingErrors += 1; continue }
                if let again = frame.wireBytes {
                    #expect(frames(again, limits: limits) == [.success(frame)])
                }
                do {
                    let response = try IMAPResponseParser.parse(frame)
                    parsed += 1
                    _ = try? session.receive(response, now: .now)
                } catch {
                    rejected += 1
                }
            }
        }
        #expect(parsed > 20_000, "the mix should include parseable responses, got \(parsed)")
        #expect(rejected > 20_000 && framingErrors > 1_000)
    }

    @Test("40,000 random LOGIN, mailbox and flag arguments: refused or exactly one command, never an injected line")
    func randomArguments() async throws {
        var generator = SeededGenerator(seed: Self.seed &+ 1)
        let pool = Array("aZ09 \"\\(){}*%]\r\n\0é😀+-&./".unicodeScalars)
        func text() -> String {
            var view = String.UnicodeScalarView()
            for _ in 0..<generator.int(in: 0...12) { view.append(pool[generator.int(in: 0...(pool.count - 1))]) }
            return String(view)
        }
        var accepted = 0
        var pacer = CooperativePacer()
        for index in 0..<Self.commandInputs {
            await pacer.pace()
            let literalPlus = generator.bool()
            let command: IMAPCommand
            do {
                switch index % 4 {
                case 0: command = .login(username: text(), password: text())
                case 1: command = .select(try IMAPMailbox(text()))
                case 2: command = .uidStore(try IMAPSequenceSet([1]), .add, [try IMAPFlag(text())], silent: false)
                default: command = .authenticatePlain(username: text(), password: text(), initialResponse: generator.bool())
                }
                let encoded = try IMAPCommandEncoder(literalPlus: literalPlus).encode(command, tag: "x1")
                accepted += 1
                // A server framing the command the same way must see exactly one command (and, for
                // AUTHENTICATE without SASL-IR, one base64 line after it).
                let result = frames(encoded.parts.flatMap { $0 })
                var expectedFrames = 1
                if case .authenticatePlain(_, _, _, false) = command { expectedFrames = 2 }
                #expect(result.count == expectedFrames, "\(command) → \(result)")
                if case let .success(frame) = result.first {
                    #expect(frame.lines.first?.starts(with: Array("x1 ".utf8)) == true)
                    #expect(!frame.lines.contains { $0.contains(0) || $0.contains(0x0D) || $0.contains(0x0A) })
                }
            } catch {
                continue
            }
        }
        #expect(accepted > Self.commandInputs / 4)
    }
}
