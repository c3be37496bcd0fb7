import Foundation
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    @Suite("Concurrent writers and readers")
    struct ConcurrencyTests {
        /// Writers record events and sample batches while readers list and chart. Every read must see a
        /// consistent snapshot: whole batches only, counts that never go back, and in the end, everything.
        @Test func readersSeeWholeCommitsWhileWritersWrite() async throws {
            let directory = try TemporaryDirectory()
            let database = try GenmonDatabase(path: directory.path("concurrent.sqlite"))
            // Writers' times are hours apart but all within raw retention, so nothing expires meanwhile.
            let writers = 3, writesPerWriter = 40, batch = 6, readers = 3

            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<writesPerWriter {
                            let time = Double(writer * 10_000 + index * 60)
                            try await database.record(MonitorEvent(time: at(time), kind: .serviceDue(item: "w\(writer)-\(index)")))
                            try await database.record((0..<batch).map { sample(time + Double($0) * 10, Double(index)) })
                            if index % 20 == 19 { try await database.maintain(now: at(time)) }
                        }
                    }
                }
                for _ in 0..<readers {
                    group.addTask {
                        var lastEvents = 0
                        for _ in 0..<25 {
                            let events = try await database.events(limit: 10_000)
                            #expect(events.count >= lastEvents)
                            lastEvents = events.count
                            let samples = try await database.rawSamples(from: at(0), to: at(Double(writers) * 10_000))
                            #expect(samples.count % batch == 0, "a batch was seen half-written")
                            let chart = try await database.samples(from: at(0), to: at(Double(writers) * 10_000), maxPoints: 100)
                            #expect(chart.points.count <= 100)
                            await Task.yield()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await database.events(limit: 10_000).count == writers * writesPerWriter)
            #expect(try await database.rawSamples(from: at(0), to: at(Double(writers) * 10_000)).count == writers * writesPerWriter * batch)
            #expect(try await database.integrityProblems().isEmpty)
        }
    }
}
