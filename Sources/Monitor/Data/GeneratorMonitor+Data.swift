import Foundation
import Generac

/// Power, fuel and add-on data: the kW log and its summaries, the energy counter, the fuel log,
/// and what add-ons send through the command socket (docs/compatibility.md#power-and-fuel-history).
extension GeneratorMonitor {
    /// At most this many power log lines are read at start (a longer log is thinned for its sums).
    static let maximumPowerLogRead = 1_000_000

    var dataSettings: DataSettings { configuration.data }

    // MARK: - Start and stop

    /// Reads the kept power log and the energy counter, once, before polling starts.
    func loadDataLogs() async {
        let now = clock.date
        do {
            if let total = try await dataLogs.counter(DataSeries.energyCounter) {
                data.counter = EnergyCounter(kilowattHours: total)
                data.savedCounter = data.counter.kilowattHours
            }
            if dataSettings.powerLogEnabled {
                let lines = try await dataLogs.values(in: DataSeries.power, since: nil, maximumPoints: Self.maximumPowerLogRead)
                data.remember(lines.map { PowerLogEntry(time: $0.time, kilowatts: $0.value) }, now: now)
                let cutoff = now.addingTimeInterval(-DataSettings.recentPowerLogSpan)
                data.recentLog.removeAll { $0.time < cutoff }
            }
            data.lastFuelLogged = try await dataLogs.values(in: DataSeries.fuel, since: nil, maximumPoints: 1).last?.value
        } catch {
            logger.error("could not read the data logs: \(error)")
        }
        data.power.totalKilowattHours = data.counter.kilowattHours
        data.power.logEnabled = dataSettings.powerLogEnabled
        data.power.tankSize = max(0, dataSettings.tankSize)
    }

    /// Stores the energy counter one last time and writes everything queued.
    func finishDataLogs() {
        if data.counter.kilowattHours != data.savedCounter {
            dataQueue.setCounter(DataSeries.energyCounter, to: data.counter.kilowattHours)
            data.savedCounter = data.counter.kilowattHours
        }
        dataQueue.finish()
    }

    // MARK: - Every poll pass

    /// Staleness, power now, the power log and energy counter samples, summaries and the fuel log.
    func updateData(_ readings: GeneratorReadings?, at date: Date) {
        if data.external.refreshStaleness(at: date, timeout: dataSettings.externalDataTimeout) { needsPublish = true }
        guard let readings else { return }
        refreshPower(readings)
        let now = clock.now
        // While the controller is silent the readings are old: the log keeps its last value.
        guard watchdog.isReceiving else { return }
        if data.nextPowerSample.map({ now >= $0 }) ?? true {
            data.nextPowerSample = now + dataSettings.powerSampleInterval
            samplePower(at: date)
        }
        if data.nextCounterSave.map({ now >= $0 }) ?? true {
            data.nextCounterSave = now + .seconds(60)
            if data.counter.kilowattHours != data.savedCounter {
                dataQueue.setCounter(DataSeries.energyCounter, to: data.counter.kilowattHours)
                data.savedCounter = data.counter.kilowattHours
            }
        }
        if data.summaryDirty || data.nextSummary.map({ now >= $0 }) ?? true {
            data.nextSummary = now + .seconds(600)
            data.summaryDirty = false
            summarize(readings, at: date)
        }
        logFuel(at: date)
    }

    /// Output power now and where it comes from.
    func refreshPower(_ readings: GeneratorReadings) {
        let power = MonitorDataState.currentPower(readings, external: data.external, settings: configuration.settings)
        var status = data.power
        status.metered = power.source != .none
        status.source = power.source
        status.outputKilowatts = power.kilowatts
        status.outputAmps = power.amps
        status.fuelEstimator = FuelEstimator.forReadings(readings, metric: dataSettings.metric)
        status.fuelLevelPercent = MonitorDataState.fuelLevel(readings, external: data.external, power: status)
        if status != data.power {
            data.power = status
            needsPublish = true
        }
    }

    func samplePower(at date: Date) {
        guard data.power.metered, let kilowatts = data.power.outputKilowatts else { return }
        data.counter.sample(kilowatts, at: date, maximumGap: 3 * dataSettings.powerSampleInterval.seconds)
        if data.counter.kilowattHours != data.power.totalKilowattHours {
            data.power.totalKilowattHours = data.counter.kilowattHours
            needsPublish = true
        }
        guard dataSettings.powerLogEnabled else { return }
        if data.logEntries == 0 {
            // Like the original, a new log starts with a zero line; sampling goes on at the next tick.
            appendPowerLog([PowerLogEntry(time: PowerLogRecorder.wholeSecond(date), kilowatts: 0)], at: date)
            return
        }
        appendPowerLog(data.recorder.sample(kilowatts, at: date), at: date)
    }

    func appendPowerLog(_ entries: [PowerLogEntry], at date: Date) {
        guard !entries.isEmpty else { return }
        data.remember(entries, now: date)
        dataQueue.append(entries.map { TimedValue(time: $0.time, value: $0.kilowatts) }, to: DataSeries.power)
    }

    /// The 30-day figures, the fuel burned since the log began and the tank estimate.
    func summarize(_ readings: GeneratorReadings, at date: Date) {
        var status = data.power
        let window = data.recentLog.filter { date.timeIntervalSince($0.time) < 30 * 86_400 }
        let month = PowerAverage(entries: window)
        status.lastThirtyDays = PowerPeriodSummary(kilowattHours: month.kilowattHours, runHours: month.runHours,
                                                   fuel: status.fuelEstimator?.fuel(month))
        let allTime = data.allTime.average
        status.fuelUsedSinceLogStart = status.fuelEstimator.map { $0.fuel(allTime) ?? $0.fuel(kilowatts: 0, seconds: 0) }
        if status.tankSize > 0, status.metered, let used = status.fuelUsedSinceLogStart, readings.nominal.fuelType != .naturalGas {
            status.estimatedFuelInTank = max(0, status.tankSize - used.amount - dataSettings.subtractFuel)
        } else {
            status.estimatedFuelInTank = nil
        }
        status.fuelLevelPercent = MonitorDataState.fuelLevel(readings, external: data.external, power: status)
        if status != data.power {
            data.power = status
            needsPublish = true
        }
    }

    /// The fuel level every `fuel_log_freq`, when it changed (`enable_fuel_log`).
    func logFuel(at date: Date) {
        guard dataSettings.fuelLogEnabled, dataSettings.fuelLogConfigured else { return }
        let now = clock.now
        guard data.nextFuelLog.map({ now >= $0 }) ?? true else { return }
        data.nextFuelLog = now + .seconds(max(60, dataSettings.fuelLogInterval))
        guard let level = data.power.fuelLevelPercent, level != data.lastFuelLogged else { return }
        data.lastFuelLogged = level
        dataQueue.append([TimedValue(time: PowerLogRecorder.wholeSecond(date), value: level)], to: DataSeries.fuel)
    }

    // MARK: - Add-on data

    public func submitExternalData(_ update: ExternalDataUpdate, origin: CommandOrigin) async -> Result<Void, ExternalDataError> {
        let now = clock.date
        let changed: [ExternalReading]
        do { changed = try data.external.apply(update, at: now) } catch { return .failure(error) }
        data.external.refreshStaleness(at: now, timeout: dataSettings.externalDataTimeout)
        logSensors(changed, at: now)
        if let readings { refreshPower(readings) }
        logger.debug("add-on data from \(origin): \(update)")
        publish()
        return .success(())
    }

    /// A line per sensor whose number changed, at most one per `sensorLogInterval`.
    func logSensors(_ readings: [ExternalReading], at date: Date) {
        guard dataSettings.sensorLogEnabled else { return }
        for reading in readings {
            guard let value = reading.value else { continue }
            if let last = data.lastSensorLine[reading.label],
               last.value == value || date.timeIntervalSince(last.time) < dataSettings.sensorLogInterval { continue }
            let line = TimedValue(time: date, value: value)
            data.lastSensorLine[reading.label] = line
            dataQueue.append([line], to: DataSeries.sensor(reading.label))
        }
    }

    // MARK: - Reading and clearing the logs

    public func powerLog(lastMinutes: Int?) async -> [PowerLogEntry]? {
        guard dataSettings.powerLogEnabled else { return nil }
        let now = clock.date
        let cutoff = lastMinutes.map { now.addingTimeInterval(-Double(max(0, $0)) * 60) }
        // The original keeps a line when it is younger than the period: strictly after the cutoff.
        if let cutoff, cutoff >= now.addingTimeInterval(-DataSettings.recentPowerLogSpan + 60) {
            return data.recentLog.filter { $0.time > cutoff }
        }
        await dataQueue.barrier()
        do {
            return try await dataLogs.values(in: DataSeries.power, since: cutoff, maximumPoints: Self.maximumPowerLogRead)
                .filter { cutoff == nil || $0.time > cutoff! }
                .map { PowerLogEntry(time: $0.time, kilowatts: $0.value) }
        } catch {
            logger.error("could not read the power log: \(error)")
            return []
        }
    }

    public func sensorNames() async -> [String] {
        await dataQueue.barrier()
        var names: [String] = []
        do {
            names = try await dataLogs.series(withPrefix: DataSeries.sensorPrefix).map { String($0.dropFirst(DataSeries.sensorPrefix.count)) }
        } catch {
            logger.error("could not list the sensor logs: \(error)")
        }
        for reading in data.external.readings where reading.value != nil && !names.contains(reading.label) { names.append(reading.label) }
        return names
    }

    public func sensorLog(name: String, lastMinutes: Int, maximumPoints: Int) async -> [TimedValue] {
        let wanted = name.lowercased()
        guard let match = await sensorNames().first(where: { $0.lowercased() == wanted }) else { return [] }
        let cutoff = clock.date.addingTimeInterval(-Double(max(0, lastMinutes)) * 60)
        do {
            return try await dataLogs.values(in: DataSeries.sensor(match), since: cutoff, maximumPoints: max(1, maximumPoints))
                .filter { $0.time > cutoff }
        } catch {
            logger.error("could not read the \(match) log: \(error)")
            return []
        }
    }

    public func clearDataLog(_ log: DataLogKind) async -> DataLogClearOutcome {
        switch log {
        case .power:
            guard dataSettings.powerLogEnabled else { return .notKept }
            // Forget first, so lines sampled while the store clears land after the clearing.
            let hadLines = data.logEntries > 0
            data.forgetLog()
            let removed = await dataQueue.clear(series: DataSeries.power)
            guard hadLines || removed > 0 else { return .wasEmpty }
            // As the original does, a cleared log starts again with a zero line.
            if data.logEntries == 0 { appendPowerLog([PowerLogEntry(time: PowerLogRecorder.wholeSecond(clock.date), kilowatts: 0)], at: clock.date) }
            if let readings { summarize(readings, at: clock.date) }
            publish()
            return .cleared
        case .fuel:
            guard dataSettings.fuelLogConfigured else { return .notKept }
            data.lastFuelLogged = nil
            return await dataQueue.clear(series: DataSeries.fuel) > 0 ? .cleared : .wasEmpty
        case .sensors:
            data.lastSensorLine = [:]
            return await dataQueue.clear(prefix: DataSeries.sensorPrefix) > 0 ? .cleared : .wasEmpty
        }
    }
}
