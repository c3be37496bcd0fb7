import Testing
@testable import ModbusCore

/// Bad input of every kind gets the right typed error, never a trap.
@Suite("Malformed frames")
struct MalformedFrameTests {
    let slave: UInt8 = 0x9D
    let readOne = ModbusRequest.readHoldingRegisters(address: 0, count: 1)
    let readTwo = ModbusRequest.readHoldingRegisters(address: 1, count: 2)

    func decode(_ frame: [UInt8], _ request: ModbusRequest) -> Result<ModbusResponse, ModbusError> {
        Result { () throws(ModbusError) in try RTUFrame.decodeResponse(frame, slave: slave, answering: request) }
    }

    @Test("every truncation of a valid response is refused", arguments: 0..<7)
    func truncatedResponse(length: Int) {
        let valid = bytes("9D 03 02 00 09 A8 5E")
        let result = decode(Array(valid.prefix(length)), readOne)
        guard case let .failure(error) = result else { Issue.record("accepted \(length) bytes"); return }
        switch error {
        case .frameTooShort, .crcMismatch, .lengthMismatch, .byteCountMismatch: break
        default: Issue.record("unexpected \(error)")
        }
        if length < 4 { #expect(error == .frameTooShort(length: length, minimum: 4)) }
    }

    @Test("a byte count that disagrees with the register count is a byte-count mismatch")
    func byteCountDisagreesWithRegisterCount() throws {
        // Two data bytes answering a request for two registers.
        let frame = try RTUFrame.encode(slave: slave, pdu: [0x03, 0x02, 0x00, 0x09])
        #expect(decode(frame, readTwo) == .failure(.byteCountMismatch(expected: 4, received: 2)))
    }

    @Test("a byte count that disagrees with the frame length is a length mismatch")
    func byteCountDisagreesWithLength() throws {
        let short = try RTUFrame.encode(slave: slave, pdu: [0x03, 0x04, 0x00, 0x09])
        #expect(decode(short, readTwo) == .failure(.frameTooShort(length: 4, minimum: 6)))
        let long = try RTUFrame.encode(slave: slave, pdu: [0x03, 0x02, 0x00, 0x09, 0xFF])
        #expect(decode(long, readOne) == .failure(.lengthMismatch(expected: 4, received: 5)))
    }

    @Test("oversize frames are refused on both sides")
    func oversize() {
        #expect(throws: ModbusError.frameTooLong(length: 257, maximum: 256)) {
            try RTUFrame.decode([UInt8](repeating: 0, count: 257))
        }
        #expect(throws: ModbusError.frameTooLong(length: 257, maximum: 256)) {
            try RTUFrame.encode(slave: 0x9D, pdu: [UInt8](repeating: 3, count: 254))
        }
        #expect(throws: ModbusError.invalidQuantity(126, allowed: 1...125)) {
            try ModbusRequest.readHoldingRegisters(address: 0, count: 126).encode()
        }
        #expect(throws: ModbusError.invalidQuantity(0, allowed: 1...125)) {
            try ModbusRequest.readHoldingRegisters(address: 0, count: 0).encode()
        }
        #expect(throws: ModbusError.invalidQuantity(124, allowed: 1...123)) {
            try ModbusRequest.writeMultipleRegisters(address: 0, values: Array(repeating: 0, count: 124)).encode()
        }
        #expect(FrameScanner.rtuResponse([0x9D, 0x03, 0xFF], expecting: .readHoldingRegisters) == .invalid(.frameTooLong(length: 260, maximum: 256)))
    }

    @Test("a response from another slave is refused")
    func wrongSlave() throws {
        let frame = try RTUFrame.encode(slave: 0x41, pdu: [0x03, 0x02, 0x00, 0x09])
        #expect(decode(frame, readOne) == .failure(.unexpectedSlave(expected: 0x9D, received: 0x41)))
    }

    @Test("a response with another function code is refused")
    func wrongFunction() throws {
        let frame = try RTUFrame.encode(slave: slave, pdu: [0x04, 0x02, 0x00, 0x09])
        #expect(decode(frame, readOne) == .failure(.unexpectedFunction(expected: 0x03, received: 0x04)))
        let exceptionForWrite = bytes("9D 90 05 4C 2D")
        #expect(decode(exceptionForWrite, readOne) == .failure(.unexpectedFunction(expected: 0x03, received: 0x90)))
    }

    @Test("an exception with an unknown code is refused")
    func unknownExceptionCode() throws {
        let frame = try RTUFrame.encode(slave: slave, pdu: [0x83, 0x09])
        #expect(decode(frame, readOne) == .failure(.unknownExceptionCode(0x09)))
    }

    @Test("flipping any single bit of a valid frame is caught by the CRC")
    func singleBitErrors() {
        let valid = bytes("9D 03 04 00 03 00 00 56 3A")
        for bit in 0..<(valid.count * 8) {
            var corrupted = valid
            corrupted[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            guard case let .failure(error) = decode(corrupted, readTwo) else {
                Issue.record("bit \(bit) flipped and still accepted"); continue
            }
            guard case .crcMismatch = error else { Issue.record("bit \(bit): \(error)"); continue }
        }
    }

    @Test("a write echo with another address or quantity is refused")
    func badWriteEcho() throws {
        let request = ModbusRequest.writeMultipleRegisters(address: 3, values: [1])
        let otherAddress = try RTUFrame.encode(slave: slave, pdu: [0x10, 0x00, 0x04, 0x00, 0x01])
        #expect(decode(otherAddress, request) == .failure(.echoMismatch(field: .address, expected: 3, received: 4)))
        let otherCount = try RTUFrame.encode(slave: slave, pdu: [0x10, 0x00, 0x03, 0x00, 0x02])
        #expect(decode(otherCount, request) == .failure(.echoMismatch(field: .quantity, expected: 1, received: 2)))
        let single = ModbusRequest.writeSingleRegister(address: 3, value: 7)
        let otherValue = try RTUFrame.encode(slave: slave, pdu: [0x06, 0x00, 0x03, 0x00, 0x08])
        #expect(decode(otherValue, single) == .failure(.echoMismatch(field: .value, expected: 7, received: 8)))
    }

    @Test("requests with impossible counts are refused by a slave")
    func badRequests() {
        // 0x10 whose byte count disagrees with its register count.
        #expect(throws: ModbusError.byteCountMismatch(expected: 2, received: 4)) {
            try ModbusRequest.decode([0x10, 0x00, 0x03, 0x00, 0x01, 0x04, 0, 1, 0, 2])
        }
        #expect(throws: ModbusError.invalidQuantity(0, allowed: 1...125)) {
            try ModbusRequest.decode([0x03, 0x00, 0x00, 0x00, 0x00])
        }
        #expect(throws: ModbusError.unsupportedFunction(0x2B)) { try ModbusRequest.decode([0x2B, 0x0E]) }
        #expect(throws: ModbusError.frameTooShort(length: 0, minimum: 1)) { try ModbusRequest.decode([UInt8]()) }
        #expect(throws: ModbusError.invalidReferenceType(0x05)) {
            try ModbusRequest.decode([0x14, 0x07, 0x05, 0, 1, 0, 0, 0, 4])
        }
    }

    @Test("MBAP headers with a bad protocol, length or size are refused")
    func badMBAP() {
        #expect(throws: ModbusError.mbapProtocolMismatch(1)) { try MBAPFrame.header(bytes("00 01 00 01 00 06 9D")) }
        #expect(throws: ModbusError.mbapInvalidLength(1)) { try MBAPFrame.header(bytes("00 01 00 00 00 01 9D")) }
        #expect(throws: ModbusError.mbapInvalidLength(0xFFFF)) { try MBAPFrame.header(bytes("00 01 00 00 FF FF 9D")) }
        #expect(throws: ModbusError.lengthMismatch(expected: 12, received: 11)) { try MBAPFrame.decode(bytes("00 00 00 00 00 06 9D 03 00 01 00")) }
        #expect(FrameScanner.mbap(bytes("00 00 00 00 00 06 9D 03")) == .incomplete(total: 12))
    }

    @Test("the scanner cuts responses by their announced length")
    func scannerLengths() {
        #expect(FrameScanner.rtuResponse(bytes("9D"), expecting: .readHoldingRegisters) == .incomplete(total: nil))
        #expect(FrameScanner.rtuResponse(bytes("9D 03"), expecting: .readHoldingRegisters) == .incomplete(total: nil))
        #expect(FrameScanner.rtuResponse(bytes("9D 03 02 00"), expecting: .readHoldingRegisters) == .incomplete(total: 7))
        #expect(FrameScanner.rtuResponse(bytes("9D 03 02 00 09 A8 5E FF"), expecting: .readHoldingRegisters) == .complete(length: 7))
        #expect(FrameScanner.rtuResponse(bytes("9D 83 02"), expecting: .readHoldingRegisters) == .incomplete(total: 5))
        #expect(FrameScanner.rtuResponse(bytes("9D 10 00 03 00 01 EC 55"), expecting: .writeMultipleRegisters) == .complete(length: 8))
        #expect(FrameScanner.rtuRequest(bytes("9D 10 00 0E 00 03 06")) == .incomplete(total: 15))
        #expect(FrameScanner.rtuRequest(bytes("9D 2B")) == .invalid(.unsupportedFunction(0x2B)))
    }
}
