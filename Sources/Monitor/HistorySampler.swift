import Foundation
import Generac

/// Takes a history sample every `interval` and hands samples over in batches every `flushInterval`,
/// so the database (on an SD card) is written about once a minute, not every few seconds.
struct HistorySampler: Sendable {
    let interval: Duration
    let flushInterval: Duration
    var nextSample: ContinuousClock.Instant
    var nextFlush: ContinuousClock.Instant
    var pending: [HistorySample] = []

    init(interval: Duration, flushInterval: Duration, now: ContinuousClock.Instant) {
        self.interval = interval
        self.flushInterval = flushInterval
        self.nextSample = now
        self.nextFlush = now + flushInterval
    }

    /// Samples `readings` if one is due; returns a batch when it is time to store one. `powerKW`
    /// replaces the controller's output power (an add-on's current transformers measure it).
    mutating func offer(_ readings: GeneratorReadings, at now: ContinuousClock.Instant, date: Date, powerKW: Double? = nil) -> [HistorySample]? {
        if now >= nextSample {
            nextSample = now + interval
            var sample = Self.sample(readings, at: date)
            if let powerKW { sample.powerKW = powerKW }
            pending.append(sample)
        }
        guard now >= nextFlush, !pending.isEmpty else { return nil }
        nextFlush = now + flushInterval
        defer { pending.removeAll() }
        return pending
    }

    static func sample(_ readings: GeneratorReadings, at date: Date) -> HistorySample {
        HistorySample(
            time: date, utilityVolts: Double(readings.line.utilityVolts), batteryVolts: readings.engine.batteryVolts,
            outputVolts: Double(readings.engine.outputVolts ?? 0), frequencyHz: readings.engine.frequencyHz,
            rpm: Double(readings.engine.rpm), powerKW: readings.engine.outputPowerKW)
    }
}
