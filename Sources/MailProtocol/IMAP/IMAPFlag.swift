/// A message flag: a system flag (`\Seen`) or a keyword (`$Forwarded`).
public struct IMAPFlag: Hashable, Sendable, CustomStringConvertible {
    /// The flag as written on the wire, with the backslash of system flags.
    public let rawValue: String

    public static let seen = IMAPFlag(trusted: "\\Seen")
    public static let answered = IMAPFlag(trusted: "\\Answered")
    public static let flagged = IMAPFlag(trusted: "\\Flagged")
    public static let deleted = IMAPFlag(trusted: "\\Deleted")
    public static let draft = IMAPFlag(trusted: "\\Draft")
    public static let recent = IMAPFlag(trusted: "\\Recent")

    /// A flag from text: an optional `\` then one or more atom characters (no space, parenthesis, quote, CR/LF).
    public init(_ rawValue: String) throws(IMAPCommandError) {
        let body = rawValue.hasPrefix("\\") ? rawValue.utf8.dropFirst() : rawValue.utf8[...]
        guard !body.isEmpty else { throw .empty(field: "flag") }
        guard body.allSatisfy(IMAPGrammar.isAtomCharacter) else { throw .invalidCharacter(field: "flag", value: rawValue) }
        self.rawValue = rawValue
    }

    init(trusted rawValue: String) { self.rawValue = rawValue }

    /// System flags are case-insensitive (RFC 3501 2.3.2).
    public static func == (lhs: IMAPFlag, rhs: IMAPFlag) -> Bool { lhs.rawValue.lowercased() == rhs.rawValue.lowercased() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue.lowercased()) }
    public var description: String { rawValue }
}

/// Character classes of the RFC 3501 grammar (section 9), over bytes.
enum IMAPGrammar {
    /// ATOM-CHAR: any 7-bit CHAR except atom-specials `( ) { SP CTL % * " \ ]`.
    static func isAtomCharacter(_ byte: UInt8) -> Bool {
        guard byte > 0x20 && byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "*"),
             UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "]"):
            return false
        default:
            return true
        }
    }

    /// ASTRING-CHAR: ATOM-CHAR or `]`.
    static func isAstringCharacter(_ byte: UInt8) -> Bool { isAtomCharacter(byte) || byte == UInt8(ascii: "]") }

    /// TEXT-CHAR that may stand inside a quoted string (7-bit, not CR or LF, not NUL).
    static func isQuotable(_ byte: UInt8) -> Bool { byte >= 0x01 && byte <= 0x7F && byte != 0x0A && byte != 0x0D }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
