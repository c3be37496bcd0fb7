import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import NIOCore
import NIOPosix
import Testing

/// A client that frames like the original's client library (genmonlib/myclient.py), which every
/// add-on uses: the first read after connecting is the greeting; a reply is read until the buffer
/// holds `EndOfMessage`; a chunk arriving mid-reply that starts like a greeting makes it throw the
/// reply away and send the command again. Unlike the original it gives up after `timeout`.
final class OriginalFramingClient: Sendable {
    private let channel: any Channel
    private let chunks: Chunks
    let greeting: String

    final class Chunks: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let stream: AsyncStream<String>
        let continuation: AsyncStream<String>.Continuation
        init() { (stream, continuation) = AsyncStream<String>.makeStream() }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { continuation.yield(String(buffer: unwrapInboundIn(data))) }
        func channelInactive(context: ChannelHandlerContext) { continuation.finish() }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let waited: String
        var description: String { "no complete reply; got so far: \(waited.prefix(200))" }
    }

    private init(channel: any Channel, chunks: Chunks, greeting: String) {
        self.channel = channel
        self.chunks = chunks
        self.greeting = greeting
    }

    static func connect(port: Int, timeout: Duration = .seconds(10)) async throws -> OriginalFramingClient {
        let chunks = Chunks()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(chunks) } }
            .connect(host: "127.0.0.1", port: port).get()
        let greeting = try await next(chunks, timeout: timeout) ?? ""
        return OriginalFramingClient(channel: channel, chunks: chunks, greeting: greeting)
    }

    static func next(_ chunks: Chunks, timeout: Duration) async throws -> String? {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var iterator = chunks.stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TimedOut(waited: "")
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    static func startsLikeGreeting(_ text: String) -> Bool {
        text.hasPrefix("OK") || text.hasPrefix("CRITICAL:") || text.hasPrefix("WARNING:")
    }

    /// One command, as `ProcessMonitorCommand` sends it; the reply without `EndOfMessage`.
    func command(_ text: String, timeout: Duration = .seconds(10)) async throws -> (reply: String, resent: Int) {
        let deadline = ContinuousClock.now + timeout
        var resent = 0
        while true {
            try await channel.writeAndFlush(ByteBuffer(string: text)).get()
            var data = ""
            var restart = false
            while !data.contains("EndOfMessage") {
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero, let chunk = try? await Self.next(chunks, timeout: left) else { throw TimedOut(waited: data) }
                if !data.isEmpty, Self.startsLikeGreeting(chunk) {
                    restart = true
                    break
                }
                data += chunk
            }
            if restart {
                resent += 1
                continue
            }
            if data.hasSuffix("EndOfMessage") { data.removeLast("EndOfMessage".count) }
            return (data, resent)
        }
    }

    func close() async { try? await channel.close() }
}

@Suite("Start-up replies and monitor health over the command socket", .serialized, .timeLimit(.minutes(2)))
struct StartupAndHealthTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func dispatcher(_ rig: ClockedMonitorRig) -> LegacyDispatcher {
        LegacyDispatcher(service: rig.monitor, configuration: .init(context: ReportContext(timeZone: utc), clock: { rig.clock.date },
                                                                    networkProbe: { "OK" }))
    }

    @Test("during start-up every reply ends with EndOfMessage within the client's timeout, and commands answer what is known")
    func startup() async throws {
        // The rig's clock has not moved: the monitor is still asking the controller what it is.
        let rig = ClockedMonitorRig()
        let server = try await LegacyCommandServer.start(dispatcher: Self.dispatcher(rig), configuration: .init(port: 0))
        let client = try await OriginalFramingClient.connect(port: server.port)
        #expect(client.greeting == "WARNING: System Initializing")
        let commands = ["status", "status_json", "status_num_json", "maint", "maint_json", "outage", "outage_json", "monitor",
                        "monitor_json", "logs_json", "registers", "allregs_json", "start_info_json", "gui_status_json",
                        "support_data_json", "getbase", "getregvalue=0001", "setremote=start",
                        #"set_button_command=[{"onewordcommand": "resetmaint", "command_sequence": [{"reg": "0x0000"}]}]"#, "help", "power_log_json",
                        "power_log_json=60,kw", "sensor_names_json", "sensor_log_json=60&sensor=x", "get_maint_log_json",
                        "getsitename", "gethealth", "getdebug", "network_status", "weather_json", "nonsense"]
        for command in commands {
            let started = ContinuousClock.now
            let (reply, resent) = try await client.command("generator: " + command)
            #expect(resent == 0, "\(command)")
            // Well within the client's timeout (10 s, for a machine under load): nothing waits on the controller.
            #expect(started.duration(to: .now) < .seconds(10), "\(command)")
            switch command {
            case "getsitename": #expect(reply == "Test")
            case "gethealth": #expect(reply == "System Initializing. ")
            case "power_log_json": #expect(reply == "[]")
            case "power_log_json=60,kw": #expect(reply == "0.00")
            case "sensor_names_json", "get_maint_log_json", "sensor_log_json=60&sensor=x": #expect(reply == "[]")
            case "help", "getdebug", "network_status", "weather_json": #expect(!reply.isEmpty && reply != LegacyText.initializing)
            case "nonsense": #expect(reply == LegacyDispatcher.noValidCommand)
            default: #expect(reply == LegacyText.initializing, "\(command)")
            }
        }
        // Add-ons may send their data at once: it is kept and shown when the controller is known.
        #expect(try await client.command(#"generator: set_sensor_data=[{"Shed Temp": "65 F"}]"#).reply == "OK")
        _ = try #require(await rig.run(until: .seconds(90)) { $0.isInitialized })
        let status = try await client.command("generator: status").reply
        #expect(status.hasPrefix("\nStatus : \n") && status.contains("        Shed Temp : 65 F\n"))
        await client.close()
        await server.close()
        await rig.stop()
    }

    @Test("a silent controller turns health to a warning within 10 s; genmon check says WARNING; the lost event keeps its 30 s")
    func silentController() async throws {
        var configuration = MonitorConfiguration(siteName: "Test", timeZone: Self.utc, clockDriftThreshold: 1e9)
        configuration.communicationLossAfter = .seconds(30)
        let rig = ClockedMonitorRig(configuration: configuration)
        let server = try await LegacyCommandServer.start(dispatcher: Self.dispatcher(rig), configuration: .init(port: 0))
        _ = try #require(await rig.run(until: .seconds(90)) { $0.isInitialized })
        #expect(await NagiosCheck.run(host: "127.0.0.1", port: server.port) == NagiosCheck.Result(output: "OK : Auto, Off - Ready", exitCode: 0))
        let events = rig.monitor.events()
        let silentFrom = rig.clock.now, silentSince = rig.clock.date
        rig.link.setSilent(true)
        let warned = try #require(await rig.run(until: .seconds(10)) { !$0.communication.isReceiving })
        #expect(silentFrom.duration(to: rig.clock.now) <= .seconds(10))
        #expect(warned.healthText == " Not receiving data. ")
        let check = await NagiosCheck.run(host: "127.0.0.1", port: server.port)
        #expect(check == NagiosCheck.Result(output: "WARNING:  Not receiving data. : Auto, Off - Ready", exitCode: 1))
        #expect(try body(await Self.dispatcher(rig).reply(to: "generator: gethealth", origin: localOrigin)) == " Not receiving data. ")
        // The event and its notifications wait for communication_loss_seconds.
        await rig.run(for: .seconds(35))
        rig.link.setSilent(false)
        // Health is OK again once the values the silence left stale have been read again.
        _ = try #require(await rig.run(until: .seconds(30)) { $0.communication.isReceiving && $0.healthText == "OK" })
        #expect(await NagiosCheck.run(host: "127.0.0.1", port: server.port).exitCode == 0)
        await server.close()
        await rig.stop()
        var lostAfter: [TimeInterval] = []
        for await event in events {
            if case .communicationLost = event.kind { lostAfter.append(event.time.timeIntervalSince(silentSince)) }
        }
        #expect(lostAfter.count == 1)
        #expect(lostAfter.allSatisfy { $0 >= 30 && $0 <= 33 }, "lost after \(lostAfter)")
    }
}
