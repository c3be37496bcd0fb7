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
    }

    /// Read every cycle, in this order.
    public let hot: [RegisterRead]
    /// How many of the hot reads make up the status (pair and alarm code): events can be told after them.
    public var statusReadCount: Int { hot.count > 1 && hot[1].address == Register.lastAlarmCode ? 2 : 1 }
    public private(set) var items: [Item]
    let unsupportedRetry: Duration

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
            let period = decoded ? configuration.interval(for: spec.group) : configuration.identityInterval
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

    /// The most overdue register due at `now`, if any.
    public func nextDue(at now: ContinuousClock.Instant) -> RegisterRead? {
        var best: Item?
        for item in items where item.nextDue <= now {
            if best == nil || item.nextDue < best!.nextDue { best = item }
        }
        return best?.read
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
            items[index].nextDue = now + items[index].period
        case .transientFailure:
            items[index].nextDue = now + .seconds(1)
        case .unsupported:
            items[index].done = true
            items[index].unsupported = true
            items[index].nextDue = now + unsupportedRetry
        }
    }

    /// Makes a register due now (after a command changed it, say).
    public mutating func refresh(_ addresses: Set<RegisterAddress>, at now: ContinuousClock.Instant) {
        for index in items.indices where addresses.contains(items[index].read.address) {
            items[index].nextDue = now
        }
    }
}
