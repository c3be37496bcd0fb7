import Foundation
import GRDB

/// A command e-mail's identity in the records: UIDs mean something only with their mailbox and UIDVALIDITY.
public struct EmailCommandKey: Sendable, Hashable, CustomStringConvertible {
    public var mailbox: String
    public var uidValidity: UInt32
    public var uid: UInt32

    public init(mailbox: String, uidValidity: UInt32, uid: UInt32) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.uid = uid
    }

    public var description: String { "\(mailbox);UIDVALIDITY=\(uidValidity);UID=\(uid)" }
}

/// How a claimed command e-mail stands.
public enum EmailCommandState: String, Sendable, Equatable {
    /// Recorded before its command ran; still so after a crash before it was finished.
    case claimed
    /// Its command ran (or was refused) and any reply is in the outbox.
    case handled
}

/// The e-mail command records (schema v6): claims that make every message run at most once across
/// crashes, and the last accepted one-time-code step that makes every code work once.
extension GenmonDatabase {
    /// Claims are kept this long (a handled message has been moved away, so its UID never comes back).
    public static let emailCommandClaimRetention: TimeInterval = 90 * 86_400

    /// Records `key` as claimed, durably, before its command runs. True when this is the first claim;
    /// false when it was claimed before (a crash came after the claim): then it must not run again.
    public func claimEmailCommand(_ key: EmailCommandKey, at now: Date) async throws -> Bool {
        let claimed = try UnixMillis.require(now, "claim time")
        let cutoff = try UnixMillis.require(now.addingTimeInterval(-Self.emailCommandClaimRetention), "retention cutoff")
        return try await writing { db in
            try db.execute(sql: "DELETE FROM email_command_message WHERE claimed < ?", arguments: [cutoff])
            try db.execute(sql: """
                INSERT OR IGNORE INTO email_command_message (mailbox, uid_validity, uid, claimed, state)
                VALUES (CAST(? AS TEXT), ?, ?, ?, 'claimed')
                """, arguments: [FullText(key.mailbox), Int64(key.uidValidity), Int64(key.uid), claimed])
            return db.changesCount == 1
        }
    }

    /// Marks a claimed message handled, with its sender and a short outcome for the records.
    public func finishEmailCommand(_ key: EmailCommandKey, sender: String?, outcome: String) async throws {
        try await writing { db in
            try db.execute(sql: """
                UPDATE email_command_message SET state = 'handled', sender = CAST(? AS TEXT), outcome = CAST(? AS TEXT)
                WHERE mailbox = CAST(? AS TEXT) AND uid_validity = ? AND uid = ?
                """, arguments: [sender.map(FullText.init), FullText(String(outcome.prefix(1000))), FullText(key.mailbox),
                                 Int64(key.uidValidity), Int64(key.uid)])
        }
    }

    /// The state of a claimed message, nil when never claimed.
    public func emailCommandState(_ key: EmailCommandKey) async throws -> EmailCommandState? {
        try await reading { db in
            let text = try String.fetchOne(db, sql: """
                SELECT state FROM email_command_message WHERE mailbox = CAST(? AS TEXT) AND uid_validity = ? AND uid = ?
                """, arguments: [FullText(key.mailbox), Int64(key.uidValidity), Int64(key.uid)])
            return text.flatMap(EmailCommandState.init(rawValue:))
        }
    }

    /// The last one-time-code time step accepted, nil when none ever was.
    public func lastOneTimeCodeStep() async throws -> Int64? {
        try await reading { db in try Int64.fetchOne(db, sql: "SELECT last_step FROM email_command_code WHERE id = 1") }
    }

    /// Accepts the code of time step `step` once: true when it is later than every step accepted
    /// before (and is now recorded), false when it, or a later one, was already used.
    public func useOneTimeCodeStep(_ step: Int64, at now: Date) async throws -> Bool {
        let used = try UnixMillis.require(now, "code use time")
        return try await writing { db in
            if let last = try Int64.fetchOne(db, sql: "SELECT last_step FROM email_command_code WHERE id = 1"), last >= step { return false }
            try db.execute(sql: """
                INSERT INTO email_command_code (id, last_step, used) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET last_step = excluded.last_step, used = excluded.used
                """, arguments: [step, used])
            return true
        }
    }
}
