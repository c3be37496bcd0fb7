import Foundation
import GenmonTesting
import LegacyProtocol
import Monitor
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension WebTestSuite {
    /// `genmon run` across crashes, with its files, its configuration and its sign-in, seen from outside.
    @Suite(.enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier,
           .timeLimit(.minutes(3)), .serialized)
    struct RecoveryProcessTests {
        @Test("killed in the middle of an outage and restarted, genmon keeps the outage's real start")
        func killedDuringOutage() async throws {
            let genmon = try await GenmonUnderTest()
            defer { Task { await genmon.cleanUp() } }
            let off = Date()
            await genmon.sim("utility off")
            try await genmon.process.waitForOutput("Utility power lost", timeout: .seconds(20))
            try await Task.sleep(for: .seconds(4))
            await genmon.kill9()
            try await Task.sleep(for: .seconds(2))
            try await genmon.restart()
            try await Task.sleep(for: .seconds(3))
            await genmon.sim("utility on")
            try await genmon.process.waitForOutput("Utility power restored after", timeout: .seconds(20))
            #expect(await genmon.stop()?.status == 0)
            let outages = try await GenmonDatabase(path: genmon.dataDirectory + "/genmon.sqlite").outages(limit: 10)
            let outage = try #require(outages.first)
            #expect(outages.count == 1)
            #expect(abs(outage.start.timeIntervalSince(off)) < 2, "started \(outage.start), the utility went off at \(off)")
            #expect(outage.duration > 8, "\(outage.duration) s: not counted from the restart")
            #expect(outage.unobservedFrom == nil)
        }

        @Test("the utility comes back while genmon is down: the outage is written at the first reading after the restart, marked, and the event says so")
        func utilityReturnsWhileDown() async throws {
            let genmon = try await GenmonUnderTest()
            defer { Task { await genmon.cleanUp() } }
            let off = Date()
            await genmon.sim("utility off")
            try await genmon.process.waitForOutput("Utility power lost", timeout: .seconds(20))
            // The event is printed as the outage is queued for the database: give the write its moment.
            try await Task.sleep(for: .seconds(1))
            await genmon.kill9()
            let killed = Date()
            await genmon.sim("utility on")
            try await Task.sleep(for: .seconds(2))
            try await genmon.restart()
            try await genmon.process.waitForOutput("while genmon was not running", timeout: .seconds(20))
            #expect(await genmon.stop()?.status == 0)
            let outage = try #require(try await GenmonDatabase(path: genmon.dataDirectory + "/genmon.sqlite").outages(limit: 10).first)
            #expect(abs(outage.start.timeIntervalSince(off)) < 2)
            let unobserved = try #require(outage.unobservedFrom)
            #expect(unobserved <= killed && unobserved >= outage.start)
            #expect(outage.end > killed.addingTimeInterval(2))
        }

        @Test("everything genmon creates in its data directory is private: 0700 directory, 0600 files with their WAL, repaired with a log line")
        func privateFiles() async throws {
            let genmon = try await GenmonUnderTest(waitForStatus: false)
            defer { Task { await genmon.cleanUp() } }
            try await genmon.waitUntilReady()
            _ = try await GenmonExecutable.run(["user", "add", "--data-dir", genmon.dataDirectory, "--admin", "alice"], input: "alice-password-1\n")
            let entries = try FileManager.default.contentsOfDirectory(atPath: genmon.dataDirectory)
            #expect(Set(entries).isSuperset(of: ["genmon.sqlite", "genmon.sqlite-wal", "genmon.sqlite-shm", "accounts.sqlite"]), "\(entries)")
            #expect(try Self.mode(genmon.dataDirectory) == 0o700)
            for entry in entries { #expect(try Self.mode(genmon.dataDirectory + "/" + entry) & 0o077 == 0, "\(entry) is readable by others") }
            #expect(await genmon.stop()?.status == 0)
            // Files left readable (an older genmon, a restore): repaired at the next start, and said so.
            chmod(genmon.dataDirectory, 0o755)
            chmod(genmon.dataDirectory + "/genmon.sqlite", 0o644)
            chmod(genmon.dataDirectory + "/accounts.sqlite", 0o644)
            try await genmon.restart()
            #expect(genmon.process.output.contains("readable by genmon's user only"))
            #expect(genmon.process.output.contains("genmon.sqlite (0644 → 0600)"))
            #expect(try Self.mode(genmon.dataDirectory) == 0o700)
            for entry in try FileManager.default.contentsOfDirectory(atPath: genmon.dataDirectory) {
                #expect(try Self.mode(genmon.dataDirectory + "/" + entry) & 0o077 == 0, "\(entry) is readable by others")
            }
        }

        static func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
        }

        @Test("a genmon.conf saved on Windows (CRLF, byte-order mark) starts genmon; a key given twice is warned about with both lines")
        func windowsConfig() async throws {
            let genmon = try await GenmonUnderTest(config: "sitename = First\nsitename = Cabin", waitForStatus: false)
            defer { Task { await genmon.cleanUp() } }
            await genmon.kill9()
            let text = try String(contentsOfFile: genmon.configPath, encoding: .utf8)
            try Data([0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)).write(to: URL(fileURLWithPath: genmon.configPath))
            try await genmon.restart()
            let output = genmon.process.output
            #expect(output.contains("genmon.conf:5: sitename in [GenMon] is also set on line 4; the value on line 5 is used"), "\(output.prefix(800))")
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: genmon.socketPort)
            #expect(try await client.command("getsitename") == "Cabin")
            await client.close()
        }

        @Test("a bad socket_control_allow entry stops genmon at once with the file, the line and the key")
        func badAllowList() async throws {
            let directory = WebServerTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try "[GenMon]\nsitename = x\nsocket_control_allow = 192.168.1.0/24, 10.0.0/8\n".write(toFile: directory + "/genmon.conf", atomically: true, encoding: .utf8)
            let result = try await GenmonExecutable.run(["run", "--config", directory + "/genmon.conf", "--data-dir", directory, "--device", "/dev/null"])
            #expect(result.status != 0)
            #expect(result.output.contains(directory + "/genmon.conf:3: socket_control_allow: '10.0.0/8' is not an IP address or CIDR block"), "\(result.output)")
        }

        @Test("--tcp to a port nobody listens on says which host and port, and what to check")
        func deadBridge() async throws {
            let dead = try RefusingPort()
            let directory = WebServerTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let genmon = try await GenmonExecutable.start(["run", "--tcp", "127.0.0.1:\(dead.port)", "--data-dir", directory, "--no-web", "--socket-port", "0"])
            let printed = try await genmon.waitForOutput("serial_tcp_port", timeout: .seconds(15))
            #expect(printed.contains("127.0.0.1:\(dead.port)"))
            #expect(printed.contains("nothing accepts connections on port \(dead.port)"), "\(printed)")
            genmon.signal(SIGTERM)
            _ = await genmon.waitForExit(timeout: .seconds(10))
        }
    }
}
