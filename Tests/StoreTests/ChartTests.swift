import Foundation
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    @Suite("Charts")
    struct ChartTests {
        static let tierCases: [(TimeInterval, HistoryTier)] = [
            (hour, .raw), (day, .raw), (47 * hour, .raw),
            (50 * hour, .fiveMinutes), // raw holds only the last 48 h
            (60 * day, .fiveMinutes), (80 * day, .hourly), // 80 days of 5-minute rows would break the row budget
            (100 * day, .hourly), (365 * day, .hourly), (3650 * day, .hourly),
        ]

        @Test(arguments: tierCases)
        func theTierFitsTheRange(span: TimeInterval, tier: HistoryTier) async throws {
            let database = try memoryDatabase()
            let now = 400 * day
            try await database.record(syntheticSamples(from: now - hour, to: now, every: 10))
            try await database.maintain(now: at(now))
            let chart = try await database.samples(from: at(now - span), to: at(now), maxPoints: 500)
            #expect(chart.tier == tier)
            #expect(chart.points.count <= 500)
        }

        @Test func aShortRangeGivesTheRawSamplesThemselves() async throws {
            let database = try memoryDatabase()
            let samples = syntheticSamples(from: 0, to: 30 * minute, every: 10)
            try await database.record(samples)
            let chart = try await database.samples(from: at(0), to: at(30 * minute), maxPoints: 500)
            #expect(chart.tier == .raw && chart.bucketWidth == 0)
            #expect(chart.points.map(\.time) == samples.map(\.time))
            #expect(chart.points[1].utilityVolts == SeriesSummary(min: 231, average: 231, max: 231, count: 1))
            #expect(chart.points[0].outputVolts == nil) // index 0 is the NaN one
        }

        /// Whatever tiers a chart reads — aggregates for most of it, raw samples for the newest stretch
        /// not yet rolled up — each point must equal the brute-force summary of the samples in its bucket.
        static let exactCases: [(TimeInterval, Int, Int, HistoryTier)] = [
            (3 * day, 100, 20_000, .fiveMinutes), (10 * day, 100, 1_000, .hourly), (day, 200, 20_000, .raw),
        ]

        @Test(arguments: exactCases)
        func everyPointIsTheExactSummaryOfItsBucket(span: TimeInterval, maxPoints: Int, budget: Int, tier: HistoryTier) async throws {
            let database = try memoryDatabase(StoreConfiguration(retention: RetentionPolicy(rawSamples: 30 * day), chartRowBudget: budget))
            let end = 12 * day + 7 * minute
            let samples = syntheticSamples(from: 0, to: end, every: 30)
            try await record(samples, into: database)
            // Rolled up until 3 h 40 min before the end: the rest comes from finer tiers.
            try await database.maintain(now: at(end - 3 * hour - 40 * minute))
            let from = end - span + 123
            let chart = try await database.samples(from: at(from), to: at(end), maxPoints: maxPoints)
            #expect(chart.tier == tier)
            #expect(chart.points.count <= maxPoints)
            // Buckets are whole multiples of the tier's, so up to half the points asked for can be lost to rounding.
            #expect(chart.points.count > maxPoints / 2)
            #expect(chart.bucketWidth.truncatingRemainder(dividingBy: Double(tier.bucketMillis) / 1000) == 0)
            for point in chart.points {
                // The first bucket starts on the tier's edge at or before `from`.
                #expect(point == expectedPoint(samples, start: point.time, end: point.time.addingTimeInterval(chart.bucketWidth)))
            }
            #expect(chart.points.first?.time ?? at(0) <= at(from))
            #expect(chart.points.last.map { $0.time.addingTimeInterval(chart.bucketWidth) >= at(end - 30) } == true)
        }

        @Test(arguments: [HistoryTier.raw, .fiveMinutes, .hourly])
        func askingForSomeSeriesGivesExactlyThoseAsForAll(tier: HistoryTier) async throws {
            let database = try memoryDatabase()
            try await database.record(syntheticSamples(from: 0, to: 4 * day, every: 60))
            try await database.maintain(now: at(4 * day))
            let span: TimeInterval = switch tier {
            case .raw: 6 * hour
            case .fiveMinutes: 3 * day
            case .hourly: 200 * day
            }
            let all = try await database.samples(from: at(4 * day - span), to: at(4 * day), maxPoints: 100)
            let some = try await database.samples(from: at(4 * day - span), to: at(4 * day), maxPoints: 100, series: [.rpm, .powerKW])
            #expect(some.tier == tier && all.tier == tier)
            #expect(some.points.map(\.time) == all.points.map(\.time))
            #expect(some.points.map(\.rpm) == all.points.map(\.rpm))
            #expect(some.points.map(\.powerKW) == all.points.map(\.powerKW))
            #expect(some.points.allSatisfy { $0.utilityVolts == nil && $0.batteryVolts == nil && $0.outputVolts == nil && $0.frequencyHz == nil })
            #expect(all.points.contains { $0.utilityVolts != nil })
        }

        @Test func aRangeWithNoDataGivesNoPoints() async throws {
            let database = try memoryDatabase()
            #expect(try await database.samples(from: at(0), to: at(365 * day)).points.isEmpty)
            #expect(try await database.samples(from: at(0), to: at(hour)).points.isEmpty)
        }

        @Test func nonsenseQueriesAreRefusedWithATypedError() async throws {
            let database = try memoryDatabase()
            await #expect(throws: StoreError.self) { try await database.samples(from: at(10), to: at(10)) }
            await #expect(throws: StoreError.self) { try await database.samples(from: at(10), to: at(0)) }
            await #expect(throws: StoreError.self) { try await database.samples(from: at(0), to: at(10), maxPoints: 0) }
            await #expect(throws: StoreError.self) { try await database.samples(from: Date(timeIntervalSince1970: .nan), to: at(10)) }
        }

        @Test func extremeButValidQueriesAnswerWithoutTrapping() async throws {
            let database = try memoryDatabase()
            try await database.record(syntheticSamples(from: 0, to: hour, every: 10))
            try await database.maintain(now: at(hour))
            let distantPast = Date(timeIntervalSince1970: -9e12), distantFuture = Date(timeIntervalSince1970: 9e12)
            #expect(try await database.samples(from: distantPast, to: distantFuture, maxPoints: .max).points.count == 1)
            #expect(try await database.samples(from: at(0), to: at(hour), maxPoints: .max).points.count == 360)
            #expect(try await database.samples(from: distantPast, to: distantFuture, maxPoints: 1).points.count == 1)
            #expect(try await database.events(limit: .max).isEmpty)
            #expect(try await database.rawSamples(from: distantPast, to: distantFuture, limit: .min).isEmpty)
        }
    }
}
