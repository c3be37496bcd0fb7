import Foundation
import GenmonBasics
import ModbusCore
import ModbusTransport
import Synchronization

/// How often each kind of fault happens, per reply. Deterministic for a given seed.
public struct FaultSettings: Sendable, Equatable {
    /// Replies whose CRC is corrupted (a noisy line).
    public var crcCorruption: Double = 0
    /// Replies never sent (the controller missed the request).
    public var dropped: Double = 0
    /// Replies cut short (a connector that makes intermittent contact).
    public var truncated: Double = 0
    /// Replies preceded by a burst of random bytes (EMI, as when a large engine cranks).
    public var garbage: Double = 0
    /// Length range of a garbage burst.
    public var garbageBurst: ClosedRange<Int> = 4...32
    /// Replies sent late.
    public var slow: Double = 0
    /// How late a slow reply is (real controllers have been seen to take 950 ms).
    public var slowDelay: Duration = .milliseconds(800)
    public var seed: UInt64 = 1

    public init() {}

    /// These settings with the rates a `faults` command names (`crc`, `drop`, `truncate`,
    /// `garbage`, `slow`, `seed`) replaced; other names are ignored.
    public func applying(_ rates: [String: Double]) -> FaultSettings {
        var settings = self
        for (key, value) in rates {
            switch key {
            case "crc": settings.crcCorruption = value
            case "drop": settings.dropped = value
            case "truncate": settings.truncated = value
            case "garbage": settings.garbage = value
            case "slow": settings.slow = value
            case "seed": settings.seed = UInt64(exactly: value.rounded()) ?? settings.seed
            default: break
            }
        }
        return settings
    }
}

/// How replies are paced on the wire.
public struct WirePacing: Sendable, Equatable {
    /// When false, replies go out at once (fast tests).
    public var enabled: Bool
    public var serial: SerialSettings
    /// The controller's own processing time before it starts answering.
    public var turnaround: Duration

    public init(enabled: Bool = true, serial: SerialSettings = SerialSettings(), turnaround: Duration = .milliseconds(7)) {
        self.enabled = enabled
        self.serial = serial
        self.turnaround = turnaround
    }

    public static let off = WirePacing(enabled: false)

    /// Request on the wire, controller turnaround, reply on the wire: the time one transaction holds the line.
    public func delay(requestBytes: Int, replyBytes: Int) -> Duration {
        guard enabled else { return .zero }
        return serial.wireTime(bytes: requestBytes) + turnaround + serial.wireTime(bytes: replyBytes)
    }
}

/// What the injector has done so far.
public struct FaultCounts: Sendable, Equatable {
    public var replies = 0
    public var crcCorrupted = 0
    public var dropped = 0
    public var truncated = 0
    public var garbageBursts = 0
    public var garbageBytes = 0
    public var slow = 0
    public var silenced = 0
}

/// Paces replies at the baud rate and injects faults at configured rates, from a seeded generator.
public final class FaultInjector: ReplyShaper {
    private struct State {
        var settings: FaultSettings
        var pacing: WirePacing
        var generator: SeededGenerator
        var silentUntil: ContinuousClock.Instant?
        var counts = FaultCounts()
    }

    private let state: Mutex<State>

    public init(settings: FaultSettings = FaultSettings(), pacing: WirePacing = WirePacing()) {
        state = Mutex(State(settings: settings, pacing: pacing, generator: SeededGenerator(seed: settings.seed)))
    }

    public var settings: FaultSettings { state.withLock { $0.settings } }
    public var pacing: WirePacing { state.withLock { $0.pacing } }
    public var counts: FaultCounts { state.withLock { $0.counts } }

    /// Replaces the fault rates; a new seed restarts the random sequence.
    public func update(_ settings: FaultSettings) {
        state.withLock { state in
            if settings.seed != state.settings.seed { state.generator = SeededGenerator(seed: settings.seed) }
            state.settings = settings
        }
    }

    public func setPacing(_ pacing: WirePacing) { state.withLock { $0.pacing = pacing } }

    /// No replies at all for `duration` of real time, as if the cable were unplugged.
    public func silence(for duration: Duration) {
        state.withLock { $0.silentUntil = .now + duration }
    }

    public func shape(reply: [UInt8], to request: ModbusRequest) async -> ReplyPlan {
        state.withLock { state in
            state.counts.replies += 1
            if let until = state.silentUntil {
                if until > .now {
                    state.counts.silenced += 1
                    return .silence
                }
                state.silentUntil = nil
            }
            let settings = state.settings
            var bytes = reply
            var delay = state.pacing.delay(requestBytes: Self.requestLength(request), replyBytes: reply.count)

            if state.generator.chance(settings.dropped) {
                state.counts.dropped += 1
                return .silence
            }
            if state.generator.chance(settings.crcCorruption), bytes.count >= 2 {
                state.counts.crcCorrupted += 1
                bytes[bytes.count - 1 - Int(state.generator.next() & 1)] ^= UInt8(truncatingIfNeeded: state.generator.next() | 1)
            }
            if state.generator.chance(settings.truncated), bytes.count > 1 {
                state.counts.truncated += 1
                bytes = Array(bytes.prefix(1 + Int(state.generator.next() % UInt64(bytes.count - 1))))
            }
            if state.generator.chance(settings.garbage) {
                let range = settings.garbageBurst
                let length = range.lowerBound + Int(state.generator.next() % UInt64(range.count))
                state.counts.garbageBursts += 1
                state.counts.garbageBytes += length
                bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: state.generator.next()) } + bytes
            }
            if state.generator.chance(settings.slow) {
                state.counts.slow += 1
                delay += settings.slowDelay
            }
            return ReplyPlan([.init(delay: delay, bytes: bytes)])
        }
    }

    /// Bytes of the request on an RTU line (for pacing: the request occupies the line before the reply).
    static func requestLength(_ request: ModbusRequest) -> Int {
        switch request {
        case .readHoldingRegisters, .readInputRegisters, .writeSingleRegister: 8
        case let .writeMultipleRegisters(_, values): 9 + 2 * values.count
        case .readFileRecord: 12
        }
    }
}
