/// A mailbox read from a header: its display name (decoded) and its address, lower-cased.
public struct ParsedMailbox: Sendable, Hashable {
    public let displayName: String?
    /// `local@domain`, lower-cased throughout, for comparing senders.
    public let address: String

    public init(displayName: String?, address: String) {
        self.displayName = displayName
        self.address = address
    }

    /// The part after the last `@`.
    public var domain: String { address.split(separator: "@").last.map(String.init) ?? "" }
}

/// Reads RFC 5322 address lists leniently: `Name <a@b>`, bare `a@b`, `"Quoted, Name" <a@b>`,
/// comments (`a@b (Name)`, used as the name when there is no other), groups (`Team: a@b, c@d;`),
/// obsolete routes (`<@relay:a@b>`) and encoded-word display names.
///
/// Entries without a usable address are skipped. At most `maximumMailboxes` are returned and only
/// the first `maximumInputBytes` of the text are read.
public enum AddressParser {
    public static let maximumMailboxes = 1000
    public static let maximumInputBytes = 65_536

    /// Every mailbox in `text`, in order.
    public static func parseList(_ text: String) -> [ParsedMailbox] {
        let tokens = AddressTokenizer.tokenize(Array(text.utf8.prefix(maximumInputBytes)))
        var mailboxes: [ParsedMailbox] = []
        var current: [AddressToken] = []
        var inGroup = false
        func finish() {
            if mailboxes.count < maximumMailboxes, let mailbox = mailbox(from: current) { mailboxes.append(mailbox) }
            current.removeAll()
        }
        for token in tokens {
            switch token {
            case .special(UInt8(ascii: ",")):
                finish()
            case .special(UInt8(ascii: ":")) where !inGroup && !current.contains(where: \.isAngle):
                // "Group name:" starts a group; the name is not an address.
                current.removeAll()
                inGroup = true
            case .special(UInt8(ascii: ";")) where inGroup:
                finish()
                inGroup = false
            default:
                current.append(token)
            }
        }
        finish()
        return mailboxes
    }

    /// The first mailbox in `text`, if any.
    public static func parseMailbox(_ text: String) -> ParsedMailbox? { parseList(text).first }

    private static func mailbox(from tokens: [AddressToken]) -> ParsedMailbox? {
        let comment = tokens.compactMap { token -> String? in
            if case let .comment(text) = token { return text }
            return nil
        }.last
        let meaningful = tokens.filter { !$0.isComment }
        if let angleIndex = meaningful.firstIndex(where: \.isAngle), case let .angle(inner) = meaningful[angleIndex] {
            guard let address = normalize(inner) else { return nil }
            var words: [String] = []
            for text in meaningful[..<angleIndex].compactMap(\.phraseText) {
                // "John Q. Public": a dot belongs to the word before it.
                if text == ".", let last = words.popLast() { words.append(last + ".") } else { words.append(text) }
            }
            let name = words.isEmpty ? comment : words.joined(separator: " ")
            return ParsedMailbox(displayName: displayName(name), address: address)
        }
        // A bare addr-spec: atoms, quoted strings, dots, '@' and a domain literal, written together.
        // Two words in a row ("exa mple.com") are not an address, even in the obsolete syntax.
        var spec = ""
        var previousWasWord = false
        for token in meaningful {
            switch token {
            case .atom, .quoted, .literal:
                guard !previousWasWord else { return nil }
                previousWasWord = true
                switch token {
                case let .atom(text): spec += text
                case let .quoted(text):
                    spec += "\"" + text.replacingBackslashAndQuote() + "\""
                case let .literal(text): spec += "[\(text)]"
                default: break
                }
            case let .special(byte) where byte == UInt8(ascii: ".") || byte == UInt8(ascii: "@"):
                spec += String(UnicodeScalar(byte))
                previousWasWord = false
            default:
                return nil
            }
        }
        guard let address = normalize(spec) else { return nil }
        return ParsedMailbox(displayName: displayName(comment), address: address)
    }

    private static func displayName(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let decoded = EncodedWords.decode(raw).trimmingASCIISpaces()
        return decoded.isEmpty ? nil : decoded
    }

    /// `local@domain` lower-cased, with an obsolete route removed, or nil when it is not an address.
    static func normalize(_ spec: String) -> String? {
        var text = spec.trimmingASCIISpaces()
        if text.hasPrefix("@"), let colon = text.firstIndex(of: ":") { text = String(text[text.index(after: colon)...]) }
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let local = Array(bytes[..<at]), domain = Array(bytes[(at + 1)...])
        guard isLocalPart(local) else { return nil }
        let domainOK = domain.first == UInt8(ascii: "[")
            ? AddressLiteral.isValid(domain)
            : String(validating: domain, as: UTF8.self) != nil && DomainName.problem(domain) == nil
        guard domainOK else { return nil }
        return text.lowercased()
    }

    /// A dot-atom (UTF-8 allowed) or a complete quoted-string, at most 64 bytes of content.
    private static func isLocalPart(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 66 else { return false }
        if bytes.first == UInt8(ascii: "\"") {
            guard bytes.count >= 2, bytes.last == UInt8(ascii: "\"") else { return false }
            var index = 1
            while index < bytes.count - 1 {
                let byte = bytes[index]
                guard byte >= 0x20, byte != 0x7F, byte != UInt8(ascii: "\"") else { return false }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count - 1 else { return false }
                    index += 1
                }
                index += 1
            }
            return true
        }
        guard bytes.count <= 64, bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".") else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            guard byte == UInt8(ascii: ".") ? previous != UInt8(ascii: ".") : (ASCII.isAtext(byte) || byte >= 0x80) else { return false }
            previous = byte
        }
        return true
    }
}

private extension String {
    /// `\` and `"` escaped again for a quoted-string.
    func replacingBackslashAndQuote() -> String {
        var output = ""
        for character in self {
            if character == "\\" || character == "\"" { output.append("\\") }
            output.append(character)
        }
        return output
    }
}
