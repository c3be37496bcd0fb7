import GRDB

/// The database's shape, one GRDB migration per version. A migration, once shipped, never changes:
/// a later change is a new migration, so any older database upgrades step by step.
enum Schema {
    /// `PRAGMA application_id`: 'genm'. Tells genmon's databases from every other SQLite file.
    static let applicationID: Int32 = 0x6765_6E6D

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-records-and-raw-history", migrate: version1)
        migrator.registerMigration("v2-downsampled-history", migrate: version2)
        migrator.registerMigration("v3-outage-in-progress", migrate: outageInProgress)
        migrator.registerMigration("v4-data-logs", migrate: dataLogTables)
        migrator.registerMigration("v5-notification-outbox", migrate: notificationOutbox)
        migrator.registerMigration("v6-email-commands", migrate: emailCommands)
        migrator.registerMigration("v7-channels", migrate: channelPacing)
        return migrator
    }()

    static var identifiers: [String] { migrator.migrations }

    /// Events, audit log, outages, and raw samples. Times are Unix milliseconds (see `UnixMillis`).
    private static func version1(_ db: Database) throws {
        try db.execute(sql: """
            PRAGMA application_id = \(applicationID);
            CREATE TABLE event (
                id INTEGER PRIMARY KEY,
                time INTEGER NOT NULL,
                name TEXT NOT NULL,
                severity TEXT NOT NULL,
                kind TEXT NOT NULL -- MonitorEvent.Kind as JSON; the summary is derived from it
            );
            CREATE INDEX event_by_time ON event(time);
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                time INTEGER NOT NULL,
                interface TEXT NOT NULL,
                principal TEXT NOT NULL,
                may_control INTEGER NOT NULL,
                command TEXT NOT NULL,
                result TEXT NOT NULL,
                message TEXT NOT NULL,
                duration REAL -- seconds; NULL when not a number
            );
            CREATE INDEX audit_by_time ON audit(time);
            CREATE TABLE outage (
                id INTEGER PRIMARY KEY,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                fuel_estimate TEXT
            );
            CREATE INDEX outage_by_start ON outage(start);
            -- One row per sample; the time is the rowid, so the table is its own index.
            -- A value that is not a finite number is NULL.
            CREATE TABLE history_raw (
                time INTEGER PRIMARY KEY,
                utility REAL, battery REAL, output REAL, frequency REAL, rpm REAL, power REAL
            );
            """)
    }

    /// 5-minute and hourly aggregates, and the bookkeeping that makes rolling them up incremental.
    /// Each series keeps min, max, sum and count (of non-NULL values): sums and counts add up, so
    /// coarser buckets and chart buckets are computed exactly from finer ones.
    private static func version2(_ db: Database) throws {
        for table in ["history_5min", "history_1h"] {
            try db.execute(sql: """
                CREATE TABLE \(table) (
                    start INTEGER PRIMARY KEY,
                    utility_min REAL, utility_max REAL, utility_sum REAL, utility_n INTEGER NOT NULL DEFAULT 0,
                    battery_min REAL, battery_max REAL, battery_sum REAL, battery_n INTEGER NOT NULL DEFAULT 0,
                    output_min REAL, output_max REAL, output_sum REAL, output_n INTEGER NOT NULL DEFAULT 0,
                    frequency_min REAL, frequency_max REAL, frequency_sum REAL, frequency_n INTEGER NOT NULL DEFAULT 0,
                    rpm_min REAL, rpm_max REAL, rpm_sum REAL, rpm_n INTEGER NOT NULL DEFAULT 0,
                    power_min REAL, power_max REAL, power_sum REAL, power_n INTEGER NOT NULL DEFAULT 0
                )
                """)
        }
        // Per tier: buckets before `rolled_until` are computed; `dirty_from` marks the earliest
        // source row that arrived late, below `rolled_until`; rows before `kept_from` were dropped.
        try db.execute(sql: """
            CREATE TABLE history_tier (
                tier TEXT PRIMARY KEY,
                rolled_until INTEGER,
                dirty_from INTEGER,
                kept_from INTEGER
            );
            INSERT INTO history_tier (tier) VALUES ('raw'), ('fiveMinutes'), ('hourly');
            """)
    }

    /// The outage in progress, kept so that a restart continues it (one row at most), and the mark
    /// on a finished outage whose end genmon did not see because it was not running.
    private static func outageInProgress(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE outage ADD COLUMN unobserved_from INTEGER; -- NULL: genmon saw the end itself
            CREATE TABLE outage_in_progress (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                start INTEGER NOT NULL,
                last_seen INTEGER NOT NULL
            );
            """)
    }

    /// The notification outbox: each notification once (with what each channel sends, rendered
    /// once), one delivery per channel and recipient with its own state and retry time, and every
    /// attempt. A delivery is committed before it is ever tried, so nothing queued is lost to a crash.
    private static func notificationOutbox(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE notification (
                id INTEGER PRIMARY KEY,
                created INTEGER NOT NULL,
                category TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                source TEXT NOT NULL,
                message_id TEXT -- the e-mail's Message-ID, the same on every retry
            );
            CREATE INDEX notification_by_created ON notification(created);
            CREATE TABLE notification_payload (
                notification_id INTEGER NOT NULL REFERENCES notification(id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                content BLOB NOT NULL,
                PRIMARY KEY (notification_id, channel)
            );
            CREATE TABLE notification_delivery (
                id INTEGER PRIMARY KEY,
                notification_id INTEGER NOT NULL REFERENCES notification(id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                state TEXT NOT NULL, -- pending, sent, failed, expired
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt INTEGER, -- while pending
                last_error TEXT,
                updated INTEGER NOT NULL
            );
            CREATE INDEX delivery_by_notification ON notification_delivery(notification_id);
            -- A lane (channel, recipient) is delivered oldest first: its head is the lowest pending id.
            CREATE INDEX delivery_pending_lane ON notification_delivery(channel, recipient, id) WHERE state = 'pending';
            CREATE TABLE notification_attempt (
                id INTEGER PRIMARY KEY,
                delivery_id INTEGER NOT NULL REFERENCES notification_delivery(id) ON DELETE CASCADE,
                time INTEGER NOT NULL,
                outcome TEXT NOT NULL, -- delivered, retry, failed, expired
                detail TEXT NOT NULL,
                duration REAL
            );
            CREATE INDEX attempt_by_delivery ON notification_attempt(delivery_id, id);
            """)
    }

    /// E-mail commands: each message claimed (by mailbox, UIDVALIDITY and UID) before its command runs,
    /// so a crash between running and moving it never runs it twice; and the last one-time-code step
    /// accepted, so a code works once.
    private static func emailCommands(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE email_command_message (
                mailbox TEXT NOT NULL,
                uid_validity INTEGER NOT NULL,
                uid INTEGER NOT NULL,
                claimed INTEGER NOT NULL,
                state TEXT NOT NULL, -- claimed, handled
                sender TEXT,
                outcome TEXT,
                PRIMARY KEY (mailbox, uid_validity, uid)
            );
            CREATE INDEX email_command_by_claimed ON email_command_message(claimed);
            CREATE TABLE email_command_code (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                last_step INTEGER NOT NULL,
                used INTEGER NOT NULL
            );
            """)
    }

    /// Pacing per channel and recipient counts each lane's recent sends (`sendTimes`): an index by lane
    /// for every state, not only pending.
    private static func channelPacing(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX delivery_by_lane ON notification_delivery(channel, recipient, id)")
    }
}
