import Foundation
import GenmonTesting
import LegacyProtocol
import Monitor
import Store
import Testing

extension WebTestSuite {
    /// The web app and the socket of `genmon run` against hostile or unlucky clients: parallel
    /// password guesses, a rebinding page's Host, a 10 MB line, a clock setting, a noisy wire.
    @Suite(.enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"),
           .enabled(if: WebServerTests.curl != nil, "curl is not installed"), .tags(.process), .slowTier, .timeLimit(.minutes(3)), .serialized)
    struct WebProcessTests {
        /// Creates an admin token with `genmon token add` in genmon's data directory.
        static func adminToken(_ genmon: GenmonUnderTest) async throws -> String {
            let result = try await GenmonExecutable.run(["token", "add", "--data-dir", genmon.dataDirectory, "--admin", "test-\(UUID().uuidString.prefix(6))"])
            return try #require(result.output.split(separator: "\n").last.map(String.init), "\(result.output)")
        }

        @Test("30 parallel wrong passwords: at most 5 are evaluated, and the right one is then refused too")
        func parallelSignIns() async throws {
            let genmon = try await GenmonUnderTest()
            defer { Task { await genmon.cleanUp() } }
            _ = try await GenmonExecutable.run(["user", "add", "--data-dir", genmon.dataDirectory, "--admin", "alice"], input: "alice-password-1\n")
            let url = "http://127.0.0.1:\(genmon.webPort)/api/v1/session"
            var arguments = ["--parallel", "--parallel-immediate", "--parallel-max", "30"]
            for index in 0..<30 {
                arguments += ["--no-progress-meter", "-o", "/dev/null", "-w", "%{http_code}\\n", "-H", "Content-Type: application/json",
                              "--data", #"{"username":"alice","password":"wrong-\#(index)"}"#, url]
                if index < 29 { arguments.append("--next") }
            }
            let codes = try await WebServerTests.curl(arguments).split(separator: "\n").map(String.init).filter { $0.count == 3 && $0.allSatisfy(\.isNumber) }
            #expect(codes.count == 30, "\(codes)")
            #expect(codes.filter { $0 == "401" }.count <= 5, "evaluated: \(codes)")
            #expect(codes.allSatisfy { $0 == "401" || $0 == "429" }, "\(codes)")
            let right = try await WebServerTests.curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                                                       "--data", #"{"username":"alice","password":"alice-password-1"}"#, url])
            #expect(right == "429")
        }

        @Test("a request addressed to another name (DNS rebinding) gets 421; this machine's names are served")
        func hostCheck() async throws {
            let genmon = try await GenmonUnderTest(config: "http_host_names = generator.example.org")
            defer { Task { await genmon.cleanUp() } }
            let base = "http://127.0.0.1:\(genmon.webPort)"
            let rebound = try await WebServerTests.curl(["-i", "-H", "Host: attacker.example:\(genmon.webPort)", "-H", "Content-Type: application/json",
                                                         "--data", #"{"username":"a","password":"b"}"#, base + "/api/v1/session"])
            #expect(rebound.hasPrefix("HTTP/1.1 421"), "\(rebound.prefix(300))")
            for host in ["localhost:\(genmon.webPort)", "generator.example.org", "127.0.0.1:\(genmon.webPort)"] {
                let served = try await WebServerTests.curl(["-i", "-H", "Host: \(host)", base + "/healthz"])
                #expect(served.hasPrefix("HTTP/1.1 200"), "\(host): \(served.prefix(200))")
            }
        }

        @Test("a 10 MB line sent whole to the socket gets the documented refusal, not a reset")
        func hugeSocketLine() async throws {
            let genmon = try await GenmonUnderTest()
            defer { Task { await genmon.cleanUp() } }
            let client = try await BlockingCommandClient.connect(port: genmon.socketPort)
            let line = [UInt8]("generator: ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + [0x0A]
            let reply = try await BlockingCommandClient.onThread { try client.sendAllThenRead(line) }
            #expect(reply.contains("request longer than 65536 bytes"), "\(reply.suffix(300))")
            let next = try await LegacyClient.connect(host: "127.0.0.1", port: genmon.socketPort)
            #expect(try await next.command("getbase") == "READY")
            await next.close()
        }

        @Test("setting the clock from the web answers at once with pending; the outcome follows in the audit log")
        func setTimeAnswersAtOnce() async throws {
            let genmon = try await GenmonUnderTest()
            defer { Task { await genmon.cleanUp() } }
            let token = try await Self.adminToken(genmon)
            let started = ContinuousClock.now
            let answer = try await WebServerTests.curl(["-i", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                                        "--data", #"{"command":"setTime"}"#, "http://127.0.0.1:\(genmon.webPort)/api/v1/commands"])
            #expect(started.duration(to: .now) < .seconds(3), "held the request \(started.duration(to: .now))")
            #expect(answer.hasPrefix("HTTP/1.1 202"), "\(answer.prefix(300))")
            #expect(answer.contains(#""result":"pending""#) || answer.contains(#""result" : "pending""#), "\(answer)")
            try await genmon.process.waitForOutput("command settime from ", timeout: .seconds(75))
            #expect(await genmon.stop()?.status == 0)
            let audits = try await GenmonDatabase(path: genmon.dataDirectory + "/genmon.sqlite").audits().map(\.record)
            #expect(audits.contains { $0.command == "settime" && $0.result == .confirmed }, "\(audits)")
        }

        @Test("on a corrupted wire (simctl faults) after a remote start, no value is shown as current when it is old: the API gives ages and marks, health says so")
        func noisyWireAfterRemoteStart() async throws {
            let genmon = try await GenmonUnderTest(speed: 4)
            defer { Task { await genmon.cleanUp() } }
            let token = try await Self.adminToken(genmon)
            await genmon.sim("faults crc=0.3 drop=0.05 garbage=0.05 seed=3")
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: genmon.socketPort)
            _ = try await client.command("setremote=start")
            await client.close()
            var problems: [String] = []
            var runningAt: ContinuousClock.Instant?, speedAt: ContinuousClock.Instant?
            var timeline: [String] = []
            let started = ContinuousClock.now
            let end = ContinuousClock.now + .seconds(40)
            while ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(250))
                let body = try await WebServerTests.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(genmon.webPort)/api/v1/status"])
                guard let status = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                      let readings = status["readings"] as? [String: [String: Any]], status["initialized"] as? Bool == true else { continue }
                let health = status["health"] as? String ?? ""
                var anyStale = false
                for (name, reading) in readings {
                    let age = reading["age"] as? Double ?? 0, refresh = reading["expectedRefresh"] as? Double ?? 1
                    let stale = reading["stale"] as? Bool ?? false
                    anyStale = anyStale || stale
                    // Published at least once a second: a value may be a second older than its mark says.
                    if !stale, age > refresh * 3 + 1.5 { problems.append("\(name) \(age) s old, refresh \(refresh) s, not marked") }
                }
                if anyStale, status["controllerAnswering"] as? Bool == true, health == "OK" { problems.append("stale values but health OK") }
                let engine = status["engine"] as? [String: Any]
                timeline.append(String(format: "%.1f ", started.duration(to: .now).seconds) + "\(status["engineState"] ?? "-") rpm=\((engine?["rpm"] as? [String: Any])?["value"] ?? "-") age=\(readings["rpm"]?["age"] ?? "-")")
                if status["engineState"] as? String == "Running", runningAt == nil { runningAt = .now }
                if runningAt != nil, speedAt == nil, let rpm = (engine?["rpm"] as? [String: Any])?["value"] as? Double, rpm > 1000 { speedAt = .now }
            }
            #expect(problems.isEmpty, "\(problems.prefix(8))")
            let running = try #require(runningAt, "the engine never read Running")
            let speed = try #require(speedAt, "the engine speed never followed")
            #expect(running.duration(to: speed) < .seconds(8), "the engine speed followed \(running.duration(to: speed)) after Running: \(timeline.joined(separator: "; "))")
            let socket = try await LegacyClient.connect(host: "127.0.0.1", port: genmon.socketPort)
            let health = try await socket.command("gethealth")
            #expect(health == "OK" || health.contains("Stale readings"), "\(health)")
            await socket.close()
        }
    }
}
