/// The part of upstream's alarm check (docs/registers.md#status-pair) that decides whether a new status
/// pair counts as a state change. Keep one per monitored controller.
public struct StatusTracker: Sendable, Equatable {
    /// The value the decoders should use (starts as upstream's 0xFF).
    public private(set) var current: StatusPair = .initial

    public init() {}

    /// Feeds a freshly read pair. Returns true when it is a change that deserves one notification
    /// and a full log re-read.
    public mutating func accept(_ candidate: StatusPair, identity: ControllerIdentity, settings: GeneracSettings) -> Bool {
        let filtered = StatusPair.effective(candidate, previous: current, identity: identity, settings: settings)
        guard filtered != current else { return false }
        if identity.isEvolution2 || identity.isPZ200, !filtered.isValid(for: identity) { return false }
        current = filtered
        return true
    }
}
