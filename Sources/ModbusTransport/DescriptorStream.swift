#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// How a `DescriptorStream` obtains (and re-obtains) its descriptor.
public struct DescriptorSource: Sendable {
    /// What is being opened, for messages.
    public var description: String
    public var kind: TransportKind
    /// Opens the descriptor in non-blocking mode. It may block the stream's own thread (a TCP connect)
    /// but must give up when `cancelFD` becomes readable.
    public var open: @Sendable (_ cancelFD: Int32) throws(TransportError) -> Int32
    /// Undoes what `open` set up (exclusive mode, locks) just before the descriptor is closed.
    public var willClose: (@Sendable (Int32) -> Void)?
    /// Whether to keep trying to reopen after the descriptor fails (TCP peers, USB adapters).
    public var reconnects: Bool
    /// The longest pause between reconnect attempts; attempts start fast and back off to this.
    public var maximumReconnectDelay: Duration

    public init(
        description: String, kind: TransportKind, reconnects: Bool, maximumReconnectDelay: Duration = .seconds(10),
        open: @escaping @Sendable (_ cancelFD: Int32) throws(TransportError) -> Int32,
        willClose: (@Sendable (Int32) -> Void)? = nil
    ) {
        self.description = description
        self.kind = kind
        self.open = open
        self.willClose = willClose
        self.reconnects = reconnects
        self.maximumReconnectDelay = maximumReconnectDelay
    }
}

/// A byte stream over a file descriptor (serial port, pseudo-terminal, TCP socket).
///
/// One dedicated thread blocks in poll() on the descriptor and a wake pipe. It appends arriving
/// bytes to a buffer and resumes the single waiting reader, or resumes it empty when its deadline
/// passes: no polling sleeps, and no blocking calls on Swift's cooperative threads. When the
/// descriptor fails the thread reopens it (if the source allows), counting each restart.
///
/// The thread is also a `TaskExecutor`: a task that prefers it (the monitor's poll loop) runs its
/// code between polls, so a transaction's answer is handled on the thread that read it, without
/// waking a second thread for every transaction (see docs/wire.md, "One thread for the wire").
public final class DescriptorStream: ByteStream, @unchecked Sendable {
    public let source: DescriptorSource
    public var endpointDescription: String { source.description }
    public var kind: TransportKind { source.kind }

    private protocol NumberedWait { var id: UInt64 { get } }

    private struct Waiter: NumberedWait {
        let id: UInt64
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<[UInt8], any Error>
    }

    private struct Sleeper: NumberedWait {
        let id: UInt64
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<PauseEnd, Never>
    }

    /// How a pause registered with the thread ended.
    private enum PauseEnd {
        /// Its deadline came, or the task was cancelled, or the stream closed.
        case over
        /// Another pause already held the thread's one slot: the caller times this one itself.
        case slotTaken
    }

    private struct State {
        var fd: Int32 = -1
        var buffer: [UInt8] = []
        var waiter: Waiter?
        /// A pause of work running on this thread (the poll loop between cycles).
        var sleeper: Sleeper?
        var nextWaiterID: UInt64 = 0
        var closed = false
        var openings = 0
        var lastFailure: TransportError?
        /// Work of tasks that prefer this thread, run between polls.
        var jobs: [UnownedJob] = []
        /// The thread has ended: jobs go to the global executor instead.
        var executorStopped = false

        /// Takes the read or pause in `slot` if it is still the one numbered `id`: a cancellation
        /// that arrives after its read ended must leave a newer one alone.
        mutating func take<Pending: NumberedWait>(_ slot: WritableKeyPath<State, Pending?>, ifStill id: UInt64) -> Pending? {
            guard let pending = self[keyPath: slot], pending.id == id else { return nil }
            self[keyPath: slot] = nil
            return pending
        }
    }

    private let state = Mutex(State())
    private let wake: (read: Int32, write: Int32)
    /// The I/O thread's pthread identity (0 until it runs): work it gives itself needs no wake-up.
    private let ioThread = Atomic<UInt>(0)
    /// How often another thread had to wake the I/O thread (for tests: a transaction run on the
    /// thread itself needs none).
    let wakeUps = Atomic<Int>(0)
    /// Signalled by the thread when it first succeeds or gives up opening, for `waitUntilOpen`.
    private let firstOpen = DispatchSemaphore(value: 0)

    /// Starts the stream's thread, which opens the descriptor.
    /// - Parameter waitForFirstOpen: throw at once if the first open fails (a missing device),
    ///   instead of retrying in the background.
    public init(source: DescriptorSource, failFastOnFirstOpen: Bool = true) throws(TransportError) {
        self.source = source
        self.wake = try POSIX.wakePipe()
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "genmon-io \(source.description)"
        thread.stackSize = 256 * 1024
        thread.start()
        firstOpen.wait()
        if failFastOnFirstOpen, let failure = state.withLock({ $0.fd < 0 ? $0.lastFailure : nil }) {
            close()
            throw failure
        }
    }

    deinit {
        Glibc.close(wake.read)
        Glibc.close(wake.write)
    }

    public var restarts: Int { state.withLock { max(0, $0.openings - 1) } }

    public func write(_ bytes: [UInt8]) async throws(TransportError) {
        try state.withLock { state throws(TransportError) in
            guard !state.closed else { throw .closed }
            guard state.fd >= 0 else {
                throw .notConnected(endpoint: source.description, reason: state.lastFailure?.description ?? "connecting")
            }
            try Self.writeAll(bytes, to: state.fd, endpoint: source.description, isSocket: source.kind == .tcp)
        }
    }

    public func read(until deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                    let immediate: Result<[UInt8], TransportError>? = state.withLock { state in
                        if state.closed { return .failure(.closed) }
                        if state.waiter != nil { return .failure(.readAlreadyPending) }
                        if Task.isCancelled { return .failure(.cancelled) }
                        if !state.buffer.isEmpty {
                            defer { state.buffer.removeAll(keepingCapacity: true) }
                            return .success(state.buffer)
                        }
                        if deadline <= .now { return .success([]) }
                        state.waiter = Waiter(id: id, deadline: deadline, continuation: continuation)
                        return nil
                    }
                    if let immediate {
                        continuation.resume(with: immediate)
                    } else if !onIOThread {
                        // The thread must re-read its deadline; on the thread itself the loop does so anyway.
                        poke()
                    }
                }
            } onCancel: {
                state.withLock { $0.take(\.waiter, ifStill: id) }?.continuation.resume(throwing: TransportError.cancelled)
            }
        } catch let error as TransportError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    public func discardInput() -> Int {
        state.withLock { state in
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return state.buffer.count
        }
    }

    public func close() {
        let (waiter, sleeper) = state.withLock { state -> (Waiter?, Sleeper?) in
            state.closed = true
            defer { state.waiter = nil; state.sleeper = nil }
            return (state.waiter, state.sleeper)
        }
        waiter?.continuation.resume(throwing: TransportError.closed)
        sleeper?.continuation.resume(returning: .over)
        poke()
    }

    /// Suspends until `deadline`, timed by this stream's own thread: for work that runs on the thread
    /// (the poll loop between cycles), a pause that involves no timer thread and no wake-up from
    /// outside. Returns early when the task is cancelled or the stream closes; only one pause at a
    /// time (a second one is timed by the task clock instead).
    public func pause(until deadline: ContinuousClock.Instant) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let end = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PauseEnd, Never>) in
                let refusal = state.withLock { state -> PauseEnd? in
                    if state.closed || Task.isCancelled || deadline <= .now { return .over }
                    if state.sleeper != nil { return .slotTaken }
                    state.sleeper = Sleeper(id: id, deadline: deadline, continuation: continuation)
                    return nil
                }
                if let refusal {
                    continuation.resume(returning: refusal)
                } else if !onIOThread {
                    poke()
                }
            }
        } onCancel: {
            state.withLock { $0.take(\.sleeper, ifStill: id) }?.continuation.resume(returning: .over)
        }
        if end == .slotTaken { try? await Task.sleep(until: deadline, clock: .continuous) }
    }

    var onIOThread: Bool { ioThread.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Wakes the I/O thread so it re-reads the state (new waiter, close).
    private func poke() {
        wakeUps.add(1, ordering: .relaxed)
        var byte: UInt8 = 1
        _ = Glibc.write(wake.write, &byte, 1)
    }

    // MARK: - The I/O thread

    private func runLoop() {
        var reconnectDelay = Duration.milliseconds(250)
        var nextAttempt: ContinuousClock.Instant? = .now
        var signalledFirstOpen = false
        var readBuffer = [UInt8](repeating: 0, count: 4096)
        var jobBatch: [UnownedJob] = []
        ioThread.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .relaxed)

        while true {
            runPendingJobs(&jobBatch)
            let (closed, fd) = state.withLock { ($0.closed, $0.fd) }
            if closed { break }
            if fd < 0, nextAttempt == nil {
                // The connection was just lost: try again soon, backing off while it keeps failing.
                nextAttempt = .now + reconnectDelay
                reconnectDelay = min(reconnectDelay * 2, source.maximumReconnectDelay)
            }

            if fd < 0, let attempt = nextAttempt, attempt <= .now {
                do {
                    let opened = try source.open(wake.read)
                    state.withLock { state in
                        state.fd = opened
                        state.openings += 1
                        state.lastFailure = nil
                    }
                    nextAttempt = nil
                } catch {
                    let waiter = state.withLock { state -> Waiter? in
                        state.lastFailure = error
                        if !source.reconnects { state.closed = true }
                        defer { state.waiter = nil }
                        return state.waiter
                    }
                    waiter?.continuation.resume(throwing: TransportError.notConnected(endpoint: source.description, reason: error.description))
                    nextAttempt = source.reconnects ? .now + reconnectDelay : nil
                    reconnectDelay = min(reconnectDelay * 2, source.maximumReconnectDelay)
                }
                if !signalledFirstOpen {
                    signalledFirstOpen = true
                    firstOpen.signal()
                }
                continue
            }

            let (deadline, pauseEnd) = state.withLock { ($0.waiter?.deadline, $0.sleeper?.deadline) }
            let wakeAt = [deadline, pauseEnd, fd < 0 ? nextAttempt : nil].compactMap { $0 }.min()
            var entries = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            if fd >= 0 { entries.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&entries, nfds_t(entries.count), POSIX.pollTimeout(until: wakeAt))
            if ready < 0, errno != EINTR {
                // Nothing sensible to do but avoid spinning; this cannot happen with valid descriptors.
                usleep(10_000)
            }
            if entries[0].revents != 0 { drainWakePipe() }
            if fd >= 0, entries.count > 1, entries[1].revents != 0,
               readAvailable(from: fd, into: &readBuffer) {
                // Data flowed, so the link is healthy: a later loss may reconnect quickly again.
                reconnectDelay = .milliseconds(250)
            }
            deliver()
        }

        let (fd, waiter, sleeper) = state.withLock { state -> (Int32, Waiter?, Sleeper?) in
            defer { state.fd = -1; state.waiter = nil; state.sleeper = nil }
            return (state.fd, state.waiter, state.sleeper)
        }
        if fd >= 0 { closeDescriptor(fd) }
        waiter?.continuation.resume(throwing: TransportError.closed)
        sleeper?.continuation.resume(returning: .over)
        if !signalledFirstOpen { firstOpen.signal() }
        // From now on work for this thread runs on the global executor; what is queued goes there too.
        let leftovers = state.withLock { state -> [UnownedJob] in
            state.executorStopped = true
            defer { state.jobs.removeAll() }
            return state.jobs
        }
        for job in leftovers { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    /// Runs the work queued for this thread, including what that work queues in turn.
    private func runPendingJobs(_ batch: inout [UnownedJob]) {
        while true {
            state.withLock { swap(&batch, &$0.jobs) }
            if batch.isEmpty { return }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Reads until the descriptor would block; on end-of-file or error drops the connection.
    /// Returns whether any byte arrived.
    private func readAvailable(from fd: Int32, into readBuffer: inout [UInt8]) -> Bool {
        var received = false
        while true {
            let count = readBuffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                received = true
                state.withLock { $0.buffer.append(contentsOf: readBuffer[0..<count]) }
                if count < readBuffer.count { return received }
                continue
            }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return received }
            if count < 0, errno == EINTR { continue }
            let reason = count == 0 ? "the other end closed the connection" : POSIX.errorText()
            dropConnection(fd, reason: reason)
            return received
        }
    }

    private func dropConnection(_ fd: Int32, reason: String) {
        let waiter = state.withLock { state -> Waiter? in
            state.fd = -1
            state.lastFailure = .notConnected(endpoint: source.description, reason: reason)
            if !source.reconnects { state.closed = true }
            defer { state.waiter = nil }
            return state.waiter
        }
        closeDescriptor(fd)
        waiter?.continuation.resume(throwing: TransportError.notConnected(endpoint: source.description, reason: reason))
    }

    private func closeDescriptor(_ fd: Int32) {
        source.willClose?(fd)
        Glibc.close(fd)
    }

    /// Hands buffered bytes to the waiting reader, or an empty result once its deadline passed; ends
    /// a pause whose time has come.
    private func deliver() {
        let sleeper = state.withLock { state -> Sleeper? in
            guard let sleeper = state.sleeper, sleeper.deadline <= .now else { return nil }
            state.sleeper = nil
            return sleeper
        }
        sleeper?.continuation.resume(returning: .over)
        let resumption = state.withLock { state -> (Waiter, [UInt8])? in
            guard let waiter = state.waiter else { return nil }
            if !state.buffer.isEmpty {
                defer { state.buffer.removeAll(keepingCapacity: true); state.waiter = nil }
                return (waiter, state.buffer)
            }
            if waiter.deadline <= .now {
                state.waiter = nil
                return (waiter, [])
            }
            return nil
        }
        if let (waiter, bytes) = resumption { waiter.continuation.resume(returning: bytes) }
    }

    private func drainWakePipe() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ Glibc.read(wake.read, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Writes every byte, waiting (bounded) for room when the descriptor's buffer is full.
    /// A socket is written with MSG_NOSIGNAL: a bridge that went away gives an error to handle
    /// (and a reconnect), not a SIGPIPE that would end genmon.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, endpoint: String, isSocket: Bool = false,
                         timeoutMilliseconds: Int32 = 2000) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                isSocket ? Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    : Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                let events = POSIX.wait(for: fd, events: Int16(POLLOUT), timeoutMilliseconds: timeoutMilliseconds)
                if events & Int16(POLLOUT) == 0 { throw .writeTimedOut(endpoint: endpoint) }
            } else if written < 0, errno == EINTR {
                continue
            } else {
                throw .writeFailed(endpoint: endpoint, reason: POSIX.errorText())
            }
        }
    }
}

extension DescriptorStream: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let queued = state.withLock { state -> Bool in
            guard !state.executorStopped else { return false }
            state.jobs.append(job)
            return true
        }
        guard queued else {
            // The link has closed and its thread ended: run the work elsewhere rather than never.
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
            return
        }
        if !onIOThread { poke() }
    }
}
