import Foundation
import Store
import Testing

/// The outbox in the SQLite store: committed before any attempt, lanes oldest first, a success
/// recorded once and for good, expiry, retention, and surviving a reopen.
@Suite("Outbox")
struct OutboxTests {
    static let t0 = NotifyFixture.start
    static let alice = OutboxLane(channel: "email", recipient: "alice@example.org")
    static let bob = OutboxLane(channel: "email", recipient: "bob@example.org")

    static func message(_ subject: String, at offset: Double = 0, lanes: [OutboxLane] = [alice, bob]) -> OutboxMessage {
        OutboxMessage(created: t0.addingTimeInterval(offset), category: "outage", subject: subject, body: subject + "\n", source: "test",
                      messageID: "<\(subject.hashValue)@example.org>", payloads: ["email": Array("bytes of \(subject)".utf8)], lanes: lanes)
    }

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-outbox-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("each lane delivers oldest first, with the payload rendered once; lanes are independent")
    func lanesOldestFirst() async throws {
        let database = try GenmonDatabase.inMemory()
        try await database.enqueue(Self.message("alarm"))
        try await database.enqueue(Self.message("recovery", at: 1))
        #expect(try await database.pendingLanes() == [Self.alice, Self.bob])
        var heads = try await database.heads(of: [Self.alice, Self.bob])
        #expect(heads[Self.alice]?.subject == "alarm" && heads[Self.bob]?.subject == "alarm")
        #expect(heads[Self.alice]?.payload == Array("bytes of alarm".utf8))
        let aliceAlarm = try #require(heads[Self.alice])
        // Alice's first attempt fails: her head stays the alarm, with a retry time; Bob moves on regardless.
        try await database.record([AttemptRecord(deliveryID: aliceAlarm.id, time: Self.t0, outcome: .retry, detail: "451 try later",
                                                 duration: 0.1, retryAt: Self.t0.addingTimeInterval(30))])
        try await database.record([AttemptRecord(deliveryID: try #require(heads[Self.bob]).id, time: Self.t0, outcome: .delivered,
                                                 detail: "250 ok", duration: 0.1)])
        heads = try await database.heads(of: [Self.alice, Self.bob])
        #expect(heads[Self.alice]?.subject == "alarm" && heads[Self.alice]?.attempts == 1)
        #expect(heads[Self.alice]?.nextAttempt == Self.t0.addingTimeInterval(30))
        #expect(heads[Self.bob]?.subject == "recovery")
    }

    @Test("a delivery recorded as sent is never changed again, and no attempt is added to it")
    func sentIsFinal() async throws {
        let database = try GenmonDatabase.inMemory()
        try await database.enqueue(Self.message("alarm", lanes: [Self.alice]))
        let head = try #require(try await database.heads(of: [Self.alice])[Self.alice])
        try await database.record([AttemptRecord(deliveryID: head.id, time: Self.t0, outcome: .delivered, detail: "250 ok", duration: 0)])
        // A late duplicate outcome (a retry racing the success) changes nothing.
        try await database.record([AttemptRecord(deliveryID: head.id, time: Self.t0, outcome: .retry, detail: "late", duration: 0,
                                                 retryAt: Self.t0)])
        #expect(try await database.heads(of: [Self.alice]).isEmpty)
        #expect(try await database.pendingLanes().isEmpty)
        let listed = try #require(try await database.notifications().first?.record)
        #expect(listed.deliveries.map(\.state) == [.sent])
        #expect(listed.deliveries[0].history.map(\.outcome) == [.delivered])
        #expect(try await database.outboxSummary().count(.sent) == 1)
    }

    @Test("deliveries of messages older than the maximum age are given up, each reported once")
    func expiry() async throws {
        let database = try GenmonDatabase.inMemory()
        try await database.enqueue(Self.message("old", at: 0))
        try await database.enqueue(Self.message("new", at: 3 * 86_400))
        let expired = try await database.expireDeliveries(createdBefore: Self.t0.addingTimeInterval(86_400), at: Self.t0.addingTimeInterval(3 * 86_400))
        #expect(expired.map(\.subject) == ["old", "old"])
        #expect(try await database.expireDeliveries(createdBefore: Self.t0.addingTimeInterval(86_400), at: Self.t0).isEmpty)
        #expect(try await database.heads(of: [Self.alice])[Self.alice]?.subject == "new")
        let summary = try await database.outboxSummary()
        #expect(summary.count(.expired) == 2 && summary.count(.pending) == 2)
    }

    @Test("what was queued is still there after the database is closed and opened again")
    func survivesReopen() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/genmon.sqlite"
        do {
            let database = try GenmonDatabase(path: path)
            _ = try await database.enqueue(batch: (0..<50).map { Self.message("m\($0)", at: Double($0)) })
            try database.close()
        }
        let reopened = try GenmonDatabase(path: path)
        #expect(try await reopened.outboxSummary().count(.pending) == 100)
        #expect(try await reopened.heads(of: [Self.bob])[Self.bob]?.subject == "m0")
    }

    @Test("upkeep drops finished notifications after the retention span, never pending ones")
    func retention() async throws {
        let database = try GenmonDatabase.inMemory()
        try await database.enqueue(Self.message("done", lanes: [Self.alice]))
        try await database.enqueue(Self.message("waiting", lanes: [Self.bob]))
        try await database.enqueue(Self.message("nobody", lanes: []))
        let done = try #require(try await database.heads(of: [Self.alice])[Self.alice])
        try await database.record([AttemptRecord(deliveryID: done.id, time: Self.t0, outcome: .delivered, detail: "ok", duration: 0)])
        let report = try await database.maintain(now: Self.t0.addingTimeInterval(91 * 86_400))
        #expect(report.notificationsDeleted == 2)
        #expect(try await database.notifications().map(\.record.subject) == ["waiting"])
    }

    @Test("a test sent directly is listed with its outcome and never picked up for sending")
    func directDeliveries() async throws {
        let database = try GenmonDatabase.inMemory()
        try await database.recordDirect(Self.message("Genmon Test Email", lanes: []), deliveries: [
            DirectDelivery(lane: Self.alice, outcome: .delivered, detail: "250 2.0.0 Ok", duration: 0.2),
            DirectDelivery(lane: Self.bob, outcome: .failed, detail: "550 5.1.1 no such user", duration: 0.1),
        ])
        #expect(try await database.pendingLanes().isEmpty)
        let listed = try #require(try await database.notifications().first?.record)
        #expect(listed.deliveries.map(\.state) == [.sent, .failed])
        #expect(listed.deliveries[1].lastError == "550 5.1.1 no such user")
    }
}
