import Foundation
import GenmonBasics
import Testing

@Suite("The data directory is private")
struct PrivateDirectoryTests {
    @Test("the data directory is made private: created 0700, and group and other access taken from what is in it")
    func privateDirectory() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-private-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let fresh = base + "/new/data"
        let created = try PrivateDirectory.secure(fresh)
        #expect(created.repaired.isEmpty)
        #expect(try Self.mode(fresh) == 0o700)
        try FileManager.default.createDirectory(atPath: fresh + "/web-tls", withIntermediateDirectories: true)
        for (name, mode) in [("genmon.sqlite", 0o644), ("genmon.sqlite-wal", 0o664), ("web-tls/key.pem", 0o640), ("ok", 0o600)] {
            FileManager.default.createFile(atPath: fresh + "/" + name, contents: Data("x".utf8), attributes: [.posixPermissions: mode])
            chmod(fresh + "/" + name, mode_t(mode))
        }
        chmod(fresh, 0o755)
        chmod(fresh + "/web-tls", 0o755)
        let (repaired, notOwned) = try PrivateDirectory.secure(fresh)
        #expect(notOwned.isEmpty)
        #expect(Set(repaired.map { ($0.path as NSString).lastPathComponent }) == ["data", "web-tls", "genmon.sqlite", "genmon.sqlite-wal", "key.pem"])
        for name in ["", "/web-tls"] { #expect(try Self.mode(fresh + name) == 0o700) }
        for name in ["genmon.sqlite", "genmon.sqlite-wal", "web-tls/key.pem", "ok"] { #expect(try Self.mode(fresh + "/" + name) == 0o600, "\(name)") }
        #expect(repaired.first { $0.path.hasSuffix("genmon.sqlite") }?.description.hasSuffix("(0644 → 0600)") == true)
        #expect(try PrivateDirectory.secure(fresh).repaired.isEmpty, "nothing left to repair")
        FileManager.default.createFile(atPath: base + "/file", contents: nil)
        #expect(throws: PrivateDirectory.Failure.notADirectory(path: base + "/file")) { try PrivateDirectory.secure(base + "/file") }
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }
}
