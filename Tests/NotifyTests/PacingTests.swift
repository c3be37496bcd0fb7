import Foundation
import GenmonConfig
import GenmonTesting
@testable import Notify
import Store
import Testing

/// Per-channel pacing on exact instants: one message per minimum interval per recipient, the
/// daily limit over any 24 hours, what waits meanwhile sent as one summary, the count surviving
/// a restart.
@Suite("Channel pacing")
struct PacingTests {
    static let t0 = Date(timeIntervalSince1970: 1_764_000_000)
    static let lane = OutboxLane(channel: "email", recipient: "+15551230001")

    @Test("the minimum interval holds the next send until it has passed since the last")
    func interval() {
        var pacing = SendPacing(settings: PacingSettings(minimumInterval: 60, dailyLimit: 0))
        #expect(pacing.nextAllowed(at: Self.t0) == Self.t0)
        pacing.sent(at: Self.t0)
        #expect(pacing.nextAllowed(at: Self.t0 + 1) == Self.t0 + 60)
        #expect(pacing.nextAllowed(at: Self.t0 + 90) == Self.t0 + 90)
        #expect(!pacing.isAtDailyLimit(at: Self.t0 + 1))
    }

    @Test("the daily limit counts sends in the last 24 hours, rolling: the oldest leaving the window frees one")
    func dailyLimit() {
        var pacing = SendPacing(settings: PacingSettings(minimumInterval: 0, dailyLimit: 3))
        for hour in [0.0, 1, 2] { pacing.sent(at: Self.t0 + hour * 3600) }
        #expect(pacing.isAtDailyLimit(at: Self.t0 + 3 * 3600))
        #expect(pacing.nextAllowed(at: Self.t0 + 3 * 3600) == Self.t0 + 86_400)
        #expect(pacing.nextAllowed(at: Self.t0 + 86_400 + 1) == Self.t0 + 86_400 + 1)
        pacing.sent(at: Self.t0 + 86_400 + 1)
        #expect(pacing.nextAllowed(at: Self.t0 + 86_400 + 2) == Self.t0 + 3600 + 86_400)
        #expect(pacing.sends.count == 3, "sends older than a day are forgotten")
    }

    @Test("no pacing configured: nothing is held, whatever was sent")
    func inactive() {
        var pacing = SendPacing(settings: PacingSettings(minimumInterval: 0, dailyLimit: 0))
        for second in 0..<100 { pacing.sent(at: Self.t0 + Double(second)) }
        #expect(!pacing.isActive && pacing.nextAllowed(at: Self.t0 + 100) == Self.t0 + 100)
    }

    static func message(_ subject: String, at date: Date) -> OutboxMessage {
        OutboxMessage(created: date, category: "outage", subject: subject, body: subject, source: "test",
                      payloads: ["email": Array(subject.utf8)], lanes: [lane])
    }

    @Test("a burst on a paced channel: the first goes at once, the rest wait out the interval and go as one summary, each recorded as sent")
    func burstBecomesSummary() async throws {
        let rig = try WorkerRig(pacing: PacingSettings(minimumInterval: 60, dailyLimit: 0))
        try await rig.enqueue([Self.message("down", at: rig.clock.date)])
        await rig.run(for: .seconds(2))
        #expect(rig.channel.calls.map(\.subject) == ["down"])
        for subject in ["running", "up", "ready"] {
            try await rig.enqueue([Self.message(subject, at: rig.clock.date)])
            await rig.run(for: .seconds(10))
        }
        #expect(rig.channel.calls.count == 1, "held for the interval: \(rig.channel.calls.map(\.subject))")
        await rig.run(for: .seconds(40))
        #expect(rig.channel.calls.map(\.subject) == ["down", "running + up + ready"])
        let gap = rig.channel.calls[1].time.timeIntervalSince(rig.channel.calls[0].time)
        #expect(gap >= 60 && gap <= 61, "the summary goes when the interval has passed: \(gap) s")
        let stored = try await rig.database.notifications()
        #expect(stored.allSatisfy { $0.record.deliveries.allSatisfy { $0.state == .sent } })
        #expect(stored.filter { $0.record.deliveries.first?.history.last?.detail.contains("one summary of 3 messages") == true }.count == 3)
        await rig.stop()
    }

    @Test("a storm of 50 changes in a minute sends at most the daily limit; the rest wait for the window and then go as one summary")
    func stormWithinDailyLimit() async throws {
        let rig = try WorkerRig(pacing: PacingSettings(minimumInterval: 0, dailyLimit: 5))
        for index in 0..<50 {
            try await rig.enqueue([Self.message("change \(index)", at: rig.clock.date)])
            await rig.run(for: .seconds(1), step: .milliseconds(250))
        }
        #expect(rig.channel.calls.count == 5, "\(rig.channel.calls.map(\.subject))")
        await rig.run(for: .seconds(23 * 3600), step: .seconds(600))
        #expect(rig.channel.calls.count == 5, "nothing more within the day")
        await rig.run(for: .seconds(3600), step: .seconds(30))
        #expect(rig.channel.calls.count == 6)
        let summary = rig.channel.calls.last?.subject ?? ""
        #expect(summary.hasPrefix("change 5 + change 6") && summary.hasSuffix("change 49"), "\(summary.prefix(80))")
        let waiting = try await rig.database.outboxSummary()
        #expect(waiting.count(.pending) == 0 && waiting.count(.sent) == 50)
        await rig.stop()
    }

    @Test("the daily limit counts what was sent before a restart (read from the outbox)")
    func limitSurvivesRestart() async throws {
        let database = try GenmonDatabase.inMemory()
        let first = try WorkerRig(database: database, pacing: PacingSettings(minimumInterval: 0, dailyLimit: 2))
        try await first.enqueue([Self.message("one", at: first.clock.date)])
        await first.run(for: .seconds(1))
        try await first.enqueue([Self.message("two", at: first.clock.date)])
        await first.run(for: .seconds(1))
        await first.stop()
        #expect(first.channel.calls.count == 2)
        let second = try WorkerRig(database: database, pacing: PacingSettings(minimumInterval: 0, dailyLimit: 2))
        try await second.enqueue([Self.message("three", at: second.clock.date.addingTimeInterval(2))])
        second.clock.advance(by: .seconds(3))
        await second.run(for: .seconds(120))
        #expect(second.channel.calls.isEmpty, "the third of the day waits: \(second.channel.calls.map(\.subject))")
        await second.stop()
    }
}
