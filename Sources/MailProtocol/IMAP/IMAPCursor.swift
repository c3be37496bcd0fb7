/// Reads the grammar's tokens from a framed response, moving into a literal when a line announces one.
///
/// Every read checks bounds and throws `IMAPParseError`; nothing here can trap on server input.
struct IMAPCursor {
    let frame: IMAPFrame
    private(set) var lineIndex = 0
    private(set) var offset = 0

    init(_ frame: IMAPFrame) {
        self.frame = frame
    }

    private var line: [UInt8] { lineIndex < frame.lines.count ? frame.lines[lineIndex] : [] }

    var peek: UInt8? { offset < line.count ? line[offset] : nil }

    /// True once every line and literal has been read.
    var isAtEnd: Bool { lineIndex >= frame.lines.count - 1 && offset >= line.count }

    func failure(_ expected: String) -> IMAPParseError {
        IMAPParseError(expected: expected, line: lineIndex, offset: offset)
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        offset += 1
        return true
    }

    mutating func expect(_ byte: UInt8, _ expected: String) throws(IMAPParseError) {
        guard skip(byte) else { throw failure(expected) }
    }

    mutating func space() throws(IMAPParseError) { try expect(UInt8(ascii: " "), "a space") }

    /// The bytes from here while `predicate` holds (possibly none).
    mutating func take(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let begin = offset
        while let byte = peek, predicate(byte) { offset += 1 }
        return line[begin..<offset]
    }

    /// One or more atom characters, as text.
    mutating func atom(_ expected: String = "an atom") throws(IMAPParseError) -> String {
        let bytes = take(while: IMAPGrammar.isAtomCharacter)
        guard !bytes.isEmpty else { throw failure(expected) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A decimal number of at most 20 digits that fits 64 bits.
    mutating func number() throws(IMAPParseError) -> UInt64 {
        let digits = take(while: IMAPGrammar.isDigit)
        guard !digits.isEmpty, digits.count <= 20 else { throw failure("a number") }
        var value: UInt64 = 0
        for digit in digits {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw failure("a number that fits 64 bits") }
            value = sum
        }
        return value
    }

    /// A 32-bit number (RFC 3501 `number`); `nonZero` for `nz-number`.
    mutating func number32(nonZero: Bool = false) throws(IMAPParseError) -> UInt32 {
        let value = try number()
        guard value <= UInt64(UInt32.max), !nonZero || value > 0 else { throw failure(nonZero ? "a non-zero 32-bit number" : "a 32-bit number") }
        return UInt32(value)
    }

    /// What is left of the current line, as text (for `resp-text` and unknown data). Control characters
    /// become U+FFFD: this text ends up in logs and error messages, where an escape sequence must not act.
    mutating func restOfLine() -> String {
        let rest = line[min(offset, line.count)...]
        offset = line.count
        var text = String(decoding: rest, as: UTF8.self)
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
        }
        return text
    }

    /// Skips everything left in the response (for data genmon does not use).
    mutating func skipToEnd() {
        lineIndex = max(0, frame.lines.count - 1)
        offset = line.count
    }

    /// A quoted string or a literal.
    mutating func string() throws(IMAPParseError) -> IMAPLiteral {
        if peek == UInt8(ascii: "\"") { return .bytes(try quoted()) }
        guard peek == UInt8(ascii: "{") else { throw failure("a quoted string or a literal") }
        return try literal()
    }

    /// A string or NIL (nil).
    mutating func nstring() throws(IMAPParseError) -> IMAPLiteral? {
        if peek == UInt8(ascii: "N") || peek == UInt8(ascii: "n") {
            guard try atom("NIL").uppercased() == "NIL" else { throw failure("NIL") }
            return nil
        }
        return try string()
    }

    /// An astring: atom characters (with `]`), a quoted string or a literal.
    mutating func astring() throws(IMAPParseError) -> IMAPLiteral {
        if peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "{") { return try string() }
        let bytes = take(while: IMAPGrammar.isAstringCharacter)
        guard !bytes.isEmpty else { throw failure("an atom, a quoted string or a literal") }
        return .bytes(Array(bytes))
    }

    mutating func quoted() throws(IMAPParseError) -> [UInt8] {
        try expect(UInt8(ascii: "\""), "a quoted string")
        var bytes: [UInt8] = []
        while let byte = peek {
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return bytes
            case UInt8(ascii: "\\"):
                guard let escaped = peek, escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") else {
                    throw failure("\\\" or \\\\ after a backslash in a quoted string")
                }
                offset += 1
                bytes.append(escaped)
            case 0:
                throw failure("no NUL in a quoted string")
            default:
                bytes.append(byte)
            }
        }
        throw failure("the closing quote")
    }

    /// `{n}` at the very end of the line, then the literal the framer attached to that line.
    mutating func literal() throws(IMAPParseError) -> IMAPLiteral {
        try expect(UInt8(ascii: "{"), "a literal")
        let size = try number()
        _ = skip(UInt8(ascii: "+"))
        try expect(UInt8(ascii: "}"), "the } of a literal")
        guard offset == line.count, lineIndex < frame.literals.count else { throw failure("a literal announcement at the end of a line") }
        let literal = frame.literals[lineIndex]
        switch literal {
        case let .bytes(bytes) where UInt64(bytes.count) == size: break
        case let .tooLarge(announced) where UInt64(announced) == size: break
        default: throw failure("a literal of the announced size")
        }
        lineIndex += 1
        offset = 0
        return literal
    }

    /// Skips one value of any shape (atom, number, string, literal, nested list), without recursion.
    mutating func skipValue() throws(IMAPParseError) {
        var depth = 0
        repeat {
            switch peek {
            case UInt8(ascii: "(")?: offset += 1; depth += 1
            case UInt8(ascii: ")")?:
                guard depth > 0 else { throw failure("a value") }
                offset += 1; depth -= 1
            case UInt8(ascii: " ")? where depth > 0: offset += 1
            case UInt8(ascii: "\"")?: _ = try quoted()
            case UInt8(ascii: "{")?: _ = try literal()
            case let byte? where byte != UInt8(ascii: " "):
                try skipWord()
            default:
                throw failure(depth > 0 ? "the ) closing a list" : "a value")
            }
        } while depth > 0
    }

    /// An atom-like word that may carry `[...]` sections and `<n>` origins (`BODY[HEADER]<0>`).
    mutating func skipWord() throws(IMAPParseError) {
        let begin = offset
        while let byte = peek, byte != UInt8(ascii: " "), byte != UInt8(ascii: "("), byte != UInt8(ascii: ")"),
              byte != UInt8(ascii: "\""), byte != UInt8(ascii: "{") {
            offset += 1
            if byte == UInt8(ascii: "[") {
                _ = take { $0 != UInt8(ascii: "]") }
                try expect(UInt8(ascii: "]"), "the ] closing a section")
            }
        }
        guard offset > begin else { throw failure("a value") }
    }
}
