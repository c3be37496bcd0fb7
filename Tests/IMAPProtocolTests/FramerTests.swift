import GenmonBasics
import Testing
@testable import MailProtocol

extension IMAPFrame {
    /// The frame back as wire bytes (kept literals only), to check that framing is lossless.
    var wireBytes: [UInt8]? {
        var bytes: [UInt8] = []
        for (index, line) in lines.enumerated() {
            bytes += line + [0x0D, 0x0A]
            guard index < literals.count else { continue }
            guard case let .bytes(literal) = literals[index] else { return nil }
            bytes += literal
        }
        return bytes
    }
}

@Suite("IMAP response framing")
struct FramerTests {
    static let session = wire(
        "* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n"
            + "* 2 FETCH (UID 7 BODY[HEADER] {25}\r\nSubject: x\r\n{5}\r\nA: b\r\n\r\n BODY[TEXT]<0> {0}\r\n)\r\n"
            + "* 3 FETCH (UID 8 BODY[HEADER] {4+}\r\nab\r\n)\r\n"
            + "+ idling\r\n"
            + "a1 OK done\r\n")

    @Test("literals are cut by their announced length, even when they contain CRLF and braces")
    func literals() throws {
        let results = frames(Self.session)
        #expect(results.count == 5)
        guard case let .success(fetch) = results[1] else { Issue.record("no FETCH frame"); return }
        #expect(fetch.lines == [wire("* 2 FETCH (UID 7 BODY[HEADER] {25}"), wire(" BODY[TEXT]<0> {0}"), wire(")")])
        #expect(fetch.literals == [.bytes(wire("Subject: x\r\n{5}\r\nA: b\r\n\r\n")), .bytes([])])
        #expect(try IMAPResponseParser.parse(fetch) == .untagged(.fetch(sequenceNumber: 2, [
            .uid(7), .body(.header, origin: nil, .bytes(wire("Subject: x\r\n{5}\r\nA: b\r\n\r\n"))), .body(.text, origin: 0, .bytes([])),
        ])))
        guard case let .success(plus) = results[2] else { Issue.record("no LITERAL+ frame"); return }
        #expect(plus.literals == [.bytes(wire("ab\r\n"))])
    }

    @Test("the same responses come out byte by byte, in every two-piece split and in random pieces")
    func splitsDoNotMatter() {
        let whole = frames(Self.session)
        #expect(frames(Self.session, pieces: Array(repeating: 1, count: Self.session.count)) == whole)
        for cut in 0...Self.session.count {
            #expect(frames(Self.session, pieces: [cut, Self.session.count]) == whole, "split at \(cut)")
        }
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let pieces = (0..<40).map { _ in generator.int(in: 1...9) }
            #expect(frames(Self.session, pieces: pieces) == whole)
        }
    }

    @Test("every truncation yields only the complete responses before the cut, and no error")
    func truncations() {
        let whole = frames(Self.session)
        var boundaries: [Int] = []
        var consumed = 0
        for case let .success(frame) in whole {
            consumed += frame.wireBytes?.count ?? 0
            boundaries.append(consumed)
        }
        for length in 0...Self.session.count {
            let prefix = Array(Self.session.prefix(length))
            let expected = boundaries.filter { $0 <= length }.count
            let results = frames(prefix)
            #expect(results.count == expected, "prefix \(length)")
            #expect(Array(whole.prefix(expected)) == results)
        }
    }

    @Test("a bare LF ends a line too")
    func bareLineFeed() throws {
        #expect(try parseOne("* 3 EXISTS\n") == .untagged(.exists(3)))
    }

    @Test("a literal above the limit is reported by size and skipped without being buffered")
    func oversizeLiteral() throws {
        var framer = IMAPResponseFramer(limits: .init(maximumLiteralSize: 1024))
        let size = 5_000_000
        framer.append(wire("* 1 FETCH (UID 9 BODY[HEADER] {\(size)}\r\n"))
        #expect(try framer.next() == nil)
        let chunk = [UInt8](repeating: 0x41, count: 65_536)
        var sent = 0
        while sent < size {
            let piece = chunk.prefix(size - sent)
            framer.append(piece)
            sent += piece.count
            #expect(try framer.next() == nil || sent == size)
            #expect(framer.bufferedByteCount < 70_000)
        }
        framer.append(wire(" RFC822.SIZE 5000100)\r\na1 OK\r\n"))
        let frame = try #require(try framer.next())
        #expect(frame.literals == [.tooLarge(size: size)])
        #expect(try IMAPResponseParser.parse(frame) == .untagged(.fetch(sequenceNumber: 1, [
            .uid(9), .body(.header, origin: nil, .tooLarge(size: size)), .rfc822Size(5_000_100),
        ])))
        #expect(try framer.next().map(IMAPResponseParser.parse) == .tagged(tag: "a1", IMAPStatus(kind: .ok)))
        #expect(framer.bufferedByteCount == 0)
    }

    @Test("an over-long line is dropped whole, its literal skipped, and framing goes on")
    func overlongLine() throws {
        let limits = IMAPResponseFramer.Limits(maximumLineLength: 64)
        let long = String(repeating: "9 ", count: 100)
        let input = wire("* SEARCH \(long)\r\n* SEARCH \(long){3}\r\nxyz more\r\n* 1 EXISTS\r\n")
        let expected: [Result<IMAPFrame, IMAPFramingError>] = [
            .failure(.lineTooLong(limit: 64)), .failure(.lineTooLong(limit: 64)),
            .success(IMAPFrame(lines: [wire("* 1 EXISTS")], literals: [])),
        ]
        #expect(frames(input, limits: limits) == expected)
        #expect(frames(input, pieces: Array(repeating: 1, count: input.count), limits: limits) == expected)
        #expect(frames(input, pieces: Array(repeating: 7, count: input.count), limits: limits) == expected)
    }

    @Test("a response beyond the total limit is dropped and framing goes on")
    func responseTooLarge() {
        let limits = IMAPResponseFramer.Limits(maximumLineLength: 64, maximumLiteralSize: 100, maximumResponseSize: 150)
        let input = wire("* 1 FETCH (BODY[1] {90}\r\n" + String(repeating: "a", count: 90) + " BODY[2] {90}\r\n" + String(repeating: "b", count: 90)
            + " BODY[3] {1}\r\nc" + String(repeating: " X", count: 30) + " UID 1)\r\n* 2 EXISTS\r\n")
        let results = frames(input, limits: limits)
        #expect(results.count == 2)
        if case let .success(frame) = results.first {
            // The second literal would pass the total: skipped and reported by size; the rest is kept.
            #expect(frame.literals == [.bytes(Array(repeating: 0x61, count: 90)), .tooLarge(size: 90), .bytes(wire("c"))])
        }
        let tight = IMAPResponseFramer.Limits(maximumLineLength: 64, maximumLiteralSize: 100, maximumResponseSize: 40)
        #expect(frames(wire("* 1 FETCH (X {1}\r\na" + String(repeating: " Y", count: 20) + ")\r\n* 2 EXISTS\r\n"), limits: tight) == [
            .failure(.responseTooLarge(limit: 40)), .success(IMAPFrame(lines: [wire("* 2 EXISTS")], literals: [])),
        ])
    }

    @Test("a literal length beyond 32 bits is fatal and stays fatal")
    func invalidLiteralLength() {
        var framer = IMAPResponseFramer()
        framer.append(wire("* 1 FETCH (BODY[] {99999999999}\r\n* 2 EXISTS\r\n"))
        #expect(throws: IMAPFramingError.invalidLiteralLength("99999999999")) { try framer.next() }
        #expect(throws: IMAPFramingError.invalidLiteralLength("99999999999")) { try framer.next() }
        #expect(IMAPFramingError.invalidLiteralLength("1").isFatal)
        #expect(!IMAPFramingError.lineTooLong(limit: 1).isFatal)
        // Braces that are not a number are just text.
        #expect(frames(wire("* OK {abc}\r\n* OK {}\r\n")).count == 2)
    }
}
