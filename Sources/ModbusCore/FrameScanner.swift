/// What a stream reader learns from the bytes at the head of its buffer.
public enum FrameScan: Equatable, Sendable {
    /// More bytes are needed; `total` is the frame length when it is already known.
    case incomplete(total: Int?)
    /// A frame of this many bytes starts at the head of the buffer (its CRC is not yet checked).
    case complete(length: Int)
    /// The head of the buffer cannot start the frame being waited for.
    case invalid(ModbusError)
}

/// Cuts Modbus frames out of a byte stream by their announced length.
///
/// RTU has no delimiter; a reader that knows which function it expects can compute the
/// frame length from the first three bytes, and so never has to wait for line silence.
public enum FrameScanner {
    /// Length of the response at the head of `buffer`, for a request with function `expected`.
    public static func rtuResponse(_ buffer: ArraySlice<UInt8>, expecting expected: FunctionCode) -> FrameScan {
        guard buffer.count >= 2 else { return .incomplete(total: nil) }
        let start = buffer.startIndex
        let function = buffer[start + 1]
        let total: Int
        if function == expected.rawValue | FunctionCode.exceptionFlag {
            total = 5
        } else if function != expected.rawValue {
            return .invalid(.unexpectedFunction(expected: expected.rawValue, received: function))
        } else {
            switch expected {
            case .readHoldingRegisters, .readInputRegisters, .readFileRecord:
                guard buffer.count >= 3 else { return .incomplete(total: nil) }
                total = Int(buffer[start + 2]) + 5
            case .writeSingleRegister, .writeMultipleRegisters:
                total = 8
            }
        }
        guard total <= RTUFrame.maximumLength else {
            return .invalid(.frameTooLong(length: total, maximum: RTUFrame.maximumLength))
        }
        return buffer.count >= total ? .complete(length: total) : .incomplete(total: total)
    }

    public static func rtuResponse(_ buffer: [UInt8], expecting expected: FunctionCode) -> FrameScan {
        rtuResponse(buffer[...], expecting: expected)
    }

    /// Length of the request at the head of `buffer`, as a slave must cut it.
    public static func rtuRequest(_ buffer: ArraySlice<UInt8>) -> FrameScan {
        guard buffer.count >= 2 else { return .incomplete(total: nil) }
        let start = buffer.startIndex
        let total: Int
        switch FunctionCode(rawValue: buffer[start + 1]) {
        case .readHoldingRegisters?, .readInputRegisters?, .writeSingleRegister?:
            total = 8
        case .writeMultipleRegisters?:
            guard buffer.count >= 7 else { return .incomplete(total: nil) }
            total = Int(buffer[start + 6]) + 9
        case .readFileRecord?:
            guard buffer.count >= 3 else { return .incomplete(total: nil) }
            total = Int(buffer[start + 2]) + 5
        case nil:
            return .invalid(.unsupportedFunction(buffer[start + 1]))
        }
        guard total <= RTUFrame.maximumLength else {
            return .invalid(.frameTooLong(length: total, maximum: RTUFrame.maximumLength))
        }
        return buffer.count >= total ? .complete(length: total) : .incomplete(total: total)
    }

    public static func rtuRequest(_ buffer: [UInt8]) -> FrameScan { rtuRequest(buffer[...]) }

    /// Length of the MBAP frame at the head of `buffer`.
    public static func mbap(_ buffer: ArraySlice<UInt8>) -> FrameScan {
        guard buffer.count >= MBAPFrame.headerLength else { return .incomplete(total: nil) }
        let header: MBAPFrame.Header
        do { header = try MBAPFrame.header(buffer) } catch { return .invalid(error) }
        return buffer.count >= header.frameLength ? .complete(length: header.frameLength) : .incomplete(total: header.frameLength)
    }

    public static func mbap(_ buffer: [UInt8]) -> FrameScan { mbap(buffer[...]) }
}
