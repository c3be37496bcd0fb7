import Foundation
import GRDB
import Synchronization
import HummingbirdBcrypt

/// Why an account change was refused.
public enum AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case weakPassword(String)
    case duplicateName(String)
    case notFound(String)
    /// The change would leave no admin.
    case lastAdmin
    case storage(String)

    public var description: String {
        switch self {
        case let .invalidName(name): "'\(name)' is not a valid name (letters, digits and . _ - @, at most 64)"
        case let .weakPassword(reason): reason
        case let .duplicateName(name): "'\(name)' already exists"
        case let .notFound(name): "no account named '\(name)'"
        case .lastAdmin: "that would leave no admin: add another admin first"
        case let .storage(reason): "the account database failed: \(reason)"
        }
    }
}

/// Users, browser sessions and API tokens, in a small SQLite database of the web app's own
/// (`accounts.sqlite` in the data directory).
///
/// Passwords are kept as bcrypt hashes; session ids and API tokens, which are long random
/// secrets, as SHA-256 hashes, so a copy of the file gives nobody a way in. Lookups made for every
/// request are answered from memory for a few seconds (`cacheLifetime`), so a change made by
/// another process (`genmon user remove` while genmon runs) takes effect within that time; changes
/// made through this store take effect at once.
public final class AccountStore: Sendable {
    public struct Timing: Sendable, Equatable {
        /// A session ends after this long without requests...
        public var sessionIdle: TimeInterval
        /// ...and in any case this long after sign-in.
        public var sessionLifetime: TimeInterval
        /// How long a looked-up session or token is trusted without reading the database again.
        public var cacheLifetime: TimeInterval

        public init(sessionIdle: TimeInterval = 7 * 86_400, sessionLifetime: TimeInterval = 30 * 86_400, cacheLifetime: TimeInterval = 5) {
            self.sessionIdle = sessionIdle
            self.sessionLifetime = sessionLifetime
            self.cacheLifetime = cacheLifetime
        }
    }

    private struct CachedPrincipal {
        var principal: Principal
        var cachedAt: Date
        /// When the session ends (sessions only).
        var expiresAt: Date?
        var lastSeenWritten: Date
    }

    let writer: any DatabaseWriter
    public let path: String
    public let hasher: PasswordHasher
    public let timing: Timing
    let clock: @Sendable () -> Date
    /// A hash to verify against when the account does not exist, so both cases take as long. Made
    /// beside start-up rather than in its way (one bcrypt is a quarter of a second on a small board).
    private let dummyHash: Task<String, Never>
    private let cache = Mutex<[String: CachedPrincipal]>([:])

    /// Caches a principal. Entries past the cache lifetime are never used again, so once the cache
    /// holds more than a few hundred they are dropped: a script signing in over and over for years
    /// does not grow it.
    private func remember(_ key: String, _ entry: CachedPrincipal, now: Date) {
        let lifetime = timing.cacheLifetime
        cache.withLock { cache in
            cache[key] = entry
            if cache.count > 256 { cache = cache.filter { now.timeIntervalSince($0.value.cachedAt) < lifetime } }
        }
    }

    /// Opens (creating or upgrading) the database at `path`.
    public convenience init(path: String, hasher: PasswordHasher = PasswordHasher(), timing: Timing = Timing(),
                            clock: @escaping @Sendable () -> Date = { Date() }) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "genmon.accounts"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw AccountError.storage("\(path): \(error)")
        }
        try self.init(writer: pool, path: path, hasher: hasher, timing: timing, clock: clock)
        // Only the owner may read password hashes.
        chmod(path, 0o600)
    }

    /// A store in memory: for tests and the demo.
    public static func inMemory(hasher: PasswordHasher = PasswordHasher(cost: 4), timing: Timing = Timing(),
                                clock: @escaping @Sendable () -> Date = { Date() }) throws -> AccountStore {
        do {
            return try AccountStore(writer: DatabaseQueue(), path: ":memory:", hasher: hasher, timing: timing, clock: clock)
        } catch let error as AccountError {
            throw error
        } catch {
            throw AccountError.storage("\(error)")
        }
    }

    init(writer: any DatabaseWriter, path: String, hasher: PasswordHasher, timing: Timing, clock: @escaping @Sendable () -> Date) throws {
        self.writer = writer
        self.path = path
        self.hasher = hasher
        self.timing = timing
        self.clock = clock
        let cost = hasher.cost
        self.dummyHash = Task.detached(priority: .utility) { Bcrypt.hash(Secrets.token(), cost: cost) }
        do { try Self.migrator.migrate(writer) } catch { throw AccountError.storage("\(path): \(error)") }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: users, sessions, tokens") { db in
            try db.execute(sql: """
                CREATE TABLE web_user (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
                    password_hash TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    password_changed INTEGER NOT NULL
                );
                CREATE TABLE web_session (
                    id_hash BLOB PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES web_user(id) ON DELETE CASCADE,
                    csrf TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    expires INTEGER NOT NULL
                );
                CREATE INDEX web_session_user ON web_session(user_id);
                CREATE TABLE api_token (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
                    hash BLOB NOT NULL UNIQUE,
                    prefix TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    last_used INTEGER
                );
                """)
        }
        return migrator
    }

    /// The migrations applied, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await read { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: Users

    public func userCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM web_user") ?? 0 }
    }

    public func users() async throws -> [WebUser] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM web_user ORDER BY name").map(Self.user) }
    }

    public func user(named name: String) async throws -> WebUser? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM web_user WHERE name = ?", arguments: [name]).map(Self.user) }
    }

    @discardableResult
    public func addUser(name: String, role: Role, password: String) async throws -> WebUser {
        guard AccountRules.validName(name) else { throw AccountError.invalidName(name) }
        if let problem = AccountRules.passwordProblem(password) { throw AccountError.weakPassword(problem) }
        let hash = await hasher.hash(password)
        let now = Millis(clock())
        return try await write { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM web_user WHERE name = ?", arguments: [name]) ?? 0 > 0 {
                throw AccountError.duplicateName(name)
            }
            try db.execute(sql: """
                INSERT INTO web_user (name, role, password_hash, created, password_changed) VALUES (?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, hash, now.value, now.value])
            return WebUser(id: db.lastInsertedRowID, name: name, role: role, createdAt: now.date, passwordChangedAt: now.date)
        }
    }

    /// Changes a user's role; refuses to demote the last admin. The user's sessions see the new
    /// role at their next request.
    public func setRole(name: String, role: Role) async throws {
        try await write { db in
            guard let user = try Row.fetchOne(db, sql: "SELECT * FROM web_user WHERE name = ?", arguments: [name]).map(Self.user) else {
                throw AccountError.notFound(name)
            }
            if user.role == .admin, role != .admin, try Self.adminCount(db) <= 1 { throw AccountError.lastAdmin }
            try db.execute(sql: "UPDATE web_user SET role = ? WHERE id = ?", arguments: [role.rawValue, user.id])
        }
        forgetCachedPrincipals()
    }

    /// Sets a new password and ends every session of that user except `keeping` (the one making
    /// the change, when it is their own).
    public func setPassword(name: String, password: String, keeping: [UInt8]? = nil) async throws {
        if let problem = AccountRules.passwordProblem(password) { throw AccountError.weakPassword(problem) }
        let hash = await hasher.hash(password)
        let now = Millis(clock())
        try await write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM web_user WHERE name = ?", arguments: [name]) else {
                throw AccountError.notFound(name)
            }
            try db.execute(sql: "UPDATE web_user SET password_hash = ?, password_changed = ? WHERE id = ?", arguments: [hash, now.value, id])
            try db.execute(sql: "DELETE FROM web_session WHERE user_id = ? AND id_hash IS NOT ?",
                           arguments: [id, keeping.map { Data($0) }])
        }
        forgetCachedPrincipals()
    }

    /// Removes a user and their sessions; refuses to remove the last admin.
    public func removeUser(name: String) async throws {
        try await write { db in
            guard let user = try Row.fetchOne(db, sql: "SELECT * FROM web_user WHERE name = ?", arguments: [name]).map(Self.user) else {
                throw AccountError.notFound(name)
            }
            if user.role == .admin, try Self.adminCount(db) <= 1 { throw AccountError.lastAdmin }
            try db.execute(sql: "DELETE FROM web_user WHERE id = ?", arguments: [user.id])
        }
        forgetCachedPrincipals()
    }

    /// The user when the password is right. Takes a bcrypt verification whether or not the user
    /// exists, so the time taken does not tell which names exist.
    public func verify(name: String, password: String) async -> WebUser? {
        let found = try? await read { db -> (WebUser, String)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM web_user WHERE name = ?", arguments: [name]) else { return nil }
            return (try Self.user(row), row["password_hash"])
        }
        guard let (user, hash) = found else {
            _ = await hasher.verify(password, hash: await dummyHash.value)
            return nil
        }
        return await hasher.verify(password, hash: hash) ? user : nil
    }

    private static func adminCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM web_user WHERE role = 'admin'") ?? 0
    }

    private static func user(_ row: Row) throws -> WebUser {
        guard let role = Role(rawValue: row["role"]) else { throw AccountError.storage("unknown role in web_user") }
        return WebUser(id: row["id"], name: row["name"], role: role, createdAt: Millis(row["created"] as Int64).date,
                       passwordChangedAt: Millis(row["password_changed"] as Int64).date)
    }

    // MARK: Sessions

    /// Starts a session for `user` (ending `replacing`, the browser's previous one, if any): the
    /// cookie value is returned once and only its hash is kept.
    public func createSession(for user: WebUser, replacing previous: String? = nil) async throws -> (cookie: String, session: WebSession) {
        let cookie = Secrets.token()
        let now = clock()
        let session = WebSession(idHash: Secrets.sha256(cookie), userID: user.id, csrfToken: Secrets.token(), createdAt: now,
                                 lastSeenAt: now, expiresAt: now.addingTimeInterval(timing.sessionLifetime))
        let idle = Millis(now.addingTimeInterval(-timing.sessionIdle)).value
        let previousHash = previous.map { Data(Secrets.sha256($0)) }
        try await write { db in
            if let previousHash { try db.execute(sql: "DELETE FROM web_session WHERE id_hash = ?", arguments: [previousHash]) }
            // Sign-in is a good moment to sweep sessions that have ended.
            try db.execute(sql: "DELETE FROM web_session WHERE expires < ? OR last_seen < ?", arguments: [Millis(now).value, idle])
            try db.execute(sql: """
                INSERT INTO web_session (id_hash, user_id, csrf, created, last_seen, expires) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [Data(session.idHash), user.id, session.csrfToken, Millis(now).value, Millis(now).value,
                                 Millis(session.expiresAt).value])
        }
        if let previous { forget(key: Self.cacheKey(session: Secrets.sha256(previous))) }
        return (cookie, session)
    }

    /// The signed-in user behind a session cookie, or nil when it is unknown or has ended.
    public func principal(sessionCookie cookie: String) async -> Principal? {
        let hash = Secrets.sha256(cookie)
        let key = Self.cacheKey(session: hash)
        let now = clock()
        if let cached = cache.withLock({ $0[key] }), now.timeIntervalSince(cached.cachedAt) < timing.cacheLifetime,
           let expires = cached.expiresAt, expires > now {
            await touch(key: key, hash: hash, now: now, lastWritten: cached.lastSeenWritten)
            return cached.principal
        }
        struct Found: Sendable {
            var csrf: String, lastSeen: Int64, expires: Int64, name: String, role: String
        }
        guard let found = try? await read({ db -> Found? in
            try Row.fetchOne(db, sql: """
                SELECT s.csrf, s.last_seen, s.expires, u.name, u.role FROM web_session s JOIN web_user u ON u.id = s.user_id
                WHERE s.id_hash = ?
                """, arguments: [Data(hash)]).map {
                Found(csrf: $0["csrf"], lastSeen: $0["last_seen"], expires: $0["expires"], name: $0["name"], role: $0["role"])
            }
        }), let role = Role(rawValue: found.role) else {
            forget(key: key)
            return nil
        }
        let lastSeen = Millis(found.lastSeen).date
        let expires = min(Millis(found.expires).date, lastSeen.addingTimeInterval(timing.sessionIdle))
        guard expires > now else {
            forget(key: key)
            return nil
        }
        let principal = Principal(name: found.name, role: role, credential: .session(idHash: hash, csrfToken: found.csrf))
        remember(key, CachedPrincipal(principal: principal, cachedAt: now, expiresAt: expires, lastSeenWritten: lastSeen), now: now)
        await touch(key: key, hash: hash, now: now, lastWritten: lastSeen)
        return principal
    }

    /// Ends a session (sign-out).
    public func endSession(cookie: String) async throws {
        let hash = Secrets.sha256(cookie)
        try await write { db in try db.execute(sql: "DELETE FROM web_session WHERE id_hash = ?", arguments: [Data(hash)]) }
        forget(key: Self.cacheKey(session: hash))
    }

    /// Sessions that have not ended, per user name (for the admin page).
    public func sessionCounts() async throws -> [String: Int] {
        let now = clock()
        let idle = Millis(now.addingTimeInterval(-timing.sessionIdle)).value
        let pairs = try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.name AS name, count(*) AS sessions FROM web_session s JOIN web_user u ON u.id = s.user_id
                WHERE s.expires > ? AND s.last_seen >= ? GROUP BY u.id
                """, arguments: [Millis(now).value, idle]).map { ($0["name"] as String, $0["sessions"] as Int) }
        }
        return Dictionary(pairs, uniquingKeysWith: +)
    }

    /// Writes the session's last use now and then (not at every request: once a minute is enough
    /// for an idle timeout counted in hours or days).
    private func touch(key: String, hash: [UInt8], now: Date, lastWritten: Date) async {
        guard now.timeIntervalSince(lastWritten) >= 60 else { return }
        cache.withLock { $0[key]?.lastSeenWritten = now }
        try? await writer.write { db in
            try db.execute(sql: "UPDATE web_session SET last_seen = ? WHERE id_hash = ?", arguments: [Millis(now).value, Data(hash)])
        }
    }

    // MARK: Tokens

    /// Creates an API token; the secret is returned once and only its hash is kept.
    public func createToken(name: String, role: Role, createdBy: String) async throws -> (secret: String, token: APIToken) {
        guard AccountRules.validName(name) else { throw AccountError.invalidName(name) }
        let secret = "gmt_" + Secrets.token()
        let prefix = String(secret.prefix(10))
        let now = Millis(clock())
        let token = try await write { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM api_token WHERE name = ?", arguments: [name]) ?? 0 > 0 {
                throw AccountError.duplicateName(name)
            }
            try db.execute(sql: """
                INSERT INTO api_token (name, role, hash, prefix, created, created_by) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, Data(Secrets.sha256(secret)), prefix, now.value, createdBy])
            return APIToken(id: db.lastInsertedRowID, name: name, role: role, prefix: prefix, createdAt: now.date, createdBy: createdBy)
        }
        return (secret, token)
    }

    public func tokens() async throws -> [APIToken] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY name").map(Self.token) }
    }

    public func revokeToken(name: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_token WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw AccountError.notFound(name) }
        }
        forgetCachedPrincipals()
    }

    /// The token's principal for an `Authorization: Bearer` value, or nil.
    public func principal(bearer secret: String) async -> Principal? {
        guard secret.hasPrefix("gmt_"), secret.count < 200 else { return nil }
        let hash = Secrets.sha256(secret)
        let key = Self.cacheKey(token: hash)
        let now = clock()
        if let cached = cache.withLock({ $0[key] }), now.timeIntervalSince(cached.cachedAt) < timing.cacheLifetime {
            await touchToken(key: key, hash: hash, now: now, lastWritten: cached.lastSeenWritten)
            return cached.principal
        }
        guard let token = try? await read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE hash = ?", arguments: [Data(hash)]).map(Self.token)
        }) else {
            forget(key: key)
            return nil
        }
        let principal = Principal(name: token.name, role: token.role, credential: .token(id: token.id))
        let lastUsed = token.lastUsedAt ?? .distantPast
        remember(key, CachedPrincipal(principal: principal, cachedAt: now, expiresAt: nil, lastSeenWritten: lastUsed), now: now)
        await touchToken(key: key, hash: hash, now: now, lastWritten: lastUsed)
        return principal
    }

    private func touchToken(key: String, hash: [UInt8], now: Date, lastWritten: Date) async {
        guard now.timeIntervalSince(lastWritten) >= 60 else { return }
        cache.withLock { $0[key]?.lastSeenWritten = now }
        try? await writer.write { db in
            try db.execute(sql: "UPDATE api_token SET last_used = ? WHERE hash = ?", arguments: [Millis(now).value, Data(hash)])
        }
    }

    private static func token(_ row: Row) throws -> APIToken {
        guard let role = Role(rawValue: row["role"]) else { throw AccountError.storage("unknown role in api_token") }
        return APIToken(id: row["id"], name: row["name"], role: role, prefix: row["prefix"],
                        createdAt: Millis(row["created"] as Int64).date, createdBy: row["created_by"],
                        lastUsedAt: (row["last_used"] as Int64?).map { Millis($0).date })
    }

    // MARK: Cache and access

    private static func cacheKey(session hash: [UInt8]) -> String { "s:" + Secrets.base64URL(hash) }
    private static func cacheKey(token hash: [UInt8]) -> String { "t:" + Secrets.base64URL(hash) }

    private func forget(key: String) { _ = cache.withLock { $0.removeValue(forKey: key) } }

    /// Roles, passwords or tokens changed: look everything up again.
    public func forgetCachedPrincipals() { cache.withLock { $0.removeAll() } }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.read(body) } catch let error as AccountError { throw error } catch {
            throw AccountError.storage("\(error)")
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.write(body) } catch let error as AccountError { throw error } catch {
            throw AccountError.storage("\(error)")
        }
    }
}

/// Times as Unix milliseconds, as stored.
struct Millis {
    let value: Int64

    init(_ date: Date) { value = Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    init(_ value: Int64) { self.value = value }

    var date: Date { Date(timeIntervalSince1970: Double(value) / 1000) }
}
