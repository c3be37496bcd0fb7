import ModbusCore

/// What a slave device does with a request. Return nil to stay silent (as a real controller does
/// when it is busy or unplugged).
public protocol ModbusSlave: Sendable {
    func respond(to request: ModbusRequest) async -> ModbusResponse?
}

/// One reply as it goes on the wire: each chunk is written after its delay. An empty plan is silence.
public struct ReplyPlan: Sendable, Equatable {
    public struct Chunk: Sendable, Equatable {
        public var delay: Duration
        public var bytes: [UInt8]
        public init(delay: Duration = .zero, bytes: [UInt8]) {
            self.delay = delay
            self.bytes = bytes
        }
    }

    public var chunks: [Chunk]
    public init(_ chunks: [Chunk]) { self.chunks = chunks }
    public static let silence = ReplyPlan([])
    public static func immediately(_ bytes: [UInt8]) -> ReplyPlan { ReplyPlan([Chunk(bytes: bytes)]) }
}

/// Turns an encoded reply into what actually goes on the wire: pacing at the baud rate, and faults.
public protocol ReplyShaper: Sendable {
    func shape(reply: [UInt8], to request: ModbusRequest) async -> ReplyPlan
}

/// Counters of a server, for tests and the simulator's status.
public struct ModbusServerStatistics: Sendable, Equatable {
    public var requests = 0
    public var replies = 0
    public var silentRequests = 0
    public var badCRCFrames = 0
    public var foreignFrames = 0
    public var noiseBytes = 0
    public var exceptionsSent = 0
}

/// The slave side of a Modbus link: cuts requests out of a stream, asks a `ModbusSlave`, answers.
///
/// It ignores frames with a bad CRC or another address (as a controller does), resynchronises past
/// noise, and answers malformed but CRC-valid requests with the Modbus exception a device would give.
public actor ModbusServer {
    public enum Framing: Sendable, Equatable {
        case rtu(address: UInt8)
        case tcp
    }

    nonisolated public let stream: any ByteStream
    nonisolated public let framing: Framing
    private let slave: any ModbusSlave
    private let shaper: (any ReplyShaper)?
    private let quietGap: Duration
    public private(set) var statistics = ModbusServerStatistics()
    private var buffer: [UInt8] = []

    public init(stream: any ByteStream, framing: Framing, slave: any ModbusSlave, shaper: (any ReplyShaper)? = nil, quietGap: Duration = .milliseconds(50)) {
        self.stream = stream
        self.framing = framing
        self.slave = slave
        self.shaper = shaper
        self.quietGap = quietGap
    }

    /// Serves until the stream closes or the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            let partial = !buffer.isEmpty
            let bytes: [UInt8]
            do {
                bytes = try await stream.read(until: .now + (partial ? quietGap : .seconds(3600)))
            } catch {
                return
            }
            if bytes.isEmpty {
                if partial { await lineWentQuiet() }
                continue
            }
            buffer.append(contentsOf: bytes)
            await processBuffer()
        }
    }

    private func processBuffer() async {
        switch framing {
        case let .rtu(address): await processRTU(address: address)
        case .tcp: await processMBAP()
        }
    }

    private func dropFront(_ count: Int, asNoise: Bool) {
        buffer.removeFirst(min(count, buffer.count))
        if asNoise { statistics.noiseBytes += count }
    }

    private func processRTU(address: UInt8) async {
        while !buffer.isEmpty {
            switch FrameScanner.rtuRequest(buffer) {
            case .incomplete:
                return
            case .invalid:
                // Not a request to us at this byte: noise before a request, skipped byte by byte.
                guard buffer[0] == address else {
                    dropFront(1, asNoise: true)
                    continue
                }
                // Our address with an unknown function: its length is unknown, so wait for silence (lineWentQuiet).
                return
            case let .complete(length):
                let frame = Array(buffer.prefix(length))
                guard let (unit, pdu) = try? RTUFrame.decode(frame) else {
                    statistics.badCRCFrames += 1
                    dropFront(1, asNoise: true)
                    continue
                }
                dropFront(length, asNoise: false)
                guard unit == address else {
                    statistics.foreignFrames += 1
                    continue
                }
                await answer(pdu: pdu) { (body: [UInt8]) throws(ModbusError) in try RTUFrame.encode(slave: address, pdu: body) }
            }
        }
    }

    private func processMBAP() async {
        while buffer.count >= MBAPFrame.headerLength {
            guard let header = try? MBAPFrame.header(buffer) else {
                dropFront(1, asNoise: true)
                continue
            }
            guard buffer.count >= header.frameLength else { return }
            let pdu = buffer[MBAPFrame.headerLength..<header.frameLength]
            dropFront(header.frameLength, asNoise: false)
            await answer(pdu: pdu) { (body: [UInt8]) throws(ModbusError) in try MBAPFrame.encode(transaction: header.transaction, unit: header.unit, pdu: body) }
        }
    }

    /// The line has been silent with bytes pending: an unknown function (answer "illegal function"
    /// if the frame is ours and intact), or noise that happened to start with our address, before
    /// a request (skip a byte and look again), or a fragment (drop it).
    private func lineWentQuiet() async {
        guard case let .rtu(address) = framing else {
            dropFront(buffer.count, asNoise: true)
            return
        }
        while !buffer.isEmpty {
            if buffer.count >= 4, let (unit, pdu) = try? RTUFrame.decode(buffer), unit == address, let function = pdu.first {
                buffer.removeAll()
                await answerIllegalFunction(function, address: address)
                return
            }
            dropFront(1, asNoise: true)
            await processRTU(address: address)
        }
    }

    private func answerIllegalFunction(_ function: UInt8, address: UInt8) async {
        statistics.requests += 1
        statistics.exceptionsSent += 1
        if let frame = try? RTUFrame.encode(slave: address, pdu: [function | FunctionCode.exceptionFlag, ExceptionCode.illegalFunction.rawValue]) {
            try? await stream.write(frame)
            statistics.replies += 1
        }
    }

    private func answer(pdu: ArraySlice<UInt8>, envelope: ([UInt8]) throws(ModbusError) -> [UInt8]) async {
        statistics.requests += 1
        let reply: [UInt8]
        let request: ModbusRequest
        do {
            request = try ModbusRequest.decode(pdu)
        } catch {
            // CRC-valid but malformed: the device answers "illegal data value" (or function).
            let code: ExceptionCode = if case .unsupportedFunction = error { .illegalFunction } else { .illegalDataValue }
            guard let function = pdu.first, let frame = try? envelope([function | FunctionCode.exceptionFlag, code.rawValue]) else { return }
            statistics.exceptionsSent += 1
            await send(.immediately(frame))
            return
        }
        guard let response = await slave.respond(to: request),
              let body = try? response.encode(for: request.functionCode),
              let frame = try? envelope(body) else {
            statistics.silentRequests += 1
            return
        }
        if case .exception = response { statistics.exceptionsSent += 1 }
        reply = frame
        let plan = await shaper?.shape(reply: reply, to: request) ?? .immediately(reply)
        await send(plan)
    }

    private func send(_ plan: ReplyPlan) async {
        if plan.chunks.isEmpty {
            statistics.silentRequests += 1
            return
        }
        for chunk in plan.chunks {
            if chunk.delay > .zero { try? await Task.sleep(for: chunk.delay) }
            if !chunk.bytes.isEmpty { try? await stream.write(chunk.bytes) }
        }
        statistics.replies += 1
    }
}
