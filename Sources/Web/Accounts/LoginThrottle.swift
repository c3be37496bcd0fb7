import Foundation
import Synchronization

/// Slows password guessing down: failed sign-ins are counted per account and per client address;
/// past a limit within a window the account (or address) is locked, for longer each time
/// (backoff), up to a cap. While locked, even the right password is refused, so a lockout cannot
/// be used to test guesses. A value driven by the times it is given, so tests need no sleeping.
///
/// A sign-in takes a slot with `reserve` before its password is hashed and gives it back with
/// `finish`: checking and counting are one step, so attempts made in parallel cannot all pass the
/// check before the first failure is counted. Failures in the window plus attempts in flight never
/// exceed the limits: at most `accountFailures` guesses per account and `addressFailures` per
/// address are ever evaluated before a lockout.
public struct LoginThrottle: Sendable {
    public struct Policy: Sendable, Equatable {
        /// Failures on one account within `window` before it is locked.
        public var accountFailures: Int
        /// Failures from one address (any accounts) within `window` before it is locked.
        public var addressFailures: Int
        public var window: TimeInterval
        /// The first lockout; each further one doubles, up to `maximumLockout`.
        public var firstLockout: TimeInterval
        public var maximumLockout: TimeInterval
        /// Accounts and addresses remembered at most (the oldest are forgotten first).
        public var capacity: Int

        public init(accountFailures: Int = 5, addressFailures: Int = 20, window: TimeInterval = 900,
                    firstLockout: TimeInterval = 60, maximumLockout: TimeInterval = 3600, capacity: Int = 10_000) {
            self.accountFailures = accountFailures
            self.addressFailures = addressFailures
            self.window = window
            self.firstLockout = firstLockout
            self.maximumLockout = maximumLockout
            self.capacity = capacity
        }
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        case locked(until: Date)
    }

    struct Record: Sendable, Equatable {
        var failures: [Date] = []
        var lockedUntil: Date?
        /// Lockouts in a row; reset after a quiet window.
        var lockouts = 0
        var lastFailure: Date
        /// Attempts reserved and not finished yet (their passwords are being hashed).
        var inFlight = 0

        init(now: Date) { lastFailure = now }
    }

    public let policy: Policy
    var accounts: [String: Record] = [:]
    var addresses: [String: Record] = [:]

    public init(policy: Policy = Policy()) { self.policy = policy }

    /// Whether a sign-in for `account` from `address` may be tried now (without taking a slot).
    public func check(account: String?, address: String?, now: Date) -> Decision {
        var until: Date?
        for record in [account.flatMap { accounts[Self.key($0)] }, address.flatMap { addresses[$0] }].compactMap({ $0 }) {
            if let locked = record.lockedUntil, locked > now { until = max(until ?? locked, locked) }
        }
        return until.map { .locked(until: $0) } ?? .allowed
    }

    /// A slot for one sign-in attempt, taken before the password is checked.
    public struct Reservation: Sendable, Equatable {
        let account: String?
        let address: String?
    }

    /// Takes a slot for an attempt, or says why not: locked, or so many attempts already in flight
    /// that one more could pass the limit (then "try again in a second").
    public mutating func reserve(account: String?, address: String?, now: Date) -> Result<Reservation, LockedOut> {
        if case let .locked(until) = check(account: account, address: address, now: now) { return .failure(LockedOut(until: until)) }
        let accountKey = account.map(Self.key)
        let busy = [(accountKey.flatMap { accounts[$0] }, policy.accountFailures), (address.flatMap { addresses[$0] }, policy.addressFailures)]
            .contains { record, limit in
                guard let record, limit > 0 else { return false }
                return record.failures.filter { now.timeIntervalSince($0) < policy.window }.count + record.inFlight >= limit
            }
        if busy { return .failure(LockedOut(until: now.addingTimeInterval(1))) }
        if let accountKey { accounts[accountKey, default: Record(now: now)].inFlight += 1 }
        if let address { addresses[address, default: Record(now: now)].inFlight += 1 }
        return .success(Reservation(account: accountKey, address: address))
    }

    /// Gives the slot back: a failure is counted (and may start a lockout, whose end is returned);
    /// a success clears the account's record.
    @discardableResult
    public mutating func finish(_ reservation: Reservation, succeeded: Bool, now: Date) -> Date? {
        if let account = reservation.account, accounts[account] != nil { accounts[account]!.inFlight = max(0, accounts[account]!.inFlight - 1) }
        if let address = reservation.address, addresses[address] != nil { addresses[address]!.inFlight = max(0, addresses[address]!.inFlight - 1) }
        if succeeded {
            if let account = reservation.account { recordSuccess(account: account) }
            // An address that only ever signed in correctly leaves nothing behind.
            if let address = reservation.address, let record = addresses[address], record.failures.isEmpty,
               record.inFlight == 0, (record.lockedUntil ?? .distantPast) <= now {
                addresses[address] = nil
            }
            return nil
        }
        return recordFailure(account: reservation.account, address: reservation.address, now: now)
    }

    /// Why an attempt may not be made now, and until when.
    public struct LockedOut: Error, Sendable, Equatable {
        public let until: Date
    }

    /// Counts a failed sign-in; returns the end of a lockout it starts.
    @discardableResult
    public mutating func recordFailure(account: String?, address: String?, now: Date) -> Date? {
        var lockedUntil: Date?
        if let account {
            lockedUntil = Self.fail(&accounts, key: Self.key(account), limit: policy.accountFailures, policy: policy, now: now)
        }
        if let address, let until = Self.fail(&addresses, key: address, limit: policy.addressFailures, policy: policy, now: now) {
            lockedUntil = max(lockedUntil ?? until, until)
        }
        return lockedUntil
    }

    /// A successful sign-in clears the account's record (its address keeps its count, so one valid
    /// account cannot be used to reset the guessing budget of an address).
    public mutating func recordSuccess(account: String) {
        let key = Self.key(account)
        // Attempts still in flight for the account keep their slots.
        if let inFlight = accounts[key]?.inFlight, inFlight > 0 {
            accounts[key] = Record(now: accounts[key]!.lastFailure)
            accounts[key]!.inFlight = inFlight
        } else {
            accounts[key] = nil
        }
    }

    static func key(_ account: String) -> String { account.lowercased() }

    private static func fail(_ records: inout [String: Record], key: String, limit: Int, policy: Policy, now: Date) -> Date? {
        var record = records[key] ?? Record(now: now)
        // A quiet window after the last failure forgives earlier lockouts.
        if now.timeIntervalSince(record.lastFailure) > policy.window + (record.lockedUntil.map { max(0, $0.timeIntervalSince(record.lastFailure)) } ?? 0) {
            record.lockouts = 0
        }
        record.lastFailure = now
        record.failures = record.failures.filter { now.timeIntervalSince($0) < policy.window } + [now]
        var started: Date?
        if limit > 0, record.failures.count >= limit {
            let duration = min(policy.maximumLockout, policy.firstLockout * pow(2, Double(min(record.lockouts, 30))))
            let until = now.addingTimeInterval(duration)
            record.lockedUntil = until
            record.lockouts += 1
            record.failures = []
            started = until
        }
        records[key] = record
        if records.count > policy.capacity {
            // Room is made from records that no longer matter first, then from unlocked ones, so
            // spraying other names cannot lift a live lockout; only when every record is a live
            // lockout does the oldest of those go.
            let others = records.filter { $0.key != key && $0.value.inFlight == 0 }
            let unlocked = others.filter { ($0.value.lockedUntil ?? .distantPast) <= now }
            let spent = unlocked.filter { now.timeIntervalSince($0.value.lastFailure) >= policy.window }
            let pool = !spent.isEmpty ? spent : !unlocked.isEmpty ? unlocked : others
            if let oldest = pool.min(by: { $0.value.lastFailure < $1.value.lastFailure })?.key {
                records[oldest] = nil
            }
        }
        return started
    }
}

/// A `LoginThrottle` shared by concurrent requests.
public final class SharedLoginThrottle: Sendable {
    private let state: Mutex<LoginThrottle>
    private let clock: @Sendable () -> Date

    public init(policy: LoginThrottle.Policy = .init(), clock: @escaping @Sendable () -> Date = { Date() }) {
        state = Mutex(LoginThrottle(policy: policy))
        self.clock = clock
    }

    public func check(account: String?, address: String?) -> LoginThrottle.Decision {
        let now = clock()
        return state.withLock { $0.check(account: account, address: address, now: now) }
    }

    /// Takes a slot for one attempt (see `LoginThrottle.reserve`).
    public func reserve(account: String?, address: String?) -> Result<LoginThrottle.Reservation, LoginThrottle.LockedOut> {
        let now = clock()
        return state.withLock { $0.reserve(account: account, address: address, now: now) }
    }

    /// Gives a slot back; returns the end of a lockout the failure starts.
    @discardableResult
    public func finish(_ reservation: LoginThrottle.Reservation, succeeded: Bool) -> Date? {
        let now = clock()
        return state.withLock { $0.finish(reservation, succeeded: succeeded, now: now) }
    }

    @discardableResult
    public func recordFailure(account: String?, address: String?) -> Date? {
        let now = clock()
        return state.withLock { $0.recordFailure(account: account, address: address, now: now) }
    }

    public func recordSuccess(account: String) { state.withLock { $0.recordSuccess(account: account) } }
}
