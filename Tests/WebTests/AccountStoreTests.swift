import Foundation
import Testing
@testable import Web

extension WebTestSuite {
    @Suite struct AccountStoreTests {
        static func temporaryPath() -> String {
            FileManager.default.temporaryDirectory.appendingPathComponent("genmon-accounts-\(UUID().uuidString).sqlite").path
        }

        @Test func passwordsAreKeptAsBcryptHashesOnly() async throws {
            let path = Self.temporaryPath()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let store = try AccountStore(path: path, hasher: PasswordHasher(cost: 4))
            try await store.addUser(name: "alice", role: .admin, password: "alice-password-1")
            let token = try await store.createToken(name: "ha", role: .viewer, createdBy: "alice")
            let session = try await store.createSession(for: try #require(try await store.user(named: "alice")))
            let file = try Data(contentsOf: URL(fileURLWithPath: path)) + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
            let text = String(decoding: file, as: UTF8.self)
            #expect(!text.contains("alice-password-1"))
            #expect(text.contains("$2b$04$"), "a bcrypt hash")
            #expect(!text.contains(token.secret) && !text.contains(session.cookie), "secrets only as SHA-256")
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }

        @Test func verifyingChecksThePasswordCaseInsensitiveName() async throws {
            let store = try AccountStore.inMemory()
            try await store.addUser(name: "Alice", role: .viewer, password: "alice-password-1")
            #expect(await store.verify(name: "alice", password: "alice-password-1")?.name == "Alice")
            #expect(await store.verify(name: "alice", password: "Alice-password-1") == nil)
            #expect(await store.verify(name: "bob", password: "alice-password-1") == nil)
        }

        @Test func namesAndPasswordsAreChecked() async throws {
            let store = try AccountStore.inMemory()
            await #expect(throws: AccountError.invalidName("bad name")) { try await store.addUser(name: "bad name", role: .viewer, password: "long-enough-1") }
            await #expect(throws: AccountError.self) { try await store.addUser(name: "bob", role: .viewer, password: "short") }
            await #expect(throws: AccountError.self) {
                try await store.addUser(name: "bob", role: .viewer, password: String(repeating: "x", count: 73))
            }
            try await store.addUser(name: "bob", role: .viewer, password: "long-enough-1")
            await #expect(throws: AccountError.duplicateName("BOB")) { try await store.addUser(name: "BOB", role: .viewer, password: "long-enough-1") }
        }

        @Test func theLastAdminCanNeitherBeRemovedNorDemoted() async throws {
            let store = try AccountStore.inMemory()
            try await store.addUser(name: "alice", role: .admin, password: "alice-password-1")
            try await store.addUser(name: "bob", role: .viewer, password: "bobs-password-1")
            await #expect(throws: AccountError.lastAdmin) { try await store.removeUser(name: "alice") }
            await #expect(throws: AccountError.lastAdmin) { try await store.setRole(name: "alice", role: .viewer) }
            try await store.setRole(name: "bob", role: .admin)
            try await store.removeUser(name: "alice")
            #expect(try await store.users().map(\.name) == ["bob"])
        }

        @Test func aRoleChangeAppliesToTheUsersOpenSessionsAtOnce() async throws {
            let store = try AccountStore.inMemory()
            let alice = try await store.addUser(name: "alice", role: .admin, password: "alice-password-1")
            try await store.addUser(name: "root", role: .admin, password: "root-password-1")
            let (cookie, _) = try await store.createSession(for: alice)
            #expect(await store.principal(sessionCookie: cookie)?.role == .admin)
            try await store.setRole(name: "alice", role: .viewer)
            #expect(await store.principal(sessionCookie: cookie)?.role == .viewer)
            try await store.removeUser(name: "alice")
            #expect(await store.principal(sessionCookie: cookie) == nil)
        }

        @Test func changesMadeByAnotherProcessApplyWithinTheCacheLifetime() async throws {
            let path = Self.temporaryPath()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let clock = TestClock()
            let server = try AccountStore(path: path, hasher: PasswordHasher(cost: 4), timing: .init(cacheLifetime: 5), clock: { clock.now })
            let created = try await server.createToken(name: "script", role: .admin, createdBy: "alice")
            #expect(await server.principal(bearer: created.secret)?.name == "script")
            // `genmon token revoke script` in another process:
            let cli = try AccountStore(path: path, hasher: PasswordHasher(cost: 4))
            try await cli.revokeToken(name: "script")
            clock.advance(6)
            #expect(await server.principal(bearer: created.secret) == nil)
        }

        @Test func migrationsAreRecordedAndReopeningKeepsEverything() async throws {
            let path = Self.temporaryPath()
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                let store = try AccountStore(path: path, hasher: PasswordHasher(cost: 4))
                try await store.addUser(name: "alice", role: .admin, password: "alice-password-1")
            }
            let reopened = try AccountStore(path: path, hasher: PasswordHasher(cost: 4))
            #expect(try await reopened.appliedMigrations() == ["v1: users, sessions, tokens"])
            #expect(await reopened.verify(name: "alice", password: "alice-password-1") != nil)
        }

        @Test func tokensCarryTheirRoleAndAreShownOnlyByPrefix() async throws {
            let store = try AccountStore.inMemory()
            let created = try await store.createToken(name: "home-assistant", role: .viewer, createdBy: "alice")
            #expect(created.secret.hasPrefix("gmt_"))
            #expect(created.secret.count == 47)
            #expect(created.token.prefix == String(created.secret.prefix(10)))
            let principal = try #require(await store.principal(bearer: created.secret))
            #expect(principal.role == .viewer)
            #expect(principal.commandOrigin.principal == "token:home-assistant")
            #expect(!principal.commandOrigin.mayControl)
            #expect(await store.principal(bearer: created.secret + "x") == nil)
        }
    }

    @Suite struct LoginThrottleTests {
        let start = Date(timeIntervalSince1970: 1_000_000)

        @Test func anAccountIsLockedAfterTheLimitAndFreedAfterTheLockout() {
            var throttle = LoginThrottle(policy: .init(accountFailures: 3, addressFailures: 100, window: 600, firstLockout: 30))
            #expect(throttle.recordFailure(account: "a", address: nil, now: start) == nil)
            #expect(throttle.recordFailure(account: "a", address: nil, now: start + 1) == nil)
            #expect(throttle.recordFailure(account: "A", address: nil, now: start + 2) == start + 32)
            #expect(throttle.check(account: "a", address: nil, now: start + 31) == .locked(until: start + 32))
            #expect(throttle.check(account: "a", address: nil, now: start + 32) == .allowed)
            #expect(throttle.check(account: "b", address: nil, now: start + 3) == .allowed)
        }

        @Test func failuresOutsideTheWindowDoNotCount() {
            var throttle = LoginThrottle(policy: .init(accountFailures: 3, window: 60))
            throttle.recordFailure(account: "a", address: nil, now: start)
            throttle.recordFailure(account: "a", address: nil, now: start + 10)
            #expect(throttle.recordFailure(account: "a", address: nil, now: start + 100) == nil)
        }

        @Test func eachLockoutDoublesUpToTheCapAndAQuietWindowForgives() {
            var throttle = LoginThrottle(policy: .init(accountFailures: 1, window: 600, firstLockout: 60, maximumLockout: 200))
            var now = start
            var durations: [TimeInterval] = []
            for _ in 0..<4 {
                let until = throttle.recordFailure(account: "a", address: nil, now: now)!
                durations.append(until.timeIntervalSince(now))
                now = until
            }
            #expect(durations == [60, 120, 200, 200])
            now += 601
            #expect(throttle.recordFailure(account: "a", address: nil, now: now)!.timeIntervalSince(now) == 60)
        }

        @Test func successClearsTheAccountButNotTheAddress() {
            var throttle = LoginThrottle(policy: .init(accountFailures: 3, addressFailures: 3))
            throttle.recordFailure(account: "a", address: "x", now: start)
            throttle.recordFailure(account: "a", address: "x", now: start)
            throttle.recordSuccess(account: "a")
            #expect(throttle.recordFailure(account: "a", address: "x", now: start) != nil, "the address had three failures")
            #expect(throttle.check(account: "a", address: nil, now: start) == .allowed)
        }

        @Test func memoryStaysBoundedUnderManyAddresses() {
            var throttle = LoginThrottle(policy: .init(capacity: 100))
            for index in 0..<1000 { throttle.recordFailure(account: nil, address: "10.0.\(index / 256).\(index % 256)", now: start + Double(index)) }
            #expect(throttle.addresses.count <= 100)
        }

        @Test func sprayingOtherNamesCannotLiftALiveLockout() {
            var throttle = LoginThrottle(policy: .init(addressFailures: 0, capacity: 50))
            for second in 0..<5 { throttle.recordFailure(account: "alice", address: nil, now: start + Double(second)) }
            #expect(throttle.check(account: "alice", address: nil, now: start + 6) != .allowed)
            for index in 0..<500 { throttle.recordFailure(account: "spray\(index)", address: nil, now: start + 6 + Double(index) / 1000) }
            #expect(throttle.accounts.count <= 50)
            #expect(throttle.check(account: "alice", address: nil, now: start + 7) != .allowed)
        }
    }

    @Suite struct SecretsTests {
        @Test func tokensAreRandomAndOfFullLength() {
            let tokens = Set((0..<100).map { _ in Secrets.token() })
            #expect(tokens.count == 100)
            #expect(tokens.allSatisfy { Secrets.fromBase64URL($0)?.count == 32 })
        }

        @Test func constantTimeComparisonAgreesWithEquality() {
            #expect(Secrets.constantTimeEqual("abc", "abc"))
            #expect(!Secrets.constantTimeEqual("abc", "abd"))
            #expect(!Secrets.constantTimeEqual("abc", "abcd"))
            #expect(!Secrets.constantTimeEqual([1, 2], [1, 2, 3]))
        }

        @Test func setupCodesAreTypeable() {
            let code = Secrets.typeable()
            #expect(code.count == 19)
            #expect(code.allSatisfy { $0 == "-" || ("A"..."Z").contains($0) || ("2"..."9").contains($0) })
            #expect(!code.contains("O") && !code.contains("I") && !code.contains("L") && !code.contains("0") && !code.contains("1"))
        }
    }
}
