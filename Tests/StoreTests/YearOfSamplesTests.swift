import Foundation
import GRDB
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    /// What an SD card will hold: 10-second samples through the real code path — hourly batches of 360
    /// through `record(_:)`, `maintain(now:)` after each — into a real file.
    ///
    /// Always: a week, and the year projected from the bytes each table takes per row. On request
    /// (`GENMON_STORE_BENCH=1`, a minute or two of CPU that would upset the timing tests running
    /// beside it): the whole year, measured.
    @Suite("Size of a year of samples")
    struct YearOfSamplesTests {
        /// What a standby generator reports: utility around 240 V, battery near 13.6 V, the engine off
        /// except a 12-minute weekly exercise and a 3-hour outage each month.
        static func realistic(_ t: Int) -> HistorySample {
            let noise = Int(truncatingIfNeeded: UInt64(t).multipliedReportingOverflow(by: 6_364_136_223_846_793_005).partialValue >> 40) & 0xFFFF
            let inWeek = t % (7 * 86_400), inMonth = t % (30 * 86_400)
            let exercising = (13 * 3600..<13 * 3600 + 720).contains(inWeek)
            let outage = (20 * 86_400..<20 * 86_400 + 3 * 3600).contains(inMonth)
            let running = exercising || outage
            return HistorySample(time: at(TimeInterval(t)), utilityVolts: outage ? 0 : Double(238 + noise % 6),
                                 batteryVolts: running ? 14.1 : 13.5 + Double(noise % 3) / 10,
                                 outputVolts: running ? Double(239 + noise % 3) : 0, frequencyHz: running ? 59.9 + Double(noise % 3) / 10 : 0,
                                 rpm: running ? 1800 : 0, powerKW: outage ? 2.5 + Double(noise % 10) / 10 : (running ? 0.1 : 0))
        }

        /// The worst case for size: every value a different fraction.
        static func noisy(_ t: Int) -> HistorySample {
            var state = UInt64(t) &* 0x9E37_79B9_7F4A_7C15
            func next() -> Double {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(state >> 11) / Double(1 << 53)
            }
            return HistorySample(time: at(TimeInterval(t)), utilityVolts: 230 + 20 * next(), batteryVolts: 12 + 2 * next(),
                                 outputVolts: 230 + 20 * next(), frequencyHz: 59 + 2 * next(), rpm: 1750 + 100 * next(), powerKW: 20 * next())
        }

        /// `hours` of samples from `epoch`, an hourly batch and a maintenance pass at a time.
        static func simulate(hours: Int, _ make: (Int) -> HistorySample, into database: GenmonDatabase) async throws -> Duration {
            try await ContinuousClock().measure {
                for hour in 0..<hours {
                    let start = hour * 3600
                    try await database.record(stride(from: start, to: start + 3600, by: 10).map(make))
                    try await database.maintain(now: at(TimeInterval(start + 3600)))
                }
            }
        }

        /// Rows and bytes of each history table; nil when this SQLite lacks `dbstat`.
        static func tableBytes(_ database: GenmonDatabase) async throws -> [String: (rows: Int, bytes: Int)]? {
            try await database.writer.read { db in
                var tables: [String: (rows: Int, bytes: Int)] = [:]
                for table in ["history_raw", "history_5min", "history_1h"] {
                    let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
                    guard let bytes = (try? Int.fetchOne(db, sql: "SELECT sum(pgsize) FROM dbstat WHERE name = ?", arguments: [table])) ?? nil else {
                        return nil
                    }
                    tables[table] = (rows, bytes)
                }
                return tables
            }
        }

        static func describe(_ tables: [String: (rows: Int, bytes: Int)]) -> String {
            tables.sorted { $0.key > $1.key }.map { table, size in
                "\(table) \(size.rows) rows " + String(format: "%.2f MiB", Double(size.bytes) / 1_048_576)
            }.joined(separator: ", ")
        }

        static let benchmarking = ProcessInfo.processInfo.environment["GENMON_STORE_BENCH"] != nil

        @Test(arguments: ["realistic", "worst-case"])
        func aYearProjectedFromAWeekStaysUnderTwentyMegabytes(kind: String) async throws {
            let directory = try TemporaryDirectory()
            let database = try GenmonDatabase(path: directory.path("week.sqlite"))
            _ = try await Self.simulate(hours: 7 * 24, kind == "realistic" ? Self.realistic : Self.noisy, into: database)
            guard let tables = try await Self.tableBytes(database) else {
                print("SQLite here has no dbstat: cannot project a year from a week")
                return
            }
            // Raw is already at its steady state (48 h); the aggregate tiers grow by rows per hour.
            func perRow(_ table: String) -> Double { Double(tables[table]?.bytes ?? 0) / Double(max(tables[table]?.rows ?? 1, 1)) }
            let year = Double(tables["history_raw"]?.bytes ?? 0) + perRow("history_5min") * 90 * 288 + perRow("history_1h") * 365 * 24
            let fiveYears = year + perRow("history_1h") * 4 * 365 * 24
            print("A year of \(kind) samples, projected from a week: \(String(format: "%.2f", year / 1_048_576)) MiB; "
                  + "five years (the hourly tier's span): \(String(format: "%.2f", fiveYears / 1_048_576)) MiB")
            #expect(perRow("history_5min") > 0 && perRow("history_1h") > 0)
            #expect(year < 20 * 1_048_576)
            #expect(fiveYears < 20 * 1_048_576)
        }

        @Test(.enabled(if: benchmarking), .timeLimit(.minutes(10)), arguments: ["realistic", "worst-case"])
        func aYearOfSamplesMeasuredStaysUnderTwentyMegabytes(kind: String) async throws {
            let bytes = try await Self.measureYear(kind, kind == "realistic" ? Self.realistic : Self.noisy)
            #expect(bytes < 20 * 1_048_576)
        }

        /// What the monitor does once a minute: six samples in one durable transaction.
        @Test func aMinuteBatchIsWrittenQuickly() async throws {
            let directory = try TemporaryDirectory()
            let database = try GenmonDatabase(path: directory.path("batches.sqlite"))
            let clock = ContinuousClock()
            var times: [Duration] = []
            for minute in 0..<300 {
                let batch = (0..<6).map { Self.realistic(minute * 60 + $0 * 10) }
                times.append(try await clock.measure { try await database.record(batch) })
            }
            times.sort()
            print("A 6-sample batch: median \(times[150]), 99th percentile \(times[297]) (300 batches, synchronous = FULL)")
            #expect(times[150] < .milliseconds(100))
        }

        /// Simulates the year into a new file, prints the figures, returns the file's size.
        static func measureYear(_ name: String, _ make: (Int) -> HistorySample) async throws -> Int {
            let directory = try TemporaryDirectory()
            let path = directory.path("year.sqlite")
            let database = try GenmonDatabase(path: path)
            let elapsed = try await simulate(hours: 365 * 24, make, into: database)
            let now = at(365 * 86_400)

            // A year's chart, a month's, a day's: how long they take once the year is in.
            var chartTimes: [String] = []
            let everything = Set(HistorySeries.allCases), utility: Set<HistorySeries> = [.utilityVolts]
            for (label, span, series) in [("1 year", 365 * day, everything), ("1 year, utility volts only,", 365 * day, utility),
                                          ("30 days", 30 * day, everything), ("24 hours", day, everything)] {
                let clock = ContinuousClock()
                var chart: HistoryChart?
                let elapsed = try await clock.measure {
                    for _ in 0..<10 {
                        chart = try await database.samples(from: now.addingTimeInterval(-span), to: now, maxPoints: 1000, series: series)
                    }
                }
                let points = try #require(chart).points.count
                chartTimes.append("\(label) chart: \(try #require(chart).tier) tier, \(points) points, \(elapsed / 10) per query")
                #expect(points > 300)
            }
            try await database.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            let bytes = databaseBytes(path)
            print("""
                A year of \(name) 10 s samples (3 153 600 in hourly batches, maintain each hour): \
                \(String(format: "%.2f", Double(bytes) / 1_048_576)) MiB, simulated in \(elapsed)
                  \(try await tableBytes(database).map(describe) ?? "")
                  \(chartTimes.joined(separator: "\n  "))
                """)
            return bytes
        }
    }
}
