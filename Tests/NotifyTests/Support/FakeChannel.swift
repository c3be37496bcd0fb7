import Foundation
import GenmonBasics
import GenmonConfig
import GenmonTesting
@testable import Notify
import Store
import Synchronization
import Logging
import Testing

/// A channel whose answers the test scripts, that may take time on the manual clock, and that
/// records every delivery it is asked for.
final class FakeChannel: NotificationChannel, Sendable {
    let name: String
    let clock: ManualClock
    private let state = Mutex(State())

    struct State {
        var answers: [String: [DeliveryOutcome]] = [:]
        var defaultAnswer: DeliveryOutcome = .delivered("250 2.0.0 Ok")
        var delay: Duration = .zero
        var sleeping = 0
        var calls: [(recipient: String, subject: String, time: Date)] = []
        var pacing = PacingSettings(minimumInterval: 0, dailyLimit: 0)
    }

    /// Pacing as a configured channel has it; summaries join the subjects with " + ".
    var pacing: PacingSettings {
        get { state.withLock { $0.pacing } }
        set { state.withLock { $0.pacing = newValue } }
    }

    func summarize(_ messages: [QueuedMessage]) -> QueuedMessage? {
        guard var last = messages.last, messages.count > 1 else { return nil }
        last.subject = messages.map(\.subject).joined(separator: " + ")
        return last
    }

    init(name: String = "email", clock: ManualClock) {
        self.name = name
        self.clock = clock
    }

    /// Answers for `recipient`, used in order; after them the default answer.
    func script(_ recipient: String, _ answers: [DeliveryOutcome]) { state.withLock { $0.answers[recipient] = answers } }
    func setDefault(_ answer: DeliveryOutcome) { state.withLock { $0.defaultAnswer = answer } }
    func setDelay(_ delay: Duration) { state.withLock { $0.delay = delay } }
    var sleeping: Int { state.withLock { $0.sleeping } }
    var calls: [(recipient: String, subject: String, time: Date)] { state.withLock { $0.calls } }

    func render(_ content: NotificationContent, for recipients: [String], at date: Date) throws -> RenderedPayload {
        RenderedPayload(bytes: Array(content.text.utf8), messageID: "<fake@example.org>")
    }

    func deliver(_ message: QueuedMessage, to recipient: String) async -> DeliveryOutcome {
        let delay = state.withLock { state in
            state.calls.append((recipient, message.subject, clock.date))
            if state.delay > .zero { state.sleeping += 1 }
            return state.delay
        }
        if delay > .zero {
            try? await clock.sleep(for: delay)
            state.withLock { $0.sleeping -= 1 }
        }
        return state.withLock { state in
            if var answers = state.answers[recipient], !answers.isEmpty {
                let answer = answers.removeFirst()
                state.answers[recipient] = answers
                return answer
            }
            return state.defaultAnswer
        }
    }

    func test(_ content: NotificationContent, to recipients: [String]) async -> ChannelTestReport {
        ChannelTestReport(channel: name, succeeded: true, summary: "fake")
    }
}

/// A delivery worker on a manual clock, and the means to move time only when it has caught up.
struct WorkerRig {
    let clock = ManualClock(start: NotifyFixture.start)
    let database: GenmonDatabase
    let channel: FakeChannel
    let signal = DeliverySignal()
    let worker: DeliveryWorker
    let task: Task<Void, Never>
    /// Every attempt the worker reported to its observer (channel, delivered), in order.
    let attempts = AttemptLog()

    init(database: GenmonDatabase? = nil, policy: DeliveryWorker.Policy = DeliveryWorker.Policy(), seed: UInt64 = 1,
         pacing: PacingSettings? = nil, logger: Logger = Logger(label: "test")) throws {
        let database = try database ?? GenmonDatabase.inMemory()
        self.database = database
        channel = FakeChannel(clock: clock)
        if let pacing { channel.pacing = pacing }
        let attempts = self.attempts
        worker = DeliveryWorker(database: database, channels: [channel], signal: signal, clock: clock, policy: policy, randomSeed: seed,
                                logger: logger, onAttempt: { channel, delivered in attempts.append(channel, delivered) })
        let worker = self.worker
        task = Task { await worker.run() }
    }

    /// True when the worker waits for time alone: its loop idle, nothing queued to it, every
    /// delivery in flight asleep in the channel, and its timer asleep on the clock.
    var isQuiet: Bool {
        let probe = worker.probeState
        let sleeping = channel.sleeping
        return probe.waiting && probe.queuedInputs == 0 && probe.signalsSeen == signal.count
            && worker.deliveriesInFlight == sleeping && clock.sleeperCount == sleeping + 1
    }

    /// Waits (on the real clock, briefly and only as long as needed) until the worker is quiet.
    func settle(sourceLocation: SourceLocation = #_sourceLocation) async {
        for round in 0..<20_000 {
            if isQuiet { return }
            if round % 20 == 19 { try? await Task.sleep(for: .milliseconds(1)) } else { await Task.yield() }
        }
        let state = "\(worker.probeState), in flight \(worker.deliveriesInFlight), sleeping \(channel.sleeping), clock sleepers \(clock.sleeperCount)"
        Issue.record("the delivery worker did not settle: \(state)", sourceLocation: sourceLocation)
    }

    /// Commits messages and wakes the worker, as the engine does.
    func enqueue(_ messages: [OutboxMessage]) async throws {
        _ = try await database.enqueue(batch: messages)
        signal.notify()
        await settle()
    }

    /// Moves the clock `duration` ahead in `step`s, letting the worker catch up after each.
    func run(for duration: Duration, step: Duration = .milliseconds(500)) async {
        var moved = Duration.zero
        while moved < duration {
            await settle()
            clock.advance(by: step)
            moved += step
        }
        await settle()
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}

/// What a delivery worker told its observer.
final class AttemptLog: Sendable {
    private let entries = Mutex<[(channel: String, delivered: Bool)]>([])
    func append(_ channel: String, _ delivered: Bool) { entries.withLock { $0.append((channel, delivered)) } }
    var all: [(channel: String, delivered: Bool)] { entries.withLock { $0 } }
}
