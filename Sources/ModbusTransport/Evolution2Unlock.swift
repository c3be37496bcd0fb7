import _CryptoExtras
import Crypto
import Foundation
import ModbusCore

/// The "unlock" some Evolution 2.0 controllers need before they answer (docs/wire.md#the-evolution-20-unlock).
///
/// Once such a controller has refused enough requests with exception 05 (Acknowledge), every
/// transaction is preceded by three writes to register EA60 carrying the request about to be sent,
/// AES-encrypted and shuffled. The frames are built here, purely; `ModbusClient` decides when to send.
public enum Evolution2Unlock {
    /// The register the unlock frames are written to (named `Register.evolution2Unlock` in Generac,
    /// which this module does not import; a simulator test checks that the two agree).
    public static let register: UInt16 = 0xEA60
    static let key: [UInt8] = [0x4A, 0x2A, 0xA3, 0xE4, 0x7E, 0xE0, 0x42, 0x2C, 0xA4, 0xBC, 0x8D, 0x1D, 0x52, 0xDE, 0xD9, 0x69]
    static let iv: [UInt8] = [0xC0, 0x94, 0xFB, 0xEB, 0xF5, 0x96, 0x43, 0x7F, 0xA2, 0x2E, 0xFA, 0x84, 0xFC, 0xC5, 0x21, 0x52]
    static let header: [UInt8] = [0x00, 0x00, 0x00, 0x05, 0x06, 0x02, 0x04, 0x04, 0x01, 0xE3, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]

    /// When the unlock is armed and how often it is repeated (the original's `evo2_*` settings).
    public struct Policy: Sendable, Equatable {
        /// Armed once more than this many Acknowledge exceptions have been seen.
        public var maximumAcknowledgeExceptions: Int
        /// Repeated at least this often even without new exceptions.
        public var interval: Duration
        public var bypass: Bool

        public init(maximumAcknowledgeExceptions: Int = 2, interval: Duration = .seconds(4 * 60), bypass: Bool = false) {
            self.maximumAcknowledgeExceptions = maximumAcknowledgeExceptions
            self.interval = interval
            self.bypass = bypass
        }
    }

    /// The three unlock writes (17 registers each) that precede `request` to `slave`.
    public static func frames(for request: ModbusRequest, slave: UInt8) throws -> [ModbusRequest] {
        let (address, count): (UInt16, UInt16) = switch request {
        case let .readHoldingRegisters(address, count), let .readInputRegisters(address, count): (address, count)
        case .writeSingleRegister(let address, _): (address, 1)
        case let .writeMultipleRegisters(address, values): (address, UInt16(clamping: values.count))
        case .readFileRecord: (0, 1)
        }
        // The controller is shown a read of the register about to be accessed, even for a write.
        let plain = try RTUFrame.encode(.readHoldingRegisters(address: address, count: max(1, min(count, 125))), slave: slave)
        let block = padded(plain, to: 16)
        let encrypted = try encrypt(block)
        let first = [0xF1, 0x01] + swapNibbles(header + encrypted)
        let second = [0xF1, 0x51] + swapNibbles(try encrypt(padded(plain, to: 32)))
        let third = [0xF1, 0xA7] + header + encrypted
        return [first, second, third].map { .writeMultipleRegisters(address: register, values: words($0)) }
    }

    /// AES-128 in CBC mode restarted for every 16-byte block: each block is encrypted alone.
    static func encrypt(_ bytes: [UInt8]) throws -> [UInt8] {
        let key = SymmetricKey(data: key)
        let iv = try AES._CBC.IV(ivBytes: iv)
        var output: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 16) {
            output += try AES._CBC.encrypt(bytes[start..<(start + 16)], using: key, iv: iv, noPadding: true)
        }
        return output
    }

    /// The shuffle of the 32-byte buffer: nibbles of byte i and byte i+16 are exchanged in a pattern
    /// that alternates between even and odd positions.
    static func swapNibbles(_ buffer: [UInt8]) -> [UInt8] {
        var out = buffer
        for index in 0..<16 {
            let a = buffer[index], b = buffer[index + 16]
            if index % 2 == 0 {
                out[index] = (b & 0x0F) << 4 | (a & 0x0F)
                out[index + 16] = (b & 0xF0) | (a >> 4)
            } else {
                out[index] = (b & 0xF0) | (a & 0x0F)
                out[index + 16] = (a & 0xF0) | (b & 0x0F)
            }
        }
        return out
    }

    static func padded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: max(0, length - bytes.count))
    }

    static func words(_ bytes: [UInt8]) -> [UInt16] {
        stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }
}
