/// One header field, unfolded: `name` as written, `value` without the leading space and line breaks.
public struct MailHeaderField: Sendable, Equatable {
    public let name: String
    /// The unfolded value, not yet RFC 2047 decoded.
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why a header block was not read.
public enum MailHeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooManyFields(limit: Int)
    case fieldTooLong(name: String, limit: Int)
    case headerTooLarge(limit: Int)

    public var description: String {
        switch self {
        case let .tooManyFields(limit): "the message has more than \(limit) header fields"
        case let .fieldTooLong(name, limit): "the header field \(name) is longer than \(limit) bytes"
        case let .headerTooLarge(limit): "the message header is larger than \(limit) bytes"
        }
    }
}

/// The header block of a message (RFC 5322 section 2.2), read leniently but within limits.
///
/// Lines end with CRLF or a bare LF. A line starting with a space or tab continues the field before
/// it (unfolding removes only the line break). Lines that are neither a field nor a continuation
/// (no colon, a name with spaces) are skipped and counted. An mbox `From ` line at the very start is
/// skipped. Bytes that are not UTF-8 are read as ISO-8859-1, so no text is lost or replaced.
public struct MailHeaders: Sendable, Equatable {
    /// Bounds on what a message may make genmon hold.
    public struct Limits: Sendable, Equatable {
        public var maximumFields: Int
        /// One field after unfolding, in raw bytes (read as Latin-1 a byte may take two bytes of UTF-8).
        public var maximumFieldBytes: Int
        /// The whole header block.
        public var maximumHeaderBytes: Int

        public init(maximumFields: Int = 1000, maximumFieldBytes: Int = 65_536, maximumHeaderBytes: Int = 1_048_576) {
            self.maximumFields = max(1, maximumFields)
            self.maximumFieldBytes = max(16, maximumFieldBytes)
            self.maximumHeaderBytes = max(16, maximumHeaderBytes)
        }
    }

    /// The fields in message order.
    public let fields: [MailHeaderField]
    /// Lines that were skipped because they were neither a field nor a continuation.
    public let malformedLineCount: Int
    /// Where the body starts in the bytes given to `parse` (their count when there is no blank line).
    public let bodyOffset: Int

    public init(fields: [MailHeaderField], malformedLineCount: Int = 0, bodyOffset: Int = 0) {
        self.fields = fields
        self.malformedLineCount = malformedLineCount
        self.bodyOffset = bodyOffset
    }

    /// Reads the header block at the start of `message` (a whole message or just its header).
    public static func parse(_ message: some Collection<UInt8>, limits: Limits = Limits()) throws(MailHeaderError) -> MailHeaders {
        let bytes = Array(message)
        var fields: [(name: [UInt8], value: [UInt8])] = []
        var malformed = 0
        var index = 0
        var bodyOffset = bytes.count
        var lineNumber = 0
        while index < bytes.count {
            let lineStart = index
            while index < bytes.count, bytes[index] != ASCII.lf { index += 1 }
            var lineEnd = index
            if index < bytes.count { index += 1 }  // past the LF
            if lineEnd > lineStart, bytes[lineEnd - 1] == ASCII.cr { lineEnd -= 1 }
            guard index <= limits.maximumHeaderBytes || lineEnd == lineStart else { throw .headerTooLarge(limit: limits.maximumHeaderBytes) }
            defer { lineNumber += 1 }
            let line = bytes[lineStart..<lineEnd]
            if line.isEmpty {
                bodyOffset = index
                break
            }
            if ASCII.isWhitespace(line[line.startIndex]) {
                guard !fields.isEmpty else { malformed += 1; continue }
                fields[fields.count - 1].value.append(contentsOf: line)
                guard fields[fields.count - 1].value.count <= limits.maximumFieldBytes else {
                    throw .fieldTooLong(name: String(decoding: fields[fields.count - 1].name, as: UTF8.self), limit: limits.maximumFieldBytes)
                }
                continue
            }
            if lineNumber == 0, line.starts(with: Array("From ".utf8)) { continue }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { malformed += 1; continue }
            var name = Array(line[line.startIndex..<colon])
            while let last = name.last, ASCII.isWhitespace(last) { name.removeLast() }  // obsolete "Name :" form
            guard !name.isEmpty, name.allSatisfy(ASCII.isVisible) else { malformed += 1; continue }
            guard fields.count < limits.maximumFields else { throw .tooManyFields(limit: limits.maximumFields) }
            let value = Array(line[(colon + 1)...])
            guard value.count <= limits.maximumFieldBytes else {
                throw .fieldTooLong(name: String(decoding: name, as: UTF8.self), limit: limits.maximumFieldBytes)
            }
            fields.append((name, value))
        }
        let parsed = fields.map { field in
            MailHeaderField(name: Self.text(field.name), value: Self.text(field.value).trimmingASCIISpaces())
        }
        return MailHeaders(fields: parsed, malformedLineCount: malformed, bodyOffset: bodyOffset)
    }

    /// Every value of the fields called `name` (compared without case), in message order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// The first value of the field called `name`, undecoded.
    public subscript(name: String) -> String? { fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value }

    /// The first value of `name` with RFC 2047 encoded-words decoded.
    public func decoded(_ name: String) -> String? { self[name].map(EncodedWords.decode) }

    /// The decoded Subject.
    public var subject: String? { decoded("Subject") }

    /// The mailboxes of the first From field.
    public var from: [ParsedMailbox] { self["From"].map(AddressParser.parseList) ?? [] }

    /// Every Authentication-Results field that could be read, topmost (most recent) first.
    public var authenticationResults: [AuthenticationResults] {
        values("Authentication-Results").compactMap(AuthenticationResults.parse)
    }

    /// UTF-8 when valid, else ISO-8859-1 (every byte is a character there).
    static func text(_ bytes: [UInt8]) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
