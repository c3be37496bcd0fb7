/// Reads MQTT's primitive types from a byte slice, throwing instead of reading past the end.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private(set) var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - index }
    var isAtEnd: Bool { index >= bytes.endIndex }

    mutating func byte() throws(MQTTProtocolError) -> UInt8 {
        guard index < bytes.endIndex else { throw .truncated(needed: 1) }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func uint16() throws(MQTTProtocolError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(needed: 2 - remaining) }
        defer { index += 2 }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    mutating func uint32() throws(MQTTProtocolError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(needed: 4 - remaining) }
        defer { index += 4 }
        return UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    mutating func variableByteInteger() throws(MQTTProtocolError) -> Int {
        let (value, length) = try VariableByteInteger.decode(bytes[index...])
        index += length
        return value
    }

    mutating func slice(_ count: Int) throws(MQTTProtocolError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw .truncated(needed: count - remaining) }
        defer { index += count }
        return bytes[index..<(index + count)]
    }

    /// Two-byte length followed by that many bytes.
    mutating func binary() throws(MQTTProtocolError) -> [UInt8] {
        let length = Int(try uint16())
        return Array(try slice(length))
    }

    /// Two-byte length followed by well-formed UTF-8 without U+0000.
    mutating func string() throws(MQTTProtocolError) -> String {
        let length = Int(try uint16())
        return try MQTTString.decode(try slice(length))
    }

    /// Everything left.
    mutating func rest() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[index...])
    }

    func expectEnd() throws(MQTTProtocolError) {
        if remaining > 0 { throw .trailingBytes(count: remaining) }
    }
}

extension Array where Element == UInt8 {
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendVariableByteInteger(_ value: Int, field: String) throws(MQTTProtocolError) {
        try VariableByteInteger.encode(value, field: field, into: &self)
    }

    /// Two-byte length followed by the bytes.
    mutating func appendBinary<C: Collection<UInt8>>(_ data: C) throws(MQTTProtocolError) {
        guard data.count <= 65535 else { throw .fieldTooLong(length: data.count) }
        appendUInt16(UInt16(data.count))
        append(contentsOf: data)
    }

    /// Two-byte length followed by the UTF-8 bytes, after checking MQTT's string rules.
    mutating func appendString(_ string: String) throws(MQTTProtocolError) {
        let utf8 = string.utf8
        try MQTTString.validate(utf8)
        appendUInt16(UInt16(utf8.count))
        append(contentsOf: utf8)
    }
}
