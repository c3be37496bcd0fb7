/// Why a command could not be encoded: an argument that would change the command's meaning on the wire.
public enum IMAPCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A NUL byte, which IMAP cannot carry even in a literal.
    case containsNUL(field: String)
    /// A character not allowed in this kind of argument (a control character in a mailbox name, a space in a flag).
    case invalidCharacter(field: String, value: String)
    /// An argument that must not be empty.
    case empty(field: String)
    /// A tag that is not a non-empty run of atom characters without `+`.
    case invalidTag(String)
    /// A UID or sequence number of zero, or a range that IMAP cannot express.
    case invalidSequenceSet(String)

    public var description: String {
        switch self {
        case let .containsNUL(field): "\(field) contains a NUL byte"
        case let .invalidCharacter(field, value): "\(field) has a character IMAP does not allow here: \(value.debugDescription)"
        case let .empty(field): "\(field) is empty"
        case let .invalidTag(tag): "\(tag.debugDescription) is not a valid IMAP tag"
        case let .invalidSequenceSet(reason): "invalid sequence set: \(reason)"
        }
    }
}

/// Why bytes from the server could not be cut into responses.
public enum IMAPFramingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line (outside literals) longer than the limit; it was skipped up to its end and the stream is in step again.
    case lineTooLong(limit: Int)
    /// A response whose lines and kept literals exceed the limit; it was skipped and the stream is in step again.
    case responseTooLarge(limit: Int)
    /// A literal announcement whose length does not fit 32 bits: where the response ends is unknowable (fatal).
    case invalidLiteralLength(String)

    /// After a fatal error the framer refuses all further input; the connection must be dropped.
    public var isFatal: Bool {
        if case .invalidLiteralLength = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .lineTooLong(limit): "a response line is longer than \(limit) bytes"
        case let .responseTooLarge(limit): "a response is larger than \(limit) bytes"
        case let .invalidLiteralLength(text): "invalid literal length \(text.debugDescription)"
        }
    }
}

/// Why a framed response does not follow the IMAP4rev1 grammar.
public struct IMAPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was expected, in words.
    public var expected: String
    /// The line (0 = first) and byte offset where parsing stopped.
    public var line: Int
    public var offset: Int

    public init(expected: String, line: Int, offset: Int) {
        self.expected = expected
        self.line = line
        self.offset = offset
    }

    public var description: String { "malformed IMAP response: expected \(expected) at line \(line), byte \(offset)" }
}
