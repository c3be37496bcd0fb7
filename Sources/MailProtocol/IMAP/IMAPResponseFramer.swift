/// One complete server response: its text lines (CRLF removed) and the literals between them.
///
/// Every line but the last ends with the literal announcement (`{n}`) whose bytes follow it, so
/// `lines.count == literals.count + 1`.
public struct IMAPFrame: Equatable, Sendable {
    public var lines: [[UInt8]]
    public var literals: [IMAPLiteral]

    public init(lines: [[UInt8]], literals: [IMAPLiteral]) {
        self.lines = lines
        self.literals = literals
    }
}

/// The bytes of a literal, or only its size when it was over the limit and skipped unread.
public enum IMAPLiteral: Equatable, Sendable {
    case bytes([UInt8])
    case tooLarge(size: Int)
}

/// Cuts complete responses out of the server's byte stream, literals included, within hard limits.
///
/// Feed it bytes in any pieces; it returns the same responses however the stream was split. A literal
/// above `maximumLiteralSize` is counted off as it arrives, never buffered, and reported as `.tooLarge`.
public struct IMAPResponseFramer: Sendable {
    /// The bounds that keep memory finite whatever the server sends.
    public struct Limits: Equatable, Sendable {
        /// Longest text line outside literals (a SEARCH answer for 100,000 UIDs fits in 1 MiB).
        public var maximumLineLength: Int
        /// Largest literal kept; larger ones are skipped and reported by size (1 MiB suits headers).
        public var maximumLiteralSize: Int
        /// Most bytes of lines and kept literals in one response; later literals are skipped once it is reached.
        public var maximumResponseSize: Int

        public init(maximumLineLength: Int = 1 << 20, maximumLiteralSize: Int = 1 << 20, maximumResponseSize: Int = 8 << 20) {
            self.maximumLineLength = max(16, maximumLineLength)
            self.maximumLiteralSize = max(0, maximumLiteralSize)
            self.maximumResponseSize = max(16, maximumResponseSize)
        }
    }

    private enum State: Sendable {
        /// Reading a text line; `scanned` bytes of the buffer are known to hold no LF.
        case line(scanned: Int)
        /// Collecting a literal that will be kept.
        case literal(remaining: Int)
        /// Counting off a literal that is too large, keeping none of it; `discarding` carries the error of a
        /// response being dropped, whose next line must be dropped too.
        case skippingLiteral(remaining: Int, discarding: IMAPFramingError?)
        /// Throwing away an over-long line; `tail` keeps its last bytes to spot a literal announcement.
        case discardingLine(tail: [UInt8], error: IMAPFramingError)
        case failed(IMAPFramingError)
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var start = 0
    private var state: State = .line(scanned: 0)
    private var lines: [[UInt8]] = []
    private var literals: [IMAPLiteral] = []
    private var literalBytes: [UInt8] = []
    private var responseSize = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received but not yet part of a returned response (the STARTTLS check wants this to be zero).
    public var bufferedByteCount: Int {
        buffer.count - start + literalBytes.count + lines.reduce(0) { $0 + $1.count }
    }

    /// Adds bytes from the stream.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete response, or nil when more bytes are needed.
    ///
    /// A `lineTooLong` or `responseTooLarge` error means that response was dropped and framing goes on with
    /// the next call; an error whose `isFatal` is true repeats forever and the connection must be closed.
    public mutating func next() throws(IMAPFramingError) -> IMAPFrame? {
        do {
            return try step()
        } catch {
            if error.isFatal { state = .failed(error) }
            throw error
        }
    }

    private mutating func step() throws(IMAPFramingError) -> IMAPFrame? {
        while true {
            switch state {
            case let .failed(error):
                throw error
            case let .line(scanned):
                let available = buffer.count - start
                guard let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) else {
                    // One more byte than the limit may be the CR of a line that is just within it.
                    if available > limits.maximumLineLength + 1 {
                        state = .discardingLine(tail: Array(buffer.suffix(Self.tailLength)), error: .lineTooLong(limit: limits.maximumLineLength))
                        start = buffer.count
                        continue
                    }
                    state = .line(scanned: available)
                    return nil
                }
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                guard line.count <= limits.maximumLineLength else {
                    try finishDiscarded(line: line, error: .lineTooLong(limit: limits.maximumLineLength))
                    continue
                }
                responseSize += line.count + 2
                guard responseSize <= limits.maximumResponseSize else {
                    try finishDiscarded(line: line, error: .responseTooLarge(limit: limits.maximumResponseSize))
                    continue
                }
                lines.append(line)
                guard let size = try Self.literalAnnouncement(line) else { return completeFrame() }
                if size <= limits.maximumLiteralSize && responseSize + size <= limits.maximumResponseSize {
                    responseSize += size
                    literalBytes.reserveCapacity(size)
                    state = .literal(remaining: size)
                } else {
                    literals.append(.tooLarge(size: size))
                    state = .skippingLiteral(remaining: size, discarding: nil)
                }
            case let .literal(remaining):
                let take = min(remaining, buffer.count - start)
                literalBytes += buffer[start..<(start + take)]
                start += take
                guard take == remaining else {
                    state = .literal(remaining: remaining - take)
                    return nil
                }
                literals.append(.bytes(literalBytes))
                literalBytes = []
                state = .line(scanned: 0)
            case let .skippingLiteral(remaining, discarding):
                let take = min(remaining, buffer.count - start)
                start += take
                guard take == remaining else {
                    state = .skippingLiteral(remaining: remaining - take, discarding: discarding)
                    return nil
                }
                state = discarding.map { .discardingLine(tail: [], error: $0) } ?? .line(scanned: 0)
            case let .discardingLine(tail, error):
                guard let newline = buffer[start...].firstIndex(of: 0x0A) else {
                    state = .discardingLine(tail: Array((tail + buffer[start...]).suffix(Self.tailLength)), error: error)
                    start = buffer.count
                    return nil
                }
                var ending = tail + buffer[max(start, newline - Self.tailLength)..<newline]
                start = newline + 1
                if ending.last == 0x0D { ending.removeLast() }
                try finishDiscarded(line: Array(ending.suffix(Self.tailLength)), error: error)
            }
        }
    }

    /// A line of a dropped response has ended: skip its literal if it announces one, else report the drop.
    private mutating func finishDiscarded(line: [UInt8], error: IMAPFramingError) throws(IMAPFramingError) {
        lines = []
        literals = []
        literalBytes = []
        responseSize = 0
        if let size = try Self.literalAnnouncement(line) {
            state = .skippingLiteral(remaining: size, discarding: error)
            return
        }
        state = .line(scanned: 0)
        throw error
    }

    private mutating func completeFrame() -> IMAPFrame {
        let frame = IMAPFrame(lines: lines, literals: literals)
        lines = []
        literals = []
        responseSize = 0
        state = .line(scanned: 0)
        return frame
    }

    /// Longest possible announcement `{4294967295+}` plus slack, so a discarded line's tail still shows it.
    static let tailLength = 24

    /// The size announced by `{n}` or `{n+}` at the very end of `line`, if there is one.
    static func literalAnnouncement(_ line: [UInt8]) throws(IMAPFramingError) -> Int? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1)..<(line.count - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(IMAPGrammar.isDigit) else { return nil }
        let text = String(decoding: digits, as: UTF8.self)
        guard digits.count <= 10, let size = UInt32(text) else {
            throw .invalidLiteralLength(text)
        }
        return Int(size)
    }
}
