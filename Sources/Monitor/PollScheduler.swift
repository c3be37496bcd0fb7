import Foundation
import Generac

/// Decides what to read next, so the wire is spent where it matters.
///
/// The original reads 310 registers in a fixed loop, state registers every ≈0.46 s and everything else
/// every ≈9.5 s. Here the few registers that carry state, alarms and utility voltage are read every
/// cycle; every other register has a period by what it holds (engine values every 2 s, settings and
/// counters every minute, identity every 10 minutes, and registers this family does not decode every
/// 10 minutes too) and is read when due, the most overdue first. At start-up everything is due at once, so the first complete status comes as
/// fast as the wire allows. Pure: time is passed in.
public struct PollScheduler: Sendable {
    public struct Item: Sendable, Equatable {
        public let read: RegisterRead
        public let group: RegisterGroup
        public var period: Duration
        public var nextDue: ContinuousClock.Instant
        /// Read at least once (or given up on as unsupported).
        public var done = false
        /// The controller answered with an exception: it does not have this register.
        public var unsupported = false
        /// This controller family decodes the register (the rest are read only to list them).
        public var decoded = true
        /// A change of state made this register interesting: read before anything routine, and
        /// retried at once when a read fails, until it succeeds.
        public var urgent = false
    }

    /// Read every cycle, in this order.
    public let hot: [RegisterRead]
    /// How many of the hot reads make up the status (pair and alarm code): events can be told after them.
    public var statusReadCount: Int { hot.count > 1 && hot[1].address == Register.lastAlarmCode ? 2 : 1 }
    public private(set) var items: [Item]
    let unsupportedRetry: Duration
    let hotPeriod: Duration
    let followerPeriod: Duration
    let slowWhileStandingPeriod: Duration
    /// The engine stands (not cranking or turning): its own values are read less often.
    public private(set) var engineStopped = false

    public init(identity: ControllerIdentity, configuration: MonitorConfiguration, now: ContinuousClock.Instant) {
        // The status pair first, then the alarm code that names an alarm shown in it: together they
        // are what an event needs. Then utility voltage and (liquid-cooled Evolution) the relays.
        var hot = [RegisterRead(address: Register.statusPair, words: 2)]
        if identity.isEvolution { hot.append(RegisterRead(address: Register.lastAlarmCode, words: 1)) }
        hot.append(RegisterRead(address: Register.utilityVolts, words: 1))
        if identity.isEvolutionLC { hot.append(RegisterRead(address: Register.relayOutputs, words: 1)) }
        if identity.isPZ200 {
            hot += [RegisterRead(address: Register.pz200AlarmActive, words: 1), RegisterRead(address: Register.pz200WarningActive, words: 1)]
        }
        self.hot = hot
        self.unsupportedRetry = configuration.unsupportedRetryInterval
        // Hot reads slow down while the generator stands: judge their freshness by the slower pace.
        self.hotPeriod = max(configuration.hotInterval, configuration.standingHotInterval)
        self.followerPeriod = configuration.statusFollowerInterval
        self.slowWhileStandingPeriod = configuration.slowWhileStandingInterval
        var seen = Set(hot)
        var items: [Item] = []
        // Every register the original polls, plus the serial number; hot ones are read every cycle anyway.
        // At start-up the registers this family decodes come first, so the first complete status does not
        // wait for the ones that are only listed.
        for spec in RegisterMap.prime + RegisterMap.base + [RegisterMap.serialNumber] {
            let read = RegisterRead(address: spec.address, words: spec.words)
            guard !seen.contains(read) else { continue }
            seen.insert(read)
            let decoded = spec.isUsed(by: identity.variant) || spec.address == Register.productCode
            // A register this family does not decode changes nothing anyone sees: list it, rarely.
            var period = decoded ? configuration.interval(for: spec.group) : configuration.identityInterval
            if decoded, Self.countedInMinutes.contains(spec.address) { period = max(period, configuration.clockInterval) }
            var item = Item(read: read, group: spec.group, period: period, nextDue: decoded ? now : now + .milliseconds(100))
            item.decoded = decoded
            items.append(item)
        }
        if identity.isPZ200 {
            items.append(Item(read: RegisterRead(address: Register.pz200Identity, words: 10), group: .identity,
                              period: configuration.identityInterval, nextDue: now))
        }
        self.items = items
    }

    /// Every register has been read (or found unsupported) at least once.
    public var isComplete: Bool { items.allSatisfy(\.done) }

    /// Every register this family decodes has been read: the status is complete.
    public var isStatusComplete: Bool { items.allSatisfy { $0.done || !$0.decoded } }

    /// The most overdue register due at `now`, if any: those this family decodes first, so a
    /// backlog of registers only listed (or one that keeps failing) never holds back the values
    /// people see.
    public func nextDue(at now: ContinuousClock.Instant) -> RegisterRead? {
        var best: Item?
        for item in items where item.nextDue <= now {
            guard let current = best else {
                best = item
                continue
            }
            if item.decoded != current.decoded ? item.decoded : item.nextDue < current.nextDue { best = item }
        }
        return best?.read
    }

    /// The most overdue urgent register due at `now`, if any.
    public func nextUrgent(at now: ContinuousClock.Instant) -> RegisterRead? {
        items.filter { $0.urgent && $0.nextDue <= now }.min { $0.nextDue < $1.nextDue }?.read
    }

    /// A register this family decodes that is late by a whole period (read two periods ago or
    /// more), the latest first: it goes before log reads, so a long log read on a noisy line never
    /// lets the values people see go stale.
    public func nextOverdue(at now: ContinuousClock.Instant) -> RegisterRead? {
        items.filter { $0.decoded && !$0.unsupported && $0.nextDue + $0.period <= now }.min { $0.nextDue < $1.nextDue }?.read
    }

    /// What stays put while the engine stands: its own values (speed, frequency, output volts and
    /// currents, the run counters, all zero or still then) and the slow ones (battery, charger
    /// current, temperature, fuel). Read every `slowWhileStandingInterval` then rather than every
    /// `liveInterval`; a change of state reads them at once (`prioritize`).
    static let slowWhileStanding: Set<RegisterAddress> = [
        Register.engineRPM, Register.outputFrequency, Register.outputVolts, Register.currentTransformer1,
        Register.currentTransformer2, Register.hallCurrentSensor, Register.legacyCurrentSensor,
        Register.runHours, Register.runMinutes,
        Register.batteryVolts, Register.batteryChargerCurrent, Register.ambientTemperature, Register.fuelLevelSensor,
    ]

    /// The controller's clock (hours and minutes) and its hour counter: read every `clockInterval`.
    static let countedInMinutes: Set<RegisterAddress> = [
        Register.clockTime, Register.clockDate, Register.clockWeekdayAndYear, Register.hoursSinceActivation,
    ]

    /// Tells the scheduler whether the engine stands.
    public mutating func setEngineStopped(_ stopped: Bool) { engineStopped = stopped }

    /// How often an item is read now.
    func currentPeriod(of item: Item) -> Duration {
        engineStopped && Self.slowWhileStanding.contains(item.read.address) ? max(item.period, slowWhileStandingPeriod) : item.period
    }

    /// A hot read that follows the status (the alarm code naming an alarm, the relays following the
    /// engine's state): read in a cycle where the status pair moved, otherwise at least every
    /// `statusFollowerInterval`.
    public func followsStatus(_ read: RegisterRead) -> Bool {
        read != hot.first && (read.address == Register.lastAlarmCode || read.address == Register.relayOutputs)
    }

    /// Whether urgent registers wait to be read.
    public var hasUrgent: Bool { items.contains { $0.urgent } }

    /// How often each register this family decodes is meant to be read (the hot ones every cycle),
    /// leaving out those the controller said it does not have: what values' freshness is judged by.
    public var periods: [RegisterAddress: Duration] {
        var periods: [RegisterAddress: Duration] = [:]
        for read in hot { periods[read.address] = followsStatus(read) ? max(hotPeriod, followerPeriod) : hotPeriod }
        for item in items where item.decoded && !item.unsupported { periods[item.read.address] = currentPeriod(of: item) }
        return periods
    }

    public enum Outcome: Sendable, Equatable {
        case success
        /// Timeout, CRC error...: try again soon (next cycle), not after a whole period.
        case transientFailure
        /// Exception from the controller: it does not implement this register.
        case unsupported
    }

    /// Records how a read went and schedules its next one.
    public mutating func completed(_ read: RegisterRead, outcome: Outcome, at now: ContinuousClock.Instant) {
        guard let index = items.firstIndex(where: { $0.read == read }) else { return }
        switch outcome {
        case .success:
            items[index].done = true
            items[index].unsupported = false
            items[index].urgent = false
            items[index].nextDue = now + currentPeriod(of: items[index])
        case .transientFailure:
            // An urgent register is tried again in the next cycle; others wait a second.
            items[index].nextDue = items[index].urgent ? now : now + .seconds(1)
        case .unsupported:
            items[index].done = true
            items[index].unsupported = true
            items[index].urgent = false
            items[index].nextDue = now + unsupportedRetry
        }
    }

    /// A change of state made these registers interesting (the engine started: its speed,
    /// frequency, voltages and currents): they are read next, ahead of log reads and routine
    /// refreshes, and retried until they answer. Only those this family decodes and has.
    public mutating func prioritize(_ addresses: Set<RegisterAddress>, at now: ContinuousClock.Instant) {
        for index in items.indices where addresses.contains(items[index].read.address) && items[index].decoded && !items[index].unsupported {
            items[index].urgent = true
            items[index].nextDue = min(items[index].nextDue, now)
        }
    }

    /// Makes a register due now (after a command changed it, say).
    public mutating func refresh(_ addresses: Set<RegisterAddress>, at now: ContinuousClock.Instant) {
        for index in items.indices where addresses.contains(items[index].read.address) {
            items[index].nextDue = now
        }
    }
}
