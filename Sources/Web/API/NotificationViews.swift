import Foundation

/// `GET /api/v1/notifications`: channels, recipients, rules, noise settings, the outbox and every attempt.
public struct NotificationsView: Codable, Equatable, Sendable {
    public struct Recipient: Codable, Equatable, Sendable {
        public var address: String
        /// The categories it receives (all four when it has no line of its own).
        public var categories: [String]
    }

    public struct Channel: Codable, Equatable, Sendable {
        public var name: String
        public var enabled: Bool
        public var detail: String
        public var recipients: [Recipient]
    }

    public struct Rule: Codable, Equatable, Sendable {
        public var name: String
        public var reading: String
        public var direction: String
        public var limit: Quantity
        public var clearsAt: Quantity
        public var duration: Quantity
        public var category: String
        public var summary: String
    }

    public struct Attempt: Codable, Equatable, Sendable {
        public var time: Date
        public var outcome: String
        public var detail: String
        public var duration: Quantity?
    }

    public struct Delivery: Codable, Equatable, Sendable {
        public var channel: String
        public var recipient: String
        public var state: String
        public var attempts: Int
        public var nextAttempt: Date?
        public var lastError: String?
        public var history: [Attempt]
    }

    public struct Message: Codable, Equatable, Sendable {
        public var id: Int64
        public var time: Date
        public var category: String
        public var subject: String
        public var source: String
        public var messageID: String?
        public var body: String
        public var deliveries: [Delivery]
    }

    public struct Outbox: Codable, Equatable, Sendable {
        public var pending: Int
        public var sent: Int
        public var failed: Int
        public var expired: Int
        public var oldestPending: Date?
    }

    public var enabled: Bool
    public var channels: [Channel]
    public var rules: [Rule]
    public var settleSeconds: Double
    public var repeatMinutes: Double
    public var expireHours: Double
    public var problems: [String]
    public var outbox: Outbox
    public var messages: [Message]
    public var nextCursor: String?
}

/// `POST /api/v1/notifications/test` body: `{"channel": "email", "to": "alice@example.org"}`, both optional.
struct NotificationTestBody: Codable, Sendable {
    var channel: String?
    var to: String?
}

/// The answer to "send test", with the server's words.
public struct NotificationTestView: Codable, Equatable, Sendable {
    public struct Result: Codable, Equatable, Sendable {
        public var recipient: String
        /// `delivered`, `retry` or `failed`.
        public var outcome: String
        public var detail: String
    }

    public var channel: String
    public var succeeded: Bool
    public var summary: String
    public var results: [Result]
}
