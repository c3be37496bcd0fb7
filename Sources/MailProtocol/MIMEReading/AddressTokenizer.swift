/// A lexical piece of an address header (RFC 5322 section 3.2).
enum AddressToken: Equatable {
    case atom(String)
    /// The content of a quoted-string, escapes removed.
    case quoted(String)
    /// The content of a comment, escapes removed, nested comments flattened.
    case comment(String)
    /// The content between `<` and `>`.
    case angle(String)
    /// The content of a domain literal `[...]`.
    case literal(String)
    /// One of `, ; : @ .` and any stray special character.
    case special(UInt8)

    var isAngle: Bool { if case .angle = self { true } else { false } }
    var isComment: Bool { if case .comment = self { true } else { false } }

    /// The token's text when it can be part of a display name.
    var phraseText: String? {
        switch self {
        case let .atom(text), let .quoted(text): text
        case .special(UInt8(ascii: ".")): "."
        default: nil
        }
    }
}

/// Splits address header text into tokens. Unterminated quotes, comments and angle brackets end at
/// the end of the text. Nested comments are tracked with a counter, never recursion.
enum AddressTokenizer {
    static func tokenize(_ bytes: [UInt8]) -> [AddressToken] {
        var tokens: [AddressToken] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf:
                index += 1
            case UInt8(ascii: "\""):
                let (text, next) = quoted(bytes, from: index + 1, closing: UInt8(ascii: "\""))
                tokens.append(.quoted(text))
                index = next
            case UInt8(ascii: "("):
                let (text, next) = comment(bytes, from: index + 1)
                tokens.append(.comment(text))
                index = next
            case UInt8(ascii: "<"):
                let (text, next) = angle(bytes, from: index + 1)
                tokens.append(.angle(text))
                index = next
            case UInt8(ascii: "["):
                let (text, next) = quoted(bytes, from: index + 1, closing: UInt8(ascii: "]"))
                tokens.append(.literal(text))
                index = next
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "."),
                 UInt8(ascii: ">"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "\\"):
                tokens.append(.special(byte))
                index += 1
            default:
                let start = index
                while index < bytes.count, !isDelimiter(bytes[index]) { index += 1 }
                tokens.append(.atom(MailHeaders.text(Array(bytes[start..<index]))))
            }
        }
        return tokens
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf, UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "."), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    /// Text up to `closing`, with backslash escapes removed; returns the index after `closing`.
    private static func quoted(_ bytes: [UInt8], from start: Int, closing: UInt8) -> (String, Int) {
        var output: [UInt8] = []
        var index = start
        while index < bytes.count, bytes[index] != closing {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
            if bytes[index] != ASCII.cr, bytes[index] != ASCII.lf { output.append(bytes[index]) }
            index += 1
        }
        return (MailHeaders.text(output), min(index + 1, bytes.count))
    }

    private static func comment(_ bytes: [UInt8], from start: Int) -> (String, Int) {
        var output: [UInt8] = []
        var depth = 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                output.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return (MailHeaders.text(output), index + 1) }
            }
            output.append(byte)
            index += 1
        }
        return (MailHeaders.text(output), bytes.count)
    }

    /// The text inside `<...>`; quoted strings inside are kept whole.
    private static func angle(_ bytes: [UInt8], from start: Int) -> (String, Int) {
        var index = start
        var inQuotes = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), inQuotes { index += 2; continue }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: ">"), !inQuotes { break }
            index += 1
        }
        let end = min(index, bytes.count)
        // Comments may sit inside the brackets too (RFC 5322 appendix A.5): `<pete(his account)@silly.test>`.
        let inner = ARLexer.removingComments(Array(bytes[start..<end]))
        // Folding white space goes; spaces inside a quoted local part stay.
        var kept: [UInt8] = []
        var quoted = false, escaped = false
        for byte in inner {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\"), quoted { escaped = true } else if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == ASCII.cr || byte == ASCII.lf || (!quoted && ASCII.isWhitespace(byte)) { continue }
            kept.append(byte)
        }
        let text = MailHeaders.text(kept)
        return (text, min(end + 1, bytes.count))
    }
}
