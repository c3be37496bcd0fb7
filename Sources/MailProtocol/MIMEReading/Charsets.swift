/// The character sets genmon decodes in headers.
enum Charset {
    private static let utf8Names: Set<String> = ["utf-8", "utf8"]
    private static let latin1Names: Set<String> = ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "latin-1"]
    private static let asciiNames: Set<String> = ["us-ascii", "ascii", "us"]
    private static let windows1252Names: Set<String> = ["windows-1252", "cp1252", "x-cp1252"]

    /// `name` (lower-case) is one of the charsets below.
    static func isKnown(_ name: String) -> Bool {
        utf8Names.contains(name) || latin1Names.contains(name) || asciiNames.contains(name) || windows1252Names.contains(name)
    }

    /// The text `bytes` stand for in `charset`, or nil when the charset is unknown or the bytes invalid in it.
    static func decode(_ bytes: [UInt8], charset: String) -> String? {
        if utf8Names.contains(charset) { return String(validating: bytes, as: UTF8.self) }
        if latin1Names.contains(charset) { return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })) }
        if asciiNames.contains(charset) {
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
        if windows1252Names.contains(charset) {
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                guard let scalar = windows1252(byte) else { return nil }
                scalars.append(scalar)
            }
            return String(scalars)
        }
        return nil
    }

    /// windows-1252: Latin-1 except 0x80...0x9F, five of which are unassigned.
    private static func windows1252(_ byte: UInt8) -> Unicode.Scalar? {
        guard byte >= 0x80, byte <= 0x9F else { return Unicode.Scalar(byte) }
        let value = high[Int(byte - 0x80)]
        return value == 0 ? nil : Unicode.Scalar(value)
    }

    private static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]
}
