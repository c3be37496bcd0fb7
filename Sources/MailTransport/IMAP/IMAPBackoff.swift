/// Exponential back-off between reconnection attempts: doubling from `initial`, capped at `maximum`,
/// with part of each delay drawn at random so many clients do not return in step.
public struct IMAPBackoff: Equatable, Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    /// The share of each delay that is random: 0.5 gives a delay between half and all of the nominal one.
    public var jitter: Double

    public init(initial: Duration = .seconds(2), maximum: Duration = .seconds(300), multiplier: Double = 2, jitter: Double = 0.5) {
        self.initial = max(.milliseconds(1), initial)
        self.maximum = max(self.initial, maximum)
        self.multiplier = max(1, multiplier)
        self.jitter = min(1, max(0, jitter))
    }

    /// The delay before attempt `attempt` (0 = the first retry), given `unit`, a random number in 0..<1.
    public func delay(attempt: Int, unit: Double) -> Duration {
        let initialSeconds = Self.seconds(initial), maximumSeconds = Self.seconds(maximum)
        // Growth stops at the cap, so huge attempt counts cannot overflow.
        var nominal = initialSeconds
        for _ in 0..<max(0, min(attempt, 64)) where nominal < maximumSeconds { nominal *= multiplier }
        nominal = min(nominal, maximumSeconds)
        let unit = unit.isFinite ? min(max(unit, 0), 1) : 0
        return .milliseconds(Int64((nominal * (1 - jitter + jitter * unit) * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
