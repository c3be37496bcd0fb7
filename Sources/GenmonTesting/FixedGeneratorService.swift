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
            return CommandOutcome(result: .refused, message: "\(origin) may not control the generator", legacyReply: "Access denied")
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

