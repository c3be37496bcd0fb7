/// What is wrong with bytes that claim to be SMTP replies. After any of these the connection is unusable.
public enum SMTPReplyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line longer than the limit without a line end.
    case lineTooLong(limit: Int)
    /// A multi-line reply with more lines than the limit.
    case tooManyLines(limit: Int)
    /// A reply whose lines add up to more bytes than the limit.
    case replyTooLarge(limit: Int)
    /// A line that does not start with a three-digit code 200...599 followed by space, `-` or its end.
    case malformedLine(String)
    /// A continuation line whose code differs from the first line's.
    case inconsistentCode(expected: Int, received: Int)
    /// A NUL byte in a reply.
    case nulByte

    public var description: String {
        switch self {
        case let .lineTooLong(limit): "a reply line is longer than \(limit) bytes"
        case let .tooManyLines(limit): "a reply has more than \(limit) lines"
        case let .replyTooLarge(limit): "a reply is larger than \(limit) bytes"
        case let .malformedLine(line): "a reply line is not of the form '250 text': \(line)"
        case let .inconsistentCode(expected, received): "a multi-line reply changes its code from \(expected) to \(received)"
        case .nulByte: "a reply contains a NUL byte"
        }
    }
}

/// Cuts SMTP replies out of a byte stream, however the bytes are split across reads.
///
/// Lines end with CRLF; a bare LF is accepted too (some servers and proxies send it). Memory is
/// bounded: a partial line never exceeds `maximumLineLength` and a reply never exceeds
/// `maximumLines` / `maximumReplyBytes`. After an error the parser stays failed.
public struct SMTPReplyParser: Sendable {
    /// Bounds on what a server may send.
    public struct Limits: Sendable, Equatable {
        /// RFC 5321 allows 512; real servers send longer EHLO and error lines, so the default is 4096.
        public var maximumLineLength: Int
        public var maximumLines: Int
        public var maximumReplyBytes: Int

        public init(maximumLineLength: Int = 4096, maximumLines: Int = 128, maximumReplyBytes: Int = 65_536) {
            self.maximumLineLength = max(8, maximumLineLength)
            self.maximumLines = max(1, maximumLines)
            self.maximumReplyBytes = max(8, maximumReplyBytes)
        }
    }

    public let limits: Limits
    private var line: [UInt8] = []
    private var pendingCode: Int?
    private var pendingLines: [String] = []
    private var pendingBytes = 0
    private var failure: SMTPReplyError?

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// True when bytes of an unfinished line or reply are held. After STARTTLS's 220 this must be false:
    /// anything a server sent before the handshake could be an injection (CVE-2011-0411 style).
    public var hasBufferedInput: Bool { !line.isEmpty || pendingCode != nil }

    /// Bytes held for the unfinished line (for the tests that check the bound).
    var bufferedLineLength: Int { line.count }

    /// Consumes `bytes` and returns every reply they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(SMTPReplyError) -> [SMTPReply] {
        if let failure { throw failure }
        var replies: [SMTPReply] = []
        do throws(SMTPReplyError) {
            for byte in bytes {
                if byte == ASCII.lf {
                    if line.last == ASCII.cr { line.removeLast() }
                    if let reply = try finishLine() { replies.append(reply) }
                    line.removeAll(keepingCapacity: true)
                } else {
                    guard byte != 0 else { throw SMTPReplyError.nulByte }
                    // +1 leaves room for the CR of a CRLF that has not arrived yet.
                    guard line.count < limits.maximumLineLength + 1 else { throw SMTPReplyError.lineTooLong(limit: limits.maximumLineLength) }
                    line.append(byte)
                }
            }
        } catch {
            failure = error
            throw error
        }
        return replies
    }

    /// Interprets the line just ended; returns a reply when it was the last line of one.
    private mutating func finishLine() throws(SMTPReplyError) -> SMTPReply? {
        guard line.count <= limits.maximumLineLength else { throw .lineTooLong(limit: limits.maximumLineLength) }
        guard line.count >= 3, line[0] >= UInt8(ascii: "2"), line[0] <= UInt8(ascii: "5"),
              ASCII.isDigit(line[1]), ASCII.isDigit(line[2]) else {
            throw .malformedLine(Self.printable(line))
        }
        let code = Int(line[0] - 0x30) * 100 + Int(line[1] - 0x30) * 10 + Int(line[2] - 0x30)
        let isLast: Bool
        if line.count == 3 {
            isLast = true
        } else if line[3] == ASCII.space {
            isLast = true
        } else if line[3] == UInt8(ascii: "-") {
            isLast = false
        } else {
            throw .malformedLine(Self.printable(line))
        }
        if let pendingCode, pendingCode != code { throw .inconsistentCode(expected: pendingCode, received: code) }
        guard pendingLines.count < limits.maximumLines else { throw .tooManyLines(limit: limits.maximumLines) }
        pendingBytes += line.count + 2
        guard pendingBytes <= limits.maximumReplyBytes else { throw .replyTooLarge(limit: limits.maximumReplyBytes) }
        pendingCode = code
        pendingLines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
        guard isLast else { return nil }
        let reply = SMTPReply(code: code, lines: pendingLines)
        pendingCode = nil
        pendingLines.removeAll(keepingCapacity: true)
        pendingBytes = 0
        return reply
    }

    /// A line shown in an error: at most 80 characters, control bytes replaced.
    private static func printable(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(80).map { ASCII.isVisible($0) || $0 == ASCII.space || $0 >= 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
