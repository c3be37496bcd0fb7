import Foundation
import Generac

/// From the register image to what everyone sees: decoding, events, outages, history samples,
/// freshness, and the snapshot.
extension GeneratorMonitor {
    /// Decodes, detects events and outages, samples history, publishes.
    func updateDerivedState() {
        let now = clock.date
        if let identity, let scheduler {
            if !initialized, scheduler.isStatusComplete {
                initialized = true
                firstCompleteStatusAfter = startedInstant.duration(to: clock.now)
                needsPublish = true
            }
            if !logsLoaded, logWork.isEmpty, initialized {
                logsLoaded = true
                logsCompleteAfter = startedInstant.duration(to: clock.now)
            }
            if initialized, needsPublish || readings == nil {
                let current = GeneracDecoder.decode(image: image, identity: identity, settings: configuration.settings,
                                                    timeZone: configuration.timeZone, statusPair: statusTracker.current)
                for event in detector.events(for: current, at: now) { emit(event.kind, at: event.time) }
                readings = current
                let engine = current.status.engineState
                self.scheduler?.setEngineStopped(!engine.isRunning && !engine.isCranking)
            }
            // Every pass, not only on a change: the outage notice delay runs out while the volts stay put.
            if initialized, let readings { trackOutage(readings, at: now) }
            // While the controller is silent the readings are old: a chart shows a gap, not a flat line.
            if watchdog.isReceiving, let readings,
               let batch = sampler.offer(readings, at: clock.now, date: now,
                                         powerKW: data.power.source == .addOn ? data.power.outputKilowatts : nil) {
                persistenceQueue.yield(.samples(batch))
            }
        }
        updateData(initialized ? readings : nil, at: now)
        if needsPublish || lastPublish.duration(to: clock.now) >= .seconds(1) { publish() }
    }

    func publish() {
        let changed = needsPublish
        needsPublish = false
        lastPublish = clock.now
        var monitor = MonitorStatus(siteName: configuration.siteName, version: MonitorStatus.currentVersion,
                                    startedAt: startedAt, initialized: initialized)
        monitor.firstCompleteStatusAfter = firstCompleteStatusAfter
        monitor.logsCompleteAfter = logsCompleteAfter
        var snapshot = GeneratorSnapshot(
            readings: initialized ? readings : nil, registers: RegisterDiagnostics(image: image, reads: registerReads),
            unchangedReads: unchangedReads, changedReads: changedReads,
            outage: OutageStatus(inOutage: outageTracker.inOutage, currentStart: outageTracker.start,
                                 utilityMinimumVolts: outageTracker.minimum, utilityMaximumVolts: outageTracker.maximum,
                                 history: outageHistory),
            communication: CommunicationStatus(statistics: link.communicationStatistics, transport: link.kind, endpoint: link.endpoint,
                                               isReceiving: watchdog.isAnswering(at: clock.now, within: configuration.healthWarningAfter),
                                               lastResponse: lastAnswerAt),
            monitor: monitor,
            freshness: initialized ? Freshness.assess(readTimes: readTimes, periods: scheduler?.periods ?? [:], since: startedAt, now: clock.date)
                                   : Freshness(),
            updatedAt: clock.date)
        snapshot.external = data.external
        snapshot.power = data.power
        // Every second the counters and read times move; waking every subscriber for that alone was
        // most of what genmon did between transactions.
        let tell = changed || lastTold.map { snapshot.differsBeyondCounters(from: $0.snapshot)
            || $0.at + configuration.quietRepublishInterval <= clock.now } ?? true
        if tell { lastTold = (snapshot, clock.now) }
        snapshotHub.publish(snapshot, tellingSubscribers: tell)
    }
}
