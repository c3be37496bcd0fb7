import Foundation
import GRDB
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    @Suite("Opening, migrations and bad files")
    struct OpeningAndMigrationTests {
        @Test func aNewFileGetsEveryMigrationAndReopeningChangesNothing() async throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("genmon.sqlite")
            let database = try GenmonDatabase(path: path)
            #expect(try await database.appliedMigrations() == Schema.identifiers)
            try await database.record(OutageRecord(start: at(0), end: at(1)))
            try database.close()

            let reopened = try GenmonDatabase(path: path)
            #expect(try await reopened.appliedMigrations() == Schema.identifiers)
            #expect(try await reopened.outages(limit: 10).count == 1)
            #expect(try await reopened.integrityProblems().isEmpty)
        }

        @Test func theFileIsInWALModeWithFullSynchronousWrites() async throws {
            let directory = try TemporaryDirectory()
            let database = try GenmonDatabase(path: directory.path("genmon.sqlite"))
            let mode = try await database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            let synchronous = try await database.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(mode == "wal")
            #expect(synchronous == 2) // FULL
        }

        @Test func aDatabaseCreatedByTheFirstMigrationUpgradesWithItsDataIntact() async throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("old.sqlite")
            // What genmon with only migration 1 would have left behind.
            do {
                let old = try DatabaseQueue(path: path)
                try Schema.migrator.migrate(old, upTo: "v1-records-and-raw-history")
                try await old.write { db in
                    try db.execute(sql: #"INSERT INTO event (time, name, severity, kind) VALUES (?, 'alarm_cleared', 'info', '{"alarmCleared":{"text":"x"}}')"#,
                                   arguments: [UnixMillis.from(at(5))])
                    for second in stride(from: 0, to: 600, by: 10) {
                        try db.execute(sql: "INSERT INTO history_raw VALUES (?, 240, 13.5, 0, 0, 0, NULL)", arguments: [UnixMillis.from(at(Double(second)))])
                    }
                }
                try old.close()
            }
            let database = try GenmonDatabase(path: path)
            #expect(try await database.appliedMigrations() == Schema.identifiers)
            #expect(try await database.events().map(\.record) == [MonitorEvent(time: at(5), kind: .alarmCleared(text: "x"))])
            // Samples recorded before the downsampling tables existed are rolled up like any others.
            let report = try await database.maintain(now: at(hour))
            #expect(report.fiveMinuteBucketsWritten == 2)
            let chart = try await database.samples(from: at(0), to: at(hour), maxPoints: 12)
            #expect(chart.points.map(\.time) == [at(0), at(300)])
            #expect(chart.points.allSatisfy { $0.utilityVolts == SeriesSummary(min: 240, average: 240, max: 240, count: 30) && $0.powerKW == nil })
            #expect(try await database.integrityProblems().isEmpty)
        }

        /// GRDB creates `grdb_migrations` before the first migration's transaction: a crash between
        /// the two leaves this file, which must open as new, not be refused as someone else's.
        @Test func aFileLeftByACrashBeforeTheFirstMigrationOpensAsNew() async throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("interrupted.sqlite")
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)") }
            try queue.close()
            let database = try GenmonDatabase(path: path)
            #expect(try await database.appliedMigrations() == Schema.identifiers)
        }

        @Test func aDatabaseFromANewerGenmonIsRefused() async throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("newer.sqlite")
            try GenmonDatabase(path: path).close()
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9-from-the-future')") }
            try queue.close()
            #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["v9-from-the-future"])) { try GenmonDatabase(path: path) }
        }

        @Test func anotherProgramsDatabaseIsRefusedAndLeftUntouched() async throws {
            let directory = try TemporaryDirectory()
            for applicationID in [0, 1234] {
                let path = directory.path("other-\(applicationID).sqlite")
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in
                    try db.execute(sql: "PRAGMA application_id = \(applicationID); CREATE TABLE contacts (name TEXT)")
                }
                try queue.close()
                let before = try Data(contentsOf: URL(fileURLWithPath: path))
                #expect(throws: StoreError.foreignDatabase(path: path)) { try GenmonDatabase(path: path) }
                if applicationID != 0 { // refused from its header, before SQLite opens it
                    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
                }
            }
        }

        @Test(arguments: [Data("not a database, just some text\n".utf8), Data(repeating: 0xA5, count: 64 * 1024), Data([0x53, 0x51])])
        func aFileThatIsNotSQLiteIsRefusedWithATypedError(contents: Data) throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("junk.sqlite")
            try contents.write(to: URL(fileURLWithPath: path))
            #expect(throws: StoreError.notADatabase(path: path)) { try GenmonDatabase(path: path) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == contents)
        }

        @Test func anEmptyFileBecomesANewDatabase() async throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("empty.sqlite")
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let database = try GenmonDatabase(path: path)
            #expect(try await database.appliedMigrations() == Schema.identifiers)
        }

        @Test func aDamagedFileGivesATypedErrorNotACrash() async throws {
            let directory = try TemporaryDirectory()
            let path = directory.path("damaged.sqlite")
            do {
                let database = try GenmonDatabase(path: path)
                // Enough rows for many pages, in one transaction (the test is about reading, not writing).
                try await database.writer.write { db in
                    for index in 0..<2000 {
                        try db.execute(sql: #"INSERT INTO event (time, name, severity, kind) VALUES (?, 'alarm_cleared', 'info', ?)"#,
                                       arguments: [index, #"{"alarmCleared":{"text":"\#(String(repeating: "x", count: 100))"}}"#])
                    }
                }
                try database.close()
            }
            // Overwrite the back half of the file, where the events' pages are; the schema stays readable.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let half = bytes.count / 2 / 4096 * 4096
            bytes.replaceSubrange(half..<bytes.count, with: (half..<bytes.count).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try bytes.write(to: URL(fileURLWithPath: path))

            do {
                let database = try GenmonDatabase(path: path)
                let error = await #expect(throws: StoreError.self) { _ = try await database.events(limit: 10_000) }
                guard case .corrupt = error else {
                    Issue.record("expected .corrupt, got \(String(describing: error))")
                    return
                }
                #expect(try await database.integrityProblems().isEmpty == false)
            } catch let error as StoreError {
                // Refusing the file outright is as good, as long as it says why.
                guard case .corrupt = error else {
                    Issue.record("expected .corrupt, got \(error)")
                    return
                }
            }
        }

        @Test func aPathThatCannotBeCreatedGivesATypedError() throws {
            let path = "/nonexistent-genmon-directory/sub/genmon.sqlite"
            let error = #expect(throws: StoreError.self) { try GenmonDatabase(path: path) }
            guard case .cannotOpen = error else {
                Issue.record("expected .cannotOpen, got \(String(describing: error))")
                return
            }
        }

        @Test func nonsenseConfigurationIsRefused() {
            var configuration = StoreConfiguration()
            configuration.retention.rawSamples = -1
            #expect(throws: StoreError.self) { try GenmonDatabase.inMemory(configuration: configuration) }
            configuration = StoreConfiguration(sampleInterval: .nan)
            #expect(throws: StoreError.self) { try GenmonDatabase.inMemory(configuration: configuration) }
            configuration = StoreConfiguration(chartRowBudget: 0)
            #expect(throws: StoreError.self) { try GenmonDatabase.inMemory(configuration: configuration) }
        }
    }
}
