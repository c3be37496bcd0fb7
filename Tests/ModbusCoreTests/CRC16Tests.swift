import GenmonBasics
import Testing
@testable import ModbusCore

@Suite("CRC-16/MODBUS")
struct CRC16Tests {
    @Test("the check value of \"123456789\" is 0x4B37")
    func checkValue() {
        #expect(CRC16.modbus(Array("123456789".utf8)) == 0x4B37)
    }

    @Test("the CRC of nothing is the initial value")
    func emptyInput() {
        #expect(CRC16.modbus([UInt8]()) == 0xFFFF)
    }

    @Test("the table matches the bitwise definition for every byte")
    func tableMatchesBitwiseDefinition() {
        func bitwise(_ data: [UInt8]) -> UInt16 {
            var crc: UInt16 = 0xFFFF
            for byte in data {
                crc ^= UInt16(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
            }
            return crc
        }
        var generator = SeededGenerator(seed: 7)
        for length in 0..<64 {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(CRC16.modbus(data) == bitwise(data))
        }
        for byte in 0...255 { #expect(CRC16.modbus([UInt8(byte)]) == bitwise([UInt8(byte)])) }
    }

    @Test("appending puts the low byte first")
    func appendOrder() {
        #expect(CRC16.appending(to: bytes("9D 03 00 00 00 01")) == bytes("9D 03 00 00 00 01 99 96"))
    }

    @Test("a frame followed by its CRC has a CRC of zero")
    func residueIsZero() {
        #expect(CRC16.modbus(bytes("9D 03 02 00 09 A8 5E")) == 0)
    }
}
