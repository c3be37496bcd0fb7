import Foundation
import Generac
import GenmonBasics
import Monitor

/// A service whose snapshot and events the caller drives, recording the commands it is given:
/// for tests of interfaces, and for rendering a register dump the way the original would.
/// Subscribers are live, through the monitor's own broadcasters.
public actor FixedGeneratorService: GeneratorService {
    public private(set) var commands: [(MonitorCommand, CommandOrigin)] = []
    /// What `execute` answers.
    public var outcome: CommandOutcome
    private nonisolated let snapshotHub: SnapshotBroadcaster
    private nonisolated let broadcaster = EventBroadcaster()

    public init(snapshot: GeneratorSnapshot,
                outcome: CommandOutcome = CommandOutcome(result: .confirmed, message: "done", legacyReply: RemoteCommand.successReply)) {
        snapshotHub = SnapshotBroadcaster(initial: snapshot)
        self.outcome = outcome
    }

    public var current: GeneratorSnapshot { snapshotHub.latest }
    public func snapshot() -> GeneratorSnapshot { snapshotHub.latest }
    public nonisolated func snapshots() -> AsyncStream<GeneratorSnapshot> { snapshotHub.subscribe() }
    public nonisolated func events() -> AsyncStream<MonitorEvent> { broadcaster.subscribe() }

    public func execute(_ command: MonitorCommand, origin: CommandOrigin) -> CommandOutcome {
        commands.append((command, origin))
        guard origin.mayControl else {
            return CommandOutcome(result: .refused, message: origin.refusalMessage, legacyReply: "Access denied")
        }
        return outcome
    }

    public func submit(_ command: MonitorCommand, origin: CommandOrigin) -> CommandOutcome {
        execute(command, origin: origin)
    }

    public func readRegister(_ address: UInt16) -> Result<UInt16, MonitorError> {
        .success(snapshotHub.latest.registers.word(at: address) ?? 0)
    }

    /// Replaces the snapshot and tells subscribers (tests of live updates).
    public func update(_ snapshot: GeneratorSnapshot) { snapshotHub.publish(snapshot) }

    /// Changes the snapshot in place and tells subscribers.
    public func update(_ change: @Sendable (inout GeneratorSnapshot) -> Void) {
        var snapshot = snapshotHub.latest
        change(&snapshot)
        snapshotHub.publish(snapshot)
    }
    public func setOutcome(_ outcome: CommandOutcome) { self.outcome = outcome }
    /// Publishes an event to subscribers.
    public func publish(_ event: MonitorEvent) { broadcaster.publish(event) }

    // MARK: Data logs, kept in memory

    /// The moment add-on data arrives and logs are cut at (nil: the real time).
    public var date: Date?
    /// The power log, oldest first; nil: no power log is kept.
    public var powerLogEntries: [PowerLogEntry]? = []
    public let dataLogs = InMemoryDataLogs()
    /// Add-on values older than this are marked stale when data arrives or `refreshStaleness` runs.
    public var externalDataTimeout: TimeInterval = 3600

    var now: Date { date ?? Date() }

    public func setDate(_ date: Date?) { self.date = date }
    public func setExternalDataTimeout(_ seconds: TimeInterval) { externalDataTimeout = seconds }
    public func setPowerLog(_ entries: [PowerLogEntry]?) { powerLogEntries = entries }

    public func submitExternalData(_ update: ExternalDataUpdate, origin: CommandOrigin) async -> Result<Void, ExternalDataError> {
        var snapshot = snapshotHub.latest
        let changed: [ExternalReading]
        do { changed = try snapshot.external.apply(update, at: now) } catch { return .failure(error) }
        snapshot.external.refreshStaleness(at: now, timeout: externalDataTimeout)
        for reading in changed {
            if let value = reading.value { await dataLogs.append([TimedValue(time: now, value: value)], to: DataSeries.sensor(reading.label)) }
        }
        snapshotHub.publish(snapshot)
        return .success(())
    }

    /// Marks add-on values older than `externalDataTimeout` (at `date`) as stale.
    public func refreshStaleness() {
        var snapshot = snapshotHub.latest
        if snapshot.external.refreshStaleness(at: now, timeout: externalDataTimeout) { snapshotHub.publish(snapshot) }
    }

    public func powerLog(lastMinutes: Int?) -> [PowerLogEntry]? {
        guard let entries = powerLogEntries else { return nil }
        guard let lastMinutes else { return entries }
        let cutoff = now.addingTimeInterval(-Double(lastMinutes) * 60)
        return entries.filter { $0.time > cutoff }
    }

    public func sensorNames() async -> [String] {
        var names = await dataLogs.series(withPrefix: DataSeries.sensorPrefix).map { String($0.dropFirst(DataSeries.sensorPrefix.count)) }
        for reading in snapshotHub.latest.external.readings where reading.value != nil && !names.contains(reading.label) {
            names.append(reading.label)
        }
        return names
    }

    public func sensorLog(name: String, lastMinutes: Int, maximumPoints: Int) async -> [TimedValue] {
        guard let match = await sensorNames().first(where: { $0.lowercased() == name.lowercased() }) else { return [] }
        let cutoff = now.addingTimeInterval(-Double(lastMinutes) * 60)
        return await dataLogs.values(in: DataSeries.sensor(match), since: cutoff, maximumPoints: maximumPoints).filter { $0.time > cutoff }
    }

    public func clearDataLog(_ log: DataLogKind) async -> DataLogClearOutcome {
        switch log {
        case .power:
            guard let entries = powerLogEntries else { return .notKept }
            guard !entries.isEmpty else { return .wasEmpty }
            powerLogEntries = [PowerLogEntry(time: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), kilowatts: 0)]
            return .cleared
        case .fuel:
            return await dataLogs.clear(series: DataSeries.fuel) > 0 ? .cleared : .wasEmpty
        case .sensors:
            return await dataLogs.clear(seriesWithPrefix: DataSeries.sensorPrefix) > 0 ? .cleared : .wasEmpty
        }
    }
}

extension GeneratorSnapshot {
    /// The snapshot a freshly started monitor has after reading `image` once, as the original's
    /// answers for the fixture dumps show it: min = max = the utility voltage, and an outage in
    /// progress (since `now`) when that voltage is below the threshold.
    public static func fromImage(_ image: RegisterImage, settings: GeneracSettings = .defaults, timeZone: TimeZone = .current,
                                 siteName: String = "TestSite", now: Date = Date(), endpoint: String = "/dev/serial0") -> GeneratorSnapshot {
        let readings = GeneracDecoder.decode(image: image, settings: settings, timeZone: timeZone)
        let reads = RegisterRead.inListingOrder(
            (RegisterMap.prime + RegisterMap.base + [RegisterMap.serialNumber]).map { RegisterRead(address: $0.address, words: $0.words) })
        // One reading of the utility, as a monitor that just started has seen.
        var tracker = OutageTracker()
        let line = readings.line
        _ = tracker.update(volts: line.utilityVolts, threshold: line.thresholdVolts, pickup: line.effectivePickupVolts,
                           nominal: readings.nominal.lineVolts ?? 240, at: now)
        var monitor = MonitorStatus(siteName: siteName, version: MonitorStatus.currentVersion, startedAt: now, initialized: true)
        monitor.firstCompleteStatusAfter = .zero
        return GeneratorSnapshot(
            readings: readings, registers: RegisterDiagnostics(image: image, reads: reads),
            outage: OutageStatus(inOutage: tracker.inOutage, currentStart: tracker.start,
                                 utilityMinimumVolts: tracker.minimum, utilityMaximumVolts: tracker.maximum),
            communication: CommunicationStatus(statistics: CommunicationStatistics(since: .now), transport: .serial(baud: 9600),
                                               endpoint: endpoint, lastResponse: now),
            monitor: monitor, updatedAt: now)
    }
}

