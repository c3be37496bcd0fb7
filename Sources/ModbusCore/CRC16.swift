/// CRC-16/MODBUS: polynomial 0x8005 reflected (0xA001), initial value 0xFFFF, no final XOR.
///
/// The check value of ASCII "123456789" is 0x4B37. On the wire the CRC follows the
/// message low byte first.
public enum CRC16 {
    /// One entry per byte value, so the hot path costs one lookup and two shifts per byte.
    static let table: [UInt16] = (0..<256).map { byte -> UInt16 in
        var crc = UInt16(byte)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1
        }
        return crc
    }

    /// The CRC of `bytes`.
    public static func modbus(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        bytes.withUnsafeBufferPointer(modbus)
    }

    /// The CRC of `bytes`.
    public static func modbus(_ bytes: [UInt8]) -> UInt16 {
        bytes.withUnsafeBufferPointer(modbus)
    }

    /// The CRC of `bytes`; the other overloads end here so the loop runs over raw memory.
    public static func modbus(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = (crc >> 8) ^ table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)]
            }
        }
        return crc
    }

    /// `bytes` followed by their CRC, low byte first.
    public static func appending(to bytes: [UInt8]) -> [UInt8] {
        let crc = modbus(bytes)
        var framed = bytes
        framed.reserveCapacity(bytes.count + 2)
        framed.append(UInt8(truncatingIfNeeded: crc))
        framed.append(UInt8(truncatingIfNeeded: crc >> 8))
        return framed
    }
}
