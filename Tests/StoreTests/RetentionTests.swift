import Foundation
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    @Suite("Retention")
    struct RetentionTests {
        let configuration = StoreConfiguration(retention: RetentionPolicy(
            rawSamples: 2 * day, fiveMinuteAggregates: 1 * day, hourlyAggregates: 3 * day, events: 10 * day, audit: 20 * day))

        @Test func eventsAndAuditOlderThanTheirSpanAreDeletedToTheMillisecond() async throws {
            let database = try memoryDatabase(configuration)
            let now = at(100 * day)
            for offset in [-0.001, 0, 0.001] {
                try await database.record(MonitorEvent(time: at(90 * day + offset), kind: .alarmCleared(text: "\(offset)")))
                try await database.record(AuditRecord(time: at(80 * day + offset), origin: CommandOrigin(interface: .cli, principal: "", mayControl: true),
                                                      command: "\(offset)", result: .sent, message: "", duration: 0))
            }
            let report = try await database.maintain(now: now)
            #expect((report.eventsDeleted, report.auditsDeleted) == (1, 1))
            #expect(try await database.events().map(\.record.time) == [at(90 * day + 0.001), at(90 * day)])
            #expect(try await database.audits().map(\.record.command) == ["0.001", "0.0"])
        }

        @Test func outagesAreNeverDeleted() async throws {
            let database = try memoryDatabase(configuration)
            try await database.record(OutageRecord(start: at(0), end: at(60)))
            try await database.maintain(now: at(20 * 365 * day))
            #expect(try await database.outages(limit: 10).count == 1)
        }

        @Test func eachHistoryTierKeepsExactlyItsSpanInWholeBuckets() async throws {
            let database = try memoryDatabase(configuration)
            let samples = syntheticSamples(from: 0, to: 5 * day, every: 60)
            try await record(samples, into: database)
            // Deliberately not on a bucket edge.
            let now = 5 * day + 17 * minute + 30
            try await database.maintain(now: at(now))

            let rawCutoff = (now - 2 * day) - (now - 2 * day).truncatingRemainder(dividingBy: 300)
            let raw = try await database.rawSamples(from: at(0), to: at(now))
            #expect(raw.first?.time == at(rawCutoff))
            #expect(sameSamples(raw, samples.filter { $0.time >= at(rawCutoff) }))

            let fiveMinuteCutoff = (now - day) - (now - day).truncatingRemainder(dividingBy: hour)
            let fiveMinutes = try await aggregates(database, .fiveMinutes).keys.sorted()
            #expect(fiveMinutes.first == fiveMinuteCutoff)
            #expect(fiveMinutes == Array(stride(from: fiveMinuteCutoff, to: 5 * day, by: 300))) // samples end at 5 days

            let hourlyCutoff = (now - 3 * day) - (now - 3 * day).truncatingRemainder(dividingBy: hour)
            let hours = try await aggregates(database, .hourly).keys.sorted()
            #expect(hours == Array(stride(from: hourlyCutoff, to: 5 * day, by: hour)))
        }

        @Test func aSampleOlderThanWhatRetentionDroppedIsIgnored() async throws {
            let database = try memoryDatabase(configuration)
            try await record(syntheticSamples(from: 0, to: 4 * day, every: 60), into: database)
            try await database.maintain(now: at(4 * day))
            let hourly = try await aggregates(database, .hourly)
            try await database.record([sample(day, 9999)])
            try await database.maintain(now: at(4 * day))
            #expect(try await database.rawSamples(from: at(0), to: at(2 * day)).isEmpty)
            #expect(try await aggregates(database, .hourly) == hourly)
        }
    }
}
