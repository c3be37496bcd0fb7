import Foundation
import Generac

/// Decides what to read next, so the wire is spent where it matters.
///
/// The original reads 310 registers in a fixed loop, state registers every ≈0.46 s and everything else
/// every ≈9.5 s. Here the few registers that carry state, alarms and utility voltage are read every
/// cycle; every other register has a period by what it holds (engine values every 2 s, settings and
/// counters every minute, identity and unused registers every 10 minutes) and is read when due, the
/// most overdue first. At start-up everything is due at once, so the first complete status comes as
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
    }

    /// Read every cycle, in this order.
    public let hot: [RegisterRead]
    public private(set) var items: [Item]
    let unsupportedRetry: Duration

    public init(identity: ControllerIdentity, configuration: MonitorConfiguration, now: ContinuousClock.Instant) {
        var hot = [RegisterRead(address: 0x0001, words: 2), RegisterRead(address: 0x0009, words: 1)]
        if identity.isEvolution { hot.append(RegisterRead(address: 0x05F1, words: 1)) }
        if identity.isEvolutionLC { hot.append(RegisterRead(address: 0x0053, words: 1)) }
        if identity.isPZ200 { hot += [RegisterRead(address: 0x0637, words: 1), RegisterRead(address: 0x0638, words: 1)] }
        self.hot = hot
        self.unsupportedRetry = configuration.unsupportedRetryInterval
        var seen = Set(hot)
        var items: [Item] = []
        // Every register the original polls, plus the serial number; hot ones are read every cycle anyway.
        for spec in RegisterMap.prime + RegisterMap.base + [RegisterMap.serialNumber] {
            let read = RegisterRead(address: spec.address, words: spec.words)
            guard !seen.contains(read) else { continue }
            seen.insert(read)
            items.append(Item(read: read, group: spec.group, period: configuration.interval(for: spec.group), nextDue: now))
        }
        if identity.isPZ200 {
            items.append(Item(read: RegisterRead(address: 0x07D0, words: 10), group: .identity,
                              period: configuration.identityInterval, nextDue: now))
        }
        self.items = items
    }

    /// Every register has been read (or found unsupported) at least once.
    public var isComplete: Bool { items.allSatisfy(\.done) }

    /// The most overdue register due at `now`, if any.
    public func nextDue(at now: ContinuousClock.Instant) -> RegisterRead? {
        var best: Item?
        for item in items where item.nextDue <= now {
            if best == nil || item.nextDue < best!.nextDue { best = item }
        }
        return best?.read
    }

    /// When the next register falls due (for sleeping until then).
    public var earliestDue: ContinuousClock.Instant? { items.map(\.nextDue).min() }

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
