/// Byte classes and small string helpers used by the codecs (no Foundation needed).
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isLetterOrDigit(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    static func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66) }
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }
    /// Printable ASCII without the space (0x21...0x7E).
    static func isVisible(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }

    /// RFC 5322 `atext`: what a dot-atom may contain besides dots.
    static func isAtext(_ byte: UInt8) -> Bool {
        if isLetterOrDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
             UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
             UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// The value of a hexadecimal digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if isDigit(byte) { return byte - 0x30 }
        let lower = byte | 0x20
        if lower >= 0x61 && lower <= 0x66 { return lower - 0x61 + 10 }
        return nil
    }

    static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// A byte named for an error message: `'x'` when printable, else `0x0A`.
    static func describe(_ byte: UInt8) -> String {
        if isVisible(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "0x" + String(upperHexDigits[Int(byte >> 4)]) + String(upperHexDigits[Int(byte & 0x0F)])
    }

    static func lowercased(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte | 0x20 : byte }
}

private extension String {
    init(_ byte: UInt8) { self = String(Character(Unicode.Scalar(byte))) }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        var start = 0, end = bytes.count
        while start < end, ASCII.isWhitespace(bytes[start]) { start += 1 }
        while end > start, ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Lower-cases ASCII letters only (other scripts keep their case: domain and address comparison).
    func asciiLowercased() -> String { String(decoding: utf8.map(ASCII.lowercased), as: UTF8.self) }

    /// Upper-cases ASCII letters only.
    func asciiUppercased() -> String {
        String(decoding: utf8.map { ASCII.isLetter($0) ? $0 & 0xDF : $0 }, as: UTF8.self)
    }

    func hasPrefixIgnoringCase(_ prefix: String) -> Bool {
        let mine = Array(utf8), theirs = Array(prefix.utf8)
        guard mine.count >= theirs.count else { return false }
        return zip(mine, theirs).allSatisfy { ASCII.lowercased($0) == ASCII.lowercased($1) }
    }

    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count && hasPrefixIgnoringCase(other)
    }

    /// How often `needle` occurs, counting non-overlapping matches from the left.
    func occurrences(of needle: String) -> Int {
        let hay = Array(utf8), pin = Array(needle.utf8)
        guard !pin.isEmpty, hay.count >= pin.count else { return 0 }
        var count = 0, index = 0
        while index + pin.count <= hay.count {
            if hay[index..<(index + pin.count)].elementsEqual(pin) { count += 1; index += pin.count } else { index += 1 }
        }
        return count
    }
}

extension Array where Element == UInt8 {
    /// True when `needle` occurs anywhere in the bytes.
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count, let first = needle.first else { return needle.isEmpty }
        var index = 0
        while index + needle.count <= count {
            if self[index] == first, self[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
