import Foundation
import GenmonTesting
import LegacyProtocol
import Monitor
import Store
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension WebTestSuite {
    /// `genmon run` under a hostile neighbour: a flood of refused commands from the LAN, idle
    /// connections by the hundred, half-open web connections under a small open-files limit.
    @Suite(.enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier,
           .timeLimit(.minutes(4)), .serialized)
    struct LoadProcessTests {
        @Test("a stranger flooding refused commands from the LAN costs nothing that matters: the outage, its events, the transfer and a local command's audit are stored; refusals are one row a minute; the log stays small",
              .enabled(if: PrivateNetwork.isAvailable, "\(PrivateNetwork.unavailableReason ?? "")"))
        func refusedFloodFromTheLAN() async throws {
            let genmon = try await GenmonUnderTest(config: "genmon_server_address = 0.0.0.0", wrapping: .privateNetwork, speed: 10)
            defer { Task { await genmon.cleanUp() } }
            let stranger = try await BlockingCommandClient.connect(inNetworkOf: genmon.pid, from: PrivateNetwork.strangerAddress,
                                                                   to: PrivateNetwork.strangerAddress, port: genmon.socketPort)
            let local = try await BlockingCommandClient.connect(inNetworkOf: genmon.pid, port: genmon.socketPort)
            let answered = Atomic<Int>(0), stop = Atomic<Bool>(false)
            let floodStart = ContinuousClock.now
            let flood = Task.detached {
                try await BlockingCommandClient.onThread {
                    while !stop.load(ordering: .relaxed) {
                        let reply = try stranger.command("setremote=start")
                        guard reply.contains("refused") else { throw PrivateNetwork.Failure(description: "not refused: \(reply)") }
                        answered.add(1, ordering: .relaxed)
                    }
                }
            }
            await genmon.sim("utility off")
            try await genmon.process.waitForOutput("Utility power lost", timeout: .seconds(30))
            try await genmon.process.waitForOutput("Transfer switch: load on Generator", timeout: .seconds(60))
            let quiet = try await BlockingCommandClient.onThread { try local.command("setquiet=on") }
            #expect(!quiet.contains("refused"), "\(quiet)")
            await genmon.sim("utility on")
            try await genmon.process.waitForOutput("Utility power restored", timeout: .seconds(60))
            try await genmon.process.waitForOutput("Transfer switch: load on Utility", timeout: .seconds(60))
            // Flooding on past a minute: the refusals of one window, then the next.
            try await Task.sleep(until: floodStart + .seconds(70))
            stop.store(true, ordering: .relaxed)
            try await flood.value
            let attempts = answered.load(ordering: .relaxed)
            #expect(await genmon.stop()?.status == 0)

            let database = try GenmonDatabase(path: genmon.dataDirectory + "/genmon.sqlite")
            #expect(try await database.outages(limit: 10).count == 1)
            let events = try await database.events(limit: 10_000).map(\.record)
            for name in ["outage_started", "outage_ended", "transfer_switch_changed", "engine_state_changed"] {
                #expect(events.contains { $0.name == name }, "no \(name) event stored")
            }
            let audits = try await database.audits(limit: 10_000).map(\.record)
            #expect(audits.contains { $0.command == "setquiet=on" && $0.origin.principal == "127.0.0.1" && $0.result != .refused })
            let refused = audits.filter { $0.origin.principal == PrivateNetwork.strangerAddress }
            #expect(refused.count == 2, "\(refused.count) refusal rows for one stranger over 70 s: one per minute")
            let counted = refused.map { RefusalCount.parse($0.message) }.reduce(0, +)
            #expect(counted == attempts, "stored \(counted) refusals, the stranger was answered \(attempts) times")
            // Slowed to about one a second after a burst: the stranger cannot make genmon work hard.
            #expect(attempts >= 40 && attempts <= 100, "the stranger was answered \(attempts) times in 70 s")
            #expect(genmon.process.output.utf8.count < 100_000, "printed \(genmon.process.output.utf8.count) bytes")
        }

        @Test("300 idle connections from 20 strangers lock nobody out: loopback tools and a new stranger are answered",
              .enabled(if: PrivateNetwork.isAvailable, "\(PrivateNetwork.unavailableReason ?? "")"))
        func idleConnectionsLockNobodyOut() async throws {
            let genmon = try await GenmonUnderTest(config: "genmon_server_address = 0.0.0.0", wrapping: .privateNetwork)
            defer { Task { await genmon.cleanUp() } }
            var idle: [Int32] = []
            for (index, address) in PrivateNetwork.moreStrangers.enumerated() where index < 19 {
                for _ in 0..<16 {
                    idle.append(try await PrivateNetwork.connect(inNetworkOf: genmon.pid, from: address, to: address, port: genmon.socketPort))
                }
            }
            defer { for fd in idle { close(fd) } }
            try await Task.sleep(for: .milliseconds(500))
            for _ in 0..<3 {
                let local = try await BlockingCommandClient.connect(inNetworkOf: genmon.pid, port: genmon.socketPort)
                #expect(try await BlockingCommandClient.onThread { try local.command("getbase") } == "READYEndOfMessage")
            }
            let newcomer = try await BlockingCommandClient.connect(inNetworkOf: genmon.pid, from: PrivateNetwork.strangerAddress,
                                                                   to: PrivateNetwork.strangerAddress, port: genmon.socketPort)
            #expect(try await BlockingCommandClient.onThread { try newcomer.command("getbase") } == "READYEndOfMessage")
            #expect(genmon.openDescriptors < 300, "\(genmon.openDescriptors) descriptors open")
        }

        @Test("under ulimit -n 300, 950 half-open web connections neither crash genmon nor cut the controller, the database or the socket; they time out; the descriptors come back")
        func halfOpenConnectionsUnderAFileLimit() async throws {
            let genmon = try await GenmonUnderTest(wrapping: .fileLimit(300))
            defer { Task { await genmon.cleanUp() } }
            #expect(genmon.process.output.contains("only 300 open files allowed"))
            let baseline = genmon.openDescriptors
            let port = genmon.webPort
            let opened = try await BlockingCommandClient.onThread { HalfOpen.open(950, port: port) }
            defer { for fd in opened { close(fd) } }
            #expect(opened.count == 950)
            try await Task.sleep(for: .seconds(2))
            #expect(genmon.process.termination == nil, "genmon died: \(genmon.process.output.suffix(2000))")
            #expect(genmon.openDescriptors < 300)
            // The controller, the database and the socket work on.
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: genmon.socketPort)
            _ = try await client.command("setquiet=on")
            #expect(try await client.command("gethealth") == "OK")
            await client.close()
            // The server answered the excess 503 or closed it, and times the rest out.
            try await Task.sleep(for: .seconds(17))
            let probe = try await WebServerTests.curl(["-i", "http://127.0.0.1:\(port)/healthz"])
            #expect(probe.hasPrefix("HTTP/1.1 200"), "\(probe.prefix(200))")
            #expect(genmon.openDescriptors <= baseline + 10, "\(genmon.openDescriptors) open after, \(baseline) before")
            #expect(genmon.process.termination == nil)
            #expect(await genmon.stop()?.status == 0)
            let database = try GenmonDatabase(path: genmon.dataDirectory + "/genmon.sqlite")
            #expect(try await database.audits().contains { $0.record.command == "setquiet=on" })
        }

        @Test("at the web connection cap newcomers get a polite 503, and 5,000 connections opened and closed give their memory back")
        func webCapAndMemory() async throws {
            let genmon = try await GenmonUnderTest(config: "http_max_connections = 200", arguments: ["--memory-upkeep-seconds", "1"])
            defer { Task { await genmon.cleanUp() } }
            let port = genmon.webPort
            try await Task.sleep(for: .seconds(3))
            let baseline = genmon.residentBytes
            let held = try await BlockingCommandClient.onThread { HalfOpen.open(200, port: port) }
            try await Task.sleep(for: .milliseconds(500))
            let busy = try await WebServerTests.curl(["-i", "http://127.0.0.1:\(port)/healthz"])
            #expect(busy.hasPrefix("HTTP/1.1 503"), "\(busy.prefix(300))")
            #expect(busy.contains("Retry-After: 5") || busy.lowercased().contains("retry-after: 5"))
            for fd in held { close(fd) }
            for _ in 0..<25 {
                let batch = try await BlockingCommandClient.onThread { HalfOpen.open(200, port: port, request: "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n") }
                try await Task.sleep(for: .milliseconds(100))
                for fd in batch { close(fd) }
            }
            try await Task.sleep(for: .seconds(4))
            let after = genmon.residentBytes
            #expect(after < baseline + 48 << 20, "resident \(after >> 20) MiB after, \(baseline >> 20) MiB before")
            #expect(try await WebServerTests.curl(["-i", "http://127.0.0.1:\(port)/healthz"]).hasPrefix("HTTP/1.1 200"))
        }
    }
}

/// Reads the count of an aggregated refusal row ("refused 4,812 × …"); a single refusal counts one.
enum RefusalCount {
    static func parse(_ message: String) -> Int {
        guard message.hasPrefix("refused "), let end = message.firstIndex(of: "×") else { return 1 }
        return Int(message.dropFirst("refused ".count)[..<end].filter(\.isNumber)) ?? 0
    }
}

/// Connections that send a partial request (or `request`) and then nothing.
enum HalfOpen {
    static func open(_ count: Int, port: Int, request: String = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n") -> [Int32] {
        var descriptors: [Int32] = []
        for _ in 0..<count {
            guard let fd = try? PrivateNetwork.connectBlocking(pid: nil, source: nil, host: "127.0.0.1", port: port, timeout: .seconds(5)) else { continue }
            _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            descriptors.append(fd)
        }
        return descriptors
    }
}
