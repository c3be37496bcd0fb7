import Foundation
import Generac

/// The monitor's power, fuel and add-on data: what it holds between poll passes.
struct MonitorDataState: Sendable {
    var external = ExternalData()
    var recorder = PowerLogRecorder()
    var counter = EnergyCounter()
    var savedCounter: Double = 0
    /// The power log's newest `DataSettings.recentPowerLogSpan`, oldest first.
    var recentLog: [PowerLogEntry] = []
    /// Sums over the whole power log (the tank estimate needs all of it).
    var allTime = PowerAccumulator()
    var logEntries = 0
    var lastLogEntry: PowerLogEntry?
    var nextPowerSample: ContinuousClock.Instant?
    var nextCounterSave: ContinuousClock.Instant?
    /// Summaries are recomputed when the log changed (at most every few seconds) and every 10 minutes
    /// (the 30-day window slides).
    var nextSummary: ContinuousClock.Instant?
    var summaryDirty = true
    var power = PowerStatus()
    var lastSensorLine: [String: TimedValue] = [:]
    var nextFuelLog: ContinuousClock.Instant?
    var lastFuelLogged: Double?

    /// Adds lines to the in-memory log and its sums.
    mutating func remember(_ entries: [PowerLogEntry], now: Date) {
        for entry in entries {
            if let previous = lastLogEntry { allTime.add(older: previous, newer: entry) }
            lastLogEntry = entry
            recentLog.append(entry)
            logEntries += 1
        }
        let cutoff = now.addingTimeInterval(-DataSettings.recentPowerLogSpan)
        // Trim in chunks, not on every line: dropping from the front copies the array.
        if let first = recentLog.first, first.time < cutoff.addingTimeInterval(-86_400) {
            recentLog.removeAll { $0.time < cutoff }
        }
        power.logEntries = logEntries
        summaryDirty = true
    }

    mutating func forgetLog() {
        recentLog = []
        allTime = PowerAccumulator()
        logEntries = 0
        lastLogEntry = nil
        power.logEntries = 0
        summaryDirty = true
    }

    /// Output power now: an add-on's current transformers when they send usable data, else the
    /// controller's own meter (Evolution), else none.
    static func currentPower(_ readings: GeneratorReadings, external: ExternalData, settings: GeneracSettings)
        -> (source: PowerSource, kilowatts: Double?, amps: Double?) {
        let running = readings.status.engineState.isRunning
        if let addOn = external.usablePower(engineRunning: running) {
            let volts = addOn.voltage ?? readings.engine.outputVolts.map(Double.init) ?? Double(readings.nominal.effectiveLineVolts)
            let amps = addOn.current ?? (addOn.legCurrents.isEmpty ? nil : addOn.legCurrents.reduce(0, +))
            let legPower = addOn.legPowers.isEmpty ? nil : addOn.legPowers.reduce(0, +)
            let kW = addOn.power ?? legPower ?? amps.map { abs($0) * volts * abs(addOn.powerFactor ?? 1) / 1000 }
            return (.addOn, PowerLogRecorder.normalized(kW ?? 0), amps.map(abs))
        }
        if readings.identity.powerMeterSupported(settings: settings, model: readings.model) {
            return (.controller, readings.engine.outputPowerKW ?? 0, readings.engine.outputCurrent?.totalAmps ?? 0)
        }
        // Add-on data arrived but does not count now (stale, or strict with the engine stopped).
        if external.hasPowerData { return (.addOn, 0, 0) }
        return (.none, nil, nil)
    }

    /// The fuel level the monitor knows: the controller's sensor, an add-on's tank gauge, or the
    /// estimate from the power log and the tank size.
    static func fuelLevel(_ readings: GeneratorReadings, external: ExternalData, power: PowerStatus) -> Double? {
        if let sensor = readings.engine.fuelLevelSensorPercent { return Double(sensor) }
        if let tank = external.tank, !tank.stale, let first = tank.percentages.first { return first }
        if let estimate = power.estimatedFuelInTank, power.tankSize > 0 { return min(100, max(0, estimate / power.tankSize * 100)) }
        return nil
    }
}
