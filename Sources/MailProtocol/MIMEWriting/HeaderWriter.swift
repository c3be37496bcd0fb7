/// Writes header fields that cannot be used for injection and fold to lines of at most 78 characters.
enum HeaderWriter {
    static let lineLimit = 78
    /// RFC 2047 section 2: an encoded-word is at most 75 characters.
    static let encodedWordLimit = 75

    /// `text` with every control character (CR, LF, NUL, ...) and DEL turned into a space, runs of
    /// such spaces from a line break collapsed, and the ends trimmed: a value can never start a new
    /// header or end the header block.
    static func sanitize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var previousWasBreak = false
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029
            if isControl {
                if !previousWasBreak { output.append(" ") }
                previousWasBreak = scalar.value == 0x0D || scalar.value == 0x0A
                continue
            }
            previousWasBreak = false
            output.append(scalar)
        }
        return String(output).trimmingASCIISpaces()
    }

    /// `Name: token token ...` folded between tokens; tokens never contain CR or LF.
    /// A single token longer than a line stays whole (callers keep tokens short).
    static func field(_ name: String, tokens: [String]) -> [UInt8] {
        var output = Array("\(name):".utf8)
        var column = output.count
        for token in tokens {
            let length = token.utf8.count
            if column + 1 + length > lineLimit, column > name.utf8.count + 1 {
                output.append(contentsOf: [ASCII.cr, ASCII.lf])
                column = 0
            }
            output.append(ASCII.space)
            output.append(contentsOf: token.utf8)
            column += 1 + length
        }
        output.append(contentsOf: [ASCII.cr, ASCII.lf])
        return output
    }

    /// An unstructured field (Subject): plain ASCII folded at spaces when possible, otherwise
    /// UTF-8 encoded-words.
    static func unstructured(_ name: String, _ value: String) -> [UInt8] {
        let clean = sanitize(value)
        let bytes = Array(clean.utf8)
        let words = clean.split(separator: " ", omittingEmptySubsequences: false)
        let plainOK = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && !bytes.containsSequence(Array("=?".utf8))
            && words.allSatisfy { $0.utf8.count <= lineLimit - name.utf8.count - 2 }
        guard plainOK else {
            return field(name, tokens: encodedWords(clean, firstWidth: lineLimit - name.utf8.count - 2))
        }
        // Empty words stand for extra spaces: they are kept inline so unfolding restores the text.
        var output = Array("\(name):".utf8)
        var column = output.count
        for (index, word) in words.enumerated() {
            let length = word.utf8.count
            if !word.isEmpty, index > 0, column + 1 + length > lineLimit {
                output.append(contentsOf: [ASCII.cr, ASCII.lf])
                column = 0
            }
            output.append(ASCII.space)
            output.append(contentsOf: word.utf8)
            column += 1 + length
        }
        output.append(contentsOf: [ASCII.cr, ASCII.lf])
        return output
    }

    /// `text` as UTF-8 B encoded-words, each at most 75 characters (the first at most `firstWidth`),
    /// split only between Unicode scalars so no UTF-8 sequence is ever cut.
    static func encodedWords(_ text: String, firstWidth: Int = encodedWordLimit) -> [String] {
        let overhead = "=?UTF-8?B??=".utf8.count
        var words: [String] = []
        var chunk: [UInt8] = []
        func capacity() -> Int {
            let width = min(encodedWordLimit, words.isEmpty ? max(firstWidth, overhead + 4) : encodedWordLimit)
            return (width - overhead) / 4 * 3
        }
        for scalar in text.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if chunk.count + encoded.count > capacity(), !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Base64.encode(chunk))?=")
                chunk.removeAll()
            }
            chunk.append(contentsOf: encoded)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(Base64.encode(chunk))?=") }
        return words
    }

    /// A display name as a phrase: atoms as they are, other ASCII as a quoted-string, non-ASCII (or
    /// long quoted text) as encoded-words.
    static func phrase(_ name: String, firstWidth: Int) -> [String] {
        let clean = sanitize(name)
        let bytes = Array(clean.utf8)
        guard !bytes.isEmpty else { return [] }
        let words = clean.split(separator: " ").map(String.init)
        // An atom that looks like an encoded-word ("=?...?=") would be decoded by readers: quote it.
        let looksEncoded = bytes.containsSequence(Array("=?".utf8))
        if !looksEncoded, words.allSatisfy({ $0.utf8.allSatisfy(ASCII.isAtext) && $0.utf8.count <= 60 }) { return words }
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), bytes.count <= 60, !looksEncoded {
            var quoted = "\""
            for character in clean {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return [quoted + "\""]
        }
        return encodedWords(clean, firstWidth: firstWidth)
    }

    /// A MIME parameter (`filename`): a quoted-string when plain ASCII and short, otherwise RFC 2231
    /// percent-encoded UTF-8, split into numbered sections of at most 40 characters so each folded
    /// line (` filename*12*=` + section + `;`) stays within 78.
    static func parameter(_ name: String, _ value: String) -> [String] {
        let bytes = Array(value.utf8)
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), bytes.count <= 60 {
            var quoted = "\""
            for byte in bytes {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { quoted.append("\\") }
                quoted.append(Character(Unicode.Scalar(byte)))
            }
            return ["\(name)=\(quoted)\""]
        }
        var pieces: [String] = []
        var current = ""
        for scalar in value.unicodeScalars {
            var encoded = ""
            for byte in String(scalar).utf8 {
                if ASCII.isLetterOrDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") {
                    encoded.append(Character(Unicode.Scalar(byte)))
                } else {
                    encoded += "%" + String(Character(Unicode.Scalar(ASCII.upperHexDigits[Int(byte >> 4)])))
                        + String(Character(Unicode.Scalar(ASCII.upperHexDigits[Int(byte & 0x0F)])))
                }
            }
            if current.utf8.count + encoded.utf8.count > 40, !current.isEmpty {
                pieces.append(current)
                current = ""
            }
            current += encoded
        }
        pieces.append(current)
        if pieces.count == 1 { return ["\(name)*=UTF-8''\(pieces[0])"] }
        return pieces.enumerated().map { index, piece in
            index == 0 ? "\(name)*0*=UTF-8''\(piece)" : "\(name)*\(index)*=\(piece)"
        }
    }
}
