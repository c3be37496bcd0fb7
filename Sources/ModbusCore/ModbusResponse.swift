/// A response PDU, decoded against the request it answers.
public enum ModbusResponse: Equatable, Sendable {
    /// Register contents from 0x03 or 0x04.
    case registers([UInt16])
    /// Echo of a 0x06 write.
    case wroteSingleRegister(address: UInt16, value: UInt16)
    /// Echo of a 0x10 write.
    case wroteMultipleRegisters(address: UInt16, count: UInt16)
    /// Words of one file record from 0x14.
    case fileRecord([UInt16])
    /// The slave refused the request.
    case exception(function: UInt8, code: ExceptionCode)

    /// The response a correct slave gives to `request` when it succeeds (used by servers and tests).
    public static func success(for request: ModbusRequest, registers: [UInt16] = []) -> ModbusResponse {
        switch request {
        case .readHoldingRegisters, .readInputRegisters: .registers(registers)
        case let .writeSingleRegister(address, value): .wroteSingleRegister(address: address, value: value)
        case let .writeMultipleRegisters(address, values): .wroteMultipleRegisters(address: address, count: UInt16(values.count))
        case .readFileRecord: .fileRecord(registers)
        }
    }

    /// The PDU bytes, as a slave sends them.
    public func encode(for function: FunctionCode) throws(ModbusError) -> [UInt8] {
        switch self {
        case let .registers(words):
            guard ModbusRequest.readCountRange.contains(words.count) else {
                throw .invalidQuantity(words.count, allowed: ModbusRequest.readCountRange)
            }
            var pdu: [UInt8] = [function.rawValue, UInt8(words.count * 2)]
            for word in words { pdu.appendWord(word) }
            return pdu
        case let .wroteSingleRegister(address, value):
            var pdu: [UInt8] = [FunctionCode.writeSingleRegister.rawValue]
            pdu.appendWord(address)
            pdu.appendWord(value)
            return pdu
        case let .wroteMultipleRegisters(address, count):
            var pdu: [UInt8] = [FunctionCode.writeMultipleRegisters.rawValue]
            pdu.appendWord(address)
            pdu.appendWord(count)
            return pdu
        case let .fileRecord(words):
            guard ModbusRequest.fileRecordCountRange.contains(words.count) else {
                throw .invalidQuantity(words.count, allowed: ModbusRequest.fileRecordCountRange)
            }
            let subLength = words.count * 2 + 1
            var pdu: [UInt8] = [FunctionCode.readFileRecord.rawValue, UInt8(subLength + 1), UInt8(subLength), 6]
            for word in words { pdu.appendWord(word) }
            return pdu
        case let .exception(function, code):
            return [function | FunctionCode.exceptionFlag, code.rawValue]
        }
    }

    /// Decodes the PDU a slave sent in answer to `request`.
    ///
    /// Every field is checked against the request: function code, byte count against the
    /// register count, PDU length against the byte count, and the echo of a write.
    public static func decode(_ pdu: ArraySlice<UInt8>, answering request: ModbusRequest) throws(ModbusError) -> ModbusResponse {
        let bytes = PDUReader(pdu)
        try bytes.expectMinimum(2)
        let expected = request.functionCode.rawValue
        let function = bytes[0]
        if function == expected | FunctionCode.exceptionFlag {
            try bytes.expectLength(2)
            guard let code = ExceptionCode(rawValue: bytes[1]) else { throw .unknownExceptionCode(bytes[1]) }
            return .exception(function: expected, code: code)
        }
        guard function == expected else { throw .unexpectedFunction(expected: expected, received: function) }

        switch request {
        case let .readHoldingRegisters(_, count), let .readInputRegisters(_, count):
            let byteCount = Int(bytes[1])
            guard byteCount == Int(count) * 2 else { throw .byteCountMismatch(expected: Int(count) * 2, received: byteCount) }
            try bytes.expectLength(2 + byteCount)
            return .registers(bytes.words(from: 2, count: Int(count)))

        case let .writeSingleRegister(address, value):
            try bytes.expectLength(5)
            try echo(.address, expected: address, received: bytes.word(at: 1))
            try echo(.value, expected: value, received: bytes.word(at: 3))
            return .wroteSingleRegister(address: address, value: value)

        case let .writeMultipleRegisters(address, values):
            try bytes.expectLength(5)
            try echo(.address, expected: address, received: bytes.word(at: 1))
            try echo(.quantity, expected: UInt16(values.count), received: bytes.word(at: 3))
            return .wroteMultipleRegisters(address: address, count: UInt16(values.count))

        case let .readFileRecord(_, _, count):
            let byteCount = Int(bytes[1])
            let subLength = Int(count) * 2 + 1
            guard byteCount == subLength + 1 else { throw .byteCountMismatch(expected: subLength + 1, received: byteCount) }
            try bytes.expectLength(2 + byteCount)
            guard Int(bytes[2]) == subLength else { throw .byteCountMismatch(expected: subLength, received: Int(bytes[2])) }
            guard bytes[3] == 6 else { throw .invalidReferenceType(bytes[3]) }
            return .fileRecord(bytes.words(from: 4, count: Int(count)))
        }
    }

    public static func decode(_ pdu: [UInt8], answering request: ModbusRequest) throws(ModbusError) -> ModbusResponse {
        try decode(pdu[...], answering: request)
    }

    private static func echo(_ field: ModbusError.EchoField, expected: UInt16, received: UInt16) throws(ModbusError) {
        guard expected == received else { throw .echoMismatch(field: field, expected: expected, received: received) }
    }
}
