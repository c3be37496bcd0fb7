import Testing
@testable import MQTTProtocol

@Suite("Variable byte integers and strings")
struct PrimitiveTests {
    /// The spec's table of boundary values (MQTT 5 §1.5.5).
    static let table: [(Int, String)] = [
        (0, "00"), (127, "7F"), (128, "80 01"), (16_383, "FF 7F"), (16_384, "80 80 01"),
        (2_097_151, "FF FF 7F"), (2_097_152, "80 80 80 01"), (268_435_455, "FF FF FF 7F"),
    ]

    @Test("spec boundary values encode and decode", arguments: table.map(\.0))
    func boundaries(value: Int) throws {
        let expected = bytes(Self.table.first { $0.0 == value }!.1)
        #expect(try VariableByteInteger.encode(value) == expected)
        let (decoded, length) = try VariableByteInteger.decode(expected[...])
        #expect(decoded == value && length == expected.count)
        #expect(VariableByteInteger.encodedLength(value) == expected.count)
    }

    @Test("a fifth byte, padding and truncation are refused")
    func malformed() {
        #expect(protocolError { _ = try VariableByteInteger.decode(bytes("FF FF FF FF 7F")[...]) } == .malformedVariableByteInteger)
        #expect(protocolError { _ = try VariableByteInteger.decode(bytes("80 80 80 80 01")[...]) } == .malformedVariableByteInteger)
        #expect(protocolError { _ = try VariableByteInteger.decode(bytes("80 00")[...]) } == .nonMinimalVariableByteInteger)
        #expect(protocolError { _ = try VariableByteInteger.decode(bytes("FF 80 00")[...]) } == .nonMinimalVariableByteInteger)
        #expect(protocolError { _ = try VariableByteInteger.decode(bytes("80")[...]) } == .truncated(needed: 1))
        #expect(protocolError { _ = try VariableByteInteger.decode([][...]) } == .truncated(needed: 1))
        #expect(protocolError { _ = try VariableByteInteger.encode(268_435_456) }
            == .valueTooLarge(field: "variable byte integer", value: 268_435_456, maximum: 268_435_455))
        #expect(protocolError { _ = try VariableByteInteger.encode(-1) } != nil)
    }

    @Test("every value's shortest encoding decodes back", arguments: [1, 7, 13, 101, 977, 12_345, 99_999, 3_333_333, 123_456_789])
    func stride(step: Int) throws {
        var value = 0
        while value <= VariableByteInteger.maximum {
            let encoded = try VariableByteInteger.encode(value)
            #expect(try VariableByteInteger.decode(encoded[...]) == (value, encoded.count))
            value += step * 9973
        }
    }

    @Test("UTF-8 strings: well-formed accepted, the rest refused")
    func strings() throws {
        #expect(try MQTTString.decode(bytes("61 C3 BC E2 82 AC F0 9F 98 80")[...]) == "aü€😀")
        #expect(try MQTTString.decode([][...]) == "")
        #expect(protocolError { _ = try MQTTString.decode(bytes("61 00 62")[...]) } == .stringContainsNull)
        #expect(protocolError { _ = try MQTTString.decode(bytes("C0 80")[...]) } == .invalidUTF8)  // overlong U+0000
        #expect(protocolError { _ = try MQTTString.decode(bytes("ED A0 80")[...]) } == .invalidUTF8)  // surrogate
        #expect(protocolError { _ = try MQTTString.decode(bytes("FF")[...]) } == .invalidUTF8)
        #expect(protocolError { _ = try MQTTString.decode(bytes("E2 82")[...]) } == .invalidUTF8)  // cut sequence
        #expect(protocolError { _ = try MQTTString.decode(bytes("F4 90 80 80")[...]) } == .invalidUTF8)  // above U+10FFFF
        #expect(protocolError { try MQTTString.validate("a\u{0}b") } == .stringContainsNull)
        #expect(protocolError { try MQTTString.validate(String(repeating: "x", count: 65_536)) } == .fieldTooLong(length: 65_536))
        #expect(protocolError { try MQTTString.validate(String(repeating: "x", count: 65_535)) } == nil)
    }

    @Test("a string in a packet with U+0000 or bad UTF-8 is refused")
    func stringsInPackets() {
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 05 00 03 61 00 62"), version: .v3_1_1) } == .stringContainsNull)
        #expect(protocolError { _ = try MQTTPacket.decode(bytes("30 04 00 02 C3 28"), version: .v3_1_1) } == .invalidUTF8)
        #expect(protocolError { _ = try MQTTPacket.publish(MQTTPublish(topic: String(repeating: "t", count: 70_000), payload: [])).encode(version: .v5) }
            == .fieldTooLong(length: 70_000))
    }
}
