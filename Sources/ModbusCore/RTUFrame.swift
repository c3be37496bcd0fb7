/// The Modbus RTU envelope: slave address, PDU, CRC (low byte first).
public enum RTUFrame {
    /// Largest RTU frame the protocol allows.
    public static let maximumLength = 256
    /// Address, function, one data byte... the exception response (5 bytes) is the shortest frame.
    public static let minimumLength = 4

    /// Address + PDU + CRC.
    public static func encode(slave: UInt8, pdu: [UInt8]) throws(ModbusError) -> [UInt8] {
        let length = pdu.count + 3
        guard length <= maximumLength else { throw .frameTooLong(length: length, maximum: maximumLength) }
        guard !pdu.isEmpty else { throw .frameTooShort(length: length, minimum: minimumLength) }
        return CRC16.appending(to: [slave] + pdu)
    }

    /// Encodes `request` for `slave`.
    public static func encode(_ request: ModbusRequest, slave: UInt8) throws(ModbusError) -> [UInt8] {
        try encode(slave: slave, pdu: try request.encode())
    }

    /// Checks length and CRC and returns the address and the PDU.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(ModbusError) -> (slave: UInt8, pdu: ArraySlice<UInt8>) {
        guard bytes.count >= minimumLength else { throw .frameTooShort(length: bytes.count, minimum: minimumLength) }
        guard bytes.count <= maximumLength else { throw .frameTooLong(length: bytes.count, maximum: maximumLength) }
        let end = bytes.endIndex
        let body = bytes[bytes.startIndex..<(end - 2)]
        let received = UInt16(bytes[end - 2]) | UInt16(bytes[end - 1]) << 8
        let computed = CRC16.modbus(body)
        guard received == computed else { throw .crcMismatch(received: received, computed: computed) }
        return (bytes[bytes.startIndex], bytes[(bytes.startIndex + 1)..<(end - 2)])
    }

    public static func decode(_ frame: [UInt8]) throws(ModbusError) -> (slave: UInt8, pdu: ArraySlice<UInt8>) {
        try decode(frame[...])
    }

    /// Decodes a whole response frame from `slave` answering `request`.
    public static func decodeResponse(_ frame: ArraySlice<UInt8>, slave: UInt8, answering request: ModbusRequest) throws(ModbusError) -> ModbusResponse {
        let (address, pdu) = try decode(frame)
        guard address == slave else { throw .unexpectedSlave(expected: slave, received: address) }
        return try ModbusResponse.decode(pdu, answering: request)
    }

    public static func decodeResponse(_ frame: [UInt8], slave: UInt8, answering request: ModbusRequest) throws(ModbusError) -> ModbusResponse {
        try decodeResponse(frame[...], slave: slave, answering: request)
    }
}

/// The Modbus TCP envelope: a 7-byte MBAP header (transaction, protocol 0, length, unit) and the PDU.
public enum MBAPFrame {
    public static let headerLength = 7
    /// The length field counts the unit byte and the PDU; a PDU is at most 253 bytes.
    public static let maximumLengthField = 254
    public static let maximumLength = 6 + maximumLengthField

    public struct Header: Equatable, Sendable {
        public var transaction: UInt16
        public var protocolID: UInt16
        /// Bytes that follow the length field (unit identifier + PDU).
        public var length: UInt16
        public var unit: UInt8

        /// Bytes of the whole frame this header announces.
        public var frameLength: Int { 6 + Int(length) }
    }

    public static func encode(transaction: UInt16, unit: UInt8, pdu: [UInt8]) throws(ModbusError) -> [UInt8] {
        guard !pdu.isEmpty else { throw .frameTooShort(length: headerLength, minimum: headerLength + 1) }
        let length = pdu.count + 1
        guard length <= maximumLengthField else { throw .frameTooLong(length: 6 + length, maximum: maximumLength) }
        var frame: [UInt8] = []
        frame.reserveCapacity(6 + length)
        frame.appendWord(transaction)
        frame.appendWord(0)
        frame.appendWord(UInt16(length))
        frame.append(unit)
        frame.append(contentsOf: pdu)
        return frame
    }

    public static func encode(_ request: ModbusRequest, transaction: UInt16, unit: UInt8) throws(ModbusError) -> [UInt8] {
        try encode(transaction: transaction, unit: unit, pdu: try request.encode())
    }

    /// Reads and checks the header at the start of `bytes` (needs 7 bytes).
    public static func header(_ bytes: ArraySlice<UInt8>) throws(ModbusError) -> Header {
        guard bytes.count >= headerLength else { throw .frameTooShort(length: bytes.count, minimum: headerLength) }
        let start = bytes.startIndex
        func word(_ offset: Int) -> UInt16 { UInt16(bytes[start + offset]) << 8 | UInt16(bytes[start + offset + 1]) }
        let header = Header(transaction: word(0), protocolID: word(2), length: word(4), unit: bytes[start + 6])
        guard header.protocolID == 0 else { throw .mbapProtocolMismatch(header.protocolID) }
        guard header.length >= 2, header.length <= maximumLengthField else { throw .mbapInvalidLength(header.length) }
        return header
    }

    public static func header(_ bytes: [UInt8]) throws(ModbusError) -> Header { try header(bytes[...]) }

    /// Checks a whole frame and returns its header and PDU.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(ModbusError) -> (header: Header, pdu: ArraySlice<UInt8>) {
        let header = try header(bytes)
        guard bytes.count == header.frameLength else {
            throw .lengthMismatch(expected: header.frameLength, received: bytes.count)
        }
        return (header, bytes[(bytes.startIndex + headerLength)...])
    }

    public static func decode(_ frame: [UInt8]) throws(ModbusError) -> (header: Header, pdu: ArraySlice<UInt8>) {
        try decode(frame[...])
    }
}
