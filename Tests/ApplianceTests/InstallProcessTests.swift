import Foundation
import GenmonTesting
import Testing

@Suite("genmon install end to end: a staging tree systemd accepts", .serialized,
       .enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier,
       .timeLimit(.minutes(3)))
struct InstallProcessTests {
    @Test("install --root writes the binary, the config, the data folder and a unit systemd-analyze verifies and rates 2.0 or better")
    func stagedInstall() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-root-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (output, status) = try await GenmonExecutable.run(["install", "--root", root])
        #expect(status == 0, "\(output)")
        #expect(output.contains("skipped in a staging tree: systemctl enable genmon.service"))
        #expect(FileManager.default.isExecutableFile(atPath: root + "/usr/local/bin/genmon"))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/genmon/genmon.conf"))
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/genmon"))
        let unitPath = root + "/etc/systemd/system/genmon.service"
        let unit = try String(contentsOfFile: unitPath, encoding: .utf8)

        // verify needs ExecStart's binary to exist: a copy of the unit that starts the staged one.
        let copy = root + "/genmon.service"
        try unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/genmon", with: "ExecStart=\(root)/usr/local/bin/genmon")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let (verified, verifyStatus) = try await ProcessRunner.run("systemd-analyze", ["verify", copy])
        #expect(verifyStatus == 0, "\(verified)")
        #expect(!verified.contains("Unknown"), "\(verified)")
        let (security, _) = try await ProcessRunner.run("systemd-analyze", ["security", "--offline=true", "--no-pager", copy])
        let exposure = try #require(Self.exposure(security), "\(security)")
        #expect(exposure <= 2.0, "\(security)")

        // Again, as an upgrade: the edited genmon.conf stays.
        try "[GenMon]\nsitename = Shed\n".write(toFile: root + "/etc/genmon/genmon.conf", atomically: true, encoding: .utf8)
        let (again, againStatus) = try await GenmonExecutable.run(["install", "--root", root])
        #expect(againStatus == 0, "\(again)")
        #expect(again.contains("keep /etc/genmon/genmon.conf"))
        #expect(try String(contentsOfFile: root + "/etc/genmon/genmon.conf", encoding: .utf8) == "[GenMon]\nsitename = Shed\n")

        let (removed, removeStatus) = try await GenmonExecutable.run(["uninstall", "--root", root])
        #expect(removeStatus == 0, "\(removed)")
        #expect(!FileManager.default.fileExists(atPath: unitPath))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/genmon/genmon.conf"))
    }

    @Test("--dry-run prints every step and the unit, and writes nothing")
    func dryRun() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-dry-\(UUID().uuidString)").path
        let (output, status) = try await GenmonExecutable.run(["install", "--dry-run", "--root", root])
        #expect(status == 0, "\(output)")
        #expect(output.contains("install ") && output.contains("-> /usr/local/bin/genmon"))
        #expect(output.contains("systemctl restart genmon.service"))
        #expect(output.contains("Type=notify"))
        #expect(!FileManager.default.fileExists(atPath: root))
        let (removal, _) = try await GenmonExecutable.run(["uninstall", "--dry-run", "--purge"])
        #expect(removal.contains("rm -r /var/lib/genmon") && removal.contains("userdel genmon"))
    }

    /// "→ Overall exposure level for genmon.service: 1.6 OK"
    static func exposure(_ text: String) -> Double? {
        guard let range = text.range(of: "Overall exposure level for ") else { return nil }
        let rest = text[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        return Double(rest[rest.index(after: colon)...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "." })
    }
}
