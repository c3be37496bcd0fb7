import Testing
@testable import ModbusCore

/// The worked frames of docs/wire.md#worked-frames, byte for byte.
@Suite("Worked frames")
struct SpecVectorTests {
    let slave: UInt8 = 0x9D

    @Test("requests encode to the documented bytes", arguments: [
        (ModbusRequest.readHoldingRegisters(address: 0x0000, count: 1), "9D 03 00 00 00 01 99 96"),
        (.readHoldingRegisters(address: 0x0001, count: 2), "9D 03 00 01 00 02 88 57"),
        (.readHoldingRegisters(address: 0x01F4, count: 5), "9D 03 01 F4 00 05 D8 5B"),
        (.readHoldingRegisters(address: 0x012C, count: 4), "9D 03 01 2C 00 04 99 A0"),
        (.readHoldingRegisters(address: 0x03E8, count: 5), "9D 03 03 E8 00 05 18 25"),
        (.writeMultipleRegisters(address: 0x0003, values: [0x0001]), "9D 10 00 03 00 01 02 00 01 9E A5"),
        (.writeMultipleRegisters(address: 0x0004, values: [0x012C]), "9D 10 00 04 00 01 02 01 2C 5E 9F"),
        (.writeMultipleRegisters(address: 0x000E, values: [0x0E1E, 0x0305, 0x0018]), "9D 10 00 0E 00 03 06 0E 1E 03 05 00 18 EE 8B"),
        (.readFileRecord(file: 1, record: 0, count: 4), "9D 14 07 06 00 01 00 00 00 04 03 65"),
    ])
    func requestVectors(request: ModbusRequest, expected: String) throws {
        #expect(try RTUFrame.encode(request, slave: slave) == bytes(expected))
    }

    @Test("requests decode back from the documented bytes the way a slave reads them", arguments: [
        "9D 03 00 00 00 01 99 96", "9D 10 00 0E 00 03 06 0E 1E 03 05 00 18 EE 8B", "9D 14 07 06 00 01 00 00 00 04 03 65",
    ])
    func requestDecoding(frame: String) throws {
        let (address, pdu) = try RTUFrame.decode(bytes(frame))
        #expect(address == slave)
        let request = try ModbusRequest.decode(pdu)
        #expect(try RTUFrame.encode(request, slave: slave) == bytes(frame))
    }

    @Test("read responses decode to their registers")
    func readResponses() throws {
        #expect(try RTUFrame.decodeResponse(bytes("9D 03 02 00 09 A8 5E"), slave: slave,
                                            answering: .readHoldingRegisters(address: 0, count: 1)) == .registers([0x0009]))
        #expect(try RTUFrame.decodeResponse(bytes("9D 03 04 00 03 00 00 56 3A"), slave: slave,
                                            answering: .readHoldingRegisters(address: 1, count: 2)) == .registers([0x0003, 0x0000]))
        let serial = try RTUFrame.decodeResponse(bytes("9D 03 0A 30 30 30 37 37 32 32 39 38 37 54 22"), slave: slave,
                                                 answering: .readHoldingRegisters(address: 0x01F4, count: 5))
        #expect(serial == .registers([0x3030, 0x3037, 0x3732, 0x3239, 0x3837]))
    }

    @Test("write responses decode when they echo the write")
    func writeResponses() throws {
        #expect(try RTUFrame.decodeResponse(bytes("9D 10 00 03 00 01 EC 55"), slave: slave,
                                            answering: .writeMultipleRegisters(address: 3, values: [1])) == .wroteMultipleRegisters(address: 3, count: 1))
        #expect(try RTUFrame.decodeResponse(bytes("9D 10 00 0E 00 03 FC 57"), slave: slave,
                                            answering: .writeMultipleRegisters(address: 0x0E, values: [0x0E1E, 0x0305, 0x0018])) == .wroteMultipleRegisters(address: 0x0E, count: 3))
    }

    @Test("exception responses decode to their code", arguments: [
        ("9D 83 02 00 DF", ModbusRequest.readHoldingRegisters(address: 0x9999, count: 1), ExceptionCode.illegalDataAddress),
        ("9D 83 05 41 1D", .readHoldingRegisters(address: 0, count: 1), .acknowledge),
        ("9D 90 05 4C 2D", .writeMultipleRegisters(address: 3, values: [1]), .acknowledge),
    ])
    func exceptionResponses(frame: String, request: ModbusRequest, code: ExceptionCode) throws {
        let response = try RTUFrame.decodeResponse(bytes(frame), slave: slave, answering: request)
        #expect(response == .exception(function: request.functionCode.rawValue, code: code))
    }

    @Test("responses encode to the documented bytes")
    func responseEncoding() throws {
        #expect(try RTUFrame.encode(slave: slave, pdu: ModbusResponse.registers([9]).encode(for: .readHoldingRegisters)) == bytes("9D 03 02 00 09 A8 5E"))
        #expect(try RTUFrame.encode(slave: slave, pdu: ModbusResponse.wroteMultipleRegisters(address: 3, count: 1).encode(for: .writeMultipleRegisters)) == bytes("9D 10 00 03 00 01 EC 55"))
        #expect(try RTUFrame.encode(slave: slave, pdu: ModbusResponse.exception(function: 0x03, code: .illegalDataAddress).encode(for: .readHoldingRegisters)) == bytes("9D 83 02 00 DF"))
    }

    @Test("Modbus TCP requests carry the documented MBAP header")
    func mbapRequest() throws {
        #expect(try MBAPFrame.encode(.readHoldingRegisters(address: 1, count: 2), transaction: 0, unit: slave) == bytes("00 00 00 00 00 06 9D 03 00 01 00 02"))
        let frame = try MBAPFrame.encode(.writeMultipleRegisters(address: 3, values: [1]), transaction: 0xFFFF, unit: slave)
        let (header, pdu) = try MBAPFrame.decode(frame)
        #expect(header == .init(transaction: 0xFFFF, protocolID: 0, length: 9, unit: slave))
        #expect(try ModbusRequest.decode(pdu) == .writeMultipleRegisters(address: 3, values: [1]))
    }

    @Test("a file-record response decodes its words")
    func fileRecordResponse() throws {
        let request = ModbusRequest.readFileRecord(file: 1, record: 0, count: 2)
        let frame = try RTUFrame.encode(slave: slave, pdu: ModbusResponse.fileRecord([0x1234, 0xABCD]).encode(for: .readFileRecord))
        #expect(frame.prefix(5) == [0x9D, 0x14, 0x06, 0x05, 0x06])
        #expect(try RTUFrame.decodeResponse(frame, slave: slave, answering: request) == .fileRecord([0x1234, 0xABCD]))
    }
}
