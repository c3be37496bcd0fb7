import Foundation
import Monitor
import Testing
@testable import Store

extension StoreTestSuite {
    @Suite("Records round-trip")
    struct RecordRoundTripTests {
        @Test func everyEventKindComesBackAsRecorded() async throws {
            let database = try memoryDatabase()
            let events = everyEventKind.enumerated().map { MonitorEvent(time: at(Double($0.offset) + 0.123), kind: $0.element) }
            for event in events { try await database.record(event) }
            let stored = try await database.events(limit: 100).map(\.record)
            #expect(stored == events.reversed())
        }

        @Test func auditRecordsComeBackAsRecorded() async throws {
            let database = try memoryDatabase()
            let records = CommandOrigin.Interface.allCases.enumerated().map { index, interface in
                AuditRecord(time: at(Double(index)), origin: CommandOrigin(interface: interface, principal: "user\(index)", mayControl: index % 2 == 0),
                            command: "setexercise=Monday,13:00,Weekly", result: [.confirmed, .sent, .unconfirmed, .refused, .failed][index % 5],
                            message: "message \(index)", duration: Double(index) * 1.5)
            }
            for record in records { try await database.record(record) }
            #expect(try await database.audits().map(\.record) == records.reversed())
        }

        @Test func outagesComeBackAsRecorded() async throws {
            let database = try memoryDatabase()
            let outages = [OutageRecord(start: at(0), end: at(3725), fuelEstimate: "0.42 gal"),
                           OutageRecord(start: at(day), end: at(day + 60), fuelEstimate: nil),
                           OutageRecord(start: at(2 * day), end: at(2 * day + 1), fuelEstimate: "")]
            for outage in outages { try await database.record(outage) }
            #expect(try await database.outages(limit: 10) == outages.reversed())
        }

        @Test(arguments: awkwardStrings)
        func stringsOfAnySizeAndScriptSurviveInEveryTextField(text: String) async throws {
            let database = try memoryDatabase()
            let event = MonitorEvent(time: at(0), kind: .alarmRaised(text: text, code: 1, isWarning: true))
            let audit = AuditRecord(time: at(0), origin: CommandOrigin(interface: .web, principal: text, mayControl: true),
                                    command: text, result: .sent, message: text, duration: 1)
            let outage = OutageRecord(start: at(0), end: at(1), fuelEstimate: text)
            try await database.record(event)
            try await database.record(audit)
            try await database.record(outage)
            #expect(try await database.events().map(\.record) == [event])
            #expect(try await database.audits().map(\.record) == [audit])
            #expect(try await database.audits(AuditFilter(principal: text)).map(\.record) == [audit])
            #expect(try await database.outages(limit: 1) == [outage])
        }

        @Test func timesAreRoundedToTheNearestMillisecond() async throws {
            let database = try memoryDatabase()
            try await database.record(MonitorEvent(time: epoch.addingTimeInterval(0.123_456), kind: .alarmCleared(text: "x")))
            try await database.record(MonitorEvent(time: epoch.addingTimeInterval(1.000_6), kind: .alarmCleared(text: "y")))
            #expect(try await database.events().map(\.record.time) == [at(1.001), at(0.123)])
        }

        @Test func nonFiniteDurationsSurviveInsteadOfFailingTheWrite() async throws {
            let database = try memoryDatabase()
            try await database.record(MonitorEvent(time: at(0), kind: .outageEnded(duration: .infinity)))
            try await database.record(MonitorEvent(time: at(1), kind: .communicationLost(silentFor: .nan)))
            try await database.record(AuditRecord(time: at(2), origin: CommandOrigin(interface: .cli, principal: "", mayControl: false),
                                                  command: "c", result: .failed, message: "", duration: .nan))
            let kinds = try await database.events().map(\.record.kind)
            guard case let .communicationLost(silent) = kinds[0], case let .outageEnded(duration) = kinds[1] else {
                Issue.record("unexpected kinds \(kinds)")
                return
            }
            #expect(silent.isNaN)
            #expect(duration == .infinity)
            #expect(try #require(try await database.audits().first).record.duration.isNaN)
        }

        @Test func aTimeThatIsNotADateIsRefusedWithATypedError() async throws {
            let database = try memoryDatabase()
            let bad = Date(timeIntervalSince1970: .infinity)
            await #expect(throws: StoreError.self) { try await database.record(MonitorEvent(time: bad, kind: .alarmCleared(text: "x"))) }
            await #expect(throws: StoreError.self) { try await database.record(OutageRecord(start: at(0), end: bad)) }
            await #expect(throws: StoreError.self) {
                try await database.record(AuditRecord(time: Date(timeIntervalSince1970: .nan), origin: CommandOrigin(interface: .cli, principal: "", mayControl: false),
                                                      command: "", result: .sent, message: "", duration: 0))
            }
            #expect(try await database.events().isEmpty)
        }

        @Test func samplesComeBackAsRecordedWithNonFiniteValuesAsMissing() async throws {
            let database = try memoryDatabase()
            let good = sample(0, 240.5, power: .some(nil))
            let odd = HistorySample(time: at(10), utilityVolts: .nan, batteryVolts: .infinity, outputVolts: -.infinity,
                                    frequencyHz: 60, rpm: 1800, powerKW: .nan)
            try await database.record([good, odd])
            let back = try await database.rawSamples(from: at(0), to: at(60))
            #expect(back.count == 2)
            #expect(back[0] == good)
            #expect(back[1].utilityVolts.isNaN && back[1].batteryVolts.isNaN && back[1].outputVolts.isNaN)
            #expect(back[1].frequencyHz == 60 && back[1].rpm == 1800 && back[1].powerKW == nil)
        }

        @Test func samplesWithoutAUsableTimeAreDroppedAndTheRestKept() async throws {
            let database = try memoryDatabase()
            try await database.record([sample(0, 1),
                                       HistorySample(time: Date(timeIntervalSince1970: .nan), utilityVolts: 1, batteryVolts: 1, outputVolts: 1, frequencyHz: 1, rpm: 1, powerKW: 1),
                                       HistorySample(time: Date(timeIntervalSince1970: -5), utilityVolts: 1, batteryVolts: 1, outputVolts: 1, frequencyHz: 1, rpm: 1, powerKW: 1),
                                       sample(10, 2)])
            #expect(try await database.rawSamples(from: Date(timeIntervalSince1970: -100), to: at(60)).map(\.time) == [at(0), at(10)])
        }

        @Test func theDatabaseServesAsTheMonitorsPersistence() async throws {
            let persistence: any MonitorPersistence = try memoryDatabase()
            try await persistence.record(OutageRecord(start: at(0), end: at(10)))
            try await persistence.record([sample(0, 1)])
            #expect(try await persistence.outages(limit: 5).count == 1)
        }
    }
}
