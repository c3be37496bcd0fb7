import Foundation
import GRDB
import Monitor

extension GenmonDatabase {
    /// Keeps a batch of samples in one transaction (one sync of the SD card per batch).
    ///
    /// Values that are not finite numbers are stored as NULL (read back as NaN, or nil power).
    /// Dropped, because they cannot be placed or would corrupt aggregates: samples whose time is
    /// not a finite date after 1970, and samples older than what raw retention already dropped.
    /// Two samples with the same millisecond: the later in the batch wins.
    public func record(_ samples: [HistorySample]) async throws {
        let rows: [(time: Int64, values: [DatabaseValue])] = samples.compactMap { sample in
            guard let time = UnixMillis.from(sample.time), time >= 0 else { return nil }
            return (time, HistorySeries.allCases.map { $0.value(in: sample)?.databaseValue ?? .null })
        }
        guard !rows.isEmpty else { return }
        try await writing { db in
            let keptFrom = try Int64.fetchOne(db, sql: "SELECT kept_from FROM history_tier WHERE tier = 'raw'") ?? .min
            let kept = rows.filter { $0.time >= keptFrom }
            guard let earliest = kept.map(\.time).min() else { return }
            // Many rows per statement: a batch costs a few statement runs rather than one per sample.
            var start = kept.startIndex
            while start < kept.endIndex {
                let chunk = kept[start..<min(start + Self.rowsPerInsert, kept.endIndex)]
                let statement = try db.cachedStatement(sql: Self.insertSQL(rows: chunk.count))
                statement.setUncheckedArguments(StatementArguments(chunk.flatMap { [$0.time.databaseValue] + $0.values }))
                try statement.execute()
                start = chunk.endIndex
            }
            // A sample landing in a bucket already rolled up: have that bucket recomputed.
            try markDirty(.fiveMinutes, from: earliest, db)
        }
    }

    static let rowsPerInsert = 100

    /// `INSERT OR REPLACE` of `rows` samples; for equal times the last row wins.
    static func insertSQL(rows: Int) -> String {
        let columns = HistorySeries.allCases.map(\.column)
        let row = "(?, \(placeholders(columns.count)))"
        return "INSERT OR REPLACE INTO history_raw (time, \(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Samples as recorded, oldest first, from `from` (inclusive) to `to` (exclusive). Only the
    /// last `rawSamples` retention span has them; `samples(from:to:maxPoints:)` covers any range.
    public func rawSamples(from: Date, to: Date, limit: Int = 10_000) async throws -> [HistorySample] {
        let range = try TimeRange(from: from, to: to)
        let columns = HistorySeries.allCases.map(\.column).joined(separator: ", ")
        return try await reading { db in
            try Row.fetchAll(db, sql: "SELECT time, \(columns) FROM history_raw WHERE time >= ? AND time < ? ORDER BY time LIMIT ?",
                             arguments: [range.from, range.to, pageSize(limit)]).map { row in
                func value(_ series: HistorySeries) throws -> Double? {
                    try row.optionalDouble(series.column, table: HistoryTier.raw.table)
                }
                return HistorySample(time: UnixMillis.date(try row.requiredInt64("time", table: HistoryTier.raw.table)),
                                     utilityVolts: try value(.utilityVolts) ?? .nan, batteryVolts: try value(.batteryVolts) ?? .nan,
                                     outputVolts: try value(.outputVolts) ?? .nan, frequencyHz: try value(.frequencyHz) ?? .nan,
                                     rpm: try value(.rpm) ?? .nan, powerKW: try value(.powerKW))
            }
        }
    }
}

/// Lowers a tier's `dirty_from` to `time` when `time` falls in buckets it has already rolled up.
func markDirty(_ tier: HistoryTier, from time: Int64, _ db: Database) throws {
    try db.execute(
        sql: """
            UPDATE history_tier SET dirty_from = min(coalesce(dirty_from, :time), :time)
            WHERE tier = :tier AND rolled_until > :time
            """,
        arguments: ["time": time, "tier": tier.rawValue])
}

/// A half-open range of Unix milliseconds, checked non-empty.
struct TimeRange: Sendable {
    let from: Int64
    let to: Int64

    init(from: Date, to: Date) throws {
        self.from = try UnixMillis.require(from, "range start")
        self.to = try UnixMillis.require(to, "range end")
        guard self.from < self.to else { throw StoreError.invalidQuery("the range must end after it starts") }
    }
}
