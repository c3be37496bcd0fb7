/// Strict hexadecimal helpers.
///
/// Register dumps and upstream's register cache store words as hex text. `UInt16(_:radix:)`
/// accepts a leading sign, so these helpers check every character themselves.
public enum Hex {
    /// Parses 1...`maxDigits` hex digits (either case) into an unsigned value; nil on anything else.
    static func parse(_ text: Substring, maxDigits: Int) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= maxDigits, maxDigits <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in text.utf8 {
            guard let digit = digitValue(byte) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    static func digitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Four lowercase hex digits, the way upstream keys and prints registers.
    private static let digits = Array("0123456789abcdef")

    public static func word(_ value: UInt16) -> String {
        String([
            digits[Int(value >> 12 & 0xF)], digits[Int(value >> 8 & 0xF)],
            digits[Int(value >> 4 & 0xF)], digits[Int(value & 0xF)],
        ])
    }
}
