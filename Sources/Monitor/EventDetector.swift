import Foundation
import Generac
import ModbusTransport

/// Compares successive readings and says what changed, as events. Pure: a value with memory of
/// what it has already reported (alarms, service, clock drift), driven with explicit times.
public struct EventDetector: Sendable {
    let clockDriftThreshold: TimeInterval
    let timeZone: TimeZone
    private var previous: GeneratorReadings?
    private var serviceDue = false
    private var clockDriftReported = false

    public init(clockDriftThreshold: TimeInterval, timeZone: TimeZone) {
        self.clockDriftThreshold = clockDriftThreshold
        self.timeZone = timeZone
    }

    /// The events between the last readings seen and `current`.
    public mutating func events(for current: GeneratorReadings, at time: Date) -> [MonitorEvent] {
        var kinds: [MonitorEvent.Kind] = []
        defer { previous = current }
        guard let previous else {
            kinds.append(.controllerDetected(name: current.identity.detectedName))
            if current.status.alarm.isActive { kinds.append(alarmRaised(current)) }
            kinds += serviceEvents(current)
            kinds += driftEvents(current, at: time)
            return kinds.map { MonitorEvent(time: time, kind: $0) }
        }
        let before = previous.status, after = current.status
        if before.engineState != after.engineState {
            kinds.append(.engineStateChanged(from: before.engineState.description, to: after.engineState.description))
        }
        // While an alarm shows, the switch position is hidden behind it; the alarm events say it all.
        if before.switchState != after.switchState, !before.isInAlarm, !after.isInAlarm {
            kinds.append(.switchStateChanged(from: before.switchState.rawValue, to: after.switchState.rawValue))
        }
        if before.alarm.text != after.alarm.text {
            if before.alarm.isActive { kinds.append(.alarmCleared(text: before.alarm.text)) }
            if after.alarm.isActive { kinds.append(alarmRaised(current)) }
        }
        if let from = previous.line.transferSwitch, let to = current.line.transferSwitch, from != to {
            kinds.append(.transferSwitchChanged(to: to.rawValue))
        }
        kinds += serviceEvents(current)
        kinds += driftEvents(current, at: time)
        return kinds.map { MonitorEvent(time: time, kind: $0) }
    }

    func alarmRaised(_ readings: GeneratorReadings) -> MonitorEvent.Kind {
        let status = readings.status
        let code = status.lastAlarmCode.flatMap { $0 == 0 ? nil : Int($0) }
        let index = status.statusPair.modeWord
        let severity = FaultCorrespondence.fault(alarmIndex: index)?.severity
        let isWarning = severity == .warning || severity == .serviceDue
            || status.engineState.description.contains("Warning")
        return .alarmRaised(text: status.alarm.text, code: code, isWarning: isWarning)
    }

    mutating func serviceEvents(_ readings: GeneratorReadings) -> [MonitorEvent.Kind] {
        let due = readings.status.serviceDueAlarm || readings.status.serviceHoursDue
        defer { serviceDue = due }
        guard due != serviceDue else { return [] }
        let item = readings.maintenance.serviceItems.first { ($0.hoursUntilDue ?? 2) <= 1 }?.label
            ?? readings.status.statusPair.serviceDue.map { $0.rawValue } ?? "maintenance"
        return [due ? .serviceDue(item: item) : .serviceCleared(item: item)]
    }

    /// Reports a controller clock that is off, once, until it is right again.
    mutating func driftEvents(_ readings: GeneratorReadings, at time: Date) -> [MonitorEvent.Kind] {
        guard let clock = readings.clock else { return [] }
        let drift = Self.drift(of: clock, at: time, timeZone: timeZone)
        if !clockDriftReported, abs(drift) > clockDriftThreshold {
            clockDriftReported = true
            return [.clockDrift(seconds: Int(drift))]
        }
        if clockDriftReported, abs(drift) <= clockDriftThreshold / 2 { clockDriftReported = false }
        return []
    }

    /// Controller time minus host time, in seconds (the controller shows whole minutes only, so
    /// the host time is cut to its minute too).
    public static func drift(of clock: ControllerClock, at time: Date, timeZone: TimeZone) -> TimeInterval {
        let local = time.timeIntervalSince1970 + TimeInterval(timeZone.secondsFromGMT(for: time))
        let hostMinutes = Int((local / 60).rounded(.down))
        return TimeInterval(clock.minutesSinceEpoch - hostMinutes) * 60
    }
}

/// Notices when the controller stops answering and when it answers again. Pure.
public struct CommunicationWatchdog: Sendable, Equatable {
    public private(set) var isReceiving = true
    public private(set) var lastSuccess: ContinuousClock.Instant
    private var lostAt: ContinuousClock.Instant?
    let lossAfter: Duration

    public init(lossAfter: Duration, now: ContinuousClock.Instant) {
        self.lossAfter = lossAfter
        self.lastSuccess = now
    }

    /// A transaction got a valid answer.
    public mutating func answered(at now: ContinuousClock.Instant) -> MonitorEvent.Kind? {
        lastSuccess = now
        guard !isReceiving, let lostAt else { return nil }
        isReceiving = true
        self.lostAt = nil
        return .communicationRestored(after: lostAt.duration(to: now).seconds + lossAfter.seconds)
    }

    /// Answers came within `window` and the loss has not been declared: the health check's
    /// quick view, ahead of the event's hysteresis.
    public func isAnswering(at now: ContinuousClock.Instant, within window: Duration) -> Bool {
        isReceiving && lastSuccess.duration(to: now) < window
    }

    /// Time passed without an answer; reports the loss once.
    public mutating func check(at now: ContinuousClock.Instant) -> MonitorEvent.Kind? {
        guard isReceiving, lastSuccess.duration(to: now) >= lossAfter else { return nil }
        isReceiving = false
        lostAt = now
        return .communicationLost(silentFor: lastSuccess.duration(to: now).seconds)
    }
}
