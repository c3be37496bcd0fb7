/// Assembles the response to one request from bytes as they arrive, resynchronising past noise.
///
/// Bytes that cannot start the expected response are skipped one at a time and counted. A candidate
/// frame with a bad CRC is skipped by one byte (the real frame may start inside it); a CRC-valid frame
/// that does not answer this request (a late answer to an earlier one, another slave, a wrong count)
/// is skipped whole. The last such rejection is kept, so that when the line then goes quiet the caller
/// can report the real reason instead of a bare timeout. Pure: no clocks, no I/O.
public struct ResponseAssembler: Sendable {
    public enum Framing: Sendable, Equatable {
        case rtu
        /// Modbus TCP; responses must carry this transaction identifier.
        case tcp(transaction: UInt16)
    }

    /// Why a candidate response was thrown away.
    public enum Rejection: Equatable, Sendable {
        case badCRC(ModbusError)
        case mismatch(ModbusError)
    }

    public let request: ModbusRequest
    public let framing: Framing
    public let acceptedAddresses: [UInt8]
    /// Bytes received and not yet consumed.
    public private(set) var pending: [UInt8] = []
    private var head = 0
    /// Bytes skipped so far (noise, rejected candidates, anything after the accepted frame).
    public private(set) var discardedBytes = 0
    /// The most recent candidate that was rejected, if any.
    public private(set) var lastRejection: Rejection?

    public init(request: ModbusRequest, framing: Framing, slave: UInt8, alternateAddress: UInt8? = nil) {
        self.request = request
        self.framing = framing
        self.acceptedAddresses = [slave] + (alternateAddress.map { [$0] } ?? [])
    }

    /// Bytes waiting that may be the start of the response.
    public var bufferedCount: Int { pending.count - head }

    /// Adds received bytes; returns the response once a complete, valid one is present.
    public mutating func append(_ bytes: [UInt8]) -> ModbusResponse? {
        pending.append(contentsOf: bytes)
        let response: ModbusResponse?
        switch framing {
        case .rtu: response = scanRTU()
        case let .tcp(transaction): response = scanMBAP(transaction: transaction)
        }
        if response != nil {
            discardedBytes += bufferedCount
            head = pending.count
        }
        compact()
        return response
    }

    private var window: ArraySlice<UInt8> { pending[head...] }

    private mutating func skip(_ count: Int) {
        head += count
        discardedBytes += count
    }

    private mutating func compact() {
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 512 {
            pending.removeFirst(head)
            head = 0
        }
    }

    private mutating func scanRTU() -> ModbusResponse? {
        let function = request.functionCode
        while head < pending.count {
            guard acceptedAddresses.contains(pending[head]) else {
                skip(1)
                continue
            }
            switch FrameScanner.rtuResponse(window, expecting: function) {
            case .incomplete:
                // Noise can look like the start of a long frame and swallow the real one behind it;
                // a complete, CRC-valid answer further on wins over a candidate that may never finish.
                if let (offset, length, response) = validFrameAhead() {
                    skip(offset - head)
                    head += length
                    return response
                }
                return nil
            case .invalid:
                skip(1)
            case let .complete(length):
                let frame = pending[head..<(head + length)]
                do {
                    let (_, pdu) = try RTUFrame.decode(frame)
                    do {
                        let response = try ModbusResponse.decode(pdu, answering: request)
                        head += length
                        return response
                    } catch {
                        lastRejection = .mismatch(error)
                        skip(length)
                    }
                } catch {
                    lastRejection = .badCRC(error)
                    skip(1)
                }
            }
        }
        return nil
    }

    /// The first complete, CRC-valid frame answering the request that starts after `head`.
    private func validFrameAhead() -> (offset: Int, length: Int, response: ModbusResponse)? {
        var offset = head + 1
        while offset + 4 < pending.count {
            defer { offset += 1 }
            guard acceptedAddresses.contains(pending[offset]),
                  case let .complete(length) = FrameScanner.rtuResponse(pending[offset...], expecting: request.functionCode),
                  let (_, pdu) = try? RTUFrame.decode(pending[offset..<(offset + length)]),
                  let response = try? ModbusResponse.decode(pdu, answering: request) else { continue }
            return (offset, length, response)
        }
        return nil
    }

    private mutating func scanMBAP(transaction: UInt16) -> ModbusResponse? {
        while bufferedCount >= MBAPFrame.headerLength {
            let header: MBAPFrame.Header
            do {
                header = try MBAPFrame.header(window)
            } catch {
                skip(1)
                continue
            }
            guard bufferedCount >= header.frameLength else { return nil }
            let pdu = pending[(head + MBAPFrame.headerLength)..<(head + header.frameLength)]
            if header.transaction != transaction {
                lastRejection = .mismatch(.mbapTransactionMismatch(expected: transaction, received: header.transaction))
                skip(header.frameLength)
                continue
            }
            guard acceptedAddresses.contains(header.unit) else {
                lastRejection = .mismatch(.unexpectedSlave(expected: acceptedAddresses[0], received: header.unit))
                skip(header.frameLength)
                continue
            }
            do {
                let response = try ModbusResponse.decode(pdu, answering: request)
                head += header.frameLength
                return response
            } catch {
                lastRejection = .mismatch(error)
                skip(header.frameLength)
            }
        }
        return nil
    }
}
