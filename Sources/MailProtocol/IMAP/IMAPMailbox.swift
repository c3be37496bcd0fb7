/// A mailbox name, kept both as the person reads it and as it travels (modified UTF-7, RFC 3501 5.1.3).
public struct IMAPMailbox: Hashable, Sendable, CustomStringConvertible {
    /// The name as a person reads it (`Générateur/Traité`).
    public let name: String
    /// The name on the wire: 7-bit, non-ASCII in `&...-` runs, `&` written `&-`.
    public let encoded: String

    public static let inbox = IMAPMailbox(validated: "INBOX", encoded: "INBOX")

    /// A mailbox from a person's name; control characters (CR, LF, NUL, ...) are refused.
    public init(_ name: String) throws(IMAPCommandError) {
        guard !name.isEmpty else { throw .empty(field: "mailbox name") }
        for scalar in name.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F {
            if scalar.value == 0 { throw .containsNUL(field: "mailbox name") }
            throw .invalidCharacter(field: "mailbox name", value: name)
        }
        self.name = name
        self.encoded = name.uppercased() == "INBOX" ? "INBOX" : Self.encode(name)
    }

    /// A mailbox as the server names it; text that is not valid modified UTF-7 is kept as it came.
    public init(encoded: String) {
        self.encoded = encoded
        self.name = Self.decode(encoded) ?? encoded
    }

    private init(validated name: String, encoded: String) {
        self.name = name
        self.encoded = encoded
    }

    public var description: String { name }

    /// INBOX is case-insensitive (RFC 3501 5.1); every other name is compared exactly.
    public static func == (lhs: IMAPMailbox, rhs: IMAPMailbox) -> Bool { lhs.comparable == rhs.comparable }
    public func hash(into hasher: inout Hasher) { hasher.combine(comparable) }
    private var comparable: String { encoded.uppercased() == "INBOX" ? "INBOX" : encoded }

    static func encode(_ name: String) -> String {
        var output: [UInt8] = []
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            let bytes = pending.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            output.append(UInt8(ascii: "&"))
            output += IMAPBase64.encode(bytes, alphabet: IMAPBase64.mailbox, padded: false)
            output.append(UInt8(ascii: "-"))
            pending.removeAll()
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                output.append(UInt8(scalar.value))
                if scalar == "&" { output.append(UInt8(ascii: "-")) }
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ encoded: String) -> String? {
        let bytes = Array(encoded.utf8)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x20 && byte <= 0x7E else { return nil }
            guard byte == UInt8(ascii: "&") else {
                scalars.append(Unicode.Scalar(byte))
                index += 1
                continue
            }
            guard let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "-")) else { return nil }
            if end == index + 1 {
                scalars.append("&")
            } else {
                guard let raw = IMAPBase64.decodeUnpadded(bytes[(index + 1)..<end]), raw.count % 2 == 0 else { return nil }
                let units = stride(from: 0, to: raw.count, by: 2).map { UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1]) }
                var decoded = String.UnicodeScalarView()
                var iterator = units.makeIterator()
                var utf16 = UTF16()
                loop: while true {
                    switch utf16.decode(&iterator) {
                    case let .scalarValue(scalar): decoded.append(scalar)
                    case .emptyInput: break loop
                    case .error: return nil
                    }
                }
                scalars.append(contentsOf: decoded)
            }
            index = end + 1
        }
        return String(scalars)
    }
}
