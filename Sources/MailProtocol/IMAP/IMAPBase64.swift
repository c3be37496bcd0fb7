/// Base64 for SASL responses (RFC 4648 alphabet) and modified UTF-7 mailbox names (RFC 3501 5.1.3, `,` for `/`).
///
/// Kept inside the IMAP folder, under an IMAP name, so this module needs no other base64.
enum IMAPBase64 {
    static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let mailbox = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    /// Encodes `bytes`; `padded` adds `=` to a multiple of four (SASL does, modified UTF-7 does not).
    static func encode(_ bytes: [UInt8], alphabet: [UInt8] = standard, padded: Bool = true) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = bytes[index]
            let b1: UInt8 = remaining > 1 ? bytes[index + 1] : 0
            let b2: UInt8 = remaining > 2 ? bytes[index + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            if remaining > 1 { output.append(alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)]) } else if padded { output.append(UInt8(ascii: "=")) }
            if remaining > 2 { output.append(alphabet[Int(b2 & 0x3F)]) } else if padded { output.append(UInt8(ascii: "=")) }
            index += 3
        }
        return output
    }

    /// Decodes unpadded base64 in `alphabet`; nil for a character outside it or an impossible length.
    static func decodeUnpadded(_ characters: ArraySlice<UInt8>, alphabet: [UInt8] = mailbox) -> [UInt8]? {
        guard characters.count % 4 != 1 else { return nil }
        var reverse = [Int8](repeating: -1, count: 256)
        for (value, character) in alphabet.enumerated() { reverse[Int(character)] = Int8(value) }
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for character in characters {
            let value = reverse[Int(character)]
            guard value >= 0 else { return nil }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Leftover bits must be zero, or the text is not a canonical encoding.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }
}
