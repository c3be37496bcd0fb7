import Foundation
import Generac
import GenmonConfig
import GenmonTesting
import Monitor
import Simulator
@testable import Notify

/// Shared test values: a planner on exact instants, snapshots, events.
enum NotifyFixture {
    static let utc = TimeZone(identifier: "UTC")!
    static let start = Date(timeIntervalSince1970: 1_764_083_232)  // 2025-11-25 15:07:12 UTC

    static func settings(settle: Duration = .seconds(3), repeatInterval: Duration = .seconds(300), recurring: Duration? = nil,
                         rules: [ThresholdRuleSpec] = []) -> NotificationPlanner.Settings {
        NotificationPlanner.Settings(siteName: "Cabin", timeZone: utc, settle: settle, repeatInterval: repeatInterval,
                                     recurringOutageInterval: recurring, rules: rules, hostAddress: "192.0.2.7", version: "test")
    }

    /// A snapshot of the Evolution liquid-cooled simulator's registers, as a monitor sees it at `date`.
    static func snapshot(at date: Date = start) -> GeneratorSnapshot {
        let model = GeneratorModel(profile: ControllerProfile.standard(.evolutionLiquidCooled, start: date), start: date, timeZone: utc)
        return GeneratorSnapshot.fromImage(model.image, timeZone: utc, siteName: "Cabin", now: date)
    }
}

/// Drives a planner the way the engine does, on a virtual timeline: events at given offsets, a tick
/// every `step`, everything it says collected with the offset it said it at.
struct PlannerRun {
    var planner: NotificationPlanner
    let origin = ContinuousClock.now
    let startDate: Date
    private(set) var said: [(at: Double, draft: NotificationDraft)] = []
    private(set) var elapsed: Double = 0

    init(_ settings: NotificationPlanner.Settings, startDate: Date = NotifyFixture.start) {
        planner = NotificationPlanner(settings: settings)
        self.startDate = startDate
    }

    func instant(_ offset: Double) -> ContinuousClock.Instant { origin + .seconds(double: offset) }
    func date(_ offset: Double) -> Date { startDate.addingTimeInterval(offset) }

    /// Moves time to `offset`, ticking every `step` seconds on the way.
    mutating func advance(to offset: Double, step: Double = 0.25) {
        while elapsed + step <= offset + 1e-9 {
            elapsed += step
            record(planner.tick(now: instant(elapsed), date: date(elapsed)))
        }
        elapsed = max(elapsed, offset)
    }

    mutating func event(_ kind: MonitorEvent.Kind, at offset: Double, dated: Double? = nil) {
        advance(to: offset)
        record(planner.observe(MonitorEvent(time: date(dated ?? offset), kind: kind), now: instant(offset)))
    }

    mutating func snapshot(_ snapshot: GeneratorSnapshot, at offset: Double) {
        advance(to: offset)
        record(planner.observe(snapshot, now: instant(offset)))
    }

    private mutating func record(_ drafts: [NotificationDraft]) {
        for draft in drafts { said.append((elapsed, draft)) }
    }

    var subjects: [String] { said.map(\.draft.subject) }
}
