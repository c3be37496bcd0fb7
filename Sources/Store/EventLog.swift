import Foundation
import GRDB
import Monitor

/// Which events a list shows. Empty means all.
public struct EventFilter: Sendable, Equatable {
    /// Only events at least this severe.
    public var minimumSeverity: MonitorEvent.Severity?
    /// Only events with one of these names (`MonitorEvent.name`: "alarm_raised", ...).
    public var names: Set<String>?
    /// Only events at or after this time.
    public var since: Date?

    public init(minimumSeverity: MonitorEvent.Severity? = nil, names: Set<String>? = nil, since: Date? = nil) {
        self.minimumSeverity = minimumSeverity
        self.names = names
        self.since = since
    }
}

/// The kind is kept as JSON; non-finite durations are spelled out rather than refused.
private let kindEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
}()

private let kindDecoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
}()

private func decodeKind(_ json: String) throws -> MonitorEvent.Kind {
    try kindDecoder.decode(MonitorEvent.Kind.self, from: Data(json.utf8))
}

extension GenmonDatabase {
    /// Keeps an event. Durable when this returns.
    ///
    /// The kind is stored as JSON, with name and severity beside it for filtering. The summary is not
    /// stored: it is derived from the kind, so stored events always read in the current wording.
    public func record(_ event: MonitorEvent) async throws {
        let time = try UnixMillis.require(event.time, "event time")
        let kind: String
        do { kind = String(decoding: try kindEncoder.encode(event.kind), as: UTF8.self) } catch {
            throw StoreError.invalidRecord("event kind does not encode: \(error)")
        }
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO event (time, name, severity, kind) VALUES (?, ?, ?, CAST(? AS TEXT))
                    """,
                arguments: [time, event.name, event.severity.rawValue, FullText(kind)])
        }
    }

    /// Events newest first, `limit` at a time; pass the last one's `cursor` as `before` for the next page.
    public func events(_ filter: EventFilter = EventFilter(), before cursor: PageCursor? = nil,
                       limit: Int = 100) async throws -> [Stored<MonitorEvent>] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let minimum = filter.minimumSeverity {
            let severities = MonitorEvent.Severity.allCases.filter { $0 >= minimum }.map(\.rawValue)
            conditions.append("severity IN (\(placeholders(severities.count)))")
            arguments += StatementArguments(severities)
        }
        if let names = filter.names {
            conditions.append("name IN (\(placeholders(names.count)))")
            arguments += StatementArguments(names.sorted())
        }
        try addPaging(since: filter.since, cursor: cursor, limit: limit, timeColumn: "time", to: &conditions, &arguments)
        let sql = """
            SELECT id, time, CAST(kind AS BLOB) AS kind FROM event
            \(whereClause(conditions)) ORDER BY time DESC, id DESC LIMIT ?
            """
        return try await reading { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let id = try row.requiredInt64("id", table: "event")
                let time = try row.requiredInt64("time", table: "event")
                let kind: MonitorEvent.Kind
                do { kind = try decodeKind(row.requiredText("kind", table: "event")) } catch let error as DecodingError {
                    throw StoreError.undecodableRow(table: "event", reason: "event \(id): \(error)")
                }
                return Stored(id: id, record: MonitorEvent(time: UnixMillis.date(time), kind: kind), millis: time)
            }
        }
    }
}

func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}

func whereClause(_ conditions: [String]) -> String {
    conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
}
