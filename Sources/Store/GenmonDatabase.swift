import Foundation
import GRDB
import Monitor

/// genmon's SQLite database: events, audit log, outages and downsampled history.
///
/// On disk it is a WAL-mode `DatabasePool` (readers never wait for the writer) with
/// `synchronous = FULL`, so a write that has returned survives a `kill -9`, and a power cut as far
/// as the storage honours `fsync`.
/// Every write is one transaction; history samples arrive in batches (about one a minute) so the
/// SD card sees one sync per batch rather than one per sample.
///
/// The store has no timers: the monitor calls `maintain(now:)` now and then to roll up history
/// and drop what has expired.
public final class GenmonDatabase: Sendable {
    let writer: any DatabaseWriter
    /// The file's path, or ":memory:"; for error messages.
    public let path: String
    public let configuration: StoreConfiguration

    /// Opens the database at `path`, creating it if missing and upgrading its schema if older.
    ///
    /// Refuses with a `StoreError`, before any migration touches it, anything that is not an SQLite
    /// file, an SQLite file of another program, or a genmon database from a newer version. Files that
    /// are not SQLite, or carry another program's application id, are refused from their first bytes,
    /// before SQLite opens them; an SQLite file without an id is switched to WAL mode by GRDB first.
    public convenience init(path: String, configuration: StoreConfiguration = StoreConfiguration()) throws {
        let configuration = try configuration.validated()
        try Self.checkHeader(path: path)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.grdbConfiguration())
            // GRDB sets NORMAL for WAL; FULL also syncs the WAL at each commit, which is what makes a
            // returned write durable. The writer connection keeps this for its lifetime.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // After a checkpoint, shrink a WAL that a large maintenance pass grew.
                try db.execute(sql: "PRAGMA journal_size_limit = 4194304")
            }
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
        try self.init(writer: pool, path: path, configuration: configuration)
    }

    /// A database in memory, gone when the value is: for tests and for running without a disk.
    public static func inMemory(configuration: StoreConfiguration = StoreConfiguration()) throws -> GenmonDatabase {
        let configuration = try configuration.validated()
        do {
            return try GenmonDatabase(writer: DatabaseQueue(configuration: grdbConfiguration()), path: ":memory:",
                                      configuration: configuration)
        } catch {
            throw StoreError.wrapping(error, path: ":memory:")
        }
    }

    init(writer: any DatabaseWriter, path: String, configuration: StoreConfiguration) throws {
        self.writer = writer
        self.path = path
        self.configuration = configuration
        do {
            try writer.write { db in try Self.checkOwnership(db, path: path) }
            try Schema.migrator.migrate(writer)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// Closes the connections (checkpointing the WAL into the file). Later calls throw.
    public func close() throws {
        do { try writer.close() } catch { throw StoreError.wrapping(error, path: path) }
    }

    /// SQLite's own consistency check: an empty array when the file is sound, else its complaints.
    public func integrityProblems() async throws -> [String] {
        let lines = try await reading { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return lines == ["ok"] ? [] : lines
    }

    /// The schema migrations applied to this database, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await reading { db in try Schema.migrator.appliedMigrations(db) }
    }

    // MARK: Access with errors translated

    func writing<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.write(updates) } catch { throw StoreError.wrapping(error, path: path) }
    }

    func reading<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.read(value) } catch { throw StoreError.wrapping(error, path: path) }
    }

    // MARK: Opening checks

    private static func grdbConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "genmon.store"
        // Another process on the same file (a command-line tool, or the first opener recovering the
        // WAL after a crash) holds a lock for moments only: wait rather than fail.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -256") }
        return configuration
    }

    /// Looks at the file's first bytes before SQLite touches it: a file that is not SQLite, or an
    /// SQLite file stamped with another program's application id, is refused untouched.
    /// (A missing or empty file is a new database.)
    static func checkHeader(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header: Data
        do { header = try handle.read(upToCount: 100) ?? Data() } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        if header.isEmpty { return }
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw StoreError.notADatabase(path: path)
        }
        let id = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard id == 0 || id == UInt32(bitPattern: Schema.applicationID) else { throw StoreError.foreignDatabase(path: path) }
    }

    /// Inside SQLite: the application id must be genmon's, or the file must be new; and every
    /// migration it has seen must be one this version knows.
    ///
    /// A new file is stamped with genmon's id at once, in its own transaction: GRDB creates its
    /// `grdb_migrations` table before the first migration's transaction, so a crash in between
    /// would otherwise leave a file that looks like someone else's. (A file left so, with an empty
    /// `grdb_migrations` and nothing else, is still taken as new.)
    private static func checkOwnership(_ db: Database, path: String) throws {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let applied = try Schema.migrator.appliedIdentifiers(db)
        if id != Schema.applicationID {
            let tables = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                """) ?? 0
            guard id == 0, tables == 0, applied.isEmpty else { throw StoreError.foreignDatabase(path: path) }
            try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
        }
        let unknown = applied.subtracting(Schema.identifiers)
        guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
    }
}
