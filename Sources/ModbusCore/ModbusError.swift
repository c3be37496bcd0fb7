/// Everything that can be wrong with bytes that claim to be a Modbus frame.
///
/// Decoders throw these instead of trapping, so a noisy serial line can never crash the monitor.
public enum ModbusError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the smallest valid frame of this kind.
    case frameTooShort(length: Int, minimum: Int)
    /// More bytes than a Modbus frame may hold (256 for RTU, 260 for Modbus TCP).
    case frameTooLong(length: Int, maximum: Int)
    /// The CRC carried by the frame is not the CRC of its contents.
    case crcMismatch(received: UInt16, computed: UInt16)
    /// The frame is addressed from or to another slave.
    case unexpectedSlave(expected: UInt8, received: UInt8)
    /// The function byte does not belong to the request that was sent.
    case unexpectedFunction(expected: UInt8, received: UInt8)
    /// A function code genmon does not implement.
    case unsupportedFunction(UInt8)
    /// An exception response carried a code outside the Modbus table.
    case unknownExceptionCode(UInt8)
    /// The byte-count field disagrees with what the request asked for or with the frame's length.
    case byteCountMismatch(expected: Int, received: Int)
    /// The PDU is not as long as its function and counts say it must be.
    case lengthMismatch(expected: Int, received: Int)
    /// A write response does not echo what was written.
    case echoMismatch(field: EchoField, expected: UInt16, received: UInt16)
    /// A register or record count outside what the protocol allows.
    case invalidQuantity(Int, allowed: ClosedRange<Int>)
    /// A file-record sub-request whose reference type is not 6.
    case invalidReferenceType(UInt8)
    /// A file or record number outside the protocol's range.
    case invalidFileRecord(file: UInt16, record: UInt16)
    /// An MBAP header whose protocol identifier is not 0.
    case mbapProtocolMismatch(UInt16)
    /// An MBAP response to a different transaction.
    case mbapTransactionMismatch(expected: UInt16, received: UInt16)
    /// An MBAP length field that cannot describe a PDU.
    case mbapInvalidLength(UInt16)

    /// Which echoed field of a write response was wrong.
    public enum EchoField: String, Sendable {
        case address, quantity, value
    }

    public var description: String {
        switch self {
        case let .frameTooShort(length, minimum): "frame too short: \(length) bytes, need at least \(minimum)"
        case let .frameTooLong(length, maximum): "frame too long: \(length) bytes, at most \(maximum) allowed"
        case let .crcMismatch(received, computed): "CRC mismatch: frame carries \(hex(received)), contents give \(hex(computed))"
        case let .unexpectedSlave(expected, received): "wrong slave address: expected \(hex(expected)), got \(hex(received))"
        case let .unexpectedFunction(expected, received): "wrong function code: expected \(hex(expected)), got \(hex(received))"
        case let .unsupportedFunction(code): "unsupported function code \(hex(code))"
        case let .unknownExceptionCode(code): "unknown exception code \(hex(code))"
        case let .byteCountMismatch(expected, received): "byte count \(received) where \(expected) was expected"
        case let .lengthMismatch(expected, received): "PDU of \(received) bytes where \(expected) was expected"
        case let .echoMismatch(field, expected, received): "write echo has \(field.rawValue) \(hex(received)), sent \(hex(expected))"
        case let .invalidQuantity(count, allowed): "quantity \(count) outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case let .invalidReferenceType(type): "file record reference type \(hex(type)), must be 0x06"
        case let .invalidFileRecord(file, record): "file \(file) record \(record) outside the allowed range"
        case let .mbapProtocolMismatch(id): "MBAP protocol identifier \(id), must be 0"
        case let .mbapTransactionMismatch(expected, received): "MBAP transaction \(received) where \(expected) was expected"
        case let .mbapInvalidLength(length): "MBAP length field \(length) cannot hold a PDU"
        }
    }
}

@inline(__always)
func hex(_ value: UInt8) -> String { "0x" + String(value, radix: 16, uppercase: true).leftPadded(to: 2) }
@inline(__always)
func hex(_ value: UInt16) -> String { "0x" + String(value, radix: 16, uppercase: true).leftPadded(to: 4) }

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
