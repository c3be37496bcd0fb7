import Foundation

/// The data logs a person may clear.
public enum DataLogKind: String, Sendable, Equatable, Hashable, CaseIterable {
    case power, fuel, sensors
}

/// What clearing a data log did.
public enum DataLogClearOutcome: String, Sendable, Equatable, Hashable {
    case cleared
    /// There was nothing to clear.
    case wasEmpty
    /// This log is not kept at all (switched off in the configuration).
    case notKept
}

extension GeneratorService {
    // Services without data logs (test doubles written before they existed): nothing is kept.

    public func submitExternalData(_ update: ExternalDataUpdate, origin: CommandOrigin) async -> Result<Void, ExternalDataError> {
        .failure(.notKept)
    }

    public func powerLog(lastMinutes: Int?) async -> [PowerLogEntry]? { nil }
    public func sensorLog(name: String, lastMinutes: Int, maximumPoints: Int) async -> [TimedValue] { [] }
    public func sensorNames() async -> [String] { [] }
    public func clearDataLog(_ log: DataLogKind) async -> DataLogClearOutcome { .notKept }
}
