import Synchronization

/// Who gets a connection when a server is full.
///
/// A server asks the gate before it serves a new connection. Limits: a total, a share of it kept
/// for loopback (this machine's own tools must always get in), and a cap per remote address
/// (loopback has none: a reverse proxy or the local tools all come from it). At a limit the gate
/// either makes room by closing the longest-idle connection of the busiest address (the command
/// socket: a newcomer is never locked out by idle connections) or refuses the newcomer (the web
/// server answers it 503). Thread-safe; servers tell it when connections are used and closed.
public final class ConnectionGate: Sendable {
    public struct Limits: Sendable, Equatable {
        public var total: Int
        /// Per non-loopback address.
        public var perAddress: Int
        /// Connections only loopback may use: others are held to `total - loopbackReserve`.
        public var loopbackReserve: Int

        public init(total: Int, perAddress: Int, loopbackReserve: Int) {
            self.total = max(1, total)
            self.perAddress = max(1, perAddress)
            self.loopbackReserve = min(max(0, loopbackReserve), self.total - 1)
        }
    }

    /// What to do at a limit.
    public enum WhenFull: Sendable {
        case evictLongestIdle
        case refuse
    }

    public enum Admission: Sendable {
        /// Serve it; call `release(id)` when it closes.
        case admitted(id: UInt64)
        /// Do not serve it (answer "busy" and close).
        case refused(reason: String)
    }

    struct Entry {
        let address: String
        let isLoopback: Bool
        var lastActive: ContinuousClock.Instant
        let close: @Sendable () -> Void
    }

    struct State {
        var entries: [UInt64: Entry] = [:]
        var perAddress: [String: Int] = [:]
        var nonLoopback = 0
        var nextID: UInt64 = 1
        var evictions = 0
        var refusals = 0
        var peak = 0
    }

    public let limits: Limits
    public let whenFull: WhenFull
    private let state = Mutex(State())

    public init(limits: Limits, whenFull: WhenFull) {
        self.limits = limits
        self.whenFull = whenFull
    }

    /// Connections open now.
    public var count: Int { state.withLock { $0.entries.count } }
    /// Connections open now from `address`.
    public func count(from address: String) -> Int { state.withLock { $0.perAddress[Self.key(address)] ?? 0 } }
    /// How many were closed to make room, and how many refused, since start.
    public var evictions: Int { state.withLock { $0.evictions } }
    public var refusals: Int { state.withLock { $0.refusals } }
    /// The most connections open at once since the last `resetPeak`.
    public var peak: Int { state.withLock { $0.peak } }
    public func resetPeak() { state.withLock { $0.peak = $0.entries.count } }

    /// Admits a connection from `address` (an IP address as text), making room first when the
    /// policy says so. `close` is how the gate closes it later to make room for another.
    public func admit(address: String, now: ContinuousClock.Instant, close: @escaping @Sendable () -> Void) -> Admission {
        let key = Self.key(address)
        let isLoopback = IPAddress(address)?.isLoopback ?? false
        var toClose: [@Sendable () -> Void] = []
        let admission: Admission = state.withLock { state in
            while let problem = Self.problem(state, key: key, isLoopback: isLoopback, limits: limits) {
                guard whenFull == .evictLongestIdle, let victim = Self.victim(state, for: problem) else {
                    state.refusals += 1
                    return .refused(reason: problem.reason)
                }
                toClose.append(state.entries[victim]!.close)
                Self.remove(victim, from: &state)
                state.evictions += 1
            }
            let id = state.nextID
            state.nextID += 1
            state.entries[id] = Entry(address: key, isLoopback: isLoopback, lastActive: now, close: close)
            state.perAddress[key, default: 0] += 1
            if !isLoopback { state.nonLoopback += 1 }
            state.peak = max(state.peak, state.entries.count)
            return .admitted(id: id)
        }
        // Closed outside the lock: a close may call back into `release`.
        for close in toClose { close() }
        return admission
    }

    /// The connection did something (a request): it is not idle.
    public func touch(_ id: UInt64, now: ContinuousClock.Instant) {
        state.withLock { $0.entries[id]?.lastActive = now }
    }

    /// The connection closed (a connection the gate evicted is already gone: no harm).
    public func release(_ id: UInt64) {
        state.withLock { Self.remove(id, from: &$0) }
    }

    // MARK: - Policy

    enum Problem {
        /// The newcomer's own address is at its cap: make room among its connections.
        case addressFull(String)
        /// Non-loopback connections fill their share.
        case sharedFull
        /// Every connection is taken.
        case totalFull(newcomerIsLoopback: Bool)

        var reason: String {
            switch self {
            case .addressFull: "too many connections from this address"
            case .sharedFull, .totalFull: "too many connections"
            }
        }
    }

    static func problem(_ state: State, key: String, isLoopback: Bool, limits: Limits) -> Problem? {
        if !isLoopback, state.perAddress[key, default: 0] >= limits.perAddress { return .addressFull(key) }
        if !isLoopback, state.nonLoopback >= limits.total - limits.loopbackReserve { return .sharedFull }
        if state.entries.count >= limits.total { return .totalFull(newcomerIsLoopback: isLoopback) }
        return nil
    }

    /// The longest-idle connection of the busiest address among those the problem allows.
    static func victim(_ state: State, for problem: Problem) -> UInt64? {
        let candidates: [(UInt64, Entry)] = switch problem {
        case let .addressFull(key): state.entries.filter { $0.value.address == key }.map { ($0.key, $0.value) }
        case .sharedFull: state.entries.filter { !$0.value.isLoopback }.map { ($0.key, $0.value) }
        case let .totalFull(newcomerIsLoopback):
            // A loopback newcomer takes from strangers first; a stranger never evicts loopback.
            newcomerIsLoopback && state.nonLoopback > 0 || !newcomerIsLoopback
                ? state.entries.filter { !$0.value.isLoopback }.map { ($0.key, $0.value) }
                : state.entries.map { ($0.key, $0.value) }
        }
        guard !candidates.isEmpty else { return nil }
        var busiest: String?
        var most = 0
        for (_, entry) in candidates {
            let count = state.perAddress[entry.address, default: 0]
            if count > most { (busiest, most) = (entry.address, count) }
        }
        return candidates.filter { $0.1.address == busiest }.min { $0.1.lastActive < $1.1.lastActive }?.0
    }

    static func remove(_ id: UInt64, from state: inout State) {
        guard let entry = state.entries.removeValue(forKey: id) else { return }
        let left = state.perAddress[entry.address, default: 1] - 1
        state.perAddress[entry.address] = left > 0 ? left : nil
        if !entry.isLoopback { state.nonLoopback -= 1 }
    }

    /// One key per host however it is written (`::ffff:192.0.2.2` is 192.0.2.2).
    static func key(_ address: String) -> String { IPAddress(address)?.description ?? address }
}
