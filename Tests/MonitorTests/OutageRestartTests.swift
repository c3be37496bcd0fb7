import Foundation
import Generac
import GenmonTesting
@testable import Monitor
import Testing

/// An outage survives a restart of genmon: continued with its start, or closed at the first
/// reading and marked when the utility came back meanwhile. On a manual clock.
@Suite("Outages across restarts", .timeLimit(.minutes(1)))
struct OutageRestartTests {
    @Test("restarted in the middle of an outage, genmon continues it with its original start")
    func restartDuringOutage() async throws {
        let store = InMemoryPersistence()
        let first = ClockedMonitorRig(persistence: store)
        _ = try #require(await first.run(until: .seconds(60)) { $0.isInitialized })
        await first.sim("utility off")
        let started = try #require(await first.run(until: .seconds(5)) { $0.outage.inOutage }?.outage.currentStart)
        await first.run(for: .seconds(70))
        // Killed: nothing more is written than what the monitor wrote while it ran.
        let kept = try #require(await store.inProgress)
        #expect(kept.start == started)
        #expect(first.clock.date.timeIntervalSince(kept.lastSeen) <= 61)
        await first.stop()

        let restartedAt = first.clock.date.addingTimeInterval(30)
        let second = ClockedMonitorRig(start: restartedAt, persistence: store)
        await second.sim("utility off")
        let going = try #require(await second.run(until: .seconds(60)) { $0.isInitialized })
        #expect(going.outage.inOutage)
        #expect(going.outage.currentStart == started, "not the restart time")
        await second.run(for: .seconds(20))
        await second.sim("utility on")
        let ended = try #require(await second.run(until: .seconds(5)) { !$0.outage.inOutage })
        await second.stop()
        let record = try #require(ended.outage.last)
        #expect(record.start == started)
        #expect(record.unobservedFrom == nil)
        #expect(record.duration > 100, "from the first run's start: \(record.duration) s")
        #expect(await store.outageRecords == [record])
        #expect(await store.inProgress == nil)
    }

    @Test("the utility came back while genmon was down: the outage is closed at the first reading, marked, and the event says so")
    func utilityReturnedWhileDown() async throws {
        let store = InMemoryPersistence()
        let first = ClockedMonitorRig(persistence: store)
        _ = try #require(await first.run(until: .seconds(60)) { $0.isInitialized })
        await first.sim("utility off")
        let started = try #require(await first.run(until: .seconds(5)) { $0.outage.inOutage }?.outage.currentStart)
        await first.run(for: .seconds(10))
        await first.stop()
        let lastSeen = try #require(await store.inProgress?.lastSeen)

        let second = ClockedMonitorRig(start: first.clock.date.addingTimeInterval(120), persistence: store)
        let events = second.monitor.events()
        let ready = try #require(await second.run(until: .seconds(60)) { $0.isInitialized && !$0.outage.inOutage })
        await second.run(for: .seconds(2))
        await second.stop()
        let record = try #require(ready.outage.last)
        #expect(record.start == started)
        #expect(record.unobservedFrom == lastSeen)
        #expect(record.end >= lastSeen.addingTimeInterval(120))
        #expect(await store.outageRecords == [record])
        #expect(await store.inProgress == nil)
        var summaries: [String] = []
        for await event in events where event.name == "outage_ended" { summaries.append(event.summary) }
        #expect(summaries.count == 1)
        #expect(summaries.first?.contains("while genmon was not running") == true, "\(summaries)")
    }

    @Test("an outage tracker resumed after a restart continues while the utility is low and ends marked when it is back")
    func trackerResume() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        var going = OutageTracker()
        going.resume(OutageInProgress(start: t0, lastSeen: t0 + 50))
        #expect(going.update(volts: 0, threshold: 156, pickup: 190, nominal: 240, at: t0 + 100) == nil)
        #expect(going.inOutage && going.start == t0 && going.resumedUnseenSince == nil)
        #expect(going.update(volts: 240, threshold: 156, pickup: 190, nominal: 240, at: t0 + 130) == .ended(OutageRecord(start: t0, end: t0 + 130)))

        var back = OutageTracker()
        back.resume(OutageInProgress(start: t0, lastSeen: t0 + 50))
        #expect(back.update(volts: 9999, threshold: 156, pickup: 190, nominal: 240, at: t0 + 99) == nil, "noise is not a reading")
        #expect(back.update(volts: 240, threshold: 156, pickup: 190, nominal: 240, at: t0 + 100)
            == .ended(OutageRecord(start: t0, end: t0 + 100, unobservedFrom: t0 + 50)))
        #expect(!back.inOutage)
    }
}
