import Foundation
import GRDB

/// What one `maintain(now:)` pass did.
public struct MaintenanceReport: Sendable, Equatable {
    public var fiveMinuteBucketsWritten = 0
    public var hourlyBucketsWritten = 0
    public var rawSamplesDeleted = 0
    public var fiveMinuteBucketsDeleted = 0
    public var hourlyBucketsDeleted = 0
    public var eventsDeleted = 0
    public var auditsDeleted = 0
    public var notificationsDeleted = 0

    public init() {}
}

extension GenmonDatabase {
    /// Rolls up history buckets that have closed by `now`, then drops what has expired.
    ///
    /// Call it every few minutes; `now` is passed in so tests need no clock. Incremental: it
    /// recomputes only buckets closed since the last pass, plus any a late sample landed in.
    /// Idempotent: a second pass at the same `now` changes nothing. One transaction: a crash leaves
    /// the database as before or after, never between.
    @discardableResult
    public func maintain(now: Date) async throws -> MaintenanceReport {
        let now = try UnixMillis.require(now, "now")
        let retention = configuration.retention
        return try await writing { db in
            var report = MaintenanceReport()
            report.fiveMinuteBucketsWritten = try Self.rollUp(.fiveMinutes, now: now, db)
            report.hourlyBucketsWritten = try Self.rollUp(.hourly, now: now, db)

            // History goes in whole buckets of the tier rolled up from it, so a bucket's source is
            // all there or all gone. The roll-ups above have just covered everything closed by `now`,
            // so nothing is dropped before it is rolled up.
            report.rawSamplesDeleted = try Self.prune(
                .raw, before: UnixMillis.floor(now - millis(retention.rawSamples), to: HistoryTier.fiveMinutes.bucketMillis), db)
            report.fiveMinuteBucketsDeleted = try Self.prune(
                .fiveMinutes, before: UnixMillis.floor(now - millis(retention.fiveMinuteAggregates), to: HistoryTier.hourly.bucketMillis), db)
            report.hourlyBucketsDeleted = try Self.prune(
                .hourly, before: UnixMillis.floor(now - millis(retention.hourlyAggregates), to: HistoryTier.hourly.bucketMillis), db)

            try db.execute(sql: "DELETE FROM event WHERE time < ?", arguments: [now - millis(retention.events)])
            report.eventsDeleted = db.changesCount
            try db.execute(sql: "DELETE FROM audit WHERE time < ?", arguments: [now - millis(retention.audit)])
            report.auditsDeleted = db.changesCount
            // A notification goes with its payloads, deliveries and attempts, once none is pending.
            try db.execute(sql: """
                DELETE FROM notification WHERE created < ?
                AND NOT EXISTS (SELECT 1 FROM notification_delivery d WHERE d.notification_id = notification.id AND d.state = 'pending')
                """, arguments: [now - millis(retention.notifications)])
            report.notificationsDeleted = db.changesCount
            return report
        }
    }

    /// Recomputes `tier`'s buckets from the end of the last pass (or the earliest late arrival) to
    /// the last bucket closed by `now` whose source is itself complete. Returns buckets written.
    ///
    /// The bookkeeping follows the latest `now`, even backwards: after a clock that jumped years
    /// ahead is put right, buckets are rolled up again as time reaches them, rather than the store
    /// waiting for the wrong year.
    private static func rollUp(_ tier: HistoryTier, now: Int64, _ db: Database) throws -> Int {
        guard let source = tier.source else { return 0 }
        let states = try TierState.all(db)
        let state = states[tier] ?? TierState()
        // Raw is complete up to now; an aggregate tier only as far as it was rolled up.
        guard let sourceComplete = source == .raw ? now : states[source]?.rolledUntil else { return 0 }
        let end = UnixMillis.floor(min(now, sourceComplete), to: tier.bucketMillis)

        var start: Int64
        if let rolled = state.rolledUntil {
            start = rolled
        } else if let oldest = try Int64.fetchOne(db, sql: "SELECT min(\(source.timeColumn)) FROM \(source.table)") {
            start = oldest
        } else {
            start = end
        }
        if let dirty = state.dirtyFrom { start = min(start, dirty) }
        start = UnixMillis.floor(start, to: tier.bucketMillis)

        var written = 0
        if start < end {
            try db.cachedStatement(sql: HistorySQL.rollUp(into: tier, from: source)).execute(arguments: [start, end])
            written = db.changesCount
            if let coarser = tier.coarser { try markDirty(coarser, from: start, db) }
        }
        try db.execute(sql: "UPDATE history_tier SET rolled_until = ?, dirty_from = NULL WHERE tier = ?",
                       arguments: [end, tier.rawValue])
        return written
    }

    /// Deletes a tier's rows before `cutoff` and remembers that nothing older is kept (as of this
    /// pass: a clock put back lowers it again).
    private static func prune(_ tier: HistoryTier, before cutoff: Int64, _ db: Database) throws -> Int {
        try db.cachedStatement(sql: "DELETE FROM \(tier.table) WHERE \(tier.timeColumn) < ?").execute(arguments: [cutoff])
        let deleted = db.changesCount
        try db.execute(sql: "UPDATE history_tier SET kept_from = ? WHERE tier = ?", arguments: [cutoff, tier.rawValue])
        return deleted
    }
}

/// A retention span in milliseconds (validated finite and below 1e12 s, so this cannot overflow).
func millis(_ interval: TimeInterval) -> Int64 { Int64((interval * 1000).rounded()) }
