import Foundation
import GenmonBasics
import GenmonConfig
import Logging
import Monitor
import ServiceLifecycle
import Store
import Synchronization

/// Turns the monitor's events and snapshots into notifications and commits them to the outbox:
/// the planner decides (noise control included), the composer writes the text once, each channel
/// renders it once, and the routing picks the lanes by category. Committed before anyone tries to
/// send it; the `DeliveryWorker` sends.
///
/// Runs as a `Service`: it follows the monitor until graceful shutdown.
public final class NotificationEngine: Service, Sendable {
    let service: any GeneratorService
    let database: GenmonDatabase
    let composer: MessageComposer
    let routing: NotificationRouting
    let channels: [any NotificationChannel]
    let signal: DeliverySignal
    let clock: any GenmonClock
    let logger: Logger
    let announceStartup: Bool
    private let planner: Mutex<NotificationPlanner>
    private let limiter: Mutex<RepeatLimiter>
    private let latest = Mutex<GeneratorSnapshot?>(nil)
    /// Drafts are composed and committed one at a time, in the order decided, by one task.
    private let queue: AsyncStream<NotificationDraft>
    private let queueInput: AsyncStream<NotificationDraft>.Continuation
    private let committed = Mutex(0)

    public init(service: any GeneratorService, database: GenmonDatabase, planner: NotificationPlanner.Settings, composer: MessageComposer,
                routing: NotificationRouting, channels: [any NotificationChannel], signal: DeliverySignal,
                clock: any GenmonClock = SystemClock(), announceStartup: Bool = true, logger: Logger = Logger(label: "genmon.notify")) {
        self.service = service
        self.database = database
        self.composer = composer
        self.routing = routing
        self.channels = channels
        self.signal = signal
        self.clock = clock
        self.logger = logger
        self.announceStartup = announceStartup
        self.planner = Mutex(NotificationPlanner(settings: planner))
        self.limiter = Mutex(RepeatLimiter(interval: planner.repeatInterval.seconds))
        (queue, queueInput) = AsyncStream.makeStream(of: NotificationDraft.self)
    }

    /// How many notifications this engine has committed (tests wait on it).
    public var committedCount: Int { committed.withLock { $0 } }

    public func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.commitQueued() }
                if self.announceStartup { self.submit([self.planner.withLock { $0.startup(at: self.clock.date) }]) }
                group.addTask {
                    for await event in self.service.events() {
                        let now = self.clock.now
                        self.submit(self.planner.withLock { $0.observe(event, now: now) })
                    }
                }
                group.addTask {
                    for await snapshot in self.service.snapshots() {
                        self.latest.withLock { $0 = snapshot }
                        let now = self.clock.now
                        self.submit(self.planner.withLock { $0.observe(snapshot, now: now) })
                    }
                }
                group.addTask { await self.tickForever() }
            }
        }
        queueInput.finish()
    }

    /// Wakes when the planner's next window closes, at least once a second (new events may bring
    /// an earlier deadline while it sleeps).
    private func tickForever() async {
        while !Task.isCancelled {
            let now = clock.now
            let next = planner.withLock { $0.nextDeadline }
            let wake = min(next ?? now + .seconds(1), now + .seconds(1))
            if wake > now {
                do { try await clock.sleep(until: wake) } catch { return }
            } else {
                await Task.yield()
            }
            let (instant, date) = (clock.now, clock.date)
            submit(planner.withLock { $0.tick(now: instant, date: date) })
        }
    }

    private func submit(_ drafts: [NotificationDraft]) {
        for draft in drafts { queueInput.yield(draft) }
    }

    private func commitQueued() async {
        for await draft in queue {
            await commit(draft)
        }
    }

    /// The socket's `notify_message` (and the web's): queued like any other notification.
    /// Returns false when the original's once-filters held it back.
    @discardableResult
    public func message(title: String, body: String, category: NotificationCategory, onlyOnce: Bool = false, onceDaily: Bool = false) async -> Bool {
        let date = clock.date
        guard let draft = planner.withLock({ $0.message(title: title, body: body, category: category, onlyOnce: onlyOnce,
                                                        onceDaily: onceDaily, at: date) }) else { return false }
        await commit(draft)
        return true
    }

    /// Composes, renders and commits one draft; wakes the delivery worker.
    func commit(_ draft: NotificationDraft) async {
        let snapshot = latest.withLock { $0 }
        let content = composer.compose(draft, snapshot: snapshot, now: clock.date)
        // Each channel asks the table with its own category (the add-on channels file alarms under
        // `error`, as the original's notify_error) or leaves the message out (its notify_* filters).
        var lanes = draft.recipients != nil
            ? routing.lanes(for: draft.category, explicit: draft.recipients, channels: channels.map(\.name))
            : channels.flatMap { channel in
                channel.routingCategory(for: content).map { routing.lanes(for: $0, explicit: nil, channels: [channel.name]) } ?? []
            }
        if draft.rateLimited {
            lanes = lanes.filter { lane in
                let decision = limiter.withLock { $0.decide(subject: draft.subject, recipient: lane.description, at: draft.time) }
                if decision == .holdBack { logger.info("held back a repeat of \"\(draft.subject)\" to \(lane.recipient)") }
                return decision != .holdBack
            }
        }
        let message = render(content, lanes: lanes)
        do {
            try await database.enqueue(message)
            committed.withLock { $0 += 1 }
            logger.info("queued \"\(content.subject)\" (\(content.category.rawValue)) for \(message.lanes.count) recipient(s)")
            if !message.lanes.isEmpty { signal.notify() }
        } catch {
            logger.error("cannot queue \"\(content.subject)\": \(error)")
        }
    }

    /// The outbox entry for `content`: each channel renders it once for its recipients.
    func render(_ content: NotificationContent, lanes: [OutboxLane]) -> OutboxMessage {
        var message = OutboxMessage(created: content.time, category: content.category.rawValue, subject: content.subject,
                                    body: content.text, source: content.source)
        // Stored with the time it was decided, but never in the future (a skewed event time).
        message.created = min(content.time, clock.date)
        var kept: [OutboxLane] = []
        for channel in channels {
            let recipients = lanes.filter { $0.channel == channel.name }.map(\.recipient)
            guard !recipients.isEmpty else { continue }
            do {
                let payload = try channel.render(content, for: recipients, at: clock.date)
                message.payloads[channel.name] = payload.bytes
                if message.messageID == nil { message.messageID = payload.messageID }
                kept += recipients.map { OutboxLane(channel: channel.name, recipient: $0) }
            } catch {
                logger.error("cannot write \"\(content.subject)\" for \(channel.name): \(error)")
            }
        }
        message.lanes = kept
        return message
    }
}
