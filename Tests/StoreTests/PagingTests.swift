import Foundation
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    @Suite("Ordering, paging and filters")
    struct PagingTests {
        /// 25 events; every fifth pair shares a time, so order among equal times (by id) is exercised.
        func databaseWithEvents() async throws -> (GenmonDatabase, [MonitorEvent]) {
            let database = try memoryDatabase()
            var events: [MonitorEvent] = []
            for index in 0..<25 {
                let time = at(Double(index - index % 5 / 4))
                let kind: MonitorEvent.Kind = switch index % 3 {
                case 0: .alarmRaised(text: "alarm \(index)", code: index, isWarning: false)
                case 1: .serviceDue(item: "item \(index)")
                default: .engineStateChanged(from: "a", to: "\(index)")
                }
                events.append(MonitorEvent(time: time, kind: kind))
            }
            // Recorded out of time order: the list must still come out newest first.
            for event in events.shuffled() { try await database.record(event) }
            return (database, events)
        }

        @Test func eventsComeNewestFirstAndEqualTimesByLatestId() async throws {
            let (database, _) = try await databaseWithEvents()
            let page = try await database.events(limit: 100)
            #expect(page.count == 25)
            for (newer, older) in zip(page, page.dropFirst()) {
                #expect(newer.record.time > older.record.time || (newer.record.time == older.record.time && newer.id > older.id))
            }
        }

        @Test(arguments: [1, 4, 7, 25, 30])
        func pagingWithCursorsVisitsEveryEventOnceInOrder(pageSize: Int) async throws {
            let (database, events) = try await databaseWithEvents()
            let all = try await database.events(limit: 100)
            var seen: [Stored<MonitorEvent>] = []
            var cursor: PageCursor?
            while true {
                let page = try await database.events(before: cursor, limit: pageSize)
                #expect(page.count <= pageSize)
                guard let last = page.last else { break }
                seen += page
                cursor = last.cursor
            }
            #expect(seen == all)
            #expect(seen.count == events.count)
        }

        @Test func pagingIsStableWhileNewerEventsArrive() async throws {
            let (database, _) = try await databaseWithEvents()
            let first = try await database.events(limit: 10)
            try await database.record(MonitorEvent(time: at(1000), kind: .alarmCleared(text: "new")))
            let second = try await database.events(before: first.last?.cursor, limit: 10)
            let expected = try await database.events(limit: 21).dropFirst(11)
            #expect(second == Array(expected))
        }

        @Test func aCursorBeforeADateStartsStrictlyBeforeIt() async throws {
            let (database, events) = try await databaseWithEvents()
            let page = try await database.events(before: try PageCursor.before(at(10)), limit: 100)
            #expect(page.count == events.filter { $0.time < at(10) }.count)
            #expect(page.allSatisfy { $0.record.time < at(10) })
        }

        @Test func eventsFilterBySeverityNameAndTime() async throws {
            let (database, events) = try await databaseWithEvents()
            let critical = try await database.events(EventFilter(minimumSeverity: .critical))
            #expect(critical.count == events.filter { $0.severity == .critical }.count)
            let warnings = try await database.events(EventFilter(minimumSeverity: .warning))
            #expect(warnings.count == events.filter { $0.severity >= .warning }.count)
            #expect(warnings.count > critical.count)
            let named = try await database.events(EventFilter(names: ["engine_state_changed"]))
            #expect(named.count == events.filter { $0.name == "engine_state_changed" }.count)
            #expect(try await database.events(EventFilter(names: [])).isEmpty)
            let recent = try await database.events(EventFilter(minimumSeverity: .warning, since: at(15)))
            #expect(recent.map(\.record) == warnings.map(\.record).filter { $0.time >= at(15) })
        }

        @Test func auditRecordsPageAndFilterByInterfaceResultAndPrincipal() async throws {
            let database = try memoryDatabase()
            for index in 0..<30 {
                let interface: CommandOrigin.Interface = index % 2 == 0 ? .web : .mqtt
                try await database.record(AuditRecord(time: at(Double(index)), origin: CommandOrigin(interface: interface, principal: "p\(index % 3)", mayControl: true),
                                                      command: "c\(index)", result: index % 5 == 0 ? .refused : .confirmed, message: "", duration: 0))
            }
            var commands: [String] = []
            var cursor: PageCursor?
            repeat {
                let page = try await database.audits(before: cursor, limit: 7)
                commands += page.map(\.record.command)
                cursor = page.last?.cursor
            } while cursor != nil
            #expect(commands == (0..<30).reversed().map { "c\($0)" })
            #expect(try await database.audits(AuditFilter(interfaces: [.mqtt])).count == 15)
            #expect(try await database.audits(AuditFilter(results: [.refused])).map(\.record.command) == ["c25", "c20", "c15", "c10", "c5", "c0"])
            #expect(try await database.audits(AuditFilter(interfaces: [.web], results: [.refused], principal: "p0")).map(\.record.command) == ["c0"])
            #expect(try await database.audits(AuditFilter(principal: "p1", since: at(20))).map(\.record.command) == ["c28", "c25", "c22"])
        }

        @Test func outagesComeNewestFirstAndTheLimitIsHonoured() async throws {
            let database = try memoryDatabase()
            let starts = (0..<150).map { Double($0) * hour }.shuffled()
            for start in starts { try await database.record(OutageRecord(start: at(start), end: at(start + 60))) }
            let latest = try await database.outages(limit: 100)
            #expect(latest.count == 100)
            #expect(latest.map(\.start) == (50..<150).reversed().map { at(Double($0) * hour) })
            #expect(try await database.outages(limit: 0).isEmpty)
            #expect(try await database.outages(limit: -1).isEmpty)
            let older = try await database.outagePage(before: try PageCursor.before(at(50 * hour)), limit: 1000)
            #expect(older.count == 50)
        }
    }

    @Suite("Cursors")
    struct CursorTests {
        @Test func aCursorSurvivesATripThroughJSON() async throws {
            let database = try memoryDatabase()
            for index in 0..<5 { try await database.record(MonitorEvent(time: at(Double(index) + 0.5), kind: .alarmCleared(text: "\(index)"))) }
            let first = try await database.events(limit: 2)
            let json = try JSONEncoder().encode(try #require(first.last).cursor)
            let cursor = try JSONDecoder().decode(PageCursor.self, from: json)
            #expect(cursor.time == at(3.5))
            #expect(try await database.events(before: cursor, limit: 10).map(\.record.time) == [at(2.5), at(1.5), at(0.5)])
            #expect(try await database.events(before: try PageCursor(time: cursor.time, id: cursor.id), limit: 1).count == 1)
        }
    }
}
