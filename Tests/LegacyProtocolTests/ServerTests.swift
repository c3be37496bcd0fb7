import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import NIOCore
import NIOPosix
import Testing

/// A bare TCP client for misbehaving on purpose: raw bytes, half-closing, not reading.
final class RawClient: Sendable {
    let channel: any Channel
    let collector: NIOLoopBound<ReplyCollector>

    init(host: String = "127.0.0.1", port: Int, bindTo local: String? = nil) async throws {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ReplyCollector()) }
            }
        if let local { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: local, port: 0)) }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        self.channel = channel
        collector = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ReplyCollector.self), eventLoop: channel.eventLoop)
        }.get()
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Waits until the buffered bytes contain `count` occurrences of `marker`, returns them all.
    func read(untilCount count: Int = 1, of marker: String = "EndOfMessage", timeout: Duration = .seconds(10)) async throws -> String {
        let marker = Array(marker.utf8)
        let bytes = try await collector.eventLoop.flatSubmit { [collector] in
            collector.value.wait(timeout: TimeAmount(timeout), complete: { buffer in
                var found = 0, from = buffer.startIndex
                while let range = buffer[from...].firstRange(of: marker) {
                    found += 1
                    from = range.upperBound
                    if found == count { return from }
                }
                return nil
            }, eventLoop: collector.eventLoop)
        }.get()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The greeting: whatever arrives first.
    func readGreeting() async throws -> String {
        let bytes = try await collector.eventLoop.flatSubmit { [collector] in
            collector.value.wait(timeout: .seconds(5), complete: { $0.isEmpty ? nil : $0.count }, eventLoop: collector.eventLoop)
        }.get()
        return String(decoding: bytes, as: UTF8.self)
    }

    func halfClose() async throws { try await channel.close(mode: .output).get() }

    /// True once the server has closed the connection (its side, at least).
    func waitUntilClosed(timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await isClosed() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await isClosed()
    }

    private func isClosed() async -> Bool {
        guard channel.isActive else { return true }
        return (try? await collector.eventLoop.submit { [collector] in collector.value.isClosed }.get()) ?? true
    }

    func close() async { try? await channel.close() }
}

/// A server on an OS-chosen port for one test.
func withServer<T>(_ snapshot: GeneratorSnapshot? = nil, configuration: LegacyCommandServer.Configuration = .init(port: 0),
                   _ body: (LegacyCommandServer, FixedGeneratorService) async throws -> T) async throws -> T {
    let service = FixedGeneratorService(snapshot: try snapshot ?? Fixture.evolutionAC.snapshot())
    var configuration = configuration
    configuration.port = 0
    let server = try await LegacyCommandServer.start(dispatcher: makeDispatcher(service), configuration: configuration)
    do {
        let result = try await body(server, service)
        await server.close()
        return result
    } catch {
        await server.close()
        throw error
    }
}

@Suite("Command server over real sockets", .serialized)
struct ServerTests {
    @Test("a client gets the greeting, then one reply per request, terminated")
    func greetingAndReplies() async throws {
        try await withServer { server, _ in
            #expect(server.port > 0)
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            #expect(client.greeting == "OK : Auto, Off - Ready")
            #expect(try await client.command("getbase getsitename gethealth") == "READYTestSiteOK")
            let json = try await client.command("generator: status_json")
            #expect(try JSONParser.parse(json)["Status"] != nil)
            #expect(try await client.request("status").hasPrefix("Invalid GENERATOR command:"))
            #expect(try await client.command("getbase") == "READY")
            await client.close()
        }
    }

    @Test("the server listens on loopback unless told otherwise")
    func loopbackByDefault() {
        #expect(LegacyCommandServer.Configuration().host == "127.0.0.1")
        #expect(LegacyCommandServer.Configuration().port == 9082)
        #expect(LegacyCommandServer.Configuration().idleTimeout == .minutes(30), "long past the original's clients' polling")
    }

    @Test("fifty clients at once each get their own correct replies")
    func manyClients() async throws {
        try await withServer(try Fixture.nexusLC.snapshot()) { server, _ in
            let port = server.port
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let client = try await LegacyClient.connect(host: "127.0.0.1", port: port)
                        defer { Task { await client.close() } }
                        var good = 0
                        for round in 0..<10 {
                            let reply = (index + round).isMultiple(of: 2)
                                ? try await client.command("getbase gethealth") : try await client.command("outage_json")
                            if reply == "RUNNINGOK" || (try? JSONParser.parse(reply))?["Outage"] != nil { good += 1 }
                        }
                        return good
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.count == 50)
            #expect(results.allSatisfy { $0 == 10 })
        }
    }

    @Test("garbage gets the error reply and the connection keeps working")
    func garbage() async throws {
        try await withServer { server, _ in
            let raw = try await RawClient(port: server.port)
            _ = try await raw.readGreeting()
            try await raw.send([0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28, 0x0A])
            #expect(try await raw.read().hasPrefix("Invalid GENERATOR command:"))
            try await raw.send("generator: getbase")
            #expect(try await raw.read() == "READYEndOfMessage")
            await raw.close()
        }
    }

    @Test("an oversized request is refused with an error and the connection closed")
    func hugeRequest() async throws {
        try await withServer { server, _ in
            let raw = try await RawClient(port: server.port)
            _ = try await raw.readGreeting()
            // An argument that never closes its bracket, well past the 64 KiB cap.
            try await raw.send("generator: set_sensor_data=[" + String(repeating: "x", count: 100_000))
            let reply = try await raw.read()
            #expect(reply.hasPrefix("Invalid GENERATOR command: request longer than 65536 bytes."))
            #expect(await raw.waitUntilClosed())
            // The monitor is fine: the next client is served.
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            #expect(try await client.command("getbase") == "READY")
            await client.close()
        }
    }

    @Test("a client that half-closes after its request still gets the reply, then the close")
    func halfClosed() async throws {
        try await withServer { server, _ in
            let raw = try await RawClient(port: server.port)
            _ = try await raw.readGreeting()
            try await raw.send("generator: gethealth")
            try await raw.halfClose()
            #expect(try await raw.read() == "OKEndOfMessage")
            #expect(await raw.waitUntilClosed())

            // Half-closing in the middle of an unfinished request answers what was sent.
            let partial = try await RawClient(port: server.port)
            _ = try await partial.readGreeting()
            try await partial.send("generator: getba")
            try await partial.halfClose()
            #expect(try await partial.read() == "No valid command recognized.EndOfMessage")
            #expect(await partial.waitUntilClosed())
        }
    }

    @Test("a request split across reads is answered once, as one request")
    func splitRequest() async throws {
        // A quiet gap far longer than the pauses below, so a busy machine cannot stretch a pause past it.
        try await withServer(configuration: .init(port: 0, requestQuietGap: .seconds(2))) { server, _ in
            let raw = try await RawClient(port: server.port)
            _ = try await raw.readGreeting()
            try await raw.send("gener")
            try await Task.sleep(for: .milliseconds(60))
            try await raw.send("ator: getb")
            try await Task.sleep(for: .milliseconds(60))
            try await raw.send("ase gethealth")
            #expect(try await raw.read() == "READYOKEndOfMessage")
            // A fragment that never completes is answered after the quiet gap.
            try await raw.send("generator: getsiten")
            #expect(try await raw.read() == "No valid command recognized.EndOfMessage")
            await raw.close()
        }
    }

    @Test("newline-separated requests in one write are answered in turn")
    func pipelinedLines() async throws {
        try await withServer { server, _ in
            let raw = try await RawClient(port: server.port)
            _ = try await raw.readGreeting()
            try await raw.send("generator: getbase\ngenerator: gethealth\r\n\ngenerator: getsitename\n")
            #expect(try await raw.read(untilCount: 3) == "READYEndOfMessageOKEndOfMessageTestSiteEndOfMessage")
            await raw.close()
        }
    }

    @Test("a client that does not read cannot slow the others down, and gets everything once it reads")
    func slowReader() async throws {
        try await withServer { server, _ in
            let slow = try await RawClient(port: server.port)
            _ = try await slow.readGreeting()
            // About 100 × 9 kB of replies requested at once, none read for a while.
            try await slow.send(String(repeating: "generator: allregs\n", count: 100))
            let fast = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<50 { #expect(try await fast.command("getbase") == "READY") }
            #expect(start.duration(to: clock.now) < .seconds(5))
            let all = try await slow.read(untilCount: 100, timeout: .seconds(60))
            #expect(all.components(separatedBy: "EndOfMessage").count == 101)
            #expect(all.components(separatedBy: "\nRegisters : \n").count == 101)
            await fast.close()
            await slow.close()
        }
    }

    @Test("idle clients are kept for a long time by default; a configured idle timeout closes them")
    func idleConnections() async throws {
        try await withServer { server, _ in
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            try await Task.sleep(for: .milliseconds(1200))
            #expect(try await client.command("getbase") == "READY")
            await client.close()
        }
        try await withServer(configuration: .init(port: 0, idleTimeout: .milliseconds(300))) { server, _ in
            let raw = try await RawClient(port: server.port)
            _ = try await raw.readGreeting()
            #expect(server.connectionCount == 1)
            // Judged on the server's side: when another test spawns a process (Chromium, curl) at
            // that moment, the child inherits the accepted socket (SwiftNIO does not mark it
            // close-on-exec) and the client sees the close only when that child exits.
            let deadline = ContinuousClock.now + .seconds(5)
            while server.connectionCount > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(server.connectionCount == 0, "the idle connection was not closed")
        }
    }

    @Test("at the connection cap a newcomer gets in: the longest-idle connection makes room, the busy ones are unaffected")
    func connectionCap() async throws {
        try await withServer(configuration: .init(port: 0, maximumConnections: 3, loopbackReserve: 1)) { server, _ in
            let idle = try await RawClient(port: server.port)
            _ = try await idle.readGreeting()
            var clients: [LegacyClient] = []
            for _ in 0..<2 { clients.append(try await LegacyClient.connect(host: "127.0.0.1", port: server.port)) }
            for client in clients { #expect(try await client.command("getbase") == "READY") }
            let next = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            #expect(next.greeting == "OK : Auto, Off - Ready")
            #expect(await idle.waitUntilClosed(), "the longest-idle connection was closed to make room")
            for client in clients { #expect(try await client.command("getbase") == "READY") }
            #expect(try await next.command("getbase") == "READY")
            #expect(server.gate.evictions == 1)
            for client in clients { await client.close() }
            await next.close()
        }
    }

    @Test("256 idle connections do not lock anyone out: a new client gets in and is answered")
    func idleConnectionsDoNotLockOut() async throws {
        try await withServer { server, _ in
            var idle: [RawClient] = []
            for _ in 0..<256 { idle.append(try await RawClient(port: server.port)) }
            let deadline = ContinuousClock.now + .seconds(10)
            while server.connectionCount < 256, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            #expect(!client.greeting.hasPrefix("Too many"), "\(client.greeting)")
            #expect(try await client.command("getbase") == "READY")
            #expect(server.connectionCount <= 256)
            await client.close()
            for raw in idle { await raw.close() }
        }
    }

    @Test("a 10 MB line sent whole before reading gets the documented refusal, not a reset")
    func hugeLineIsRefusedPolitely() async throws {
        try await withServer { server, _ in
            let client = try await BlockingCommandClient.connect(port: server.port)
            // As a simple client does: sendall() the whole line, then read. A server that closes
            // with unread bytes makes the kernel answer with a reset, and the sender gets nothing.
            let line = [UInt8]("generator: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20) + [0x0A]
            let reply = try await BlockingCommandClient.onThread { try client.sendAllThenRead(line) }
            #expect(reply.contains("Invalid GENERATOR command: request longer than 65536 bytes."), "\(reply.suffix(200))")
            #expect(try await BlockingCommandClient.onThread { client.isClosedByPeer() })
        }
    }

    @Test("a write from loopback reaches the service as socket:127.0.0.1 with control allowed")
    func loopbackMayControl() async throws {
        try await withServer { server, service in
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            #expect(try await client.command("setremote=start") == "Remote command sent successfully")
            let (command, origin) = try #require(await service.commands.first)
            #expect(command == .generac(.setRemote(.start)))
            #expect(origin.description == "socket:127.0.0.1")
            #expect(origin.mayControl)
            await client.close()
        }
    }

    /// This machine's first non-loopback IPv4 address, if it has one.
    static let otherLocalAddress: String? = (try? System.enumerateDevices())?
        .compactMap { $0.address?.ipAddress }
        .first { !$0.contains(":") && !$0.hasPrefix("127.") }

    @Test("a host that is not loopback cannot start the engine; an allow-listed one can; both are audited",
          .enabled(if: otherLocalAddress != nil, "needs a non-loopback local address"))
    func remoteHostRefused() async throws {
        let address = try #require(Self.otherLocalAddress)
        try await withServer(configuration: .init(host: "0.0.0.0", port: 0)) { server, service in
            let client = try await LegacyClient.connect(host: address, port: server.port)
            #expect(try await client.command("setremote=start") == "Access denied")
            #expect(try await client.command("getbase") == "READY")
            let (command, origin) = try #require(await service.commands.first)
            #expect(command == .generac(.setRemote(.start)))
            #expect(origin == CommandOrigin(interface: .socket, principal: address, mayControl: false))
            await client.close()
        }
        let allowed = try ControlPolicy(allowing: [address + "/32"])
        try await withServer(configuration: .init(host: "0.0.0.0", port: 0, policy: allowed)) { server, service in
            let client = try await LegacyClient.connect(host: address, port: server.port)
            #expect(try await client.command("setremote=start") == "Remote command sent successfully")
            let origin = try #require(await service.commands.first?.1)
            #expect(origin.mayControl && origin.principal == address)
            await client.close()
        }
    }

    @Test("a host that keeps sending commands it may not send is slowed to the refusal rate; loopback is not",
          .enabled(if: otherLocalAddress != nil, "needs a non-loopback local address"))
    func refusedFloodIsSlowed() async throws {
        let address = try #require(Self.otherLocalAddress)
        try await withServer(configuration: .init(host: "0.0.0.0", port: 0, refusedCommandRate: 2, refusedCommandBurst: 5)) { server, service in
            let stranger = try await LegacyClient.connect(host: address, port: server.port)
            let local = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
            let start = ContinuousClock.now
            var refused = 0
            while start.duration(to: .now) < .seconds(3) {
                _ = try await stranger.command("setremote=start")
                refused += 1
            }
            // A burst of 5, then 2 a second: about 11 in 3 s (the reply in flight at the end adds one).
            #expect(refused >= 9 && refused <= 13, "\(refused) answered in 3 s")
            let localStart = ContinuousClock.now
            for _ in 0..<50 { _ = try await local.command("getbase") }
            #expect(localStart.duration(to: .now) < .seconds(2), "loopback is not held back")
            #expect(await service.commands.count == refused)
            await stranger.close()
            await local.close()
        }
    }

    @Test("connecting where nothing listens fails quickly with a connection error")
    func nothingListening() async throws {
        let closed = try RefusingPort()
        await #expect(throws: LegacyClientError.self) {
            _ = try await LegacyClient.connect(host: "127.0.0.1", port: closed.port, connectTimeout: .seconds(2))
        }
    }
}
