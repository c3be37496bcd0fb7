import Foundation
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    @Suite("Downsampling")
    struct DownsamplingTests {
        @Test func fiveMinuteBucketsHoldExactMinAverageMaxAcrossBucketEdges() async throws {
            let database = try memoryDatabase()
            // 00:04:10 to 00:10:50, every 10 s: the first and last buckets are partial.
            let samples = syntheticSamples(from: 250, to: 660, every: 10)
            try await database.record(samples)
            let report = try await database.maintain(now: at(700))
            #expect(report.fiveMinuteBucketsWritten == 2) // 00:00 and 00:05; 00:10 is still open

            let buckets = try await aggregates(database, .fiveMinutes)
            #expect(buckets.keys.sorted() == [0, 300])
            for start in [0.0, 300] {
                let expected = try #require(expectedPoint(samples, start: at(start), end: at(start + 300)))
                #expect(buckets[start] == expected)
            }
            // By hand: utility is 230 + index % 17 with index = seconds / 10, so 238...242 in the first bucket.
            #expect(buckets[0]?.utilityVolts == SeriesSummary(min: 238, average: 240, max: 242, count: 5))
        }

        @Test func hourlyBucketsAreExactlyTheRawSamplesOfTheirHour() async throws {
            let database = try memoryDatabase()
            let samples = syntheticSamples(from: 50 * minute, to: 2 * hour + 10 * minute, every: 10)
            try await database.record(samples)
            let report = try await database.maintain(now: at(2 * hour + 20 * minute))
            #expect(report.hourlyBucketsWritten == 2)
            let hours = try await aggregates(database, .hourly)
            #expect(hours.keys.sorted() == [0, hour])
            for start in [0, hour] {
                #expect(hours[start] == expectedPoint(samples, start: at(start), end: at(start + hour)))
            }
        }

        @Test func aSecondPassAtTheSameTimeChangesNothing() async throws {
            let database = try memoryDatabase()
            try await database.record(syntheticSamples(from: 0, to: 3 * hour, every: 10))
            try await database.maintain(now: at(3 * hour))
            let fiveMinutes = try await aggregates(database, .fiveMinutes)
            let hourly = try await aggregates(database, .hourly)
            #expect(try await database.maintain(now: at(3 * hour)) == MaintenanceReport())
            #expect(try await aggregates(database, .fiveMinutes) == fiveMinutes)
            #expect(try await aggregates(database, .hourly) == hourly)
        }

        @Test func eachPassRollsUpOnlyTheBucketsClosedSinceTheLast() async throws {
            let database = try memoryDatabase()
            try await database.record(syntheticSamples(from: 0, to: hour, every: 10))
            let first = try await database.maintain(now: at(hour))
            #expect((first.fiveMinuteBucketsWritten, first.hourlyBucketsWritten) == (12, 1))
            try await database.record(syntheticSamples(from: hour, to: 2 * hour, every: 10))
            let second = try await database.maintain(now: at(2 * hour))
            #expect((second.fiveMinuteBucketsWritten, second.hourlyBucketsWritten) == (12, 1))
            let third = try await database.maintain(now: at(2 * hour + 4 * minute))
            #expect((third.fiveMinuteBucketsWritten, third.hourlyBucketsWritten) == (0, 0))
        }

        @Test func aLateSampleIsFoldedIntoBucketsAlreadyRolledUp() async throws {
            let database = try memoryDatabase()
            var samples = syntheticSamples(from: 0, to: 2 * hour, every: 10)
            try await database.record(samples)
            try await database.maintain(now: at(2 * hour))
            // A batch that arrives late, with a sample in the first 5 minutes of the first hour.
            let late = sample(125, 1000, power: .some(nil))
            samples.append(late)
            samples.sort { $0.time < $1.time }
            try await database.record([late])
            let report = try await database.maintain(now: at(2 * hour))
            #expect(report.fiveMinuteBucketsWritten >= 1)
            #expect(report.hourlyBucketsWritten >= 1)
            #expect(try await aggregates(database, .fiveMinutes)[0] == expectedPoint(samples, start: at(0), end: at(300)))
            #expect(try await aggregates(database, .hourly)[0] == expectedPoint(samples, start: at(0), end: at(hour)))
            #expect(try await aggregates(database, .hourly)[0]?.utilityVolts?.max == 1000)
        }

        @Test func aSeriesWithNoFiniteValueInABucketIsMissingNotZero() async throws {
            let database = try memoryDatabase()
            try await database.record([sample(0, 5, power: .some(nil)), sample(10, .nan, power: .some(nil)), sample(20, 7, power: .some(nil))])
            try await database.maintain(now: at(300))
            let bucket = try #require(try await aggregates(database, .fiveMinutes)[0])
            #expect(bucket.powerKW == nil)
            #expect(bucket.rpm == SeriesSummary(min: 5, average: 6, max: 7, count: 2))
        }

        @Test func samplesFromBeforeTheFirstPassAreRolledUpBeforeRetentionDropsThem() async throws {
            let database = try memoryDatabase()
            let samples = syntheticSamples(from: 0, to: 3 * day, every: 60)
            try await record(samples, into: database)
            let report = try await database.maintain(now: at(3 * day))
            #expect(report.rawSamplesDeleted > 0)
            #expect(report.fiveMinuteBucketsWritten == 3 * 288)
            #expect(try await aggregates(database, .fiveMinutes)[0] == expectedPoint(samples, start: at(0), end: at(300)))
        }

        @Test func aClockThatJumpsYearsAheadAndBackDoesNotStopHistory() async throws {
            let database = try memoryDatabase()
            try await database.record(syntheticSamples(from: 0, to: hour, every: 10))
            try await database.maintain(now: at(hour))
            // One pass with a clock 30 years fast, then the clock is put right.
            try await database.record([sample(30 * 365 * day, 1)])
            try await database.maintain(now: at(30 * 365 * day))
            try await database.maintain(now: at(hour + 5 * minute))
            let later = syntheticSamples(from: hour + 5 * minute, to: 3 * hour, every: 10)
            try await database.record(later)
            try await database.maintain(now: at(3 * hour))
            #expect(sameSamples(try await database.rawSamples(from: at(hour + 5 * minute), to: at(3 * hour)), later))
            #expect(try await aggregates(database, .hourly)[2 * hour] == expectedPoint(later, start: at(2 * hour), end: at(3 * hour)))
            #expect(try await aggregates(database, .fiveMinutes)[2 * hour] == expectedPoint(later, start: at(2 * hour), end: at(2 * hour + 300)))
        }
    }
}
