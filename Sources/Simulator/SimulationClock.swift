import Foundation
import ModbusTransport
import Synchronization

/// The simulated wall clock. The generator model reads time only from here, so tests drive it by
/// hand and a demo can run a 15-minute exercise in seconds.
public protocol SimulationClock: Sendable {
    /// The simulated current time.
    func now() -> Date
}

/// Real time, optionally sped up: simulated time = start + real elapsed × speed.
public final class ScaledClock: SimulationClock {
    private struct Base {
        var realStart: ContinuousClock.Instant
        var simulatedStart: Date
        var speed: Double
    }

    private let base: Mutex<Base>

    public init(start: Date = Date(), speed: Double = 1) {
        base = Mutex(Base(realStart: .now, simulatedStart: start, speed: max(speed, 0)))
    }

    public func now() -> Date {
        base.withLock { base in
            base.simulatedStart.addingTimeInterval(base.realStart.duration(to: .now).seconds * base.speed)
        }
    }

    public var speed: Double { base.withLock { $0.speed } }

    /// Changes the speed from now on, without a jump in simulated time.
    public func setSpeed(_ speed: Double) {
        base.withLock { base in
            let current = base.simulatedStart.addingTimeInterval(base.realStart.duration(to: .now).seconds * base.speed)
            base = Base(realStart: .now, simulatedStart: current, speed: max(speed, 0))
        }
    }
}

/// A clock that moves only when told to: scenario tests step it and inspect registers at each step.
public final class ManualClock: SimulationClock {
    private let current: Mutex<Date>

    public init(start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) { current.withLock { $0 = date } }
}
