import Foundation
import Generac

/// One line of the power (kW) log: the output power from this moment until the next line.
public struct PowerLogEntry: Sendable, Equatable, Hashable, Codable {
    public var time: Date
    public var kilowatts: Double

    public init(time: Date, kilowatts: Double) {
        self.time = time
        self.kilowatts = kilowatts
    }
}

/// The original's rules for writing the kW log (docs/compatibility.md#power-and-fuel-history): the
/// output power is sampled every 10 s and a line is written only when it changed; when it rises
/// from zero, a `0.0` line stamped one second earlier comes first, so charts and sums see the step.
/// Times are whole seconds, as the original's log has them. Pure: time is passed in.
public struct PowerLogRecorder: Sendable, Equatable {
    /// The value of the last sample, as the original starts: zero.
    public private(set) var lastSample: Double = 0

    public init() {}

    /// The lines a sample adds to the log (none when the power did not change).
    public mutating func sample(_ kilowatts: Double, at time: Date) -> [PowerLogEntry] {
        let value = Self.normalized(kilowatts)
        guard value != lastSample else { return [] }
        let stamp = Self.wholeSecond(time)
        var lines: [PowerLogEntry] = []
        if lastSample == 0 { lines.append(PowerLogEntry(time: stamp.addingTimeInterval(-1), kilowatts: 0)) }
        lines.append(PowerLogEntry(time: stamp, kilowatts: value))
        lastSample = value
        return lines
    }

    /// Power as the original logs it: rounded to three decimals, never negative, never NaN.
    public static func normalized(_ kilowatts: Double) -> Double {
        guard kilowatts.isFinite, kilowatts > 0 else { return 0 }
        return (min(kilowatts, 1_000_000) * 1000).rounded(.toNearestOrEven) / 1000
    }

    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

/// What the original derives from its kW log: it walks the lines newest first, and every
/// interval whose older line has non-zero power counts its length and the average of its two
/// ends; the average power is the plain mean of those interval averages (not weighted by length).
public struct PowerAverage: Sendable, Equatable {
    /// The mean of the counted intervals' end-point averages (0 when none was counted).
    public var averageKilowatts: Double
    /// The counted intervals' total length.
    public var seconds: Double

    public init(averageKilowatts: Double, seconds: Double) {
        self.averageKilowatts = averageKilowatts
        self.seconds = seconds
    }

    /// `entries` oldest first (the order the store keeps them).
    public init(entries: some Collection<PowerLogEntry>) {
        // Newest first, as the original sums them (the same sums, added in the same order).
        var accumulator = PowerAccumulator()
        var newer: PowerLogEntry?
        for entry in entries.reversed() {
            if let newer { accumulator.add(older: entry, newer: newer) }
            newer = entry
        }
        self = accumulator.average
    }

    /// kWh as the original reports it: hours counted × average power.
    public var kilowattHours: Double { seconds / 3600 * averageKilowatts }
    /// Hours the generator gave power.
    public var runHours: Double { seconds / 3600 }
}

/// The sums behind a `PowerAverage`, added to one interval at a time (so a long log is summed once).
public struct PowerAccumulator: Sendable, Equatable {
    public private(set) var intervalAverages: Double = 0
    public private(set) var intervals: Int = 0
    public private(set) var seconds: Double = 0

    public init() {}

    /// Counts the interval from `older` to `newer` when the older line's power is not zero.
    public mutating func add(older: PowerLogEntry, newer: PowerLogEntry) {
        guard older.kilowatts != 0 else { return }
        let length = newer.time.timeIntervalSince(older.time)
        // A clock step backwards would make a negative interval; the original would subtract it.
        seconds += length
        intervalAverages += (older.kilowatts + newer.kilowatts) / 2
        intervals += 1
    }

    public var average: PowerAverage {
        intervals == 0 ? PowerAverage(averageKilowatts: 0, seconds: 0)
            : PowerAverage(averageKilowatts: intervalAverages / Double(intervals), seconds: seconds)
    }
}

/// Fuel used, in the units of the model's fuel-rate table (or metric ones).
public struct FuelAmount: Sendable, Equatable, Hashable {
    public var amount: Double
    /// "gal", "cubic feet", "L" or "m3".
    public var units: String

    public init(amount: Double, units: String) {
        self.amount = amount
        self.units = units
    }

    /// The original's text: `%.2f <units>`.
    public var text: String { String(format: "%.2f", amount) + " " + units }
}

/// How fuel use is estimated from power: the model's fuel-rate line and its rating.
public struct FuelEstimator: Sendable, Equatable, Hashable {
    public var curve: FuelConsumptionCurve
    public var nominalKilowatts: Double
    public var fuelType: FuelType
    /// `metricweather`: litres or cubic metres instead of gallons or cubic feet.
    public var metric: Bool

    public init(curve: FuelConsumptionCurve, nominalKilowatts: Double, fuelType: FuelType, metric: Bool) {
        self.curve = curve
        self.nominalKilowatts = nominalKilowatts
        self.fuelType = fuelType
        self.metric = metric
    }

    /// Looks up the curve for a controller: nil on Nexus, without a rating, or without a table row.
    public static func forReadings(_ readings: GeneratorReadings, metric: Bool) -> FuelEstimator? {
        guard let nominal = readings.nominal.kilowatts, nominal > 0 else { return nil }
        var modelID: UInt16 = 0
        if case let .airCooled(_, id) = readings.model.source { modelID = id }
        guard let curve = FuelConsumptionCurve.lookup(identity: readings.identity, modelID: modelID, nominalKW: nominal,
                                                      fuel: readings.nominal.fuelType) else { return nil }
        return FuelEstimator(curve: curve, nominalKilowatts: nominal, fuelType: readings.nominal.fuelType, metric: metric)
    }

    /// Fuel used running `seconds` at `kilowatts`, rounded to four decimals as the original does.
    public func fuel(kilowatts: Double, seconds: Double) -> FuelAmount {
        var amount = curve.consumption(kilowatts: kilowatts, nominalKW: nominalKilowatts, seconds: seconds)
        var units = curve.units
        if metric { (amount, units) = FuelConsumptionCurve.metric(amount, fuel: fuelType) }
        return FuelAmount(amount: (amount * 10_000).rounded() / 10_000, units: units)
    }

    /// Fuel over a log period, as the original estimates it: the average power held for the counted
    /// time. Nil when nothing was counted (the original shows "Unknown" then).
    public func fuel(_ average: PowerAverage) -> FuelAmount? {
        guard average.seconds > 0 else { return nil }
        return fuel(kilowatts: average.averageKilowatts, seconds: average.seconds)
    }

    /// Fuel per hour at `kilowatts`.
    public func perHour(kilowatts: Double) -> FuelAmount { fuel(kilowatts: kilowatts, seconds: 3600) }
}

/// Thins a power log list (newest first) to at most `maximum` points, as the original does for
/// long periods: every zero line is kept (they mark starts and stops), and of the others every
/// n-th. Where the original then drops random points to fit, this drops evenly spaced ones, so the
/// same log always gives the same answer.
public enum PowerLogThinning {
    public static func thin(_ entries: [PowerLogEntry], maximum: Int) -> [PowerLogEntry] {
        guard maximum > 0 else { return [] }
        guard entries.count > maximum else { return entries }
        let step = entries.count / maximum
        var kept = entries.enumerated().filter { $0.element.kilowatts == 0 || $0.offset % step == 0 }.map(\.element)
        let excess = kept.count - maximum
        if excess > 0 {
            // Remove non-zero points evenly spread between the first and the last until it fits.
            let candidates = kept.indices.dropFirst().dropLast().filter { kept[$0].kilowatts != 0 }
            let count = min(excess, candidates.count)
            if count > 0 {
                let drop = Set((0..<count).map { candidates[$0 * candidates.count / count] })
                kept = kept.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            }
        }
        // Only zeros left and still too many: keep the newest.
        return Array(kept.prefix(maximum))
    }
}

/// A running total of energy, as a meter counts it: the power of each sample held until the next
/// one. It only grows, and survives restarts (the monitor stores it), so Home Assistant's energy
/// dashboard can use it as a `total_increasing` counter.
public struct EnergyCounter: Sendable, Equatable {
    public private(set) var kilowattHours: Double
    private var lastSample: (time: Date, kilowatts: Double)?

    public init(kilowattHours: Double = 0) {
        self.kilowattHours = kilowattHours.isFinite && kilowattHours > 0 ? kilowattHours : 0
    }

    /// Adds the energy since the previous sample (at that sample's power). Gaps longer than
    /// `maximumGap` (the monitor was stopped or the controller silent) add nothing.
    public mutating func sample(_ kilowatts: Double, at time: Date, maximumGap: TimeInterval = 60) {
        let value = PowerLogRecorder.normalized(kilowatts)
        if let last = lastSample {
            let seconds = time.timeIntervalSince(last.time)
            if seconds > 0, seconds <= maximumGap { kilowattHours += last.kilowatts * seconds / 3600 }
        }
        lastSample = (time, value)
    }

    public static func == (lhs: EnergyCounter, rhs: EnergyCounter) -> Bool { lhs.kilowattHours == rhs.kilowattHours }
}
