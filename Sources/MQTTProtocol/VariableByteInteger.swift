/// MQTT's variable byte integer: 7 bits per byte, high bit = "more follows", at most 4 bytes.
public enum VariableByteInteger {
    /// The largest value four bytes can carry (268,435,455).
    public static let maximum = 268_435_455

    /// Decodes the integer at the head of `bytes`, returning it and how many bytes it used.
    ///
    /// Throws `.truncated` when the bytes end inside it, `.malformedVariableByteInteger` for a fifth
    /// byte, and `.nonMinimalVariableByteInteger` for a padded encoding such as `80 00`.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(MQTTProtocolError) -> (value: Int, length: Int) {
        var value = 0
        var index = bytes.startIndex
        for shift in stride(from: 0, through: 21, by: 7) {
            guard index < bytes.endIndex else { throw .truncated(needed: 1) }
            let byte = bytes[index]
            index += 1
            value |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                let length = index - bytes.startIndex
                if length > 1 && byte == 0 { throw .nonMinimalVariableByteInteger }
                return (value, length)
            }
        }
        throw .malformedVariableByteInteger
    }

    /// Number of bytes `value` takes (1...4), or nil when it is out of range.
    public static func encodedLength(_ value: Int) -> Int? {
        switch value {
        case 0..<128: 1
        case 128..<16_384: 2
        case 16_384..<2_097_152: 3
        case 2_097_152...maximum: 4
        default: nil
        }
    }

    /// Appends the shortest encoding of `value`.
    public static func encode(_ value: Int, field: String = "variable byte integer", into bytes: inout [UInt8]) throws(MQTTProtocolError) {
        guard value >= 0, value <= maximum else { throw .valueTooLarge(field: field, value: value, maximum: maximum) }
        var remaining = value
        repeat {
            var byte = UInt8(remaining & 0x7F)
            remaining >>= 7
            if remaining > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while remaining > 0
    }

    /// The shortest encoding of `value`.
    public static func encode(_ value: Int) throws(MQTTProtocolError) -> [UInt8] {
        var bytes: [UInt8] = []
        try encode(value, into: &bytes)
        return bytes
    }
}

/// MQTT's UTF-8 string rules: well-formed UTF-8, no U+0000, at most 65535 bytes.
///
/// (Control characters and non-characters are "SHOULD NOT" in the spec; they are accepted, as brokers do.)
public enum MQTTString {
    /// Checks `utf8` against the rules; Swift strings are always well-formed, so only length and U+0000 remain.
    public static func validate(_ utf8: String.UTF8View) throws(MQTTProtocolError) {
        guard utf8.count <= 65535 else { throw .fieldTooLong(length: utf8.count) }
        if utf8.contains(0) { throw .stringContainsNull }
    }

    /// Checks a Swift string against the rules.
    public static func validate(_ string: String) throws(MQTTProtocolError) { try validate(string.utf8) }

    /// Decodes bytes received from the wire into a string, enforcing the rules.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(MQTTProtocolError) -> String {
        guard bytes.count <= 65535 else { throw .fieldTooLong(length: bytes.count) }
        if bytes.contains(0) { throw .stringContainsNull }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        return string
    }
}
