import Foundation
import GRDB
import Monitor

/// Which audit records a list shows. Empty means all.
public struct AuditFilter: Sendable, Equatable {
    public var interfaces: Set<CommandOrigin.Interface>?
    public var results: Set<CommandOutcome.Result>?
    /// Only commands from exactly this principal.
    public var principal: String?
    /// Only records at or after this time.
    public var since: Date?

    public init(interfaces: Set<CommandOrigin.Interface>? = nil, results: Set<CommandOutcome.Result>? = nil,
                principal: String? = nil, since: Date? = nil) {
        self.interfaces = interfaces
        self.results = results
        self.principal = principal
        self.since = since
    }
}

extension GenmonDatabase {
    /// Keeps an audit record. Durable when this returns.
    public func record(_ audit: AuditRecord) async throws {
        let time = try UnixMillis.require(audit.time, "audit time")
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO audit (time, interface, principal, may_control, command, result, message, duration)
                    VALUES (?, ?, CAST(? AS TEXT), ?, CAST(? AS TEXT), ?, CAST(? AS TEXT), ?)
                    """,
                arguments: [time, audit.origin.interface.rawValue, FullText(audit.origin.principal), audit.origin.mayControl,
                            FullText(audit.command), audit.result.rawValue, FullText(audit.message), audit.duration])
        }
    }

    /// Audit records newest first, `limit` at a time; pass the last one's `cursor` as `before` for the next page.
    public func audits(_ filter: AuditFilter = AuditFilter(), before cursor: PageCursor? = nil,
                       limit: Int = 100) async throws -> [Stored<AuditRecord>] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let interfaces = filter.interfaces {
            conditions.append("interface IN (\(placeholders(interfaces.count)))")
            arguments += StatementArguments(interfaces.map(\.rawValue).sorted())
        }
        if let results = filter.results {
            conditions.append("result IN (\(placeholders(results.count)))")
            arguments += StatementArguments(results.map(\.rawValue).sorted())
        }
        if let principal = filter.principal {
            conditions.append("principal = CAST(? AS TEXT)")
            arguments += [FullText(principal)]
        }
        try addPaging(since: filter.since, cursor: cursor, limit: limit, timeColumn: "time", to: &conditions, &arguments)
        let sql = """
            SELECT id, time, interface, CAST(principal AS BLOB) AS principal, may_control,
                   CAST(command AS BLOB) AS command, result, CAST(message AS BLOB) AS message, duration
            FROM audit \(whereClause(conditions)) ORDER BY time DESC, id DESC LIMIT ?
            """
        return try await reading { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.auditRecord)
        }
    }

    private static func auditRecord(_ row: Row) throws -> Stored<AuditRecord> {
        let table = "audit"
        let id = try row.requiredInt64("id", table: table)
        let time = try row.requiredInt64("time", table: table)
        let interfaceName = try row.requiredText("interface", table: table)
        let resultName = try row.requiredText("result", table: table)
        guard let interface = CommandOrigin.Interface(rawValue: interfaceName),
              let result = CommandOutcome.Result(rawValue: resultName) else {
            throw StoreError.undecodableRow(table: table, reason: "record \(id): unknown interface or result")
        }
        let origin = CommandOrigin(interface: interface, principal: try row.requiredText("principal", table: table),
                                   mayControl: try row.requiredInt64("may_control", table: table) != 0)
        let record = AuditRecord(time: UnixMillis.date(time), origin: origin,
                                 command: try row.requiredText("command", table: table), result: result,
                                 message: try row.requiredText("message", table: table),
                                 duration: try row.optionalDouble("duration", table: table) ?? .nan)
        return Stored(id: id, record: record, millis: time)
    }
}
