import Foundation
import GenmonBasics
import GenmonConfig
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Works the durable outbox: every pending delivery is tried on its channel, oldest first within
/// its lane (channel and recipient), lanes independently of each other, at most
/// `maximumConcurrent` at a time. A temporary failure is retried after a jittered exponential
/// back-off capped at two minutes; a permanent one is recorded and not retried; a delivery whose
/// message is older than `maximumAge` is given up with a log line. At start everything waiting is
/// tried at once (a restart is often the fix). Every attempt is recorded, and
/// a delivery recorded as sent is never sent again; what was queued survives restarts and kill -9
/// because it was committed before the first attempt.
public final class DeliveryWorker: Service, Sendable {
    public struct Policy: Sendable, Equatable {
        public var maximumConcurrent: Int
        public var backoff: RetryBackoff
        public var maximumAge: Duration
        /// How often old deliveries are looked for.
        public var expiryCheckInterval: Duration
        /// How long deliveries in flight may finish after a graceful shutdown begins.
        public var shutdownGrace: Duration

        public init(maximumConcurrent: Int = 4, backoff: RetryBackoff = RetryBackoff(), maximumAge: Duration = .seconds(72 * 3600),
                    expiryCheckInterval: Duration = .seconds(60), shutdownGrace: Duration = .seconds(5)) {
            self.maximumConcurrent = max(1, maximumConcurrent)
            self.backoff = backoff
            self.maximumAge = maximumAge
            self.expiryCheckInterval = expiryCheckInterval
            self.shutdownGrace = shutdownGrace
        }
    }

    let database: GenmonDatabase
    let channels: [String: any NotificationChannel]
    let signal: DeliverySignal
    let clock: any GenmonClock
    let policy: Policy
    let logger: Logger
    /// Told of every attempt's channel and whether it delivered (the metrics' delivery counters).
    let onAttempt: (@Sendable (_ channel: String, _ delivered: Bool) -> Void)?
    private let random: Mutex<SeededGenerator>
    private let failureLogs = Mutex<[OutboxLane: FailureLogThrottle]>([:])
    private let inFlight = Mutex(0)
    private let inFlightPeak = Mutex(0)
    private let probe = Mutex(Probe())
    /// Each paced lane's recent sends, read from the outbox on first use.
    let pacers = Mutex<[OutboxLane: SendPacing]>([:])
    /// Lanes held by their daily limit (logged once per hold).
    let heldByLimit = Mutex<Set<OutboxLane>>([])

    /// What the worker is doing, for tests that need to know it has caught up with the clock.
    struct Probe: Sendable, Equatable {
        /// Waiting for something to happen (a wake-up, a finished delivery, its timer).
        var waiting = false
        /// Inputs sent to the loop and not yet taken.
        var queuedInputs = 0
        /// Wake-ups from the signal taken so far.
        var signalsSeen = 0
    }

    public init(database: GenmonDatabase, channels: [any NotificationChannel], signal: DeliverySignal, clock: any GenmonClock = SystemClock(),
                policy: Policy = Policy(), randomSeed: UInt64 = UInt64.random(in: 0...UInt64.max),
                logger: Logger = Logger(label: "genmon.notify.delivery"),
                onAttempt: (@Sendable (_ channel: String, _ delivered: Bool) -> Void)? = nil) {
        self.onAttempt = onAttempt
        self.database = database
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.signal = signal
        self.clock = clock
        self.policy = policy
        self.random = Mutex(SeededGenerator(seed: randomSeed))
        self.logger = logger
    }

    /// The most deliveries that have been in flight at once since start (for tests and the benchmark).
    public var peakConcurrency: Int { inFlightPeak.withLock { $0 } }
    /// Deliveries in flight now.
    public var deliveriesInFlight: Int { inFlight.withLock { $0 } }
    var probeState: Probe { probe.withLock { $0 } }

    private func send(_ item: Input, to input: AsyncStream<Input>.Continuation) {
        probe.withLock { $0.queuedInputs += 1 }
        input.yield(item)
    }

    enum Input: Sendable {
        case queued, finished(OutboxLane), timer, shutdown, forceStop
    }

    public func run() async {
        let wakeups = signal.subscribe()
        let (inputs, input) = AsyncStream.makeStream(of: Input.self)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await _ in wakeups {
                        self.probe.withLock { $0.signalsSeen += 1 }
                        self.send(.queued, to: input)
                    }
                }
                await work(group: &group, inputs: inputs, input: input)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.send(.shutdown, to: input)
        }
    }

    private func work(group: inout DiscardingTaskGroup, inputs: AsyncStream<Input>, input: AsyncStream<Input>.Continuation) async {
        do { try await database.retryPendingNow(at: clock.date) } catch { logger.error("cannot read the outbox: \(error)") }
        var lanes = await loadLanes()
        var busy = Set<OutboxLane>()
        var stopping = false
        var lastExpiry: ContinuousClock.Instant?
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        var iterator = inputs.makeAsyncIterator()
        while !Task.isCancelled {
            if !stopping {
                if lastExpiry.map({ $0 + policy.expiryCheckInterval <= clock.now }) ?? true {
                    lastExpiry = clock.now
                    await expireOld()
                }
                let wake = await dispatch(lanes: &lanes, busy: &busy, group: &group, input: input)
                let next = min(wake ?? .distantFuture, (lastExpiry ?? clock.now) + policy.expiryCheckInterval)
                timer?.cancel()
                timer = Task { [clock] in
                    do { try await clock.sleep(until: next) } catch { return }
                    self.send(.timer, to: input)
                }
            } else if busy.isEmpty {
                return
            }
            probe.withLock { $0.waiting = true }
            let next = await iterator.next()
            probe.withLock {
                $0.waiting = false
                if next != nil { $0.queuedInputs -= 1 }
            }
            guard let event = next else { return }
            switch event {
            case .queued: lanes = await loadLanes()
            case let .finished(lane): busy.remove(lane)
            case .timer: break
            case .shutdown:
                guard !stopping else { break }
                stopping = true
                timer?.cancel()
                let grace = policy.shutdownGrace
                timer = Task { [clock] in
                    try? await clock.sleep(for: grace)
                    self.send(.forceStop, to: input)
                }
            case .forceStop:
                if !busy.isEmpty { logger.notice("stopping with \(busy.count) deliveries in flight; they are retried at the next start") }
                return
            }
        }
    }

    /// Lanes with pending deliveries on a channel this genmon has.
    private func loadLanes() async -> Set<OutboxLane> {
        do {
            let all = try await database.pendingLanes()
            let unknown = all.filter { channels[$0.channel] == nil }
            if !unknown.isEmpty {
                let names = Set(unknown.map(\.channel)).sorted().joined(separator: ", ")
                logger.notice("\(unknown.count) recipient(s) have messages waiting on channels that are not configured now: \(names)")
            }
            return all.subtracting(unknown)
        } catch {
            logger.error("cannot read the outbox: \(error)")
            return []
        }
    }

    /// Starts what is due on idle lanes, within the concurrency limit; returns when the next
    /// waiting head falls due.
    private func dispatch(lanes: inout Set<OutboxLane>, busy: inout Set<OutboxLane>, group: inout DiscardingTaskGroup,
                          input: AsyncStream<Input>.Continuation) async -> ContinuousClock.Instant? {
        let idle = lanes.subtracting(busy)
        guard !idle.isEmpty else { return nil }
        let heads: [OutboxLane: DueDelivery]
        do { heads = try await database.heads(of: idle.sorted { $0.description < $1.description }) } catch {
            logger.error("cannot read the outbox: \(error)")
            return clock.now + .seconds(10)
        }
        for lane in idle where heads[lane] == nil { lanes.remove(lane) }
        let now = clock.now, date = clock.date
        // A retry time further ahead than any back-off can be is a clock that jumped back: try soon.
        let latest = policy.backoff.cap + .seconds(3600)
        var allowed: [OutboxLane: Date] = [:]
        for lane in heads.keys { allowed[lane] = await nextAllowed(lane, at: date) }
        func dueAt(_ delivery: DueDelivery) -> ContinuousClock.Instant {
            let wait = Duration.seconds(double: (delivery.nextAttempt ?? date).timeIntervalSince(date))
            // Pacing may hold a lane up to a day (its daily limit), longer than any back-off.
            let paced = Duration.seconds(double: (allowed[delivery.lane] ?? date).timeIntervalSince(date))
            return now + max(min(wait, latest), min(paced, .seconds(SendPacing.window)))
        }
        let ordered = heads.values.sorted { (dueAt($0), $0.id) < (dueAt($1), $1.id) }
        var nextWake: ContinuousClock.Instant?
        for delivery in ordered {
            let due = dueAt(delivery)
            if due > now || busy.count >= policy.maximumConcurrent {
                if due > now { nextWake = min(nextWake ?? due, due) }
                continue
            }
            busy.insert(delivery.lane)
            group.addTask { [self] in
                await attempt(delivery)
                send(.finished(delivery.lane), to: input)
            }
        }
        return nextWake
    }

    /// One attempt on one lane's head (with what waits behind it, as one summary, on a paced
    /// channel), recorded whatever happens.
    func attempt(_ delivery: DueDelivery) async {
        guard let channel = channels[delivery.lane.channel] else { return }
        let count = inFlight.withLock { value in
            value += 1
            return value
        }
        inFlightPeak.withLock { $0 = max($0, count) }
        defer { inFlight.withLock { $0 -= 1 } }
        let started = clock.now
        let (message, carried) = await batch(delivery, on: channel)
        let outcome = await channel.deliver(message, to: delivery.lane.recipient)
        let duration = started.duration(to: clock.now).seconds
        let time = clock.date
        var records: [AttemptRecord] = []
        let together = carried.count > 1 ? " (one summary of \(carried.count) messages)" : ""
        switch outcome {
        case let .delivered(detail):
            records = carried.map { AttemptRecord(deliveryID: $0.id, time: time, outcome: .delivered, detail: detail + together, duration: duration) }
            await sent(on: delivery.lane, channel: channel, at: time)
            logDelivered(delivery, subject: message.subject, detail: detail + together)
        case let .failed(detail):
            records = carried.map { AttemptRecord(deliveryID: $0.id, time: time, outcome: .failed, detail: detail, duration: duration) }
            logger.warning("\"\(message.subject)\" to \(delivery.lane.recipient) by \(delivery.lane.channel) refused for good: \(detail)")
            failureLogs.withLock { _ = $0.removeValue(forKey: delivery.lane) }
        case let .retryLater(detail, suggested):
            let delay = random.withLock { generator in
                policy.backoff.delay(afterAttempt: delivery.attempts + 1, extra: channel.extraRetryDelay, suggested: suggested, using: &generator)
            }
            records = carried.map { AttemptRecord(deliveryID: $0.id, time: time, outcome: .retry, detail: detail, duration: duration,
                                                  retryAt: time.addingTimeInterval(delay.seconds)) }
            logRetry(delivery, detail: detail, delay: delay)
        }
        for record in records { onAttempt?(delivery.lane.channel, record.outcome == .delivered) }
        do { try await database.record(records) } catch {
            logger.error("cannot record the delivery of \"\(delivery.subject)\" to \(delivery.lane.recipient): \(error)")
        }
    }

    private func logDelivered(_ delivery: DueDelivery, subject: String, detail: String) {
        let recovered = failureLogs.withLock { $0.removeValue(forKey: delivery.lane)?.failuresInRun ?? 0 }
        let after = delivery.attempts > 0 ? " after \(delivery.attempts + 1) attempts" : ""
        logger.info("sent \"\(subject)\" to \(delivery.lane.recipient) by \(delivery.lane.channel)\(after): \(detail)",
                    metadata: recovered > 0 ? ["failed_attempts": "\(recovered)"] : nil)
    }

    /// The first failure of a lane in full, then one summary line per ten minutes while it goes on.
    private func logRetry(_ delivery: DueDelivery, detail: String, delay: Duration) {
        let now = clock.now
        let decision = failureLogs.withLock { logs in
            var throttle = logs[delivery.lane] ?? FailureLogThrottle(summaryInterval: .seconds(600), recoveryThreshold: 1)
            let decision = throttle.failed(at: now)
            logs[delivery.lane] = throttle
            return decision
        }
        let retry = String(format: "%.0f s", delay.seconds)
        switch decision {
        case .logFirst:
            logger.warning("cannot deliver \"\(delivery.subject)\" to \(delivery.lane.recipient) by \(delivery.lane.channel) yet (retrying in \(retry)): \(detail)")
        case let .logSummary(count, over):
            logger.warning("still cannot deliver to \(delivery.lane.recipient) by \(delivery.lane.channel): \(count) failed attempts in \(String(format: "%.0f", over.seconds)) s; latest: \(detail)")
        case .suppress:
            logger.debug("delivery to \(delivery.lane.recipient) failed again (retrying in \(retry)): \(detail)")
        }
    }

    /// Gives up deliveries of messages older than the maximum age, one log line each.
    private func expireOld() async {
        let cutoff = clock.date.addingTimeInterval(-policy.maximumAge.seconds)
        do {
            let hours = String(format: "%.0f", policy.maximumAge.seconds / 3600)
            for expired in try await database.expireDeliveries(createdBefore: cutoff, at: clock.date) {
                let lastError: String = expired.lastError.map { "; last error: \($0)" } ?? ""
                logger.warning("gave up \"\(expired.subject)\" to \(expired.lane.recipient) by \(expired.lane.channel): queued at \(expired.created), older than \(hours) h, after \(expired.attempts) attempt(s)\(lastError)")
            }
        } catch {
            logger.error("cannot expire old notifications: \(error)")
        }
    }
}

extension ContinuousClock.Instant {
    /// Far enough ahead to mean "no deadline".
    static var distantFuture: Self { .now + .seconds(100 * 365 * 86_400) }
}
