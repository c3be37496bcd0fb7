import Foundation
import GRDB

extension GenmonDatabase {
    /// The pending deliveries of `lane`, oldest first, at most `limit` (a burst to fold into one summary).
    public func pendingDeliveries(of lane: OutboxLane, limit: Int) async throws -> [DueDelivery] {
        try await reading { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.id, d.notification_id, d.attempts, d.next_attempt, n.created, n.category,
                       CAST(n.subject AS BLOB) AS subject, CAST(n.body AS BLOB) AS body, n.message_id, p.content
                FROM notification_delivery d
                JOIN notification n ON n.id = d.notification_id
                LEFT JOIN notification_payload p ON p.notification_id = d.notification_id AND p.channel = d.channel
                WHERE d.state = 'pending' AND d.channel = ? AND d.recipient = CAST(? AS TEXT)
                ORDER BY d.id LIMIT ?
                """, arguments: [lane.channel, FullText(lane.recipient), max(1, limit)])
            return try rows.map { try Self.dueDelivery($0, lane: lane) }
        }
    }

    /// When `lane` was sent to since `date`, oldest first: one time per send (the deliveries a
    /// summary carried share one attempt time and count once). Pacing counts these.
    public func sendTimes(of lane: OutboxLane, since date: Date) async throws -> [Date] {
        let since = try UnixMillis.require(date, "pacing window")
        return try await reading { db in
            try Int64.fetchAll(db, sql: """
                SELECT DISTINCT a.time FROM notification_attempt a JOIN notification_delivery d ON d.id = a.delivery_id
                WHERE d.channel = ? AND d.recipient = CAST(? AS TEXT) AND a.outcome = 'delivered' AND a.time >= ?
                ORDER BY a.time
                """, arguments: [lane.channel, FullText(lane.recipient), since]).map(UnixMillis.date)
        }
    }
}
