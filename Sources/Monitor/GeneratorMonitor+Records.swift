import Foundation
import Generac

/// What the monitor writes down: outages (finished, and the one in progress so that a restart
/// continues it), and the queue every record goes through to the database.
extension GeneratorMonitor {
    func trackOutage(_ readings: GeneratorReadings, at now: Date) {
        guard !configuration.outageCheckDisabled else { return }
        let line = readings.line
        let resuming = outageTracker.resumedUnseenSince
        let transition = outageTracker.update(volts: line.utilityVolts, threshold: line.thresholdVolts,
                                              pickup: line.effectivePickupVolts, nominal: readings.nominal.lineVolts ?? 240, at: now)
        switch transition {
        case let .started(at, volts)?:
            emit(.outageStarted(utilityVolts: volts), at: at)
            noteOutageInProgress(start: at)
        case let .ended(record)?:
            outageHistory.insert(record, at: 0)
            if outageHistory.count > 100 { outageHistory.removeLast() }
            // Written with the in-progress row's removal in one transaction: never both, never neither.
            persistenceQueue.yield(.outage(record))
            outageNotedAt = nil
            if let unseenSince = record.unobservedFrom {
                emit(.outageEndedWhileStopped(duration: record.duration, unseenFor: record.end.timeIntervalSince(unseenSince)), at: record.end)
            } else {
                emit(.outageEnded(duration: record.duration), at: record.end)
            }
        case nil:
            guard outageTracker.inOutage, let start = outageTracker.start else { break }
            if resuming != nil, outageTracker.resumedUnseenSince == nil {
                logger.notice("the outage that started at \(start) is still going: continuing it")
                noteOutageInProgress(start: start)
            } else if let noted = outageNotedAt, noted.duration(to: clock.now) >= .seconds(60), watchdog.isReceiving {
                noteOutageInProgress(start: start)
            }
        }
    }

    /// Writes the outage in progress down (at its start, then once a minute), so that a restart
    /// continues it with its real start, or closes it knowing when genmon last saw it.
    func noteOutageInProgress(start: Date) {
        outageNotedAt = clock.now
        persistenceQueue.yield(.outageInProgress(OutageInProgress(start: start, lastSeen: clock.date)))
    }

    // MARK: - Persistence

    enum PersistenceJob: Sendable {
        case event(MonitorEvent)
        case outage(OutageRecord)
        case outageInProgress(OutageInProgress)
        case audit(AuditRecord)
        case samples([HistorySample])
    }

    nonisolated func drainPersistence() async {
        for await job in persistenceStream {
            guard let persistence else { continue }
            do {
                switch job {
                case let .event(event): try await persistence.record(event)
                case let .outage(outage): try await persistence.record(outage)
                case let .outageInProgress(outage): try await persistence.record(outage)
                case let .audit(audit): try await persistence.record(audit)
                case let .samples(samples): try await persistence.record(samples)
                }
            } catch {
                logger.error("could not store \(job): \(error)")
            }
        }
    }
}
