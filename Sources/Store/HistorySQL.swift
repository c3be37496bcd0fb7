import GRDB

/// The SQL shared by roll-ups and charts. Every tier is read as the same shape of row —
/// `t` and, per series, `_min`, `_max`, `_sum`, `_n` — a raw sample being a bucket of one.
/// Min, max, sum and count compose, so any coarser bucket is computed exactly from finer rows.
/// Charts may ask for some series only: SQLite's time goes mostly into the aggregates, per series.
enum HistorySQL {
    /// Rows of `tier` with `t` in `[?, ?)`, in the common shape.
    static func segment(_ tier: HistoryTier, _ series: [HistorySeries] = HistorySeries.allCases) -> String {
        let columns = series.map { series in
            let c = series.column
            return tier == .raw
                ? "\(c) AS \(c)_min, \(c) AS \(c)_max, \(c) AS \(c)_sum, (\(c) IS NOT NULL) AS \(c)_n"
                : "\(c)_min, \(c)_max, \(c)_sum, \(c)_n"
        }
        let time = tier.timeColumn
        return "SELECT \(time) AS t, \(columns.joined(separator: ", ")) FROM \(tier.table) WHERE \(time) >= ? AND \(time) < ?"
    }

    /// Aggregates of common-shape rows, named like the aggregate tables' columns.
    static func aggregates(_ series: [HistorySeries] = HistorySeries.allCases) -> String {
        series.map { series in
            let c = series.column
            return "min(\(c)_min) AS \(c)_min, max(\(c)_max) AS \(c)_max, total(\(c)_sum) AS \(c)_sum, sum(\(c)_n) AS \(c)_n"
        }.joined(separator: ", ")
    }

    static var aggregateColumns: String {
        HistorySeries.allCases.map { series in
            let c = series.column
            return "\(c)_min, \(c)_max, \(c)_sum, \(c)_n"
        }.joined(separator: ", ")
    }

    /// Recomputes the buckets of `tier` whose source rows lie in `[?, ?)`. Replacing whole buckets
    /// makes it idempotent: run twice, same rows.
    static func rollUp(into tier: HistoryTier, from source: HistoryTier) -> String {
        let width = tier.bucketMillis
        return """
            INSERT OR REPLACE INTO \(tier.table) (start, \(aggregateColumns))
            SELECT (t / \(width)) * \(width) AS bucket, \(aggregates())
            FROM (\(segment(source))) GROUP BY bucket
            """
    }
}

/// A tier's bookkeeping row (see the `history_tier` table).
struct TierState: Sendable {
    var rolledUntil: Int64?
    var dirtyFrom: Int64?
    var keptFrom: Int64?

    static func all(_ db: Database) throws -> [HistoryTier: TierState] {
        var states: [HistoryTier: TierState] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT tier, rolled_until, dirty_from, kept_from FROM history_tier") {
            guard let tier = HistoryTier(rawValue: try row.requiredText("tier", table: "history_tier")) else { continue }
            states[tier] = TierState(rolledUntil: try row.optionalInt64("rolled_until", table: "history_tier"),
                                     dirtyFrom: try row.optionalInt64("dirty_from", table: "history_tier"),
                                     keptFrom: try row.optionalInt64("kept_from", table: "history_tier"))
        }
        return states
    }
}
