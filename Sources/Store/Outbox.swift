import Foundation
import GRDB

/// Where deliveries queue: one channel and one recipient. A lane is delivered oldest first, so a
/// recipient gets an alarm before its recovery; lanes never wait for each other.
public struct OutboxLane: Sendable, Hashable, CustomStringConvertible {
    public var channel: String
    public var recipient: String

    public init(channel: String, recipient: String) {
        self.channel = channel
        self.recipient = recipient
    }

    public var description: String { "\(channel):\(recipient)" }
}

/// A notification to commit to the outbox: the text once, what each channel sends (rendered once,
/// so every retry sends the same bytes and Message-ID), and the lanes to deliver it on.
public struct OutboxMessage: Sendable, Equatable {
    public var created: Date
    /// `outage`, `error`, `warn` or `info`.
    public var category: String
    public var subject: String
    public var body: String
    /// What produced it: an event name, `rule:<name>`, `notify_message`, `test`...
    public var source: String
    public var messageID: String?
    /// Channel name → its rendered content.
    public var payloads: [String: [UInt8]]
    public var lanes: [OutboxLane]

    public init(created: Date, category: String, subject: String, body: String, source: String, messageID: String? = nil,
                payloads: [String: [UInt8]] = [:], lanes: [OutboxLane] = []) {
        self.created = created
        self.category = category
        self.subject = subject
        self.body = body
        self.source = source
        self.messageID = messageID
        self.payloads = payloads
        self.lanes = lanes
    }
}

/// Where a delivery stands.
public enum DeliveryState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its first attempt or its next retry.
    case pending
    /// The channel took it (for e-mail: the server accepted it for this recipient). Never sent again.
    case sent
    /// Refused for good (an unknown address, a message too large).
    case failed
    /// Not delivered before it grew too old to matter.
    case expired
}

/// How one attempt ended.
public enum AttemptOutcome: String, Sendable, Codable, CaseIterable {
    case delivered, retry, failed, expired
}

/// A delivery due now: the head of its lane, with what the channel needs to send it.
public struct DueDelivery: Sendable, Equatable {
    public let id: Int64
    public let notificationID: Int64
    public let lane: OutboxLane
    public let attempts: Int
    public let created: Date
    public let subject: String
    public let category: String
    public let body: String
    public let messageID: String?
    /// The channel's rendering; empty when the channel stored none (it then works from the text).
    public let payload: [UInt8]
    /// When it may be tried (again); nil only for a row damaged by hand, which counts as now.
    public let nextAttempt: Date?
}

/// The result of one attempt, to record.
public struct AttemptRecord: Sendable, Equatable {
    public var deliveryID: Int64
    public var time: Date
    public var outcome: AttemptOutcome
    /// The server's answer or the reason, in words.
    public var detail: String
    public var duration: TimeInterval
    /// For `.retry`: when to try again.
    public var retryAt: Date?

    public init(deliveryID: Int64, time: Date, outcome: AttemptOutcome, detail: String, duration: TimeInterval, retryAt: Date? = nil) {
        self.deliveryID = deliveryID
        self.time = time
        self.outcome = outcome
        self.detail = detail
        self.duration = duration
        self.retryAt = retryAt
    }
}

/// A delivery given up because it grew too old.
public struct ExpiredDelivery: Sendable, Equatable {
    public let id: Int64
    public let lane: OutboxLane
    public let subject: String
    public let created: Date
    public let attempts: Int
    public let lastError: String?
}

extension GenmonDatabase {
    /// Commits a notification and its deliveries in one transaction; durable when this returns.
    @discardableResult
    public func enqueue(_ message: OutboxMessage) async throws -> Int64 {
        try await enqueue(batch: [message])[0]
    }

    /// Commits several notifications in one transaction (one sync for all); their ids in order.
    public func enqueue(batch messages: [OutboxMessage]) async throws -> [Int64] {
        let rows = try messages.map { message in (message, try UnixMillis.require(message.created, "notification time")) }
        return try await writing { db in
            var ids: [Int64] = []
            ids.reserveCapacity(rows.count)
            for (message, created) in rows {
                try db.execute(sql: """
                    INSERT INTO notification (created, category, subject, body, source, message_id)
                    VALUES (?, ?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), ?)
                    """, arguments: [created, message.category, FullText(message.subject), FullText(message.body),
                                     FullText(message.source), message.messageID])
                let id = db.lastInsertedRowID
                for (channel, content) in message.payloads.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT INTO notification_payload (notification_id, channel, content) VALUES (?, ?, ?)",
                                   arguments: [id, channel, Data(content)])
                }
                var seen = Set<OutboxLane>()
                for lane in message.lanes where seen.insert(lane).inserted {
                    try db.execute(sql: """
                        INSERT INTO notification_delivery (notification_id, channel, recipient, state, next_attempt, updated)
                        VALUES (?, ?, CAST(? AS TEXT), 'pending', ?, ?)
                        """, arguments: [id, lane.channel, FullText(lane.recipient), created, created])
                }
                ids.append(id)
            }
            return ids
        }
    }

    /// Every lane with a pending delivery.
    public func pendingLanes() async throws -> Set<OutboxLane> {
        try await reading { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT channel, CAST(recipient AS BLOB) AS recipient FROM notification_delivery WHERE state = 'pending'
                """)
            return Set(try rows.map { row in
                OutboxLane(channel: try row.requiredText("channel", table: "notification_delivery"),
                           recipient: try row.requiredText("recipient", table: "notification_delivery"))
            })
        }
    }

    /// The oldest pending delivery of each lane in `lanes` (nil for a lane with none), whatever its retry time.
    public func heads(of lanes: [OutboxLane]) async throws -> [OutboxLane: DueDelivery] {
        try await reading { db in
            var heads: [OutboxLane: DueDelivery] = [:]
            for lane in lanes {
                let row = try Row.fetchOne(db, sql: """
                    SELECT d.id, d.notification_id, d.attempts, d.next_attempt, n.created, n.category,
                           CAST(n.subject AS BLOB) AS subject, CAST(n.body AS BLOB) AS body, n.message_id, p.content
                    FROM notification_delivery d
                    JOIN notification n ON n.id = d.notification_id
                    LEFT JOIN notification_payload p ON p.notification_id = d.notification_id AND p.channel = d.channel
                    WHERE d.state = 'pending' AND d.channel = ? AND d.recipient = CAST(? AS TEXT)
                    ORDER BY d.id LIMIT 1
                    """, arguments: [lane.channel, FullText(lane.recipient)])
                guard let row else { continue }
                heads[lane] = try Self.dueDelivery(row, lane: lane)
            }
            return heads
        }
    }

    static func dueDelivery(_ row: Row, lane: OutboxLane) throws -> DueDelivery {
        let table = "notification_delivery"
        let content: DatabaseValue = row["content"] ?? .null
        var payload: [UInt8] = []
        if case let .blob(data) = content.storage { payload = Array(data) }
        let nextAttempt = try row.optionalInt64("next_attempt", table: table)
        return DueDelivery(
            id: try row.requiredInt64("id", table: table), notificationID: try row.requiredInt64("notification_id", table: table),
            lane: lane, attempts: Int(try row.requiredInt64("attempts", table: table)),
            created: UnixMillis.date(try row.requiredInt64("created", table: table)),
            subject: try row.requiredText("subject", table: table), category: try row.requiredText("category", table: table),
            body: try row.requiredText("body", table: table), messageID: try row.fullText("message_id", table: table),
            payload: payload, nextAttempt: nextAttempt.map(UnixMillis.date))
    }

    /// Records attempts and moves their deliveries on, in one transaction. A delivery already sent
    /// is never changed again, so a success once recorded cannot be undone by a late duplicate.
    public func record(_ attempts: [AttemptRecord]) async throws {
        let rows = try attempts.map { attempt in
            (attempt, try UnixMillis.require(attempt.time, "attempt time"), try attempt.retryAt.map { try UnixMillis.require($0, "retry time") })
        }
        try await writing { db in
            for (attempt, time, retryAt) in rows {
                let state: DeliveryState = switch attempt.outcome {
                case .delivered: .sent
                case .retry: .pending
                case .failed: .failed
                case .expired: .expired
                }
                try db.execute(sql: """
                    UPDATE notification_delivery
                    SET state = ?, attempts = attempts + ?, next_attempt = ?, last_error = CAST(? AS TEXT), updated = ?
                    WHERE id = ? AND state = 'pending'
                    """, arguments: [state.rawValue, attempt.outcome == .expired ? 0 : 1, state == .pending ? (retryAt ?? time) : nil,
                                     attempt.outcome == .delivered ? nil : FullText(attempt.detail), time, attempt.deliveryID])
                guard db.changesCount == 1 else { continue }
                try db.execute(sql: """
                    INSERT INTO notification_attempt (delivery_id, time, outcome, detail, duration) VALUES (?, ?, ?, CAST(? AS TEXT), ?)
                    """, arguments: [attempt.deliveryID, time, attempt.outcome.rawValue, FullText(attempt.detail),
                                     attempt.duration.isFinite ? attempt.duration : nil])
            }
        }
    }

    /// Gives up every pending delivery of a notification created before `cutoff`; returns them for the log.
    public func expireDeliveries(createdBefore cutoff: Date, at now: Date) async throws -> [ExpiredDelivery] {
        let cutoffMillis = try UnixMillis.require(cutoff, "expiry cutoff")
        let nowMillis = try UnixMillis.require(now, "now")
        return try await writing { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.id, d.channel, CAST(d.recipient AS BLOB) AS recipient, d.attempts, CAST(d.last_error AS BLOB) AS last_error,
                       n.created, CAST(n.subject AS BLOB) AS subject
                FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
                WHERE d.state = 'pending' AND n.created < ? ORDER BY d.id LIMIT 1000
                """, arguments: [cutoffMillis])
            let table = "notification_delivery"
            var expired: [ExpiredDelivery] = []
            for row in rows {
                let item = ExpiredDelivery(
                    id: try row.requiredInt64("id", table: table),
                    lane: OutboxLane(channel: try row.requiredText("channel", table: table), recipient: try row.requiredText("recipient", table: table)),
                    subject: try row.requiredText("subject", table: table), created: UnixMillis.date(try row.requiredInt64("created", table: table)),
                    attempts: Int(try row.requiredInt64("attempts", table: table)), lastError: try row.fullText("last_error", table: table))
                try db.execute(sql: "UPDATE notification_delivery SET state = 'expired', next_attempt = NULL, updated = ? WHERE id = ?",
                               arguments: [nowMillis, item.id])
                try db.execute(sql: """
                    INSERT INTO notification_attempt (delivery_id, time, outcome, detail, duration) VALUES (?, ?, 'expired', ?, NULL)
                    """, arguments: [item.id, nowMillis, "not delivered after \(item.attempts) attempt(s); given up as too old"])
                expired.append(item)
            }
            return expired
        }
    }
}

/// A delivery tried at once instead of through the queue ("send test"), to record with its outcome.
public struct DirectDelivery: Sendable, Equatable {
    public var lane: OutboxLane
    public var outcome: AttemptOutcome
    public var detail: String
    public var duration: TimeInterval

    public init(lane: OutboxLane, outcome: AttemptOutcome, detail: String, duration: TimeInterval) {
        self.lane = lane
        self.outcome = outcome
        self.detail = detail
        self.duration = duration
    }
}

extension GenmonDatabase {
    /// Records a notification that was sent directly (a test), with each delivery already finished:
    /// it shows in the outbox with its attempts, and is never picked up for sending.
    public func recordDirect(_ message: OutboxMessage, deliveries: [DirectDelivery]) async throws {
        let created = try UnixMillis.require(message.created, "notification time")
        try await writing { db in
            try db.execute(sql: """
                INSERT INTO notification (created, category, subject, body, source, message_id)
                VALUES (?, ?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), ?)
                """, arguments: [created, message.category, FullText(message.subject), FullText(message.body),
                                 FullText(message.source), message.messageID])
            let id = db.lastInsertedRowID
            for delivery in deliveries {
                let state: DeliveryState = delivery.outcome == .delivered ? .sent : .failed
                try db.execute(sql: """
                    INSERT INTO notification_delivery (notification_id, channel, recipient, state, attempts, next_attempt, last_error, updated)
                    VALUES (?, ?, CAST(? AS TEXT), ?, 1, NULL, CAST(? AS TEXT), ?)
                    """, arguments: [id, delivery.lane.channel, FullText(delivery.lane.recipient), state.rawValue,
                                     state == .sent ? nil : FullText(delivery.detail), created])
                try db.execute(sql: """
                    INSERT INTO notification_attempt (delivery_id, time, outcome, detail, duration) VALUES (?, ?, ?, CAST(? AS TEXT), ?)
                    """, arguments: [db.lastInsertedRowID, created, delivery.outcome.rawValue, FullText(delivery.detail),
                                     delivery.duration.isFinite ? delivery.duration : nil])
            }
        }
    }
}

extension GenmonDatabase {
    /// Makes every pending delivery due at `now`: at start, a restart is often the fix (settings
    /// changed, the network back), so nothing waits out a back-off from before it.
    public func retryPendingNow(at now: Date) async throws {
        let millis = try UnixMillis.require(now, "now")
        try await writing { db in
            try db.execute(sql: "UPDATE notification_delivery SET next_attempt = ? WHERE state = 'pending' AND next_attempt > ?",
                           arguments: [millis, millis])
        }
    }
}
