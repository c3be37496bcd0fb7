import Foundation
import GRDB
import Monitor

extension GenmonDatabase {
    /// Keeps a finished outage and forgets the outage in progress, in one transaction. Durable when
    /// this returns. Outages are never dropped.
    public func record(_ outage: OutageRecord) async throws {
        let start = try UnixMillis.require(outage.start, "outage start")
        let end = try UnixMillis.require(outage.end, "outage end")
        let unobserved = try outage.unobservedFrom.map { try UnixMillis.require($0, "outage unobserved from") }
        try await writing { db in
            try db.execute(sql: #"INSERT INTO outage (start, "end", fuel_estimate, unobserved_from) VALUES (?, ?, CAST(? AS TEXT), ?)"#,
                           arguments: [start, end, outage.fuelEstimate.map(FullText.init), unobserved])
            try db.execute(sql: "DELETE FROM outage_in_progress")
        }
    }

    /// Keeps the outage in progress (replacing the one kept before). Durable when this returns.
    public func record(_ outage: OutageInProgress) async throws {
        let start = try UnixMillis.require(outage.start, "outage start")
        let lastSeen = try UnixMillis.require(outage.lastSeen, "outage last seen")
        try await writing { db in
            try db.execute(sql: "INSERT OR REPLACE INTO outage_in_progress (id, start, last_seen) VALUES (1, ?, ?)",
                           arguments: [start, lastSeen])
        }
    }

    /// The outage that was in progress when genmon last stopped, if any.
    public func outageInProgress() async throws -> OutageInProgress? {
        try await reading { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT start, last_seen FROM outage_in_progress WHERE id = 1") else { return nil }
            return OutageInProgress(start: UnixMillis.date(try row.requiredInt64("start", table: "outage_in_progress")),
                                    lastSeen: UnixMillis.date(try row.requiredInt64("last_seen", table: "outage_in_progress")))
        }
    }

    /// Finished outages, newest (latest start) first: what the socket protocol's outage log shows.
    public func outages(limit: Int) async throws -> [OutageRecord] {
        try await outagePage(limit: limit).map(\.record)
    }

    /// Outages newest first with their ids and cursors, for paging through the whole history.
    public func outagePage(before cursor: PageCursor? = nil, limit: Int = 100) async throws -> [Stored<OutageRecord>] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        try addPaging(cursor: cursor, limit: limit, timeColumn: "start", to: &conditions, &arguments)
        let sql = """
            SELECT id, start, "end", CAST(fuel_estimate AS BLOB) AS fuel_estimate, unobserved_from FROM outage
            \(whereClause(conditions)) ORDER BY start DESC, id DESC LIMIT ?
            """
        return try await reading { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let id = try row.requiredInt64("id", table: "outage")
                let start = try row.requiredInt64("start", table: "outage")
                let end = try row.requiredInt64("end", table: "outage")
                let outage = OutageRecord(start: UnixMillis.date(start), end: UnixMillis.date(end),
                                          fuelEstimate: try row.fullText("fuel_estimate", table: "outage"),
                                          unobservedFrom: try row.optionalInt64("unobserved_from", table: "outage").map(UnixMillis.date))
                return Stored(id: id, record: outage, millis: start)
            }
        }
    }
}

extension GenmonDatabase: MonitorPersistence {}
