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
    /// Data from an add-on (sensors, gauges, tank, power), validated and applied to the snapshot.
    func submitExternalData(_ update: ExternalDataUpdate, origin: CommandOrigin) async -> Result<Void, ExternalDataError>
    /// The power log's lines of the last `lastMinutes` (all when nil), oldest first; nil when no log is kept.
    func powerLog(lastMinutes: Int?) async -> [PowerLogEntry]?
    /// A sensor's log over the last `lastMinutes`, oldest first, at most `maximumPoints` lines.
    func sensorLog(name: String, lastMinutes: Int, maximumPoints: Int) async -> [TimedValue]
    /// The sensors that have a log or a current value.
    func sensorNames() async -> [String]
    /// Empties a data log.
    func clearDataLog(_ log: DataLogKind) async -> DataLogClearOutcome
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

extension MonitorStatus {
    /// genmon's version.
    public static let currentVersion = "0.1.0"
}
