/// A request PDU (function code and data, without address or CRC).
public enum ModbusRequest: Equatable, Sendable, Hashable {
    case readHoldingRegisters(address: UInt16, count: UInt16)
    case readInputRegisters(address: UInt16, count: UInt16)
    case writeSingleRegister(address: UInt16, value: UInt16)
    case writeMultipleRegisters(address: UInt16, values: [UInt16])
    /// One file-record sub-request (reference type 6) of `count` words.
    case readFileRecord(file: UInt16, record: UInt16, count: UInt16)

    /// Register counts a read may ask for: the response must fit a 256-byte RTU frame.
    public static let readCountRange: ClosedRange<Int> = 1...125
    /// Register counts one write may carry.
    public static let writeCountRange: ClosedRange<Int> = 1...123
    /// Words one file-record read may ask for (the response's byte count is one byte).
    public static let fileRecordCountRange: ClosedRange<Int> = 1...122
    /// Record numbers the protocol allows.
    public static let recordNumberRange: ClosedRange<UInt16> = 0...9999

    public var functionCode: FunctionCode {
        switch self {
        case .readHoldingRegisters: .readHoldingRegisters
        case .readInputRegisters: .readInputRegisters
        case .writeSingleRegister: .writeSingleRegister
        case .writeMultipleRegisters: .writeMultipleRegisters
        case .readFileRecord: .readFileRecord
        }
    }

    /// Throws when a count or number lies outside what the protocol allows.
    public func validate() throws(ModbusError) {
        switch self {
        case let .readHoldingRegisters(_, count), let .readInputRegisters(_, count):
            guard Self.readCountRange.contains(Int(count)) else {
                throw .invalidQuantity(Int(count), allowed: Self.readCountRange)
            }
        case .writeSingleRegister:
            break
        case let .writeMultipleRegisters(_, values):
            guard Self.writeCountRange.contains(values.count) else {
                throw .invalidQuantity(values.count, allowed: Self.writeCountRange)
            }
        case let .readFileRecord(file, record, count):
            guard Self.fileRecordCountRange.contains(Int(count)) else {
                throw .invalidQuantity(Int(count), allowed: Self.fileRecordCountRange)
            }
            guard file >= 1, Self.recordNumberRange.contains(record) else {
                throw .invalidFileRecord(file: file, record: record)
            }
        }
    }

    /// The PDU bytes; throws for counts the protocol cannot carry.
    public func encode() throws(ModbusError) -> [UInt8] {
        try validate()
        var pdu: [UInt8] = [functionCode.rawValue]
        switch self {
        case let .readHoldingRegisters(address, count), let .readInputRegisters(address, count):
            pdu.appendWord(address)
            pdu.appendWord(count)
        case let .writeSingleRegister(address, value):
            pdu.appendWord(address)
            pdu.appendWord(value)
        case let .writeMultipleRegisters(address, values):
            pdu.appendWord(address)
            pdu.appendWord(UInt16(values.count))
            pdu.append(UInt8(values.count * 2))
            for value in values { pdu.appendWord(value) }
        case let .readFileRecord(file, record, count):
            pdu.append(7)  // byte count of one sub-request
            pdu.append(6)  // reference type
            pdu.appendWord(file)
            pdu.appendWord(record)
            pdu.appendWord(count)
        }
        return pdu
    }

    public static func decode(_ pdu: [UInt8]) throws(ModbusError) -> ModbusRequest { try decode(pdu[...]) }

    /// Decodes a request PDU as a slave receives it. Every length and count is checked.
    public static func decode(_ pdu: ArraySlice<UInt8>) throws(ModbusError) -> ModbusRequest {
        guard let code = pdu.first else { throw .frameTooShort(length: 0, minimum: 1) }
        let bytes = PDUReader(pdu)
        let request: ModbusRequest
        switch FunctionCode(rawValue: code) {
        case .readHoldingRegisters?, .readInputRegisters?:
            try bytes.expectLength(5)
            let address = bytes.word(at: 1), count = bytes.word(at: 3)
            request = code == FunctionCode.readHoldingRegisters.rawValue
                ? .readHoldingRegisters(address: address, count: count)
                : .readInputRegisters(address: address, count: count)
        case .writeSingleRegister?:
            try bytes.expectLength(5)
            request = .writeSingleRegister(address: bytes.word(at: 1), value: bytes.word(at: 3))
        case .writeMultipleRegisters?:
            try bytes.expectMinimum(6)
            let count = Int(bytes.word(at: 3))
            guard writeCountRange.contains(count) else { throw .invalidQuantity(count, allowed: writeCountRange) }
            let byteCount = Int(bytes[5])
            guard byteCount == count * 2 else { throw .byteCountMismatch(expected: count * 2, received: byteCount) }
            try bytes.expectLength(6 + byteCount)
            request = .writeMultipleRegisters(address: bytes.word(at: 1), values: bytes.words(from: 6, count: count))
        case .readFileRecord?:
            try bytes.expectMinimum(2)
            let byteCount = Int(bytes[1])
            guard byteCount == 7 else { throw .byteCountMismatch(expected: 7, received: byteCount) }
            try bytes.expectLength(9)
            guard bytes[2] == 6 else { throw .invalidReferenceType(bytes[2]) }
            request = .readFileRecord(file: bytes.word(at: 3), record: bytes.word(at: 5), count: bytes.word(at: 7))
        case nil:
            throw .unsupportedFunction(code)
        }
        try request.validate()
        return request
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendWord(_ word: UInt16) {
        append(UInt8(truncatingIfNeeded: word >> 8))
        append(UInt8(truncatingIfNeeded: word))
    }
}

/// Bounds-aware reads from a PDU whose first byte is the function code.
struct PDUReader {
    let bytes: ArraySlice<UInt8>
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var count: Int { bytes.count }

    subscript(offset: Int) -> UInt8 { bytes[bytes.startIndex + offset] }

    func word(at offset: Int) -> UInt16 { UInt16(self[offset]) << 8 | UInt16(self[offset + 1]) }

    func words(from offset: Int, count: Int) -> [UInt16] {
        (0..<count).map { word(at: offset + 2 * $0) }
    }

    func expectLength(_ expected: Int) throws(ModbusError) {
        guard count == expected else {
            throw count < expected ? .frameTooShort(length: count, minimum: expected) : .lengthMismatch(expected: expected, received: count)
        }
    }

    func expectMinimum(_ minimum: Int) throws(ModbusError) {
        guard count >= minimum else { throw .frameTooShort(length: count, minimum: minimum) }
    }
}
