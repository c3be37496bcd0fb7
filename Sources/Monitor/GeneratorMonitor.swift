import Foundation
import Generac
import GenmonBasics
import Logging
import ModbusCore
import ModbusTransport
import ServiceLifecycle
import Synchronization

/// Watches one controller: polls it, keeps the snapshot, raises events, runs commands.
///
/// All state lives in this actor; time comes from the injected clock, so tests drive it by hand.
/// The wire is the link's (one lock, commands ahead of polls). A long-running `Service`: on
/// graceful shutdown it stops polling, lets commands in flight finish and be audited, and writes
/// everything queued before `run` returns.
public actor GeneratorMonitor: GeneratorService, Service {
    public nonisolated let configuration: MonitorConfiguration
    nonisolated let link: any ControllerLink
    nonisolated let clock: any GenmonClock
    nonisolated let logger: Logger
    nonisolated let persistence: (any MonitorPersistence)?
    nonisolated let snapshotHub: SnapshotBroadcaster
    nonisolated let eventHub = EventBroadcaster()
    let startedAt: Date
    let startedInstant: ContinuousClock.Instant

    var image = RegisterImage()
    var identity: ControllerIdentity?
    /// This controller's logs, known once it is detected.
    var logRanges: [LogRange] = []
    var scheduler: PollScheduler?
    var statusTracker = StatusTracker()
    var readings: GeneratorReadings?
    var detector: EventDetector
    var outageTracker: OutageTracker
    var watchdog: CommunicationWatchdog
    var linkFailures = FailureLogThrottle()
    /// When the controller last answered: a fixed time, so snapshots that differ only in their
    /// age do not look changed.
    var lastAnswerAt: Date?
    var outageHistory: [OutageRecord] = []
    /// When the outage in progress was last written down (so that a restart continues it).
    var outageNotedAt: ContinuousClock.Instant?
    var registerReads: [RegisterRead] = []
    /// When each register (by the address its read starts at) was last read successfully.
    var readTimes: [RegisterAddress: Date] = [:]
    var changedReads = 0
    var unchangedReads = 0
    var initialized = false
    var firstCompleteStatusAfter: Duration?
    var logsCompleteAfter: Duration?
    var logWork: [LogRead] = []
    var logsLoaded = false
    var nextLogCheck: ContinuousClock.Instant
    /// When the reads that follow the status (alarm code, relays) were last made outside a change.
    var statusFollowersReadAt: ContinuousClock.Instant?
    var sampler: HistorySampler
    /// Power, fuel and add-on data (GeneratorMonitor+Data.swift).
    var data = MonitorDataState()
    nonisolated let dataLogs: any DataLogPersistence
    nonisolated let dataQueue = DataLogQueue()
    var needsPublish = true
    var lastPublish: ContinuousClock.Instant
    /// The last snapshot subscribers were woken for, and when: a snapshot that differs from it only in
    /// counters and read times goes to `snapshot()` readers at once and to subscribers at most every
    /// `quietRepublishInterval`.
    var lastTold: (snapshot: GeneratorSnapshot, at: ContinuousClock.Instant)?
    /// Set when shutdown begins: no new commands, and confirmations make their last read.
    var stopping = false
    /// Persistence writes happen in order, off the poll loop; nothing queued is dropped.
    nonisolated let persistenceQueue: AsyncStream<PersistenceJob>.Continuation
    nonisolated let persistenceStream: AsyncStream<PersistenceJob>
    /// Refusals counted per origin and command, stored once a window (see `RefusalLedger`).
    nonisolated let refusals = Mutex(RefusalLedger())
    var refusalsFlushedAt: ContinuousClock.Instant
    /// Confirmations of submitted commands, run in a task group `run` owns and waits for.
    nonisolated let confirmationQueue: AsyncStream<@Sendable () async -> Void>.Continuation
    nonisolated let confirmationStream: AsyncStream<@Sendable () async -> Void>
    /// Counts turns of the poll loop and finished transactions (see `pollLoopProgress`).
    nonisolated let progressCounter = Atomic<UInt64>(0)
    /// Set by `stallPollLoop()`: the loop stops turning (the watchdog's end-to-end test).
    nonisolated let pollLoopStalled = Atomic<Bool>(false)

    /// - Parameter dataLogs: where the power, fuel and sensor logs are kept; by default the
    ///   persistence, when it keeps them, else memory.
    public init(link: any ControllerLink, configuration: MonitorConfiguration = MonitorConfiguration(),
                persistence: (any MonitorPersistence)? = nil, dataLogs: (any DataLogPersistence)? = nil,
                clock: any GenmonClock = SystemClock(), logger: Logger = Logger(label: "genmon.monitor")) {
        self.link = link
        self.configuration = configuration
        self.persistence = persistence
        self.dataLogs = dataLogs ?? (persistence as? any DataLogPersistence) ?? InMemoryDataLogs()
        self.clock = clock
        var logger = logger
        logger[metadataKey: "link"] = "\(link.endpoint)"
        self.logger = logger
        let now = clock.date
        self.startedAt = now
        let instant = clock.now
        self.startedInstant = instant
        self.lastPublish = instant
        self.refusalsFlushedAt = instant
        self.nextLogCheck = instant + configuration.logCheckInterval
        self.detector = EventDetector(clockDriftThreshold: configuration.clockDriftThreshold, timeZone: configuration.timeZone)
        self.outageTracker = OutageTracker(noticeDelay: configuration.outageNoticeDelay)
        self.watchdog = CommunicationWatchdog(lossAfter: configuration.communicationLossAfter, now: instant)
        self.sampler = HistorySampler(interval: configuration.sampleInterval, flushInterval: configuration.sampleFlushInterval, now: instant)
        let initial = GeneratorSnapshot(
            communication: CommunicationStatus(statistics: link.communicationStatistics, transport: link.kind, endpoint: link.endpoint),
            monitor: MonitorStatus(siteName: configuration.siteName, version: MonitorStatus.currentVersion, startedAt: now),
            updatedAt: now)
        self.snapshotHub = SnapshotBroadcaster(initial: initial)
        (persistenceStream, persistenceQueue) = AsyncStream<PersistenceJob>.makeStream(bufferingPolicy: .unbounded)
        (confirmationStream, confirmationQueue) = AsyncStream<@Sendable () async -> Void>.makeStream(bufferingPolicy: .unbounded)
    }

    // MARK: - GeneratorService

    /// Read without entering the actor: a flood of status requests never queues behind polling.
    public nonisolated func snapshot() -> GeneratorSnapshot { snapshotHub.latest }
    public nonisolated func snapshots() -> AsyncStream<GeneratorSnapshot> { snapshotHub.subscribe() }
    public nonisolated func events() -> AsyncStream<MonitorEvent> { eventHub.subscribe() }

    /// Grows whenever the poll loop turns or a transaction ends, answered or not: a loop waiting on a
    /// silent controller still moves it; a hung loop does not. The service watchdog reads it.
    public nonisolated var pollLoopProgress: UInt64 { progressCounter.load(ordering: .relaxed) }

    /// Stops the poll loop from turning until shutdown, as a hang would (for the watchdog's tests only).
    public nonisolated func stallPollLoop() { pollLoopStalled.store(true, ordering: .relaxed) }

    func madeProgress() { progressCounter.add(1, ordering: .relaxed) }

    /// Waits out a stall asked for by `stallPollLoop()`; returns at once otherwise.
    func waitWhileStalled() async {
        while pollLoopStalled.load(ordering: .relaxed), !Task.isCancelled {
            try? await clock.sleep(for: .seconds(3600))
        }
    }

    public func readRegister(_ address: UInt16) async -> Result<UInt16, MonitorError> {
        do {
            let words = try await link.readRegisters(address: address, count: 1, urgent: true)
            return .success(words.first ?? 0)
        } catch {
            return .failure(.controllerError(error.description))
        }
    }

    // MARK: - Running

    /// Monitors until graceful shutdown or cancellation. Then: no new commands; confirmations in
    /// flight make their last read and are audited; the samples not yet due are queued; every
    /// queued record is written; subscribers' streams end. The writer runs in a task of its own so
    /// that cancelling the monitor does not cut the last writes.
    public func run() async {
        if let persistence {
            do { outageHistory = try await persistence.outages(limit: 100) } catch {
                logger.error("could not read the outage history: \(error)")
            }
            do {
                if let open = try await persistence.outageInProgress(), !configuration.outageCheckDisabled {
                    outageTracker.resume(open)
                    logger.notice("an outage was in progress when genmon stopped (since \(open.start), last seen \(open.lastSeen)); the first reading tells whether it goes on")
                }
            } catch {
                logger.error("could not read the outage in progress: \(error)")
            }
        }
        await loadDataLogs()
        publish()
        let dataWriter = Task { await self.dataQueue.drain(into: self.dataLogs, logger: self.logger) }
        // Both run apart from this task so that cancelling the monitor cuts neither a confirmation
        // short of its audit record nor the last writes; both are awaited below.
        let writer = Task { await self.drainPersistence() }
        let confirmer = Task {
            await withDiscardingTaskGroup { group in
                for await confirmation in self.confirmationStream { group.addTask { await confirmation() } }
            }
        }
        // On the link's own reading thread when it offers one: each answer is handled where it was
        // read, with no hand-off to another thread per transaction (the main cost on a Pi).
        await withTaskExecutorPreference(link.taskExecutor) {
            await cancelWhenGracefulShutdown { await self.pollLoop() }
        }
        beginStopping()
        // Confirmations still waiting for the controller make one last read and are audited as
        // unconfirmed ("genmon stopped before the controller showed the change").
        confirmer.cancel()
        await confirmer.value
        flushRefusals(all: true)
        if outageTracker.inOutage, outageTracker.resumedUnseenSince == nil, let start = outageTracker.start, watchdog.isReceiving {
            persistenceQueue.yield(.outageInProgress(OutageInProgress(start: start, lastSeen: clock.date)))
        }
        if !sampler.pending.isEmpty {
            persistenceQueue.yield(.samples(sampler.pending))
            sampler.pending.removeAll()
        }
        persistenceQueue.finish()
        finishDataLogs()
        await writer.value
        await dataWriter.value
        snapshotHub.finish()
        eventHub.finish()
        logger.debug("monitor stopped")
    }

    /// Shutdown has begun: refuse new commands and let the confirmations queue run dry.
    func beginStopping() {
        guard !stopping else { return }
        stopping = true
        confirmationQueue.finish()
    }

    func pollLoop() async {
        while !Task.isCancelled, identity == nil {
            await waitWhileStalled()
            madeProgress()
            let attemptStart = clock.now
            flushRefusalsWhenDue()
            await detect()
            // A read that fails at once (port not open yet, adapter unplugged) must not spin.
            if identity == nil { try? await clock.sleep(until: attemptStart + .seconds(1)) }
        }
        while !Task.isCancelled {
            await waitWhileStalled()
            madeProgress()
            let cycleStart = clock.now
            flushRefusalsWhenDue()
            // Until the first complete status nobody is told about changes, so spend the wire on
            // the full read and look at the hot registers only every two seconds.
            let interval = initialized ? currentHotInterval : max(configuration.hotInterval, .seconds(2))
            let wasInitialized = initialized
            await pollCycle(deadline: cycleStart + interval)
            updateDerivedState()
            // Once the status is complete, the first routine cycle follows at once.
            if initialized == wasInitialized, clock.now < cycleStart + interval {
                await idle(until: cycleStart + interval)
            }
        }
    }

    /// How often the state is read now: twice a second while the generator stands ready with the
    /// utility present and nothing waits; four times while anything goes on.
    var currentHotInterval: Duration {
        let standing = scheduler?.engineStopped == true && outageTracker.utilityPresent
            && readings?.status.alarm.isActive != true && scheduler?.hasUrgent != true
        return standing ? max(configuration.hotInterval, configuration.standingHotInterval) : configuration.hotInterval
    }

    /// Waits between cycles, as the link times it.
    func idle(until deadline: ContinuousClock.Instant) async {
        await link.pause(until: deadline, on: clock)
    }

    /// Looks for closed refusal windows once a second.
    func flushRefusalsWhenDue() {
        guard refusalsFlushedAt.duration(to: clock.now) >= .seconds(1) else { return }
        refusalsFlushedAt = clock.now
        flushRefusals()
    }

    /// Reads the product code until it answers, then sets up the scheduler for that controller.
    func detect() async {
        guard let words = await poll(RegisterRead(address: Register.productCode, words: 1)), let code = words.first else {
            updateDerivedState()
            return
        }
        let identity = ControllerIdentity.detect(productCode: code, settings: configuration.settings)
        self.identity = identity
        logger.info("detected \(identity.displayName) (product code \(Hex.word(code)))")
        scheduler = PollScheduler(identity: identity, configuration: configuration, now: clock.now)
        // The product code was just read: not again before the rest.
        scheduler?.completed(RegisterRead(address: Register.productCode, words: 1), outcome: .success, at: clock.now)
        logRanges = LogRange.ranges(for: identity)
        logWork = logRanges.map { LogRead(range: $0, mode: .full) }
    }

    /// One cycle: the hot registers, then as many due registers and log reads as fit before `deadline`.
    func pollCycle(deadline: ContinuousClock.Instant) async {
        guard let scheduler else { return }
        if !watchdog.isReceiving {
            // While the controller is silent, probe with one read instead of timing out on all of them.
            _ = await poll(scheduler.hot[0])
            return
        }
        let cycleStart = clock.now
        // The alarm code and the relays follow the status: read with it when it moves, else every
        // `statusFollowerInterval` (a change of state is still told with both, in the same cycle).
        let followersDue = !initialized || statusFollowersReadAt.map { $0 + configuration.statusFollowerInterval <= cycleStart } ?? true
        if followersDue { statusFollowersReadAt = cycleStart }
        let statusBefore = StatusPair(image: image)
        var statusMoved = false
        for (index, read) in scheduler.hot.enumerated() {
            if followersDue || statusMoved || !scheduler.followsStatus(read) {
                _ = await poll(read)
            }
            if index == 0 { statusMoved = StatusPair(image: image) != statusBefore }
            // The status comes first: a change of state is told at once, before the other reads.
            if index == scheduler.statusReadCount - 1, statusChanged(), initialized { updateDerivedState() }
        }
        // Utility, alarm code and relays too: tell the world now, not at the end of the cycle.
        if initialized { updateDerivedState() }
        let estimate = link.communicationStatistics.averageTransactionTime ?? .milliseconds(30)
        // A noisy line makes every hot read slow. The rest gets at least as much of the wire as the
        // hot reads took, and at least one read: otherwise the engine's values would hardly ever be
        // read (the cycle then runs long, and the hot registers are read a little less often).
        let until = max(deadline, clock.now + cycleStart.duration(to: clock.now))
        var progressed = false
        while !progressed || clock.now + estimate < until, !Task.isCancelled, watchdog.isReceiving {
            // At start-up, tell the complete status the moment it is complete, not at the end of the cycle.
            if progressed, !initialized, self.scheduler?.isStatusComplete == true { break }
            progressed = true
            // What a change of state made interesting comes first, then values late by a whole
            // period; then, at start-up, the status before the logs; later, new log entries (a
            // handful of reads) before routine refreshes.
            if let urgent = self.scheduler?.nextUrgent(at: clock.now) ?? (initialized ? self.scheduler?.nextOverdue(at: clock.now) : nil) {
                await pollScheduled(urgent)
                continue
            }
            let due = self.scheduler?.nextDue(at: clock.now)
            if let work = logWork.first, initialized || due == nil {
                await performLogRead(work)
            } else if let due {
                await pollScheduled(due)
            } else {
                break
            }
        }
        if !logWork.isEmpty || self.scheduler?.isComplete == false { return }
        if clock.now >= nextLogCheck {
            nextLogCheck = clock.now + configuration.logCheckInterval
            queueLogHeadChecks()
        }
    }

    func pollScheduled(_ read: RegisterRead) async {
        let outcome: PollScheduler.Outcome
        switch await pollResult(read) {
        case .success: outcome = .success
        case .failure(.exception): outcome = .unsupported
        case .failure: outcome = .transientFailure
        }
        scheduler?.completed(read, outcome: outcome, at: clock.now)
    }

    /// Reads one register block into the image. Returns nil on any failure.
    @discardableResult
    func poll(_ read: RegisterRead) async -> [UInt16]? {
        try? await pollResult(read).get()
    }

    func pollResult(_ read: RegisterRead, storing: Bool = true) async -> Result<[UInt16], ModbusClientError> {
        let result: Result<[UInt16], ModbusClientError>
        do {
            result = .success(try await link.readRegisters(address: read.address, count: UInt16(read.words), urgent: false))
        } catch {
            result = .failure(error)
        }
        madeProgress()
        switch result {
        case let .success(words):
            if storing { store(words, for: read) }
            controllerAnswered()
        case .failure(.exception):
            // The controller answered: the link works, the register does not exist.
            controllerAnswered()
        case .failure(.transport(.cancelled)):
            // Shutdown cut the read short: not a failure of the link.
            break
        case let .failure(error):
            linkFailed(error, reading: read)
        }
        // A noisy line makes a cycle long: the snapshot (and the judgement of stale values) still
        // goes out at least once a second.
        if initialized, lastPublish.duration(to: clock.now) >= .seconds(1) { updateDerivedState() }
        return result
    }

    func controllerAnswered() {
        lastAnswerAt = clock.date
        let now = clock.now
        if let recovered = linkFailures.succeeded(at: now) {
            logger.notice("the controller answers again after \(recovered.failures) failed transactions over \(Self.describe(recovered.lasted))")
        }
        if let restored = watchdog.answered(at: now) { emit(restored) }
    }

    func linkFailed(_ error: ModbusClientError, reading read: RegisterRead) {
        let now = clock.now
        switch linkFailures.failed(at: now) {
        case .logFirst:
            logger.warning("reading \(Hex.word(read.address)) failed: \(error)")
        case let .logSummary(count, over):
            logger.warning("\(count) transactions failed in the last \(Self.describe(over)); the latest: \(error)")
        case .suppress:
            break
        }
        if let lost = watchdog.check(at: now) {
            // The event says how long; the log says where and why, so a person knows what to check.
            logger.warning("no answer from the controller at \(link.endpoint) for \(Self.describe(configuration.communicationLossAfter)); the latest error: \(error)")
            emit(lost)
            needsPublish = true
        }
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = Int(duration.seconds.rounded())
        return seconds < 120 ? "\(seconds) s" : "\(seconds / 60) min"
    }

    func store(_ words: [UInt16], for read: RegisterRead) {
        readTimes[read.address] = clock.date
        switch image.store(words, at: read.address) {
        case .new:
            // Like the original, a register's first value is not counted as a change.
            needsPublish = true
        case .changed:
            needsPublish = true
            changedReads += 1
        case .unchanged:
            unchangedReads += 1
        }
        if !isLogAddress(read.address), !registerReads.contains(read) {
            registerReads = RegisterRead.inListingOrder(registerReads + [read])
        }
    }

    func isLogAddress(_ address: RegisterAddress) -> Bool {
        logRanges.contains { $0.contains(address) }
    }

    /// Checks the status pair; on a change the original re-reads all logs, we read only the new entries.
    @discardableResult
    func statusChanged() -> Bool {
        guard let identity, statusTracker.accept(StatusPair(image: image), identity: identity, settings: configuration.settings) else { return false }
        needsPublish = true
        // The engine's values change with its state: read them before anything else.
        scheduler?.prioritize(Self.interestingOnStateChange, at: clock.now)
        queueLogHeadChecks()
        return true
    }

    /// The registers a change of engine state makes worth reading at once.
    static let interestingOnStateChange: Set<RegisterAddress> = Set(
        LiveReading.allCases.filter { $0 != .status && $0 != .utilityVoltage }.flatMap(\.registers))

    /// Reads the newest entries of every log (or only `only`) soon.
    func queueLogHeadChecks(only: LogRange? = nil) {
        for range in logRanges where only == nil || only == range {
            if let index = logWork.firstIndex(where: { $0.range == range }) {
                // A read of this log is under way and may already be past the new entry: look again after it.
                logWork[index].recheck = true
            } else {
                logWork.append(LogRead(range: range, mode: .head(newest: image.logEntry(0, in: range))))
            }
        }
    }

    func emit(_ kind: MonitorEvent.Kind, at time: Date? = nil) {
        let event = MonitorEvent(time: time ?? clock.date, kind: kind)
        eventHub.publish(event)
        persistenceQueue.yield(.event(event))
        needsPublish = true
    }
}
