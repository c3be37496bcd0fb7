import Foundation
import GenmonTesting
import Monitor
import Testing
@testable import Store
#if canImport(Glibc)
import Glibc
#endif

extension StoreTestSuite {
    /// "A `kill -9` at any moment loses no committed record": the real `genmon store-torture` writes in a
    /// loop and prints each acknowledged write; it is killed mid-stream, and every acknowledged write
    /// must then be in the database, which must pass `integrity_check`.
    @Suite("Durability under kill -9", .tags(.process), .slowTier)
    struct DurabilityTests {
        enum KillMoment: Sendable, CustomStringConvertible {
            /// Before anything is acknowledged: while the file is opened, created or migrated.
            case afterDelay(milliseconds: Int)
            case afterAcknowledgements(Int)

            var description: String {
                switch self {
                case let .afterDelay(milliseconds): "after \(milliseconds) ms"
                case let .afterAcknowledgements(count): "after \(count) acknowledgements"
                }
            }
        }

        @Test(.timeLimit(.minutes(3)))
        func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
            let genmon = try #require(GenmonExecutable.url, "the genmon executable is not next to the test bundle; build with --build-tests")
            let directory = try TemporaryDirectory()
            let path = directory.path("torture.sqlite")
            // Several kills of the same file, each at a different moment (and so a different kind of write).
            // The first ack comes some 25 ms after launch on a new file, so the early kills land while the
            // process starts, creates the file or runs the migrations.
            let moments: [KillMoment] = [.afterDelay(milliseconds: 18), .afterDelay(milliseconds: 24), .afterAcknowledgements(213),
                                         .afterAcknowledgements(401), .afterAcknowledgements(602), .afterAcknowledgements(999)]
            var acknowledged: [String] = []
            for (round, moment) in moments.enumerated() {
                let lines = try await Self.runUntilKilled(genmon, arguments: [
                    "store-torture", "--database", path, "--count", "1000000", "--tag", "r\(round)",
                    "--epoch", String(1_767_225_600 + round * 86_400),
                ], moment: moment)
                if case let .afterAcknowledgements(count) = moment {
                    #expect(lines.count >= count, "round \(round): the writer stopped early")
                }
                acknowledged += lines
                print("store-torture round \(round): killed \(moment), \(lines.count) writes acknowledged")

                let database = try GenmonDatabase(path: path)
                #expect(try await database.integrityProblems().isEmpty, "round \(round) killed \(moment)")
                // Samples of this round (later rounds' maintenance passes, a day on, expire earlier ones),
                // and records of every round so far.
                try await Self.expectPresent(lines.filter { $0.hasPrefix("samples ") }, in: database)
                try await Self.expectPresent(acknowledged.filter { !$0.hasPrefix("samples ") }, in: database)
                try database.close()
            }
            #expect(acknowledged.count > 2000)
        }

        /// The riskiest moments are while a new file is created and migrated: kill at many points
        /// across start-up, and the file must still open, migrate and pass its check. A sample, not a
        /// proof: the window between GRDB's first table and the first migration is under a
        /// millisecond (`aFileLeftByACrashBeforeTheFirstMigrationOpensAsNew` pins that one down).
        @Test(.timeLimit(.minutes(2)))
        func aKillWhileANewFileIsCreatedNeverLeavesItUnusable() async throws {
            let genmon = try #require(GenmonExecutable.url, "the genmon executable is not next to the test bundle")
            let directory = try TemporaryDirectory()
            var landed: [String: Int] = [:]
            for (index, delay) in stride(from: 8, through: 46, by: 2).enumerated() {
                let path = directory.path("new-\(index).sqlite")
                let lines = try await Self.runUntilKilled(genmon, arguments: ["store-torture", "--database", path, "--count", "1000000"],
                                                          moment: .afterDelay(milliseconds: delay))
                let moment = !FileManager.default.fileExists(atPath: path) ? "before the file existed"
                    : lines.isEmpty ? "while opening or migrating" : "while writing"
                landed[moment, default: 0] += 1
                let database = try GenmonDatabase(path: path)
                #expect(try await database.appliedMigrations() == Schema.identifiers, "killed after \(delay) ms")
                #expect(try await database.integrityProblems().isEmpty, "killed after \(delay) ms")
                try await Self.expectPresent(lines, in: database)
                try database.close()
            }
            print("Kills during start-up landed: " + landed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }

        /// Every acknowledged event, audit record, outage and sample batch is in the database.
        static func expectPresent(_ lines: [String], in database: GenmonDatabase) async throws {
            let events = Set(try await allPages { try await database.events(before: $0, limit: 1000) }.compactMap { stored -> String? in
                guard case let .commandCompleted(command, _, _) = stored.record.kind else { return nil }
                return command
            })
            let audits = Set(try await allPages { try await database.audits(before: $0, limit: 1000) }.map(\.record.command))
            let outages = Set(try await allPages { try await database.outagePage(before: $0, limit: 1000) }.compactMap(\.record.fuelEstimate))
            for line in lines {
                let words = line.split(separator: " ").map(String.init)
                guard words.count >= 2 else {
                    Issue.record("unexpected line \(line)")
                    continue
                }
                switch words[0] {
                case "event": #expect(events.contains(words[1]), "lost \(line)")
                case "audit": #expect(audits.contains(words[1]), "lost \(line)")
                case "outage": #expect(outages.contains(words[1]), "lost \(line)")
                case "samples":
                    let start = Date(timeIntervalSince1970: try #require(TimeInterval(words[2])))
                    let samples = try await database.rawSamples(from: start, to: start.addingTimeInterval(60))
                    #expect(samples.count == 6, "lost \(line)")
                case "maintain": break
                default: Issue.record("unexpected line \(line)")
                }
            }
        }

        static func allPages<Record>(_ page: (PageCursor?) async throws -> [Stored<Record>]) async throws -> [Stored<Record>] {
            var all: [Stored<Record>] = []
            var cursor: PageCursor?
            while true {
                let next = try await page(cursor)
                guard let last = next.last else { return all }
                all += next
                cursor = last.cursor
            }
        }

        /// Runs genmon, SIGKILLs it at `moment`, and returns every line it printed (lines already in the
        /// pipe when it died were acknowledged before it died, so they count).
        static func runUntilKilled(_ executable: URL, arguments: [String], moment: KillMoment) async throws -> [String] {
            let genmon = try await RunningProcess.start(executable, arguments, errors: .separate)
            switch moment {
            case let .afterDelay(milliseconds):
                try await Task.sleep(for: .milliseconds(milliseconds))
            case let .afterAcknowledgements(count):
                // Whatever happens, it dies within a minute.
                let deadline = ContinuousClock.now + .seconds(60)
                while genmon.output.utf8.count(where: { $0 == UInt8(ascii: "\n") }) < count, genmon.isRunning, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            genmon.signal(SIGKILL)
            let end = await genmon.waitForExit(timeout: .seconds(60))
            #expect(end?.reason == .uncaughtSignal, "genmon was not killed: \(genmon.errorOutput)")
            let text = genmon.output
            // A last line without its newline was being printed when the kill came: not acknowledged.
            return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                .dropLast(text.hasSuffix("\n") || text.isEmpty ? 0 : 1)
        }
    }
}
