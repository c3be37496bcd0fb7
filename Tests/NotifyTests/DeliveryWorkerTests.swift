import Foundation
import GenmonBasics
import GenmonTesting
import Logging
@testable import Notify
import Store
import Synchronization
import Testing

/// The delivery worker on a manual clock with a scripted channel: lanes independent and in order,
/// back-off, permanent failures, bounded concurrency, expiry, restarts.
@Suite("Delivery worker")
struct DeliveryWorkerTests {
    static let alice = OutboxLane(channel: "email", recipient: "alice@example.org")
    static let bob = OutboxLane(channel: "email", recipient: "bob@example.org")

    static func message(_ subject: String, at date: Date, lanes: [OutboxLane] = [alice, bob]) -> OutboxMessage {
        OutboxMessage(created: date, category: "warn", subject: subject, body: subject, source: "test", payloads: ["email": Array(subject.utf8)],
                      lanes: lanes)
    }

    static func calls(_ rig: WorkerRig, _ lane: OutboxLane) -> [String] {
        rig.channel.calls.filter { $0.recipient == lane.recipient }.map(\.subject)
    }

    @Test("a failing recipient never blocks another; when it recovers its messages arrive once each, in order")
    func failingRecipientDoesNotBlockOthers() async throws {
        let rig = try WorkerRig()
        rig.channel.script(Self.alice.recipient, Array(repeating: .retryLater("421 4.3.2 try later", after: nil), count: 6))
        try await rig.enqueue([Self.message("alarm", at: rig.clock.date), Self.message("recovery", at: rig.clock.date)])
        await rig.run(for: .seconds(2))
        #expect(Self.calls(rig, Self.bob) == ["alarm", "recovery"], "Bob has both at once")
        #expect(Self.calls(rig, Self.alice).allSatisfy { $0 == "alarm" }, "Alice's recovery waits behind her alarm")
        await rig.run(for: .seconds(600))
        let alice = Self.calls(rig, Self.alice)
        #expect(alice == Array(repeating: "alarm", count: 7) + ["recovery"], "\(alice)")
        #expect(Self.calls(rig, Self.bob) == ["alarm", "recovery"], "nothing twice after a recorded success")
        let summary = try await rig.database.outboxSummary()
        #expect(summary.count(.sent) == 4 && summary.count(.pending) == 0)
        await rig.stop()
    }

    @Test("every attempt is reported to the observer (the metrics' delivery counters): failures and the delivery after them")
    func attemptsAreObserved() async throws {
        let rig = try WorkerRig()
        rig.channel.script(Self.alice.recipient, [.retryLater("421 4.3.2 try later", after: nil), .failed("550 5.1.1 no such user")])
        try await rig.enqueue([Self.message("alarm", at: rig.clock.date)])
        await rig.run(for: .seconds(60))
        let attempts = rig.attempts.all
        #expect(attempts.allSatisfy { $0.channel == "email" })
        #expect(attempts.filter(\.delivered).count == 1, "Bob's delivery")
        #expect(attempts.filter { !$0.delivered }.count == 2, "Alice's retry and her final refusal")
        await rig.stop()
    }

    @Test("retries back off exponentially from 5 s, jittered, and never wait more than 2 minutes")
    func backoffSchedule() async throws {
        let rig = try WorkerRig(seed: 99)
        rig.channel.setDefault(.retryLater("451 4.7.1 greylisted", after: nil))
        try await rig.enqueue([Self.message("alarm", at: rig.clock.date, lanes: [Self.alice])])
        await rig.run(for: .seconds(1500))
        let times = rig.channel.calls.map(\.time.timeIntervalSince1970)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.count >= 12)
        for (index, gap) in gaps.enumerated() {
            let full = min(5 * pow(2, Double(index)), 120)
            // The rig moves time in half seconds: a retry is seen at most that late.
            #expect(gap >= full / 2 - 0.01 && gap <= full + 0.51, "retry \(index + 1) after \(gap) s, expected \(full / 2)...\(full)")
        }
        #expect(gaps.suffix(5).allSatisfy { $0 <= 120.51 })
        let stored = try #require(try await rig.database.notifications().first?.record.deliveries.first)
        #expect(stored.state == .pending && stored.attempts == times.count)
        #expect(stored.lastError == "451 4.7.1 greylisted")
        await rig.stop()
    }

    @Test("a permanent refusal is recorded, not retried, and the recipient's next message goes at once")
    func permanentFailure() async throws {
        let rig = try WorkerRig()
        rig.channel.script(Self.alice.recipient, [.failed("550 5.1.1 no such user")])
        try await rig.enqueue([Self.message("first", at: rig.clock.date, lanes: [Self.alice]),
                               Self.message("second", at: rig.clock.date, lanes: [Self.alice])])
        await rig.run(for: .seconds(300))
        #expect(Self.calls(rig, Self.alice) == ["first", "second"])
        let states = try await rig.database.notifications().flatMap { $0.record.deliveries.map { ($0.state, $0.lastError) } }
        #expect(states.map(\.0).sorted { $0.rawValue < $1.rawValue } == [.failed, .sent])
        #expect(states.contains { $0.1 == "550 5.1.1 no such user" })
        await rig.stop()
    }

    @Test("at most four deliveries are in flight at once, however many recipients wait, and all arrive")
    func boundedConcurrency() async throws {
        let rig = try WorkerRig()
        rig.channel.setDelay(.seconds(10))
        let lanes = (0..<25).map { OutboxLane(channel: "email", recipient: "r\($0)@example.org") }
        try await rig.enqueue([Self.message("a", at: rig.clock.date, lanes: lanes), Self.message("b", at: rig.clock.date, lanes: lanes)])
        #expect(rig.channel.sleeping == 4)
        await rig.run(for: .seconds(5))
        #expect(rig.worker.deliveriesInFlight == 4)
        await rig.run(for: .seconds(200))
        #expect(rig.worker.peakConcurrency == 4)
        #expect(rig.channel.calls.count == 50)
        #expect(try await rig.database.outboxSummary().count(.sent) == 50)
        await rig.stop()
    }

    @Test("messages older than the maximum age are given up with a log line; newer ones keep being tried")
    func expiry() async throws {
        let log = LogCapture()
        let rig = try WorkerRig(policy: DeliveryWorker.Policy(maximumAge: .seconds(3600)), logger: log.logger)
        rig.channel.setDefault(.retryLater("connection refused", after: nil))
        try await rig.enqueue([Self.message("stale", at: rig.clock.date.addingTimeInterval(-3000), lanes: [Self.alice]),
                               Self.message("fresh", at: rig.clock.date, lanes: [Self.bob])])
        await rig.run(for: .seconds(700))
        let summary = try await rig.database.outboxSummary()
        #expect(summary.count(.expired) == 1 && summary.count(.pending) == 1)
        #expect(log.lines.contains { $0.contains("gave up \"stale\" to alice@example.org") && $0.contains("connection refused") })
        #expect(log.lines.filter { $0.contains("gave up") }.count == 1)
        await rig.stop()
    }

    @Test("after a restart a new worker carries on where the old one stopped, without sending anything twice")
    func restart() async throws {
        let directory = OutboxTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try GenmonDatabase(path: directory + "/genmon.sqlite")
        let first = try WorkerRig(database: database)
        first.channel.script(Self.alice.recipient, [.delivered("ok"), .retryLater("down", after: nil)])
        first.channel.setDefault(.retryLater("down", after: nil))
        try await first.enqueue((0..<3).map { Self.message("m\($0)", at: first.clock.date, lanes: [Self.alice]) })
        await first.run(for: .seconds(3))
        await first.stop()
        #expect(Self.calls(first, Self.alice).first == "m0")

        let second = try WorkerRig(database: try GenmonDatabase(path: directory + "/genmon.sqlite"))
        await second.run(for: .seconds(200))
        #expect(Self.calls(second, Self.alice) == ["m1", "m2"])
        #expect(try await second.database.outboxSummary().count(.sent) == 3)
        await second.stop()
    }
}

/// Keeps log lines for tests that check what is logged.
final class LogCapture: Sendable {
    private let stored = Mutex<[String]>([])

    var lines: [String] { stored.withLock { $0 } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .debug
        return logger
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { capture.stored.withLock { $0.append("\(event.level) \(event.message)") } }
    }
}
