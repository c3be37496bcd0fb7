import Foundation
import GRDB
import Monitor

extension GenmonDatabase {
    /// Keeps a finished outage. Durable when this returns. Outages are never dropped.
    public func record(_ outage: OutageRecord) async throws {
        let start = try UnixMillis.require(outage.start, "outage start")
        let end = try UnixMillis.require(outage.end, "outage end")
        try await writing { db in
            try db.execute(sql: #"INSERT INTO outage (start, "end", fuel_estimate) VALUES (?, ?, CAST(? AS TEXT))"#,
                           arguments: [start, end, outage.fuelEstimate.map(FullText.init)])
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
            SELECT id, start, "end", CAST(fuel_estimate AS BLOB) AS fuel_estimate FROM outage
            \(whereClause(conditions)) ORDER BY start DESC, id DESC LIMIT ?
            """
        return try await reading { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let id = try row.requiredInt64("id", table: "outage")
                let start = try row.requiredInt64("start", table: "outage")
                let end = try row.requiredInt64("end", table: "outage")
                let outage = OutageRecord(start: UnixMillis.date(start), end: UnixMillis.date(end),
                                          fuelEstimate: try row.fullText("fuel_estimate", table: "outage"))
                return Stored(id: id, record: outage, millis: start)
            }
        }
    }
}

extension GenmonDatabase: MonitorPersistence {}
