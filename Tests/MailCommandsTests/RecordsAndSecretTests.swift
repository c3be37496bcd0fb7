import Foundation
import MailCommands
import OneTimeCode
import Store
import Testing

@Suite("Records: claims and used codes survive in the database; the secret file is private")
struct RecordsAndSecretTests {
    @Test("a claim is made once; a handled one stays handled; claims older than the retention are dropped")
    func claims() async throws {
        let database = try GenmonDatabase.inMemory()
        let key = EmailCommandKey(mailbox: "Generator", uidValidity: 1, uid: 42)
        #expect(try await database.emailCommandState(key) == nil)
        #expect(try await database.claimEmailCommand(key, at: MailFixture.now))
        #expect(try await !database.claimEmailCommand(key, at: MailFixture.now))
        #expect(try await database.emailCommandState(key) == .claimed)
        try await database.finishEmailCommand(key, sender: "a@b.c", outcome: "read: status")
        #expect(try await database.emailCommandState(key) == .handled)
        let later = MailFixture.now.addingTimeInterval(GenmonDatabase.emailCommandClaimRetention + 60)
        #expect(try await database.claimEmailCommand(EmailCommandKey(mailbox: "Generator", uidValidity: 1, uid: 43), at: later))
        #expect(try await database.emailCommandState(key) == nil)
    }

    @Test("a code step is accepted once, and no earlier step after it")
    func codeSteps() async throws {
        let database = try GenmonDatabase.inMemory()
        #expect(try await database.lastOneTimeCodeStep() == nil)
        #expect(try await database.useOneTimeCodeStep(100, at: MailFixture.now))
        #expect(try await !database.useOneTimeCodeStep(100, at: MailFixture.now))
        #expect(try await !database.useOneTimeCodeStep(99, at: MailFixture.now))
        #expect(try await database.useOneTimeCodeStep(101, at: MailFixture.now))
        #expect(try await database.lastOneTimeCodeStep() == 101)
    }

    @Test("the secret is written with mode 0600 and read back; a file others can read, or garbage, is refused")
    func secretFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-secret-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = CommandSecret.path(in: folder)
        #expect(try CommandSecret.load(from: path) == nil)
        try CommandSecret.save(MailFixture.secret, to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try CommandSecret.load(from: path) == MailFixture.secret)
        chmod(path, 0o644)
        #expect(throws: CommandSecretError.self) { try CommandSecret.load(from: path) }
        chmod(path, 0o600)
        try "not base32 !!!\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: CommandSecretError.self) { try CommandSecret.load(from: path) }
        try "MFRGG\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: CommandSecretError.self) { try CommandSecret.load(from: path) }
    }
}
