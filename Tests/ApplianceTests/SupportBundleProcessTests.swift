import Foundation
import GenmonTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("genmon support-bundle end to end", .serialized,
       .enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier,
       .timeLimit(.minutes(5)))
struct SupportBundleProcessTests {
    static let secrets = ["hunter2-mail-pw", "mqtt-secret-77", "AC5ecretSid", "tok3n-abcdef"]

    /// A configuration folder with secrets in it.
    static func writeSecrets(_ fixture: ApplianceFixture) throws {
        try """
            [MyMail]
            email_account = owner@example.com
            email_pw = \(secrets[0])
            smtp_server = smtp.example.com
            disableemail = true
            """.write(toFile: fixture.directory + "/mymail.conf", atomically: true, encoding: .utf8)
        try """
            [genmqtt]
            mqtt_address = 127.0.0.1
            password = \(secrets[1])
            """.write(toFile: fixture.directory + "/genmqtt.conf", atomically: true, encoding: .utf8)
        try """
            [gensms]
            account_sid = \(secrets[2])
            auth_token = \(secrets[3])
            """.write(toFile: fixture.directory + "/gensms.conf", atomically: true, encoding: .utf8)
    }

    /// Unpacks `bundle` and returns every file's text by name.
    static func unpack(_ bundle: String, into folder: String) async throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await ProcessRunner.check("tar", ["xzf", bundle, "-C", folder])
        var files: [String: String] = [:]
        for case let name as String in FileManager.default.enumerator(atPath: folder)! {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[(name as NSString).lastPathComponent] = String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)), as: UTF8.self)
        }
        return files
    }

    /// Serves `dump` with `genmon simulate --dump` and reads the product code back through it.
    static func replay(_ dump: String) async throws -> String {
        let simulator = try await GenmonExecutable.start(["simulate", "--dump", dump, "--rtu-tcp", "0", "--no-pacing"])
        let printed = try await simulator.waitForOutput("serving register dump", timeout: .seconds(20))
        let address = try #require(ApplianceFixture.word(after: " on ", in: printed.components(separatedBy: "serving register dump").last ?? ""))
        let (read, _) = try await GenmonExecutable.run(["modbus", "read", "--tcp", address, "0000", "1"])
        _ = await simulator.stop()
        return read
    }

    @Test("without a running genmon: the controller is read here; no secret appears; the dump replays in the simulator")
    func standalone() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator()
        try fixture.writeConfig()
        try Self.writeSecrets(fixture)
        let bundle = fixture.directory + "/bundle.tar.gz"
        let (output, status) = try await GenmonExecutable.run(["support-bundle", "--config", fixture.configPath, "--output", bundle,
                                                               "--controller-seconds", "90"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("the controller read here (genmon was not running)"), "\(output)")
        let files = try await Self.unpack(bundle, into: fixture.directory + "/unpacked")
        for name in ["versions.txt", "genmon.conf", "mymail.conf", "genmqtt.conf", "gensms.conf", "registers.json", "status.txt", "monitor.json",
                     "logs.txt", "events.txt", "journal.txt", "README.txt"] {
            #expect(files[name] != nil, "no \(name) in \(files.keys.sorted())")
        }
        for (name, text) in files {
            for secret in Self.secrets { #expect(!text.contains(secret), "\(secret) in \(name)") }
        }
        #expect(files["mymail.conf"]?.contains("email_pw = ********") == true)
        #expect(files["registers.json"]?.contains("\"format\": \"genmon-register-dump/1\"") == true)
        #expect(files["registers.json"]?.contains("\"complete\": true") == true)
        let dump = fixture.directory + "/unpacked/replay.json"
        try #require(files["registers.json"]).write(toFile: dump, atomically: true, encoding: .utf8)
        let read = try await Self.replay(dump)
        #expect(read.hasPrefix("0000: "), "\(read)")
        await fixture.cleanUp()
    }

    @Test("with genmon running: registers and statistics come from it over the command socket")
    func fromRunningGenmon() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator()
        let socketPort = try LoopbackPort.free()
        try fixture.writeConfig("server_port = \(socketPort)")
        try Self.writeSecrets(fixture)
        let genmon = try await GenmonExecutable.start(["run", "--config", fixture.configPath, "--no-web"])
        _ = try await genmon.waitForOutput("complete status after", timeout: .seconds(60))
        let bundle = fixture.directory + "/running.tar.gz"
        let (output, status) = try await GenmonExecutable.run(["support-bundle", "--config", fixture.configPath, "--output", bundle])
        #expect(status == 0, "\(output)")
        #expect(output.contains("from the running genmon"), "\(output)")
        let files = try await Self.unpack(bundle, into: fixture.directory + "/unpacked")
        #expect(files["monitor.json"]?.contains("\"Packet Count\"") == true)
        #expect(files["status.txt"]?.contains("Engine State") == true, "\(files["status.txt"] ?? "")")
        for (name, text) in files {
            for secret in Self.secrets { #expect(!text.contains(secret), "\(secret) in \(name)") }
        }
        let dump = fixture.directory + "/unpacked/replay.json"
        try #require(files["registers.json"]).write(toFile: dump, atomically: true, encoding: .utf8)
        #expect(try await Self.replay(dump).hasPrefix("0000: "))
        genmon.signal(SIGTERM)
        _ = await genmon.waitForExit(timeout: .seconds(30))
        await fixture.cleanUp()
    }
}
