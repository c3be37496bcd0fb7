/// Software debounce of one input, on the timestamps of its edges: an edge counts as a press when
/// it goes the trigger's way and the level before it held for at least the window. The first edge
/// of a bouncing contact therefore counts at once, and its bounces (and those of the release) do
/// not, because the levels between them are short. Pure: time comes in with each edge.
public struct PressDebouncer: Sendable, Equatable {
    public let trigger: InputTrigger
    public let windowNanoseconds: UInt64
    /// The input's level after the last edge.
    public private(set) var level: Bool
    /// When the last edge came; nil while the first level is held.
    public private(set) var lastEdge: UInt64?

    /// `window` 0 counts every edge of the trigger's kind (the original's `bounce = 0`).
    public init(trigger: InputTrigger, windowMilliseconds: Int, initialLevel: Bool) {
        self.trigger = trigger
        windowNanoseconds = UInt64(max(windowMilliseconds, 0)) * 1_000_000
        level = initialLevel
    }

    /// Takes the edge to `newLevel` at `time` (nanoseconds, monotonic); true when it is a press.
    /// A time earlier than the last edge is taken as no time at all (not a press).
    public mutating func edge(to newLevel: Bool, at time: UInt64) -> Bool {
        // When an edge was lost (two rises in a row), the time since the last edge bounds the level between.
        let held = lastEdge.map { time >= $0 ? time - $0 : 0 } ?? .max
        level = newLevel
        lastEdge = time
        guard held >= windowNanoseconds else { return false }
        switch trigger {
        case .falling: return !newLevel
        case .rising: return newLevel
        case .both: return true
        }
    }
}
