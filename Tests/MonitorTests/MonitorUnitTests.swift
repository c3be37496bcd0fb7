import Foundation
import Generac
@testable import Monitor
import Testing

@Suite("Outage tracking")
struct OutageTrackerTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("an outage starts below the threshold and ends only above the pickup voltage")
    func hysteresis() {
        var tracker = OutageTracker()
        #expect(tracker.update(volts: 240, threshold: 156, pickup: 190, nominal: 240, at: t0) == nil)
        #expect(tracker.update(volts: 100, threshold: 156, pickup: 190, nominal: 240, at: t0 + 1) == .started(at: t0 + 1, volts: 100))
        #expect(tracker.update(volts: 180, threshold: 156, pickup: 190, nominal: 240, at: t0 + 2) == nil, "between threshold and pickup")
        #expect(tracker.inOutage)
        #expect(tracker.update(volts: 241, threshold: 156, pickup: 190, nominal: 240, at: t0 + 62) == .ended(OutageRecord(start: t0 + 1, end: t0 + 62)))
        #expect(!tracker.inOutage)
    }

    @Test("zero threshold and pickup mean the controller's 143 V and 190 V")
    func defaults() {
        var tracker = OutageTracker()
        _ = tracker.update(volts: 240, threshold: 0, pickup: 0, nominal: 240, at: t0)
        #expect(tracker.update(volts: 150, threshold: 0, pickup: 0, nominal: 240, at: t0 + 1) == nil)
        #expect(tracker.update(volts: 140, threshold: 0, pickup: 0, nominal: 240, at: t0 + 2) != nil)
        #expect(tracker.update(volts: 189, threshold: 0, pickup: 0, nominal: 240, at: t0 + 3) == nil)
        #expect(tracker.update(volts: 191, threshold: 0, pickup: 0, nominal: 240, at: t0 + 4) != nil)
    }

    @Test("a notice delay ignores short dips")
    func noticeDelay() {
        var tracker = OutageTracker(noticeDelay: 10)
        _ = tracker.update(volts: 240, threshold: 156, pickup: 190, nominal: 240, at: t0)
        #expect(tracker.update(volts: 0, threshold: 156, pickup: 190, nominal: 240, at: t0 + 1) == nil)
        #expect(tracker.update(volts: 240, threshold: 156, pickup: 190, nominal: 240, at: t0 + 5) == nil)
        #expect(tracker.update(volts: 0, threshold: 156, pickup: 190, nominal: 240, at: t0 + 6) == nil)
        #expect(tracker.update(volts: 0, threshold: 156, pickup: 190, nominal: 240, at: t0 + 16) == .started(at: t0 + 6, volts: 0))
    }

    @Test("noise above 2.5 × nominal is ignored, and min/max follow the original's rules")
    func minimumAndMaximum() {
        var tracker = OutageTracker()
        _ = tracker.update(volts: 0, threshold: 156, pickup: 190, nominal: 240, at: t0)
        #expect(tracker.minimum == 0 && tracker.maximum == 0, "first sample sets both, as the original")
        _ = tracker.update(volts: 700, threshold: 156, pickup: 190, nominal: 240, at: t0 + 1)
        #expect(tracker.maximum == 0, "noise ignored")
        _ = tracker.update(volts: 242, threshold: 156, pickup: 190, nominal: 240, at: t0 + 2)
        #expect(tracker.maximum == 242 && tracker.minimum == 242, "the first normal reading replaces a minimum stuck at 0")
        _ = tracker.update(volts: 238, threshold: 156, pickup: 190, nominal: 240, at: t0 + 3)
        _ = tracker.update(volts: 170, threshold: 156, pickup: 190, nominal: 240, at: t0 + 4)
        #expect(tracker.minimum == 170 && tracker.maximum == 242)
    }
}

@Suite("Poll scheduling")
struct PollSchedulerTests {
    let now = ContinuousClock.now

    @Test("the hot set is the state, utility and alarm registers the family has", arguments: [
        (ControllerVariant.evolutionLC, [UInt16(0x0001), 0x05F1, 0x0009, 0x0053]),
        (.evolutionAC, [0x0001, 0x05F1, 0x0009]),
        (.nexusAC, [0x0001, 0x0009]),
    ])
    func hotSet(variant: ControllerVariant, expected: [UInt16]) {
        let scheduler = PollScheduler(identity: ControllerIdentity(variant: variant), configuration: MonitorConfiguration(), now: now)
        #expect(scheduler.hot.map(\.address) == expected)
    }

    @Test("every register the original polls is scheduled, each once")
    func coverage() {
        let scheduler = PollScheduler(identity: ControllerIdentity(variant: .evolutionLC), configuration: MonitorConfiguration(), now: now)
        let scheduled = Set(scheduler.items.map(\.read.address) + scheduler.hot.map(\.address))
        let polled = Set((RegisterMap.prime + RegisterMap.base + [RegisterMap.serialNumber]).map(\.address))
        #expect(scheduled == polled)
        #expect(scheduler.items.count + scheduler.hot.count == polled.count)
    }

    @Test("registers come due by their group's period, decoded ones first; exceptions back off")
    func periods() {
        var scheduler = PollScheduler(identity: ControllerIdentity(variant: .evolutionAC), configuration: MonitorConfiguration(), now: now)
        var order: [RegisterRead] = []
        while let read = scheduler.nextDue(at: now) {
            order.append(read)
            scheduler.completed(read, outcome: .success, at: now)
        }
        #expect(scheduler.isStatusComplete && !scheduler.isComplete, "registers this family decodes come first")
        #expect(!order.contains { $0.address == 0x0234 || $0.address == 0x000D })
        let start = now + .milliseconds(200)
        while let read = scheduler.nextDue(at: start) {
            scheduler.completed(read, outcome: read.address == 0x0234 ? .unsupported : .success, at: start)
        }
        #expect(scheduler.isComplete)
        #expect(scheduler.nextDue(at: start + .seconds(1)) == nil)
        var live: Set<RegisterAddress> = []
        while let read = scheduler.nextDue(at: start + .seconds(2)) {
            live.insert(read.address)
            scheduler.completed(read, outcome: .success, at: start + .seconds(2))
        }
        #expect(live.contains(0x0007) && live.contains(0x000A), "engine values every 2 s")
        #expect(!live.contains(0x0011) && !live.contains(0x0000), "settings and identity less often")
        #expect(!live.contains(0x0058), "a register this family does not decode is only listed, rarely")
        let unsupported = scheduler.items.first { $0.read.address == 0x0234 }
        #expect(unsupported?.unsupported == true && unsupported?.nextDue == start + .seconds(600))
    }
}

@Suite("Event detection")
struct EventDetectorTests {
    let identity = ControllerIdentity(variant: .evolutionAC)
    let utc = TimeZone(identifier: "UTC")!

    func readings(_ image: RegisterImage) -> GeneratorReadings {
        GeneracDecoder.decode(image: image, identity: identity, timeZone: utc, statusPair: StatusPair(image: image))
    }

    func image(engine: UInt16, mode: UInt16, code: UInt16 = 0) -> RegisterImage {
        var image = RegisterImage()
        image.store([0x0009], at: 0x0000)
        image.store([engine, mode], at: 0x0001)
        image.store([code], at: 0x05F1)
        image.store([0x00C7], at: 0x001A)
        image.store([0x018F], at: 0x001E)
        return image
    }

    @Test("state changes, alarms and clears become events in order")
    func transitions() {
        var detector = EventDetector(clockDriftThreshold: 1e9, timeZone: utc)
        let t0 = Date()
        #expect(detector.events(for: readings(image(engine: 0, mode: 0)), at: t0).map(\.kind) == [.controllerDetected(name: "Evolution, Air Cooled")])
        #expect(detector.events(for: readings(image(engine: 2, mode: 0)), at: t0).map(\.kind) == [.engineStateChanged(from: "Off - Ready", to: "Cranking")])
        #expect(detector.events(for: readings(image(engine: 0, mode: 7)), at: t0).map(\.kind) == [
            .engineStateChanged(from: "Cranking", to: "Off - Ready"), .switchStateChanged(from: "Auto", to: "Off"),
        ])
        let alarm = detector.events(for: readings(image(engine: 8, mode: 0x0A, code: 1300)), at: t0).map(\.kind)
        #expect(alarm == [.engineStateChanged(from: "Off - Ready", to: "Stopped in Alarm"),
                          .alarmRaised(text: "Low Oil Pressure", code: 1300, isWarning: false)])
        let cleared = detector.events(for: readings(image(engine: 0, mode: 7)), at: t0).map(\.kind)
        #expect(cleared == [.engineStateChanged(from: "Stopped in Alarm", to: "Off - Ready"), .alarmCleared(text: "Low Oil Pressure")])
        let warning = detector.events(for: readings(image(engine: 0x0A, mode: 0x01, code: 2750)), at: t0).map(\.kind)
        #expect(warning.contains(.alarmRaised(text: "Low Battery", code: 2750, isWarning: true)))
    }

    @Test("clock drift is reported once, and again only after it was put right")
    func clockDrift() {
        var detector = EventDetector(clockDriftThreshold: 180, timeZone: utc)
        let now = Date(timeIntervalSince1970: 1_709_634_600)  // 2024-03-05 10:30 UTC
        var image = image(engine: 0, mode: 0)
        image.store(ControllerClock(hour: 10, minute: 40, month: 3, day: 5, weekday: 2, yearByte: 24).words, at: 0x000E)
        _ = detector.events(for: readings(image), at: now)
        let drift = detector.events(for: readings(image), at: now + 1).map(\.kind)
        #expect(drift.isEmpty, "reported on the first readings already")
        var fresh = EventDetector(clockDriftThreshold: 180, timeZone: utc)
        let first = fresh.events(for: readings(image), at: now).map(\.kind)
        #expect(first.contains(.clockDrift(seconds: 600)))
    }

    @Test("the watchdog reports a loss once and the restoration once")
    func watchdog() {
        let start = ContinuousClock.now
        var watchdog = CommunicationWatchdog(lossAfter: .seconds(30), now: start)
        #expect(watchdog.check(at: start + .seconds(29)) == nil)
        #expect(watchdog.check(at: start + .seconds(31)) == .communicationLost(silentFor: 31))
        #expect(watchdog.check(at: start + .seconds(40)) == nil)
        guard case .communicationRestored? = watchdog.answered(at: start + .seconds(50)) else { Issue.record("no restore"); return }
        #expect(watchdog.answered(at: start + .seconds(51)) == nil)
    }
}

@Suite("Event texts")
struct EventTextTests {
    @Test("durations print like the original's, and absurd ones never crash", arguments: [
        (TimeInterval(0), "0:00:00"), (727, "0:12:07"), (93_784, "1 day, 2:03:04"), (2 * 86_400 + 1, "2 days, 0:00:01"),
        (-5, "0:00:00"), (.nan, "unknown time"), (.infinity, "unknown time"), (1e300, "36500 days, 0:00:00"),
    ])
    func durations(interval: TimeInterval, text: String) {
        #expect(MonitorEvent.format(interval) == text)
        _ = MonitorEvent(time: Date(), kind: .outageEnded(duration: interval)).summary
    }
}
