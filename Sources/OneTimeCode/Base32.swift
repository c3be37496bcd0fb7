/// Why text is not Base32.
public enum Base32Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character outside the RFC 4648 alphabet (after upper-casing), spaces and padding aside.
    case invalidCharacter(Character)
    /// Padding in the middle, too much of it, or a length no Base32 text can have.
    case invalidLength(Int)
    /// Bits left over at the end that are not zero: not the encoding of any byte string.
    case nonZeroTrailingBits

    public var description: String {
        switch self {
        case let .invalidCharacter(character): "\(String(character).debugDescription) is not a Base32 character"
        case let .invalidLength(count): "\(count) Base32 characters cannot encode whole bytes"
        case .nonZeroTrailingBits: "the last Base32 character has bits set that encode nothing"
        }
    }
}

/// RFC 4648 Base32 (`A`–`Z`, `2`–`7`), as authenticator apps use for TOTP secrets.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes `bytes`; `padded` adds `=` to a multiple of eight characters (otpauth URIs leave it out).
    public static func encode(_ bytes: [UInt8], padded: Bool = true) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt16 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt16(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int(buffer >> UInt16(bits) & 0x1F)])
            }
            buffer &= (1 << UInt16(bits)) - 1
        }
        if bits > 0 { output.append(alphabet[Int(buffer << UInt16(5 - bits) & 0x1F)]) }
        if padded { while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) } }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes Base32, forgiving lower case, spaces (as people copy secrets in groups) and missing padding;
    /// any other character, misplaced padding or an impossible length is an error.
    public static func decode(_ text: String) throws(Base32Error) -> [UInt8] {
        var values: [UInt8] = []
        var padding = 0
        for character in text where character != " " {
            if character == "=" { padding += 1; continue }
            guard padding == 0 else { throw .invalidLength(values.count + padding) }  // data after padding
            guard let ascii = character.asciiValue,
                  let index = alphabet.firstIndex(of: ascii >= UInt8(ascii: "a") && ascii <= UInt8(ascii: "z") ? ascii - 32 : ascii)
            else { throw .invalidCharacter(character) }
            values.append(UInt8(index))
        }
        // A final group of 8 characters holds 5 bytes; only 2, 4, 5 or 7 leftover characters make whole bytes.
        let leftover = values.count % 8
        guard [0, 2, 4, 5, 7].contains(leftover) else { throw .invalidLength(values.count) }
        if padding > 0 {
            guard leftover != 0, (values.count + padding) % 8 == 0 else { throw .invalidLength(values.count + padding) }
        }
        var output: [UInt8] = []
        output.reserveCapacity(values.count * 5 / 8)
        var buffer: UInt16 = 0
        var bits = 0
        for value in values {
            buffer = buffer << 5 | UInt16(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt16(bits)))
                buffer &= (1 << UInt16(bits)) - 1
            }
        }
        guard buffer == 0 else { throw .nonZeroTrailingBits }
        return output
    }
}
