import Foundation
import GenmonBasics
import Synchronization

/// Real time, optionally sped up: simulated time = start + real elapsed × speed. The simulator's
/// model reads its dates from here; at speed 60 a 12-minute exercise takes 12 s, and sleeping on
/// this clock for a simulated minute takes a real second.
public final class ScaledClock: GenmonClock {
    private struct Base {
        var realStart: ContinuousClock.Instant
        var simulatedStart: Date
        /// Simulated monotonic time at `realStart`.
        var simulatedInstant: ContinuousClock.Instant
        var speed: Double
    }

    private let base: Mutex<Base>

    public init(start: Date = Date(), speed: Double = 1) {
        let now = ContinuousClock.now
        base = Mutex(Base(realStart: now, simulatedStart: start, simulatedInstant: now, speed: max(speed, 0)))
    }

    public var date: Date {
        base.withLock { base in base.simulatedStart.addingTimeInterval(base.realStart.duration(to: .now).seconds * base.speed) }
    }

    public var now: ContinuousClock.Instant {
        base.withLock { base in base.simulatedInstant + base.realStart.duration(to: .now) * base.speed }
    }

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        let (remaining, speed) = base.withLock { base in
            ((base.simulatedInstant + base.realStart.duration(to: .now) * base.speed).duration(to: deadline), base.speed)
        }
        guard remaining > .zero else { return }
        // A stopped clock (speed 0) never reaches a later deadline: wait until cancelled.
        let real = speed > 0 ? remaining / speed : .seconds(365 * 86_400)
        try await Task.sleep(for: real)
    }

    public var speed: Double { base.withLock { $0.speed } }

    /// Changes the speed from now on, without a jump in simulated time.
    public func setSpeed(_ speed: Double) {
        base.withLock { base in
            let real = ContinuousClock.now
            let elapsed = base.realStart.duration(to: real)
            base = Base(realStart: real, simulatedStart: base.simulatedStart.addingTimeInterval(elapsed.seconds * base.speed),
                        simulatedInstant: base.simulatedInstant + elapsed * base.speed, speed: max(speed, 0))
        }
    }
}
