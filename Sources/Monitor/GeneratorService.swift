import Foundation
import Generac

/// What every interface (socket, web, MQTT, email, GPIO...) may ask of the monitor. Interfaces
/// depend on this protocol, never on Modbus, so each can be tested against a fixed snapshot.
public protocol GeneratorService: Sendable {
    /// The latest snapshot.
    func snapshot() async -> GeneratorSnapshot
    /// The latest snapshot now and every new one after it (slow consumers see only the newest).
    func snapshots() -> AsyncStream<GeneratorSnapshot>
    /// Events as they happen, from the moment of subscription.
    func events() -> AsyncStream<MonitorEvent>
    /// The one door for commands: authorised, audited, written and confirmed by reading back.
    func execute(_ command: MonitorCommand, origin: CommandOrigin) async -> CommandOutcome
    /// The same door, but returns once the command is written (confirmation continues in the
    /// background, into the audit log): for protocols whose clients expect an immediate reply.
    func submit(_ command: MonitorCommand, origin: CommandOrigin) async -> CommandOutcome
    /// One uncached register read (the original's `readregvalue`), for diagnostics.
    func readRegister(_ address: UInt16) async -> Result<UInt16, MonitorError>
}

/// Failures an interface may show to a person.
public enum MonitorError: Error, Sendable, Equatable, CustomStringConvertible {
    case controllerError(String)

    public var description: String {
        switch self {
        case let .controllerError(reason): reason
        }
    }
}

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
        .success(snapshotHub.latest.image[address])
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
        let identity = ControllerIdentity.detect(productCode: image[0x0000], settings: settings)
        let readings = GeneracDecoder.decode(image: image, identity: identity, settings: settings, timeZone: timeZone)
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
            readings: readings, image: image, registerReads: reads,
            outage: OutageStatus(inOutage: tracker.inOutage, currentStart: tracker.start,
                                 utilityMinimumVolts: tracker.minimum, utilityMaximumVolts: tracker.maximum),
            communication: CommunicationStatus(transport: .serial(baud: 9600), endpoint: endpoint, lastResponse: now),
            monitor: monitor, updatedAt: now)
    }
}

extension MonitorStatus {
    /// genmon's version.
    public static let currentVersion = "0.1.0"
}
