/// Base64 (RFC 4648) encoding, and a strict and a lenient decoder.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    static func isAlphabetOrPadding(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "=") || reverse[Int(byte)] != 0xFF }

    /// The padded encoding of `bytes` as one line.
    static func encode(_ bytes: some Collection<UInt8>) -> String { String(decoding: encodeBytes(bytes), as: UTF8.self) }

    static func encodeBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next(), third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(group >> 6 & 0x3F)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(group & 0x3F)])
        }
        return output
    }

    /// The encoding split into CRLF-terminated lines of at most 76 characters (RFC 2045 section 6.8).
    static func encodeLines(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = encodeBytes(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count + encoded.count / 76 * 2 + 2)
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            output.append(contentsOf: encoded[start..<end])
            output.append(contentsOf: [ASCII.cr, ASCII.lf])
            start = end
        }
        return output
    }

    /// Strict decoding: only the alphabet, length a multiple of 4, padding only at the end; else nil.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let bytes = Array(text)
        guard bytes.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            let isLast = index + 4 == bytes.count
            var values: [UInt8] = []
            var padding = 0
            for byte in bytes[index..<(index + 4)] {
                if byte == UInt8(ascii: "=") {
                    guard isLast else { return nil }
                    padding += 1
                } else {
                    guard padding == 0 else { return nil }
                    let value = reverse[Int(byte)]
                    guard value != 0xFF else { return nil }
                    values.append(value)
                }
            }
            guard padding <= 2 else { return nil }
            var group: UInt32 = 0
            for value in values { group = group << 6 | UInt32(value) }
            group <<= UInt32(6 * padding)
            output.append(UInt8(group >> 16 & 0xFF))
            if padding < 2 { output.append(UInt8(group >> 8 & 0xFF)) }
            if padding < 1 { output.append(UInt8(group & 0xFF)) }
            index += 4
        }
        return output
    }

    /// Lenient decoding for encoded-words written by careless mailers: padding may be missing.
    static func decodeAllowingMissingPadding(_ text: some Collection<UInt8>) -> [UInt8]? {
        var bytes = Array(text)
        guard bytes.count % 4 != 1 else { return nil }
        while bytes.count % 4 != 0 { bytes.append(UInt8(ascii: "=")) }
        return decode(bytes)
    }
}
