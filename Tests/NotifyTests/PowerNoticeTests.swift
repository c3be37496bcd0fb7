import Foundation
import GenmonConfig
import Monitor
@testable import Notify
import Testing

/// Utility power as people hear about it: the original's subjects and lines, one message per
/// settled change, flickers counted rather than mailed.
@Suite("Outage notices")
struct PowerNoticeTests {
    static func outage(_ run: inout PlannerRun, from start: Double, for length: Double) {
        run.event(.outageStarted(utilityVolts: 0), at: start)
        run.event(.outageEnded(duration: length), at: start + length)
    }

    @Test("an outage is announced once its settle window has passed, with the original's subject and line")
    func outageAnnounced() throws {
        var run = PlannerRun(NotifyFixture.settings())
        run.event(.outageStarted(utilityVolts: 0), at: 10)
        run.advance(to: 12.9)
        #expect(run.said.isEmpty, "held for the settle window")
        run.advance(to: 13.5)
        let said = try #require(run.said.first)
        #expect(run.said.count == 1)
        #expect(said.draft.subject == "Outage Notice at Cabin")
        #expect(said.draft.category == .outage)
        #expect(said.draft.headline == "Utility Power Out at 2025-11-25 15:07:22")
        #expect(said.at <= 13.25)
    }

    @Test("the end of an announced outage is a recovery notice with the outage's duration")
    func recovery() throws {
        var run = PlannerRun(NotifyFixture.settings())
        run.event(.outageStarted(utilityVolts: 0), at: 0)
        run.event(.outageEnded(duration: 125), at: 125)
        run.advance(to: 200)
        #expect(run.subjects == ["Outage Notice at Cabin", "Outage Recovery Notice at Cabin"])
        let recovery = try #require(run.said.last?.draft)
        #expect(recovery.headline == "Utility Power Restored at 2025-11-25 15:09:17. Duration of outage 0:02:05")
    }

    @Test("an outage that starts and ends inside the settle window is one message saying so")
    func briefOutageIsOneMessage() throws {
        var run = PlannerRun(NotifyFixture.settings())
        Self.outage(&run, from: 5, for: 2)
        run.advance(to: 60)
        #expect(run.subjects == ["Outage Recovery Notice at Cabin"])
        #expect(run.said[0].draft.headline.contains("Utility Power Out at 2025-11-25 15:07:17 and Restored at 2025-11-25 15:07:19"))
        #expect(run.said[0].draft.headline.contains("Duration of outage 0:00:02"))
    }

    @Test("a flapping utility, ten drops of 2 s within a minute, produces at most two messages", arguments: [0.5, 1.0, 3.0, 4.0])
    func flappingUtility(upBetween: Double) {
        var run = PlannerRun(NotifyFixture.settings())
        var time = 1.0
        for _ in 0..<10 {
            Self.outage(&run, from: time, for: 2)
            time += 2 + upBetween
        }
        #expect(time <= 61)
        // Long after: nothing held back comes out later either.
        run.advance(to: 3600, step: 1)
        #expect(run.said.count <= 2, "\(run.said.map { "\($0.at): \($0.draft.subject): \($0.draft.headline)" })")
        #expect(run.said.count >= 1)
        // People learn that it flickered, and that power is on now.
        let last = run.said.last?.draft
        #expect(last?.subject == "Outage Recovery Notice at Cabin")
        let told = run.said.map { ([$0.draft.headline] + $0.draft.details).joined(separator: " ") }.joined(separator: " | ")
        #expect(told.contains(" times"), "\(told)")
    }

    @Test("power that stays out after flickering is announced, and the flickers are told in the notice")
    func flickersThenOut() throws {
        var run = PlannerRun(NotifyFixture.settings())
        Self.outage(&run, from: 0, for: 1)
        Self.outage(&run, from: 2, for: 1)
        run.event(.outageStarted(utilityVolts: 0), at: 4)
        run.advance(to: 30)
        #expect(run.subjects == ["Outage Notice at Cabin"])
        let notice = try #require(run.said.first?.draft)
        #expect(notice.headline == "Utility Power Out at 2025-11-25 15:07:16")
        #expect(notice.details.contains { $0.contains("failed briefly 2 times") })
    }

    @Test("a recurring notice every outage_notice_interval while the outage lasts, none after it ends")
    func recurringNotice() {
        var run = PlannerRun(NotifyFixture.settings(recurring: .seconds(600)))
        run.event(.outageStarted(utilityVolts: 0), at: 0)
        run.advance(to: 1900, step: 1)
        run.event(.outageEnded(duration: 1900), at: 1900)
        run.advance(to: 4000, step: 1)
        #expect(run.subjects == ["Outage Notice at Cabin", "Recurring Outage Notice at Cabin", "Recurring Outage Notice at Cabin",
                                 "Recurring Outage Notice at Cabin", "Outage Recovery Notice at Cabin"])
        #expect(run.said[1].draft.headline.contains("0:10:0"))
    }

    @Test("a second outage soon after the first waits for the repeat interval, then is told if still true")
    func repeatIntervalHoldsAndReleases() {
        var run = PlannerRun(NotifyFixture.settings(repeatInterval: .seconds(300)))
        run.event(.outageStarted(utilityVolts: 0), at: 0)
        run.event(.outageEnded(duration: 60), at: 60)
        run.event(.outageStarted(utilityVolts: 0), at: 120)
        run.advance(to: 299, step: 1)
        #expect(run.subjects == ["Outage Notice at Cabin", "Outage Recovery Notice at Cabin"])
        run.advance(to: 320, step: 1)
        #expect(run.subjects == ["Outage Notice at Cabin", "Outage Recovery Notice at Cabin", "Outage Notice at Cabin"])
        #expect(run.said[2].at >= 300)
        #expect(run.said[2].draft.headline == "Utility Power Out at 2025-11-25 15:09:12")
    }

    @Test("with a zero settle window every change is told at once")
    func noSettle() {
        var run = PlannerRun(NotifyFixture.settings(settle: .zero, repeatInterval: .zero))
        run.event(.outageStarted(utilityVolts: 0), at: 1)
        run.advance(to: 1.25)
        run.event(.outageEnded(duration: 1), at: 2)
        run.advance(to: 2.25)
        #expect(run.subjects == ["Outage Notice at Cabin", "Outage Recovery Notice at Cabin"])
    }
}
