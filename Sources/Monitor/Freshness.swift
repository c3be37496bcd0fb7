import Foundation
import Generac

/// A value the views show that comes from the controller's registers and goes out of date when
/// they are not read: the engine state, the voltages, speed, frequency, current and power.
public enum LiveReading: String, Sendable, Codable, CaseIterable, Comparable {
    case status, utilityVoltage, batteryVoltage, rpm, frequency, outputVoltage, outputCurrent, outputPower

    /// For a person ("Battery voltage").
    public var label: String {
        switch self {
        case .status: "Engine state"
        case .utilityVoltage: "Utility voltage"
        case .batteryVoltage: "Battery voltage"
        case .rpm: "Engine speed"
        case .frequency: "Frequency"
        case .outputVoltage: "Output voltage"
        case .outputCurrent: "Output current"
        case .outputPower: "Output power"
        }
    }

    /// The registers the value is decoded from (those the controller does not have are skipped
    /// by whoever asks, by looking at which are polled).
    public var registers: [RegisterAddress] {
        switch self {
        case .status: [Register.statusPair]
        case .utilityVoltage: [Register.utilityVolts]
        case .batteryVoltage: [Register.batteryVolts]
        case .rpm: [Register.engineRPM]
        case .frequency: [Register.outputFrequency]
        case .outputVoltage: [Register.outputVolts]
        case .outputCurrent, .outputPower:
            [Register.currentTransformer1, Register.currentTransformer2, Register.hallCurrentSensor, Register.legacyCurrentSensor]
                + (self == .outputPower ? [Register.outputVolts] : [])
        }
    }

    public static func < (lhs: LiveReading, rhs: LiveReading) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// When a value was last read from the controller, and how often it should be.
public struct ReadingTime: Sendable, Equatable {
    /// The oldest successful read among the value's registers.
    public var lastRead: Date
    /// How often the monitor means to read it (at least a second).
    public var expectedRefresh: TimeInterval

    public init(lastRead: Date, expectedRefresh: TimeInterval) {
        self.lastRead = lastRead
        self.expectedRefresh = expectedRefresh
    }

    /// A value older than three refreshes is stale: something keeps the monitor from reading it.
    public static let staleFactor: Double = 3

    public func age(at now: Date) -> TimeInterval { max(0, now.timeIntervalSince(lastRead)) }
    public func isStale(at now: Date) -> Bool { age(at: now) > expectedRefresh * Self.staleFactor }
}

/// How fresh each live value is, as of one snapshot.
public struct Freshness: Sendable, Equatable {
    /// Every live value this controller has, with its last read.
    public var readings: [LiveReading: ReadingTime]
    /// The values older than three refreshes when the snapshot was taken.
    public var stale: Set<LiveReading>

    public init(readings: [LiveReading: ReadingTime] = [:], stale: Set<LiveReading> = []) {
        self.readings = readings
        self.stale = stale
    }

    /// Works out each value's last read and refresh from the registers' read times and periods;
    /// a value none of whose registers is polled is left out; one not read yet counts from `since`.
    public static func assess(readTimes: [RegisterAddress: Date], periods: [RegisterAddress: Duration], since: Date, now: Date) -> Freshness {
        var readings: [LiveReading: ReadingTime] = [:]
        for reading in LiveReading.allCases {
            let polled = reading.registers.filter { periods[$0] != nil }
            guard !polled.isEmpty else { continue }
            let lastRead = polled.map { readTimes[$0] ?? since }.min() ?? since
            let refresh = max(1, polled.map { periods[$0]?.seconds ?? 1 }.max() ?? 1)
            readings[reading] = ReadingTime(lastRead: lastRead, expectedRefresh: refresh)
        }
        return Freshness(readings: readings, stale: Set(readings.filter { $0.value.isStale(at: now) }.keys))
    }

    /// The values stale at `now`: those judged stale when published, and those gone stale since.
    public func stale(at now: Date) -> Set<LiveReading> {
        stale.union(readings.filter { $0.value.isStale(at: now) }.keys)
    }

    /// "Engine speed 12 s, Frequency 12 s": the stale values and their ages, for health texts.
    public func staleSummary(at now: Date) -> String {
        stale.sorted().compactMap { reading in
            readings[reading].map { "\(reading.label) \(Int($0.age(at: now).rounded())) s" }
        }.joined(separator: ", ")
    }
}
