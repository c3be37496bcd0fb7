import Foundation
import GenmonConfig
import Monitor

/// One threshold rule's state, pure and driven by `now`: it fires once when the reading has been
/// past the limit for the rule's whole duration, and clears once when the reading has been back
/// past the clear level (the limit moved back by the hysteresis) for as long. A value hovering at
/// the limit neither fires again nor clears: that is what the hysteresis is for.
public struct ThresholdEvaluator: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case clear
        /// Past the limit since then; fires when the duration is up.
        case arming(since: ContinuousClock.Instant)
        case firing
        /// Back past the clear level since then; clears when the duration is up.
        case disarming(since: ContinuousClock.Instant)
    }

    public enum Transition: Sendable, Equatable {
        case fired(value: Double)
        case cleared(value: Double)
    }

    public let spec: ThresholdRuleSpec
    public private(set) var phase: Phase = .clear
    private var duration: Duration { .seconds(double: spec.duration) }

    public init(spec: ThresholdRuleSpec) { self.spec = spec }

    public var isFiring: Bool {
        switch phase {
        case .firing, .disarming: true
        case .clear, .arming: false
        }
    }

    /// When time alone (the same value) would move the rule on.
    public var nextDeadline: ContinuousClock.Instant? {
        switch phase {
        case let .arming(since), let .disarming(since): since + duration
        case .clear, .firing: nil
        }
    }

    func isPast(_ value: Double) -> Bool { spec.direction == .below ? value < spec.limit : value > spec.limit }
    func isBack(_ value: Double) -> Bool { spec.direction == .below ? value >= spec.clearLevel : value <= spec.clearLevel }

    /// The reading at `now` (nil when unknown: the controller not read yet, or not answering).
    /// An unknown value stops a countdown, and never fires or clears a rule.
    public mutating func update(value: Double?, now: ContinuousClock.Instant) -> Transition? {
        guard let value, value.isFinite else {
            switch phase {
            case .arming: phase = .clear
            case .disarming: phase = .firing
            case .clear, .firing: break
            }
            return nil
        }
        switch phase {
        case .clear:
            guard isPast(value) else { return nil }
            phase = .arming(since: now)
            return update(value: value, now: now)
        case let .arming(since):
            guard isPast(value) else {
                phase = .clear
                return nil
            }
            guard since.duration(to: now) >= duration else { return nil }
            phase = .firing
            return .fired(value: value)
        case .firing:
            guard isBack(value) else { return nil }
            phase = .disarming(since: now)
            return update(value: value, now: now)
        case let .disarming(since):
            guard isBack(value) else {
                phase = .firing
                return nil
            }
            guard since.duration(to: now) >= duration else { return nil }
            phase = .clear
            return .cleared(value: value)
        }
    }
}

extension ThresholdRuleSpec.Reading {
    /// This reading in `snapshot`; nil when the monitor does not know it (not read yet, the
    /// controller silent, or not shown for this controller).
    public func value(in snapshot: GeneratorSnapshot) -> Double? {
        guard snapshot.communication.isReceiving, let readings = snapshot.readings else { return nil }
        switch self {
        case .battery: return readings.engine.batteryVolts
        case .utility: return Double(readings.line.utilityVolts)
        case .output: return Double(readings.line.outputVolts)
        case .frequency: return readings.engine.frequencyHz
        case .rpm: return Double(readings.engine.rpm)
        case .power: return readings.engine.outputPowerKW
        case .fuel: return readings.engine.fuelLevelSensorPercent.map(Double.init)
        case .runHours: return readings.maintenance.totalRunHours
        case .serviceHours: return readings.maintenance.serviceItems.compactMap(\.hoursUntilDue).min().map(Double.init)
        }
    }
}

/// A rule with its evaluator and its messages ("Generator Warning at <site>: Battery below 12.2 V"
/// and "... Warning Cleared ..."), spaced like every other topic: a message that would come within
/// the repeat interval of the same one waits, and then goes only if the rule still says so.
struct RuleTopic: Sendable {
    var evaluator: ThresholdEvaluator
    var spacing: RepeatSpacing
    private var lastValue: Double?
    private var announcedFiring = false
    private var releaseAt: ContinuousClock.Instant?

    init(spec: ThresholdRuleSpec, repeatInterval: Duration) {
        evaluator = ThresholdEvaluator(spec: spec)
        spacing = RepeatSpacing(interval: repeatInterval)
    }

    var nextDeadline: ContinuousClock.Instant? { [evaluator.nextDeadline, releaseAt].compactMap { $0 }.min() }

    mutating func observe(_ snapshot: GeneratorSnapshot, now: ContinuousClock.Instant, _ context: PlannerContext) -> [NotificationDraft] {
        lastValue = evaluator.spec.reading.value(in: snapshot)
        return step(now: now, context)
    }

    mutating func tick(now: ContinuousClock.Instant, _ context: PlannerContext) -> [NotificationDraft] {
        step(now: now, context)
    }

    private mutating func step(now: ContinuousClock.Instant, _ context: PlannerContext) -> [NotificationDraft] {
        let transition = evaluator.update(value: lastValue, now: now)
        if let releaseAt, now < releaseAt { return [] }
        guard transition != nil || releaseAt != nil else { return [] }
        releaseAt = nil
        guard evaluator.isFiring != announcedFiring else { return [] }
        let draft = message(firing: evaluator.isFiring, value: lastValue, context)
        if let release = spacing.releaseTime(for: draft.subject, at: now) {
            releaseAt = release
            return []
        }
        spacing.sent(draft.subject, at: now)
        announcedFiring = evaluator.isFiring
        return [draft]
    }

    private func message(firing: Bool, value: Double?, _ context: PlannerContext) -> NotificationDraft {
        let spec = evaluator.spec
        let unit = spec.reading.unit
        let now = value.map { "\(ThresholdRuleSpec.number(Self.rounded($0))) \(unit)" } ?? "unknown"
        let rule = ["Rule threshold_\(spec.name): \(spec.summary)."]
        if firing {
            let lasting = spec.duration > 0 ? " for \(ThresholdRuleSpec.durationText(spec.duration))" : ""
            return NotificationDraft(category: spec.category, subject: context.subjects.warning(spec.title),
                                     headline: "\(spec.title)\(lasting): now \(now).", details: rule,
                                     source: "rule:" + spec.name, time: context.date)
        }
        return NotificationDraft(
            category: spec.category, subject: context.subjects.warningCleared(spec.title),
            headline: "\(spec.reading.title) is back to \(now) (the warning \"\(spec.title)\" clears at "
                + "\(ThresholdRuleSpec.number(spec.clearLevel)) \(unit)).",
            details: rule, source: "rule:" + spec.name, time: context.date)
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
