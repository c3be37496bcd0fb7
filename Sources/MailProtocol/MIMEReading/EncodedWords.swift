/// RFC 2047 encoded-word decoding (`=?UTF-8?B?...?=`, `=?ISO-8859-1?Q?...?=`) for header text.
///
/// Charsets: UTF-8, ISO-8859-1 (Latin-1), US-ASCII and windows-1252; an RFC 2231 language suffix
/// (`=?UTF-8*en?Q?...?=`) is ignored. White space between two encoded-words is dropped, as the RFC
/// says, and adjacent words in the same charset are joined before decoding so a character split
/// across words by a careless mailer comes out whole. A word with an unknown charset, bad base64,
/// a bad `=XX` escape or bytes invalid in its charset is left as it was written. Decoded control
/// characters (CR, LF, NUL, ...) become spaces so decoded text can never break a line.
public enum EncodedWords {
    /// `text` with its encoded-words decoded.
    public static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var index = 0
        var literalStart = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?"),
               let word = EncodedWord(bytes, at: index) {
                if literalStart < index { pieces.append(.literal(Array(bytes[literalStart..<index]))) }
                pieces.append(.word(word))
                index = word.end
                literalStart = index
            } else {
                index += 1
            }
        }
        if literalStart < bytes.count { pieces.append(.literal(Array(bytes[literalStart..<bytes.count]))) }
        return render(pieces)
    }

    private enum Piece {
        case literal([UInt8])
        case word(EncodedWord)
    }

    /// Decodes words, dropping white space between two usable words and joining same-charset neighbours.
    private static func render(_ pieces: [Piece]) -> String {
        var output = ""
        var group: [EncodedWord] = []
        var pendingSpace: [UInt8] = []
        var previousWasUsable = false
        func flush() {
            if !group.isEmpty { output += decodeGroup(group) }
            group.removeAll()
            output += MailHeaders.text(pendingSpace)
            pendingSpace.removeAll()
        }
        for piece in pieces {
            switch piece {
            case let .word(word) where word.isUsable:
                if previousWasUsable, let last = group.last, last.charset == word.charset {
                    pendingSpace.removeAll()  // RFC 2047 section 6.2: the space between words is not text
                } else {
                    if previousWasUsable { pendingSpace.removeAll() }
                    flush()
                }
                group.append(word)
                previousWasUsable = true
            case let .word(word):
                flush()
                output += word.raw
                previousWasUsable = false
            case let .literal(bytes):
                if previousWasUsable, bytes.allSatisfy(isFoldingSpace) {
                    pendingSpace = bytes
                } else {
                    flush()
                    output += MailHeaders.text(bytes)
                    previousWasUsable = false
                }
            }
        }
        flush()
        return output
    }

    private static func isFoldingSpace(_ byte: UInt8) -> Bool {
        ASCII.isWhitespace(byte) || byte == ASCII.cr || byte == ASCII.lf
    }

    /// Words of one charset decoded together; if the joined bytes are not valid, each word separately,
    /// and a word that still fails is shown as written.
    private static func decodeGroup(_ group: [EncodedWord]) -> String {
        guard let first = group.first else { return "" }
        let joined = group.compactMap(\.decodedBytes).flatMap { $0 }
        if let text = Charset.decode(joined, charset: first.charset) {
            return sanitized(text)
        }
        guard group.count > 1 else { return first.raw }
        return group.map { word in
            word.decodedBytes.flatMap { Charset.decode($0, charset: word.charset) }.map(sanitized) ?? word.raw
        }.joined()
    }

    private static func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}

/// One `=?charset?encoding?text?=` found in header text.
struct EncodedWord {
    let charset: String
    /// The bytes the word stands for, or nil when its encoding is broken or its charset unknown.
    let decodedBytes: [UInt8]?
    let raw: String
    /// Index just past the closing `?=`.
    let end: Int

    /// The transfer encoding was sound and the charset is one genmon knows.
    var isUsable: Bool { decodedBytes != nil && Charset.isKnown(charset) }

    /// Reads a word starting at `start` (which holds `=?`), or nil when the text there is not one.
    init?(_ bytes: [UInt8], at start: Int) {
        var index = start + 2
        func field() -> [UInt8]? {
            let begin = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "?") {
                guard ASCII.isVisible(bytes[index]) else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return Array(bytes[begin..<index])
        }
        guard let charsetField = field(), !charsetField.isEmpty, let encodingField = field(), encodingField.count == 1 else { return nil }
        let textStart = index
        // The text runs to the next "?="; it may not contain white space or another '?'.
        while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: "=")) {
            guard ASCII.isVisible(bytes[index]), bytes[index] != UInt8(ascii: "?") else { return nil }
            index += 1
        }
        guard index + 1 < bytes.count else { return nil }
        let encodedText = Array(bytes[textStart..<index])
        end = index + 2
        raw = String(decoding: bytes[start..<end], as: UTF8.self)
        // RFC 2231 section 5: "charset*language".
        let charsetName = charsetField.split(separator: UInt8(ascii: "*"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        charset = String(decoding: charsetName, as: UTF8.self).asciiLowercased()
        switch encodingField[0] | 0x20 {
        case UInt8(ascii: "b"): decodedBytes = Base64.decodeAllowingMissingPadding(encodedText)
        case UInt8(ascii: "q"): decodedBytes = Self.decodeQ(encodedText)
        default: decodedBytes = nil
        }
    }

    /// RFC 2047 "Q": `_` is a space, `=XX` a byte, anything else itself.
    static func decodeQ(_ text: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "_") {
                output.append(ASCII.space)
            } else if byte == UInt8(ascii: "=") {
                guard index + 2 < text.count, let high = ASCII.hexValue(text[index + 1]), let low = ASCII.hexValue(text[index + 2]) else {
                    return nil
                }
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
