import Foundation
import GRDB

/// One attempt as the web page and the API list it.
public struct OutboxAttemptInfo: Sendable, Equatable {
    public let time: Date
    public let outcome: AttemptOutcome
    public let detail: String
    public let duration: TimeInterval?
}

/// One delivery (a channel and a recipient) of a notification, with its attempts, oldest first.
public struct OutboxDeliveryInfo: Sendable, Equatable {
    public let id: Int64
    public let lane: OutboxLane
    public let state: DeliveryState
    public let attempts: Int
    public let nextAttempt: Date?
    public let lastError: String?
    public let updated: Date
    /// The latest attempts (at most `OutboxDeliveryInfo.historyLimit`), oldest first.
    public let history: [OutboxAttemptInfo]

    public static let historyLimit = 20
}

/// A notification as kept in the outbox, with its deliveries.
public struct OutboxNotification: Sendable, Equatable {
    public let created: Date
    public let category: String
    public let subject: String
    public let body: String
    public let source: String
    public let messageID: String?
    public let deliveries: [OutboxDeliveryInfo]
}

/// How many deliveries are in each state, and the oldest still waiting.
public struct OutboxSummary: Sendable, Equatable {
    public var counts: [DeliveryState: Int]
    public var oldestPending: Date?

    public func count(_ state: DeliveryState) -> Int { counts[state] ?? 0 }
}

extension GenmonDatabase {
    /// Notifications newest first, `limit` at a time, each with its deliveries and their latest attempts.
    public func notifications(before cursor: PageCursor? = nil, limit: Int = 50) async throws -> [Stored<OutboxNotification>] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        try addPaging(cursor: cursor, limit: limit, timeColumn: "created", to: &conditions, &arguments)
        let sql = """
            SELECT id, created, category, CAST(subject AS BLOB) AS subject, CAST(body AS BLOB) AS body,
                   CAST(source AS BLOB) AS source, message_id
            FROM notification \(whereClause(conditions)) ORDER BY created DESC, id DESC LIMIT ?
            """
        return try await reading { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let table = "notification"
                let id = try row.requiredInt64("id", table: table)
                let created = try row.requiredInt64("created", table: table)
                let notification = OutboxNotification(
                    created: UnixMillis.date(created), category: try row.requiredText("category", table: table),
                    subject: try row.requiredText("subject", table: table), body: try row.requiredText("body", table: table),
                    source: try row.requiredText("source", table: table), messageID: try row.fullText("message_id", table: table),
                    deliveries: try Self.deliveries(of: id, db))
                return Stored(id: id, record: notification, millis: created)
            }
        }
    }

    private static func deliveries(of notification: Int64, _ db: Database) throws -> [OutboxDeliveryInfo] {
        let table = "notification_delivery"
        return try Row.fetchAll(db, sql: """
            SELECT id, channel, CAST(recipient AS BLOB) AS recipient, state, attempts, next_attempt,
                   CAST(last_error AS BLOB) AS last_error, updated
            FROM notification_delivery WHERE notification_id = ? ORDER BY id
            """, arguments: [notification]).map { row in
            let id = try row.requiredInt64("id", table: table)
            let stateName = try row.requiredText("state", table: table)
            guard let state = DeliveryState(rawValue: stateName) else {
                throw StoreError.undecodableRow(table: table, reason: "delivery \(id): unknown state \(stateName)")
            }
            return OutboxDeliveryInfo(
                id: id, lane: OutboxLane(channel: try row.requiredText("channel", table: table), recipient: try row.requiredText("recipient", table: table)),
                state: state, attempts: Int(try row.requiredInt64("attempts", table: table)),
                nextAttempt: try row.optionalInt64("next_attempt", table: table).map(UnixMillis.date),
                lastError: try row.fullText("last_error", table: table),
                updated: UnixMillis.date(try row.requiredInt64("updated", table: table)),
                history: try attempts(of: id, db))
        }
    }

    private static func attempts(of delivery: Int64, _ db: Database) throws -> [OutboxAttemptInfo] {
        let table = "notification_attempt"
        return try Row.fetchAll(db, sql: """
            SELECT time, outcome, CAST(detail AS BLOB) AS detail, duration FROM notification_attempt
            WHERE delivery_id = ? ORDER BY id DESC LIMIT ?
            """, arguments: [delivery, OutboxDeliveryInfo.historyLimit]).reversed().map { row in
            let name = try row.requiredText("outcome", table: table)
            guard let outcome = AttemptOutcome(rawValue: name) else {
                throw StoreError.undecodableRow(table: table, reason: "unknown outcome \(name)")
            }
            return OutboxAttemptInfo(time: UnixMillis.date(try row.requiredInt64("time", table: table)), outcome: outcome,
                                     detail: try row.requiredText("detail", table: table),
                                     duration: try row.optionalDouble("duration", table: table))
        }
    }

    /// Deliveries per state, and the oldest pending one's notification time.
    public func outboxSummary() async throws -> OutboxSummary {
        try await reading { db in
            var counts: [DeliveryState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM notification_delivery GROUP BY state") {
                if let state = DeliveryState(rawValue: try row.requiredText("state", table: "notification_delivery")) {
                    counts[state] = Int(try row.requiredInt64("n", table: "notification_delivery"))
                }
            }
            let oldest = try Int64.fetchOne(db, sql: """
                SELECT min(n.created) FROM notification_delivery d JOIN notification n ON n.id = d.notification_id WHERE d.state = 'pending'
                """)
            return OutboxSummary(counts: counts, oldestPending: oldest.map(UnixMillis.date))
        }
    }
}
