import Foundation
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    /// The power, fuel and sensor logs and the energy counter: the same answers as the in-memory
    /// logs, kept across a reopen, pruned by age.
    @Suite("Data logs")
    struct DataLogTests {
        @Test func linesComeBackOldestFirstFromAMomentAndTheSameMomentReplaces() async throws {
            let database = try memoryDatabase()
            try await database.append([TimedValue(time: at(20), value: 2), TimedValue(time: at(10), value: 1)], to: "power")
            try await database.append([TimedValue(time: at(20), value: 3), TimedValue(time: at(30), value: .nan)], to: "power")
            #expect(try await database.values(in: "power", since: nil, maximumPoints: 100) == [TimedValue(time: at(10), value: 1), TimedValue(time: at(20), value: 3)])
            #expect(try await database.values(in: "power", since: at(20), maximumPoints: 100) == [TimedValue(time: at(20), value: 3)])
            #expect(try await database.values(in: "other", since: nil, maximumPoints: 100) == [])
            #expect(try await database.values(in: "power", since: nil, maximumPoints: 0) == [])
        }

        @Test func thinningKeepsEveryNthLineFromTheNewestLikeTheMemoryLogs() async throws {
            let database = try memoryDatabase()
            let memory = InMemoryDataLogs()
            for count in [1, 2, 7, 10, 99, 100, 101, 1000] {
                let lines = (0..<count).map { TimedValue(time: at(Double($0 * 10)), value: Double(($0 * 7919) % 1000)) }
                let series = "sensor:n\(count)"
                try await database.append(lines, to: series)
                await memory.append(lines, to: series)
                for maximum in [1, 3, 10, 100, 5000] {
                    let stored = try await database.values(in: series, since: nil, maximumPoints: maximum)
                    #expect(stored == (await memory.values(in: series, since: nil, maximumPoints: maximum)), "\(count) lines, at most \(maximum)")
                    #expect(stored.count <= maximum && stored.last == lines.last)
                }
            }
        }

        @Test func logsClearAloneOrByPrefixAndAreListedByPrefix() async throws {
            let database = try memoryDatabase()
            for series in ["sensor:Shed Temp", "sensor:Propane", "power", "fuel"] {
                try await database.append([TimedValue(time: at(1), value: 1), TimedValue(time: at(2), value: 2)], to: series)
            }
            #expect(try await database.series(withPrefix: "sensor:") == ["sensor:Propane", "sensor:Shed Temp"])
            #expect(try await database.clear(series: "fuel") == 2)
            #expect(try await database.clear(series: "fuel") == 0)
            #expect(try await database.clear(seriesWithPrefix: "sensor:") == 4)
            #expect(try await database.series(withPrefix: "sensor:") == [])
            #expect(try await database.values(in: "power", since: nil, maximumPoints: 10).count == 2)
            await #expect(throws: StoreError.self) { try await database.append([TimedValue(time: at(1), value: 1)], to: "") }
            await #expect(throws: StoreError.self) { try await database.clear(series: String(repeating: "x", count: 300)) }
        }

        @Test func theEnergyCounterAndTheLogsSurviveAReopen() async throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("genmon.sqlite")
            do {
                let database = try GenmonDatabase(path: path)
                try await database.setCounter(DataSeries.energyCounter, to: 12.5)
                try await database.append([TimedValue(time: at(5), value: 4.8)], to: DataSeries.power)
                try database.close()
            }
            let reopened = try GenmonDatabase(path: path)
            #expect(try await reopened.counter(DataSeries.energyCounter) == 12.5)
            #expect(try await reopened.counter("unknown") == nil)
            #expect(try await reopened.values(in: DataSeries.power, since: nil, maximumPoints: 10) == [TimedValue(time: at(5), value: 4.8)])
            #expect(try await reopened.appliedMigrations().contains("v4-data-logs"))
            await #expect(throws: StoreError.self) { try await reopened.setCounter("x", to: .infinity) }
        }

        @Test func pruningDropsLinesOlderThanEachLogsRetention() async throws {
            let database = try memoryDatabase()
            let retention = DataLogRetention(powerLog: 10 * day, fuelLog: 20 * day, sensorLogs: 5 * day)
            for series in ["power", "fuel", "sensor:A"] {
                try await database.append([30, 24, 15, 9].map { TimedValue(time: at(Double($0) * day), value: 1) }, to: series)
            }
            let removed = try await database.pruneDataLogs(now: at(30 * day), retention: retention)
            #expect(removed == 2 + 1 + 3)
            #expect(try await database.values(in: "power", since: nil, maximumPoints: 10).count == 2)
            #expect(try await database.values(in: "fuel", since: nil, maximumPoints: 10).count == 3)
            #expect(try await database.values(in: "sensor:A", since: nil, maximumPoints: 10).count == 1)
        }
    }
}
