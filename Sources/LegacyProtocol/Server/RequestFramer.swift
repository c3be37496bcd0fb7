/// Cuts a connection's bytes into requests.
///
/// The original treats whatever one `recv()` returns as one request, with no delimiter, and its
/// clients send one request and wait for the reply. We keep that: a read that looks complete is
/// answered at once. On top of it, sensibly:
/// - a newline ends a request (several newline-separated requests in one read are answered in turn);
/// - a read that is visibly unfinished (`gener`, `generator: sta`, an unclosed JSON argument) waits
///   for more bytes, up to a short quiet gap after which it is answered as it stands;
/// - more than `maximumBytes` without an end is refused.
public struct RequestFramer: Sendable {
    public enum Next: Sendable, Equatable {
        case request(String)
        /// Nothing complete yet; `pending` tells whether partial bytes are waiting.
        case needMore(pending: Bool)
        /// The buffered request exceeds the limit.
        case overflow
    }

    public let maximumBytes: Int
    /// Unfinished text longer than this is not examined for looking complete on every read (that
    /// would cost the whole text per read); it is answered after the quiet gap instead.
    static let examinedBytes = 4096

    /// Bytes received; those before `start` are answered already.
    private var buffer: [UInt8] = []
    private var start = 0
    /// How far `buffer` has been scanned, and the JSON nesting seen so far in the current request:
    /// each byte is looked at once, however the request arrives.
    private var scanned = 0
    private var depth = 0
    private var inString = false
    private var escaped = false

    public init(maximumBytes: Int = 64 * 1024) { self.maximumBytes = maximumBytes }

    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 { buffer.append(contentsOf: bytes) }

    public mutating func next() -> Next {
        while scanned < buffer.count {
            let byte = buffer[scanned]
            scanned += 1
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case 0x0A where depth <= 0:
                // A newline inside an unfinished JSON argument is part of the argument; this one ends a request.
                let text = String(decoding: buffer[start..<(scanned - 1)], as: UTF8.self).trimmingTrailingReturns()
                consume(upTo: scanned)
                if text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
                return .request(text)
            default: break
            }
        }
        let pending = buffer.count - start
        if pending > maximumBytes { return .overflow }
        guard pending > 0 else { return .needMore(pending: false) }
        guard pending <= Self.examinedBytes else { return .needMore(pending: true) }
        let text = String(decoding: buffer[start...], as: UTF8.self)
        guard Self.looksComplete(text) else { return .needMore(pending: true) }
        consume(upTo: buffer.count)
        return .request(text)
    }

    /// Everything buffered, as one request (after the quiet gap, or when the client closed its side).
    public mutating func flush() -> String? {
        guard start < buffer.count else { return nil }
        let text = String(decoding: buffer[start...], as: UTF8.self)
        consume(upTo: buffer.count)
        return text.allSatisfy(\.isWhitespace) ? nil : text
    }

    /// Marks bytes up to `end` as answered and starts a new request there.
    private mutating func consume(upTo end: Int) {
        start = end
        scanned = max(scanned, end)
        depth = 0
        inString = false
        escaped = false
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.count <= 64 * 1024)
            start = 0
            scanned = 0
        } else if start >= 64 * 1024 {
            // Many requests in one burst: drop what is answered now and then, not after every request.
            buffer.removeSubrange(..<start)
            scanned -= start
            start = 0
        }
    }

    /// True unless the text is visibly cut short.
    public static func looksComplete(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let prefix = "generator:"
        if prefix.hasPrefix(lowered) { return false } // "gen", "generator:" with nothing after it
        guard lowered.hasPrefix(prefix) else { return true } // garbage: answered at once with the error
        let rest = lowered.dropFirst(prefix.count)
        if rest.allSatisfy({ $0 == " " }) { return false }
        if !bracketsBalanced(rest) { return false }
        guard let last = rest.split(separator: " ").last else { return false }
        if let equals = last.firstIndex(of: "=") {
            return last.index(after: equals) != last.endIndex // "setremote=" waits for its value
        }
        let name = String(last)
        if LegacyCommand(rawValue: name) != nil { return true }
        return !LegacyCommand.allCases.contains { $0.rawValue.hasPrefix(name) }
    }

    /// Whether every `{`/`[` outside string literals is closed and no string literal is open.
    static func bracketsBalanced(_ text: Substring) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            default: break
            }
        }
        return depth <= 0 && !inString
    }
}

extension String {
    func trimmingTrailingReturns() -> String {
        var text = self
        while text.last == "\r" { text.removeLast() }
        return text
    }
}
