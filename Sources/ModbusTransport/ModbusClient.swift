import CoreMetrics
import GenmonBasics
import ModbusCore
import Synchronization

/// How a transaction failed, in terms a person can act on.
public enum ModbusClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing came back before the deadline.
    case timeout(after: Duration)
    /// A response started but stopped before its announced length.
    case truncatedFrame(received: Int)
    /// A response arrived but its CRC was wrong (noise on the line, wrong baud rate or parity).
    case crcError(ModbusError)
    /// The controller refused the request.
    case exception(ExceptionCode)
    /// A CRC-valid response that does not answer the request.
    case invalidResponse(ModbusError)
    /// The request itself cannot be encoded (a count out of range).
    case invalidRequest(ModbusError)
    /// The link is down or failed.
    case transport(TransportError)

    public var description: String {
        switch self {
        case let .timeout(after): "no response within \(after.milliseconds) ms (check wiring, baud rate and slave address)"
        case let .truncatedFrame(received): "response stopped after \(received) bytes"
        case let .crcError(error): "corrupted response: \(error)"
        case let .exception(code): "controller refused the request: \(code)"
        case let .invalidResponse(error): "response does not answer the request: \(error)"
        case let .invalidRequest(error): "request cannot be sent: \(error)"
        case let .transport(error): error.description
        }
    }
}

/// Settings of a Modbus client. The defaults suit a Generac controller at 9600 baud.
public struct ModbusClientConfiguration: Sendable, Equatable {
    public enum Framing: Sendable, Equatable {
        /// Modbus RTU: address, PDU, CRC. Used on serial lines and through transparent serial bridges.
        case rtu
        /// Modbus TCP: MBAP header and PDU, no CRC.
        case tcp
    }

    public var framing: Framing
    public var slaveAddress: UInt8
    /// A second address accepted in responses (pre-Nexus controllers answer from 0x41).
    public var alternateResponseAddress: UInt8?
    /// Time allowed for the controller to start answering, on top of the bytes' time on the wire.
    /// Real controllers answer in about 30 ms and have been seen to take 950 ms.
    public var responseAllowance: Duration
    /// Line silence that ends a partly received frame early (it will not be completed).
    public var quietGap: Duration
    /// The serial line settings, for computing wire time (nil on TCP).
    public var serial: SerialSettings?
    /// Optional pause after every transaction (upstream's `modbus_between_frame_delay`).
    public var pauseBetweenTransactions: Duration
    /// Send reads as function 0x04 instead of 0x03.
    public var readsUseInputRegisters: Bool
    /// When to precede requests with the Evolution 2.0 unlock (armed only by Acknowledge exceptions).
    public var evolution2Unlock: Evolution2Unlock.Policy

    public init(
        framing: Framing = .rtu, slaveAddress: UInt8 = 0x9D, alternateResponseAddress: UInt8? = nil,
        responseAllowance: Duration? = nil, quietGap: Duration? = nil, serial: SerialSettings? = SerialSettings(),
        pauseBetweenTransactions: Duration = .zero, readsUseInputRegisters: Bool = false,
        evolution2Unlock: Evolution2Unlock.Policy = Evolution2Unlock.Policy()
    ) {
        self.evolution2Unlock = evolution2Unlock
        self.framing = framing
        self.slaveAddress = slaveAddress
        self.alternateResponseAddress = alternateResponseAddress
        self.serial = serial
        self.responseAllowance = responseAllowance ?? (serial == nil ? .milliseconds(3000) : .milliseconds(1250))
        self.quietGap = quietGap ?? (serial == nil ? .milliseconds(500) : .milliseconds(100))
        self.pauseBetweenTransactions = pauseBetweenTransactions
        self.readsUseInputRegisters = readsUseInputRegisters
    }

    /// The deadline for one transaction: both frames' time on the wire plus the controller allowance.
    /// At 9600 baud a one-register read gets about 1.27 s (upstream waits 3.02 s).
    public func timeout(requestBytes: Int, responseBytes: Int) -> Duration {
        let wire = serial.map { $0.wireTime(bytes: requestBytes + responseBytes) } ?? .zero
        return wire + responseAllowance
    }
}

/// A Modbus master that runs one transaction at a time over a `ByteStream`.
///
/// The client holds genmon's one wire lock: transactions queue in order, urgent ones (commands
/// and their read-backs) ahead of routine polls, and a batch of writes holds the wire from the
/// first to the last so no poll lands between them. It frames each response by the length the request implies, skips bytes that cannot start a
/// response (counting them), ends a transaction early when a partial frame goes quiet, and never
/// retries: callers decide, because a blind retry of a write could start an engine twice.
public actor ModbusClient {
    nonisolated public let stream: any ByteStream
    nonisolated public let configuration: ModbusClientConfiguration
    /// Deadlines, pauses and the unlock interval follow this clock.
    public nonisolated let clock: any GenmonClock
    private var statisticsStore: ModbusStatistics
    /// A copy of the counters readable without waiting for the actor (status pages read it often).
    private nonisolated let published = Mutex(ModbusStatistics(since: .now))
    private var transactionID: UInt16 = 0
    private var wire = WireLock()
    /// Set after a failure: before the next request, wait for the line to go quiet so a late answer
    /// to the failed request cannot be taken for the answer to the next one.
    private var settleBeforeNextRequest = false
    /// Acknowledge (05) exceptions seen, and the state of the Evolution 2.0 unlock.
    private var acknowledgeExceptions = 0
    private var unlockedAtCount: Int?
    private var lastUnlock: ContinuousClock.Instant?

    /// Each answered transaction's time, for a metrics backend (nil: none).
    private let transactionTimer: CoreMetrics.Timer?

    /// `metrics` gets the time of every answered transaction as the timer `genmon_modbus_transaction_duration_seconds`.
    public init(stream: any ByteStream, configuration: ModbusClientConfiguration = ModbusClientConfiguration(),
                clock: any GenmonClock = SystemClock(), metrics: (any MetricsFactory)? = nil) {
        transactionTimer = metrics.map { CoreMetrics.Timer(label: "genmon_modbus_transaction_duration_seconds", factory: $0) }
        self.stream = stream
        self.configuration = configuration
        self.clock = clock
        self.statisticsStore = ModbusStatistics(since: clock.now)
    }

    /// Whole nanoseconds of a (short, non-negative) duration, for the transaction timer.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, seconds < 1_000_000 else { return seconds < 0 ? 0 : Int64.max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The counters, with comm restarts taken from the stream.
    public var statistics: ModbusStatistics {
        var snapshot = statisticsStore
        snapshot.commRestarts = stream.restarts
        return snapshot
    }

    /// Copied out once per transaction (not on every counter change) for `currentStatistics`.
    private func publishStatistics() { published.withLock { $0 = statisticsStore } }

    /// The counters as of the last finished transaction, without an actor hop.
    public nonisolated var currentStatistics: ModbusStatistics {
        var snapshot = published.withLock { $0 }
        snapshot.commRestarts = stream.restarts
        return snapshot
    }

    // MARK: - Requests

    /// Reads registers; `urgent` reads (a command's read-back) go ahead of routine polls.
    public func readHoldingRegisters(address: UInt16, count: UInt16, urgent: Bool = false) async throws(ModbusClientError) -> [UInt16] {
        let request: ModbusRequest = configuration.readsUseInputRegisters
            ? .readInputRegisters(address: address, count: count)
            : .readHoldingRegisters(address: address, count: count)
        guard case let .registers(words) = try await perform(request, urgent: urgent) else { throw .invalidResponse(.unsupportedFunction(0)) }
        return words
    }

    public func writeRegisters(address: UInt16, values: [UInt16]) async throws(ModbusClientError) {
        _ = try await perform(.writeMultipleRegisters(address: address, values: values), urgent: true)
    }

    /// Writes each block in order in one hold of the wire, ahead of routine polls, and stops at the
    /// first failure (nothing is retried: a blind retry of a write could start an engine twice).
    public func writeRegisters(_ blocks: [(address: UInt16, values: [UInt16])]) async throws(ModbusClientError) {
        await acquire(urgent: true)
        defer { release() }
        for block in blocks {
            _ = try await performHoldingWire(.writeMultipleRegisters(address: block.address, values: block.values))
        }
    }

    public func writeSingleRegister(address: UInt16, value: UInt16) async throws(ModbusClientError) {
        _ = try await perform(.writeSingleRegister(address: address, value: value))
    }

    public func readFileRecord(file: UInt16, record: UInt16, count: UInt16) async throws(ModbusClientError) -> [UInt16] {
        guard case let .fileRecord(words) = try await perform(.readFileRecord(file: file, record: record, count: count)) else {
            throw .invalidResponse(.unsupportedFunction(0))
        }
        return words
    }

    /// Runs one transaction. Exception responses are thrown as `.exception`.
    public func perform(_ request: ModbusRequest, urgent: Bool = false) async throws(ModbusClientError) -> ModbusResponse {
        await acquire(urgent: urgent)
        defer { release() }
        return try await performHoldingWire(request)
    }

    private func performHoldingWire(_ request: ModbusRequest) async throws(ModbusClientError) -> ModbusResponse {
        if unlockDue { await unlock(before: request) }
        let response = try await transact(request)
        if configuration.pauseBetweenTransactions > .zero {
            try? await clock.sleep(for: configuration.pauseBetweenTransactions)
        }
        if case let .exception(_, code) = response {
            if code == .acknowledge { acknowledgeExceptions += 1 }
            throw .exception(code)
        }
        return response
    }

    /// Whether the Evolution 2.0 unlock must precede the next request: armed by Acknowledge exceptions,
    /// repeated after new ones and at least every `interval`.
    private var unlockDue: Bool {
        let policy = configuration.evolution2Unlock
        guard !policy.bypass, configuration.framing == .rtu, acknowledgeExceptions > policy.maximumAcknowledgeExceptions else { return false }
        guard let unlockedAtCount, let lastUnlock else { return true }
        return unlockedAtCount != acknowledgeExceptions || lastUnlock.duration(to: clock.now) > policy.interval
    }

    /// Sends the three unlock writes. Their answers are not decoded (controllers answer them in more than
    /// one way): any CRC-valid frame, or silence, and the real request follows.
    private func unlock(before request: ModbusRequest) async {
        unlockedAtCount = acknowledgeExceptions
        lastUnlock = clock.now
        guard let frames = try? Evolution2Unlock.frames(for: request, slave: configuration.slaveAddress) else { return }
        for frame in frames {
            _ = try? await transact(frame, acceptAnyValidFrame: true)
        }
    }

    /// The unlock statistics, for status pages.
    public var evolution2UnlockArmed: Bool {
        acknowledgeExceptions > configuration.evolution2Unlock.maximumAcknowledgeExceptions && !configuration.evolution2Unlock.bypass
    }

    // MARK: - One transaction

    private func transact(_ request: ModbusRequest, acceptAnyValidFrame: Bool = false) async throws(ModbusClientError) -> ModbusResponse {
        let frame: [UInt8]
        do {
            switch configuration.framing {
            case .rtu: frame = try RTUFrame.encode(request, slave: configuration.slaveAddress)
            case .tcp:
                transactionID &+= 1
                frame = try MBAPFrame.encode(request, transaction: transactionID, unit: configuration.slaveAddress)
            }
        } catch {
            throw .invalidRequest(error)
        }

        if settleBeforeNextRequest {
            await settle()
            settleBeforeNextRequest = false
        }
        let stale = stream.discardInput()
        if stale > 0 {
            statisticsStore.unexpectedData += 1
            statisticsStore.discardedBytes += stale
        }

        do {
            try await stream.write(frame)
        } catch {
            statisticsStore.notConnected += 1
            throw .transport(error)
        }
        statisticsStore.requestsSent += 1
        let sentAt = clock.now
        let timeout = configuration.timeout(requestBytes: frame.count, responseBytes: expectedResponseLength(request))
        let framing: ResponseAssembler.Framing = configuration.framing == .rtu ? .rtu : .tcp(transaction: transactionID)
        var assembler = ResponseAssembler(
            request: request, framing: framing, slave: configuration.slaveAddress, alternateAddress: configuration.alternateResponseAddress
        )

        if acceptAnyValidFrame {
            return try await receiveAnyFrame(deadline: sentAt + timeout, timeout: timeout, sentAt: sentAt, request: request)
        }
        do {
            let response = try await receive(into: &assembler, deadline: sentAt + timeout, timeout: timeout)
            statisticsStore.discardedBytes += assembler.discardedBytes
            statisticsStore.responsesReceived += 1
            let elapsed = sentAt.duration(to: clock.now)
            statisticsStore.totalResponseTime += elapsed
            transactionTimer?.recordNanoseconds(Self.nanoseconds(elapsed))
            if case let .exception(_, code) = response {
                statisticsStore.exceptions += 1
                statisticsStore.exceptionsByCode[code.rawValue, default: 0] += 1
            } else {
                statisticsStore.successes += 1
            }
            return response
        } catch {
            statisticsStore.discardedBytes += assembler.discardedBytes + assembler.bufferedCount
            record(error)
            settleBeforeNextRequest = true
            throw error
        }
    }

    /// Reads until the assembler has a response, or the deadline passes, or a partial or rejected
    /// frame is followed by a quiet gap (nothing more is coming, so there is no point waiting longer).
    private func receive(
        into assembler: inout ResponseAssembler, deadline: ContinuousClock.Instant, timeout: Duration
    ) async throws(ModbusClientError) -> ModbusResponse {
        var lastByteAt = clock.now
        while true {
            let expectingMore = assembler.bufferedCount > 0 || assembler.lastRejection != nil
            let waitUntil = expectingMore ? min(deadline, lastByteAt + configuration.quietGap) : deadline
            let bytes: [UInt8]
            do {
                bytes = try await stream.read(until: waitUntil)
            } catch {
                throw .transport(error)
            }
            if bytes.isEmpty {
                guard expectingMore || clock.now >= deadline else { continue }
                switch assembler.lastRejection {
                case let .badCRC(cause)?: throw .crcError(cause)
                case let .mismatch(cause)?: throw .invalidResponse(cause)
                case nil:
                    if assembler.bufferedCount > 0 { throw .truncatedFrame(received: assembler.bufferedCount) }
                    throw .timeout(after: timeout)
                }
            }
            lastByteAt = clock.now
            if let response = assembler.append(bytes) { return response }
        }
    }

    /// For frames whose answer is not decoded: waits for any CRC-valid frame from the slave, or silence.
    private func receiveAnyFrame(deadline: ContinuousClock.Instant, timeout: Duration, sentAt: ContinuousClock.Instant,
                                 request: ModbusRequest) async throws(ModbusClientError) -> ModbusResponse {
        var buffer: [UInt8] = []
        while true {
            let waitUntil = buffer.isEmpty ? deadline : min(deadline, clock.now + configuration.quietGap)
            let bytes: [UInt8]
            do { bytes = try await stream.read(until: waitUntil) } catch { throw .transport(error) }
            buffer += bytes
            for start in buffer.indices where buffer[start] == configuration.slaveAddress {
                for end in (start + 5)...max(start + 5, buffer.count) where end <= buffer.count {
                    if (try? RTUFrame.decode(buffer[start..<end])) != nil {
                        statisticsStore.responsesReceived += 1
                        statisticsStore.successes += 1
                        let elapsed = sentAt.duration(to: clock.now)
                        statisticsStore.totalResponseTime += elapsed
                        transactionTimer?.recordNanoseconds(Self.nanoseconds(elapsed))
                        statisticsStore.discardedBytes += buffer.count - (end - start)
                        return .success(for: request)
                    }
                }
            }
            if bytes.isEmpty {
                statisticsStore.discardedBytes += buffer.count
                statisticsStore.timeouts += 1
                settleBeforeNextRequest = true
                throw .timeout(after: timeout)
            }
        }
    }

    private func record(_ error: ModbusClientError) {
        switch error {
        case .timeout: statisticsStore.timeouts += 1
        case .truncatedFrame: statisticsStore.truncatedFrames += 1
        case .crcError: statisticsStore.crcErrors += 1
        case let .invalidResponse(cause):
            statisticsStore.validationErrors += 1
            statisticsStore.responsesReceived += 1
            if case .byteCountMismatch = cause { statisticsStore.syncErrors += 1 }
        case .transport: statisticsStore.notConnected += 1
        case .exception, .invalidRequest: break
        }
    }

    /// Drains the line until it stays quiet for one quiet gap, counting what arrives as discarded.
    private func settle() async {
        while let bytes = try? await stream.read(until: clock.now + configuration.quietGap), !bytes.isEmpty {
            statisticsStore.unexpectedData += 1
            statisticsStore.discardedBytes += bytes.count
        }
    }

    private func expectedResponseLength(_ request: ModbusRequest) -> Int {
        switch request {
        case let .readHoldingRegisters(_, count), let .readInputRegisters(_, count): 5 + 2 * Int(count)
        case .writeSingleRegister, .writeMultipleRegisters: 8
        case let .readFileRecord(_, _, count): 7 + 2 * Int(count)
        }
    }

    private func acquire(urgent: Bool) async {
        guard !wire.tryAcquire() else { return }
        await withCheckedContinuation { wire.enqueue($0, urgent: urgent) }
    }

    private func release() {
        publishStatistics()
        wire.release()
    }
}

/// The wire: one holder at a time, waiters served in order with an urgent lane first.
struct WireLock {
    private var busy = false
    private var urgent: [CheckedContinuation<Void, Never>] = []
    private var routine: [CheckedContinuation<Void, Never>] = []

    /// Takes the wire when it is free.
    mutating func tryAcquire() -> Bool {
        guard !busy else { return false }
        busy = true
        return true
    }

    mutating func enqueue(_ waiter: CheckedContinuation<Void, Never>, urgent isUrgent: Bool) {
        if isUrgent { urgent.append(waiter) } else { routine.append(waiter) }
    }

    /// Hands the wire to the next waiter, or frees it.
    mutating func release() {
        if !urgent.isEmpty {
            urgent.removeFirst().resume()
        } else if !routine.isEmpty {
            routine.removeFirst().resume()
        } else {
            busy = false
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
