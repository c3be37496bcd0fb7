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
    public private(set) var buffer: [UInt8] = []

    public init(maximumBytes: Int = 64 * 1024) { self.maximumBytes = maximumBytes }

    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 { buffer.append(contentsOf: bytes) }

    public var hasPending: Bool { !buffer.isEmpty }

    public mutating func next() -> Next {
        var searchFrom = buffer.startIndex
        while let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
            let text = String(decoding: buffer[..<newline], as: UTF8.self).trimmingTrailingReturns()
            // A newline inside an unfinished JSON argument is part of the argument.
            guard Self.bracketsBalanced(Substring(text)) else {
                searchFrom = buffer.index(after: newline)
                continue
            }
            buffer.removeSubrange(...newline)
            searchFrom = buffer.startIndex
            if text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            return .request(text)
        }
        if buffer.count > maximumBytes { return .overflow }
        guard !buffer.isEmpty else { return .needMore(pending: false) }
        let text = String(decoding: buffer, as: UTF8.self)
        guard Self.looksComplete(text) else { return .needMore(pending: true) }
        buffer.removeAll(keepingCapacity: true)
        return .request(text)
    }

    /// Everything buffered, as one request (after the quiet gap, or when the client closed its side).
    public mutating func flush() -> String? {
        guard !buffer.isEmpty else { return nil }
        defer { buffer.removeAll() }
        let text = String(decoding: buffer, as: UTF8.self)
        return text.allSatisfy(\.isWhitespace) ? nil : text
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
