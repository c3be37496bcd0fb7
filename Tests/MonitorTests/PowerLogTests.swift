import Foundation
import Generac
import GenmonBasics
@testable import Monitor
import Testing

/// The power log's rules and the original's arithmetic on it, with vectors worked out by hand.
@Suite("Power log: recording, the original's averages, fuel, thinning, the energy counter")
struct PowerLogTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static func at(_ seconds: Double, _ kW: Double) -> PowerLogEntry { PowerLogEntry(time: t0.addingTimeInterval(seconds), kilowatts: kW) }

    @Test("a line only when the power changes, a 0.0 line one second before a rise from zero, in whole seconds")
    func recorder() {
        var recorder = PowerLogRecorder()
        #expect(recorder.sample(0, at: Self.t0) == [])
        #expect(recorder.sample(0, at: Self.t0.addingTimeInterval(10)) == [])
        // Sampled at 20.7 s: stamped 20 s, with the zero line at 19 s.
        #expect(recorder.sample(4.8, at: Self.t0.addingTimeInterval(20.7)) == [Self.at(19, 0), Self.at(20, 4.8)])
        #expect(recorder.sample(4.8, at: Self.t0.addingTimeInterval(30)) == [])
        #expect(recorder.sample(5.0004, at: Self.t0.addingTimeInterval(40)) == [Self.at(40, 5)])
        // A drop to zero has no extra line.
        #expect(recorder.sample(0, at: Self.t0.addingTimeInterval(50)) == [Self.at(50, 0)])
        // Negative and non-numbers count as zero.
        #expect(recorder.sample(-3, at: Self.t0.addingTimeInterval(60)) == [])
        #expect(recorder.sample(.nan, at: Self.t0.addingTimeInterval(70)) == [])
        #expect(recorder.sample(0.12, at: Self.t0.addingTimeInterval(80)) == [Self.at(79, 0), Self.at(80, 0.12)])
    }

    /// Newest first, as the original walks the log: each interval whose older line is non-zero
    /// counts its length and the mean of its two ends; the average is the plain mean of those.
    ///
    ///   0 s  0.0   (log created)
    ///   99 s 0.0   (one second before the rise)
    ///   100 s 4.8  → interval 100…110: (4.8 + 5.0) / 2 = 4.9, 10 s
    ///   110 s 5.0  → interval 110…130: (5.0 + 0.0) / 2 = 2.5, 20 s
    ///   130 s 0.0
    /// average = (4.9 + 2.5) / 2 = 3.7 kW over 30 s → 30 / 3600 × 3.7 = 0.0308 kWh, 0.0083 h.
    static let handLog = [at(0, 0), at(99, 0), at(100, 4.8), at(110, 5.0), at(130, 0)]

    @Test("average power and time follow the original's interval rule")
    func averageByHand() {
        let average = PowerAverage(entries: Self.handLog)
        #expect(abs(average.averageKilowatts - 3.7) < 1e-12)
        #expect(average.seconds == 30)
        #expect(abs(average.kilowattHours - 30.0 / 3600 * 3.7) < 1e-12)
        #expect(String(format: "%.2f", average.kilowattHours) == "0.03")
        #expect(String(format: "%.2f", average.runHours) == "0.01")
        // The accumulator, fed one line at a time, adds up to the same.
        var accumulator = PowerAccumulator()
        for (older, newer) in zip(Self.handLog, Self.handLog.dropFirst()) { accumulator.add(older: older, newer: newer) }
        #expect(accumulator.average == average)
        // Nothing counted: zero, and no fuel.
        #expect(PowerAverage(entries: [Self.at(0, 0), Self.at(50, 0)]) == PowerAverage(averageKilowatts: 0, seconds: 0))
        #expect(PowerAverage(entries: []) == PowerAverage(averageKilowatts: 0, seconds: 0))
        // The newest line's power is held until now, but the original does not count that open interval.
        #expect(PowerAverage(entries: [Self.at(0, 0), Self.at(9, 0), Self.at(10, 3)]).seconds == 0)
    }

    /// EvoLC_Fuel.txt: 27 kW natural gas burns 197 cubic feet an hour at half load, 359 at full.
    /// 3.7 kW is a load of 3.7 / 27 = 0.137037; the line through the two points gives
    /// 197 + (359 − 197) / 0.5 × (0.137037 − 0.5) = 197 − 324 × 0.362963 = 79.4 cubic feet an hour;
    /// for 30 s: 79.4 × 30 / 3600 = 0.6617 (rounded to four places) → "0.66 cubic feet".
    @Test("fuel from the model's fuel-rate table, as the original estimates it")
    func fuelByHand() throws {
        let curve = FuelConsumptionCurve(rateAtHalfLoad: 197, rateAtFullLoad: 359, units: "cubic feet")
        let estimator = FuelEstimator(curve: curve, nominalKilowatts: 27, fuelType: .naturalGas, metric: false)
        let fuel = try #require(estimator.fuel(PowerAverage(entries: Self.handLog)))
        #expect(fuel == FuelAmount(amount: 0.6617, units: "cubic feet"))
        #expect(fuel.text == "0.66 cubic feet")
        // Nothing ran: the original shows "Unknown".
        #expect(estimator.fuel(PowerAverage(averageKilowatts: 0, seconds: 0)) == nil)
        // Metric: natural gas in cubic metres.
        let metric = FuelEstimator(curve: curve, nominalKilowatts: 27, fuelType: .naturalGas, metric: true)
        #expect(metric.fuel(kilowatts: 3.7, seconds: 30) == FuelAmount(amount: 0.0187, units: "m3"))
        // The table lookup finds that very row for a 27 kW natural gas Evolution LC.
        let found = FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .evolutionLC), modelID: 0, nominalKW: 27, fuel: .naturalGas)
        #expect(found == curve)
    }

    @Test("long lists are thinned deterministically: zero lines kept, at most the maximum, newest kept")
    func thinning() {
        var entries: [PowerLogEntry] = []
        for index in 0..<1000 { entries.append(Self.at(Double(index * 10), index % 100 == 0 ? 0 : 5 + Double(index % 7))) }
        let newestFirst = Array(entries.reversed())
        let thinned = PowerLogThinning.thin(newestFirst, maximum: 100)
        #expect(thinned.count <= 100)
        #expect(thinned.first == newestFirst.first)
        #expect(newestFirst.filter { $0.kilowatts == 0 }.allSatisfy(thinned.contains))
        #expect(PowerLogThinning.thin(newestFirst, maximum: 100) == thinned)
        #expect(PowerLogThinning.thin(newestFirst, maximum: 5000) == newestFirst)
        #expect(PowerLogThinning.thin(newestFirst, maximum: 0) == [])
        // Only zeros and too many of them: the newest are kept.
        let zeros = (0..<50).map { Self.at(Double($0), 0) }
        #expect(PowerLogThinning.thin(zeros, maximum: 10) == Array(zeros.prefix(10)))
    }

    @Test("the energy counter holds each sample's power until the next, never shrinks, and skips gaps")
    func energyCounter() {
        var counter = EnergyCounter(kilowattHours: 100)
        counter.sample(3.6, at: Self.t0)
        counter.sample(7.2, at: Self.t0.addingTimeInterval(10))   // 3.6 kW × 10 s = 0.01 kWh
        counter.sample(0, at: Self.t0.addingTimeInterval(20))     // 7.2 kW × 10 s = 0.02 kWh
        #expect(abs(counter.kilowattHours - 100.03) < 1e-9)
        counter.sample(50, at: Self.t0.addingTimeInterval(30))    // 0 kW for 10 s
        counter.sample(50, at: Self.t0.addingTimeInterval(3600))  // a gap of an hour: not counted
        #expect(abs(counter.kilowattHours - 100.03) < 1e-9)
        counter.sample(0, at: Self.t0.addingTimeInterval(3610))   // 50 kW × 10 s
        #expect(abs(counter.kilowattHours - (100.03 + 50 * 10 / 3600.0)) < 1e-9)
        #expect(EnergyCounter(kilowattHours: -5).kilowattHours == 0)
        #expect(EnergyCounter(kilowattHours: .nan).kilowattHours == 0)
    }
}
