/// A complete SMTP reply: one code and one or more lines of text (RFC 5321 section 4.2).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The three-digit reply code, 200...599.
    public let code: Int
    /// The text of each line after the code and its separator, as the server sent it.
    public let lines: [String]
    /// The RFC 3463 enhanced status code at the start of the first line, when the server sends one.
    public let enhancedCode: EnhancedStatusCode?

    /// Builds a reply; the enhanced code is read from the first line when its class matches `code`.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
        let candidate = self.lines.first.flatMap { EnhancedStatusCode(prefixOf: $0) }
        self.enhancedCode = candidate.flatMap { $0.statusClass == code / 100 ? $0 : nil }
    }

    /// 2yz: the command succeeded.
    public var isPositiveCompletion: Bool { (200..<300).contains(code) }
    /// 3yz: the server waits for more (354 after DATA, 334 during AUTH).
    public var isPositiveIntermediate: Bool { (300..<400).contains(code) }
    /// 4yz: a temporary failure; the same command may work later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5yz: a permanent failure for this command.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// The human text of all lines, enhanced codes removed, joined with spaces.
    public var text: String {
        lines.map { line in
            guard let (enhanced, length) = EnhancedStatusCode.parsePrefix(of: line), enhanced.statusClass == code / 100 else { return line }
            return String(decoding: line.utf8.dropFirst(length).drop(while: ASCII.isWhitespace), as: UTF8.self)
        }
        .filter { !$0.isEmpty }
        .joined(separator: " ")
    }

    /// The reply as the server sent it, on one line: `535 5.7.8 Authentication credentials invalid`.
    public var description: String {
        lines.map { $0.isEmpty ? "\(code)" : "\(code) \($0)" }.joined(separator: " / ")
    }
}

/// An RFC 3463 enhanced status code `class.subject.detail`, e.g. `5.7.8`.
public struct EnhancedStatusCode: Sendable, Hashable, CustomStringConvertible {
    /// 2 success, 4 persistent transient failure, 5 permanent failure.
    public let statusClass: Int
    public let subject: Int
    public let detail: Int

    public init?(statusClass: Int, subject: Int, detail: Int) {
        guard [2, 4, 5].contains(statusClass), (0...999).contains(subject), (0...999).contains(detail) else { return nil }
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Reads the code at the start of a reply line (`5.1.1 <x@y>: user unknown`), if there is one.
    public init?(prefixOf line: String) {
        guard let (code, _) = Self.parsePrefix(of: line) else { return nil }
        self = code
    }

    /// The code at the start of `line` and how many bytes it takes, or nil.
    static func parsePrefix(of line: String) -> (EnhancedStatusCode, Int)? {
        var numbers: [Int] = []
        var current = 0, digits = 0, consumed = 0
        for byte in line.utf8 {
            if ASCII.isDigit(byte) {
                guard digits < 3 else { return nil }
                current = current * 10 + Int(byte - 0x30)
                digits += 1
            } else if byte == UInt8(ascii: "."), numbers.count < 2, digits > 0 {
                numbers.append(current)
                current = 0
                digits = 0
            } else {
                break
            }
            consumed += 1
        }
        guard numbers.count == 2, digits > 0 else { return nil }
        // The code must end the line or be followed by white space.
        if let next = line.utf8.dropFirst(consumed).first, !ASCII.isWhitespace(next) { return nil }
        guard let code = EnhancedStatusCode(statusClass: numbers[0], subject: numbers[1], detail: current) else { return nil }
        return (code, consumed)
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }
}
