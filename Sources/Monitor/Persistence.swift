import Foundation

/// A point of history for charts, taken every few seconds while monitoring.
public struct HistorySample: Sendable, Equatable, Codable {
    public var time: Date
    public var utilityVolts: Double
    public var batteryVolts: Double
    public var outputVolts: Double
    public var frequencyHz: Double
    public var rpm: Double
    public var powerKW: Double?

    public init(time: Date, utilityVolts: Double, batteryVolts: Double, outputVolts: Double, frequencyHz: Double, rpm: Double, powerKW: Double?) {
        self.time = time
        self.utilityVolts = utilityVolts
        self.batteryVolts = batteryVolts
        self.outputVolts = outputVolts
        self.frequencyHz = frequencyHz
        self.rpm = rpm
        self.powerKW = powerKW
    }
}

/// Where the monitor keeps what must survive a restart. The Store module implements it with SQLite;
/// tests use an in-memory one.
public protocol MonitorPersistence: Sendable {
    func record(_ event: MonitorEvent) async throws
    /// Keeps a finished outage and forgets the outage in progress, in one step.
    func record(_ outage: OutageRecord) async throws
    /// Keeps (or updates) the outage in progress, so that a restart continues it.
    func record(_ outage: OutageInProgress) async throws
    /// The outage in progress when genmon last stopped, if any.
    func outageInProgress() async throws -> OutageInProgress?
    func record(_ audit: AuditRecord) async throws
    func record(_ samples: [HistorySample]) async throws
    /// Finished outages, newest first.
    func outages(limit: Int) async throws -> [OutageRecord]
}

/// Keeps everything in memory: for tests, and for running without a database.
public actor InMemoryPersistence: MonitorPersistence {
    public private(set) var events: [MonitorEvent] = []
    public private(set) var outageRecords: [OutageRecord] = []
    public private(set) var audits: [AuditRecord] = []
    public private(set) var samples: [HistorySample] = []
    public private(set) var inProgress: OutageInProgress?

    public init() {}

    public func record(_ event: MonitorEvent) { events.append(event) }
    public func record(_ outage: OutageRecord) {
        outageRecords.insert(outage, at: 0)
        inProgress = nil
    }
    public func record(_ outage: OutageInProgress) { inProgress = outage }
    public func outageInProgress() -> OutageInProgress? { inProgress }
    public func record(_ audit: AuditRecord) { audits.append(audit) }
    public func record(_ samples: [HistorySample]) { self.samples += samples }
    public func outages(limit: Int) -> [OutageRecord] { Array(outageRecords.prefix(limit)) }
}
