import Foundation
import GRDB
import Monitor

extension Schema {
    /// The power (kW) log, the fuel-level log, one log per add-on sensor, and named counters (the
    /// energy total). A log line is `(series, time, value)`; the key makes each series its own index.
    static func dataLogTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE data_log (
                series TEXT NOT NULL,
                time INTEGER NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (series, time)
            ) WITHOUT ROWID;
            CREATE TABLE counter (
                name TEXT PRIMARY KEY,
                value REAL NOT NULL
            );
            """)
    }
}

/// How long the data logs are kept (the original prunes its kW log after three years).
public struct DataLogRetention: Sendable, Equatable {
    public var powerLog: TimeInterval
    public var fuelLog: TimeInterval
    public var sensorLogs: TimeInterval

    public init(powerLog: TimeInterval = 3 * 365 * RetentionPolicy.day, fuelLog: TimeInterval = 3 * 365 * RetentionPolicy.day,
                sensorLogs: TimeInterval = 365 * RetentionPolicy.day) {
        self.powerLog = powerLog
        self.fuelLog = fuelLog
        self.sensorLogs = sensorLogs
    }
}

extension GenmonDatabase: DataLogPersistence {
    /// The longest series name kept (sensor names are at most 64 characters).
    static let maximumSeriesName = 200

    public func append(_ values: [TimedValue], to series: String) async throws {
        let name = try Self.checkedSeries(series)
        let rows: [(Int64, Double)] = values.compactMap { value in
            guard let time = UnixMillis.from(value.time), value.value.isFinite else { return nil }
            return (time, value.value)
        }
        guard !rows.isEmpty else { return }
        try await writing { db in
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO data_log (series, time, value) VALUES (?, ?, ?)")
            for (time, value) in rows { try statement.execute(arguments: [name, time, value]) }
        }
    }

    public func values(in series: String, since: Date?, maximumPoints: Int) async throws -> [TimedValue] {
        let name = try Self.checkedSeries(series)
        let from = try since.map { try UnixMillis.require($0, "since") } ?? .min
        guard maximumPoints > 0 else { return [] }
        return try await reading { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM data_log WHERE series = ? AND time >= ?", arguments: [name, from]) ?? 0
            let step = max(1, (count + maximumPoints - 1) / maximumPoints)
            // Every n-th line counted from the newest, as the original thins its logs.
            let sql = step == 1
                ? "SELECT time, value FROM data_log WHERE series = ? AND time >= ? ORDER BY time"
                : """
                    SELECT time, value FROM (
                        SELECT time, value, ROW_NUMBER() OVER (ORDER BY time DESC) AS position
                        FROM data_log WHERE series = ? AND time >= ?
                    ) WHERE (position - 1) % \(step) = 0 ORDER BY time
                    """
            return try Row.fetchAll(db, sql: sql, arguments: [name, from]).map { row in
                TimedValue(time: UnixMillis.date(try row.requiredInt64("time", table: "data_log")),
                           value: try row.optionalDouble("value", table: "data_log") ?? .nan)
            }
        }
    }

    @discardableResult
    public func clear(series: String) async throws -> Int {
        let name = try Self.checkedSeries(series)
        return try await writing { db in
            try db.execute(sql: "DELETE FROM data_log WHERE series = ?", arguments: [name])
            return db.changesCount
        }
    }

    @discardableResult
    public func clear(seriesWithPrefix prefix: String) async throws -> Int {
        let name = try Self.checkedSeries(prefix)
        return try await writing { db in
            try db.execute(sql: "DELETE FROM data_log WHERE substr(series, 1, length(?)) = ?", arguments: [name, name])
            return db.changesCount
        }
    }

    public func series(withPrefix prefix: String) async throws -> [String] {
        let name = try Self.checkedSeries(prefix)
        return try await reading { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT series FROM data_log WHERE substr(series, 1, length(?)) = ? ORDER BY series",
                                arguments: [name, name])
        }
    }

    public func counter(_ name: String) async throws -> Double? {
        let key = try Self.checkedSeries(name)
        return try await reading { db in try Double.fetchOne(db, sql: "SELECT value FROM counter WHERE name = ?", arguments: [key]) }
    }

    public func setCounter(_ name: String, to value: Double) async throws {
        let key = try Self.checkedSeries(name)
        guard value.isFinite else { throw StoreError.invalidRecord("counter \(name) must be a finite number") }
        try await writing { db in
            try db.execute(sql: "INSERT OR REPLACE INTO counter (name, value) VALUES (?, ?)", arguments: [key, value])
        }
    }

    /// Drops data log lines older than their retention; the number of lines dropped.
    @discardableResult
    public func pruneDataLogs(now: Date, retention: DataLogRetention = DataLogRetention()) async throws -> Int {
        let now = try UnixMillis.require(now, "now")
        return try await writing { db in
            var removed = 0
            for (series, span, prefix) in [(DataSeries.power, retention.powerLog, false), (DataSeries.fuel, retention.fuelLog, false),
                                             (DataSeries.sensorPrefix, retention.sensorLogs, true)] {
                let cutoff = now - Int64(min(span, 1e12) * 1000)
                if prefix {
                    try db.execute(sql: "DELETE FROM data_log WHERE substr(series, 1, length(?)) = ? AND time < ?",
                                   arguments: [series, series, cutoff])
                } else {
                    try db.execute(sql: "DELETE FROM data_log WHERE series = ? AND time < ?", arguments: [series, cutoff])
                }
                removed += db.changesCount
            }
            return removed
        }
    }

    static func checkedSeries(_ name: String) throws -> String {
        guard !name.isEmpty, name.utf8.count <= maximumSeriesName, !name.utf8.contains(0) else {
            throw StoreError.invalidRecord("a data log name must be 1 to \(maximumSeriesName) bytes without NUL")
        }
        return name
    }
}
