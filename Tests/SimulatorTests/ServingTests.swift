import Foundation
import Generac
import GenmonTesting
import ModbusCore
import ModbusTransport
@testable import Simulator
import Testing

/// The simulator on a real pseudo-terminal, seen through genmon's own Modbus client.
@Suite("Serving over a pseudo-terminal", .serialized, .tags(.pseudoTerminal), .slowTier, .timingSensitive, .timeLimit(.minutes(2)))
struct ServingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/dumps")

    static var dumpNames: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".json") }.sorted()) ?? []
    }

    static let fast = ModbusClientConfiguration(responseAllowance: .milliseconds(800), quietGap: .milliseconds(40))

    @Test("each fixture dump is served as it is: every register reads back unchanged", arguments: dumpNames)
    func servesDump(name: String) async throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name))
        let image = try RegisterImage(dumpJSON: data)
        #expect(image.words.count > 50)
        let running = try SimulatorHost.serve(DumpSlave(registers: image.words), on: .pseudoTerminal)
        let client = ModbusClient(stream: try SerialPort.stream(path: running.address), configuration: Self.fast)
        for (address, value) in image.words.sorted(by: { $0.key < $1.key }) {
            #expect(try await client.readHoldingRegisters(address: address, count: 1) == [value], "register \(address)")
        }
        // Registers the dump lacks read as 0000, and multi-word reads span dump words.
        #expect(try await client.readHoldingRegisters(address: 0x0001, count: 2) == [image[0x0001], image[0x0002]])
        let stats = await client.statistics
        #expect(stats.failures == 0 && stats.successes == image.words.count + 1)
        client.stream.close()
        await running.shutdown()
    }

    @Test("a monitor-style poll over the pty reads the live model, and writes act on it")
    func liveModelOverPTY() async throws {
        let clock = ManualClock(start: Bench.start)
        let profile = ControllerProfile.standard(.evolutionLiquidCooled, start: Bench.start)
        let controller = SimulatedController(
            simulation: Simulation(model: GeneratorModel(profile: profile, start: Bench.start, timeZone: TimeZone(identifier: "UTC")!)),
            clock: clock)
        let running = try SimulatorHost.serve(controller, on: .pseudoTerminal)
        let client = ModbusClient(stream: try SerialPort.stream(path: running.address), configuration: Self.fast)
        #expect(try await client.readHoldingRegisters(address: 0x0000, count: 1) == [0x000C])
        #expect(try await client.readHoldingRegisters(address: 0x01F4, count: 5) == [0x3030, 0x3038, 0x3030, 0x3132, 0x3334])
        // Every register of the original's polling cycle answers (no exceptions, which would cost it 1 s each).
        for read in RegisterMap.pollingCycle {
            _ = try await client.readHoldingRegisters(address: read.address, count: UInt16(read.words))
        }
        try await client.writeRegisters(address: 0x0003, values: [0x0002])  // start and transfer
        clock.advance(by: 4 + 10 + 0.5)
        #expect(try await client.readHoldingRegisters(address: 0x0001, count: 2) == [0x0003, 0x0000])
        #expect(try await client.readHoldingRegisters(address: 0x0053, count: 1) == [0x0049])
        await #expect(throws: ModbusClientError.exception(.illegalDataValue)) {
            try await client.writeRegisters(address: 0x002C, values: [0x1900])
        }
        await #expect(throws: ModbusClientError.exception(.illegalFunction)) {
            try await client.readFileRecord(file: 1, record: 0, count: 4)
        }
        client.stream.close()
        await running.shutdown()
    }

    @Test("paced at 9600 baud, a one-register read holds the line for about 23 ms")
    func pacing() async throws {
        let controller = SimulatedController(
            simulation: Simulation(model: GeneratorModel(profile: .standard(.evolutionAirCooled), start: Date())),
            clock: ScaledClock())
        let injector = FaultInjector(pacing: WirePacing())
        let running = try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: injector)
        let client = ModbusClient(stream: try SerialPort.stream(path: running.address))
        var samples: [Duration] = []
        for _ in 0..<20 {
            let start = ContinuousClock.now
            _ = try await client.readHoldingRegisters(address: 0x0009, count: 1)
            samples.append(start.duration(to: .now))
        }
        // The fastest read shows the pacing itself; slower ones only show a busy test machine.
        let fastest = samples.min()!
        #expect(fastest >= .microseconds(22_600) && fastest < .milliseconds(60), "fastest read took \(fastest)")
        let nominal = WirePacing().delay(requestBytes: 8, replyBytes: 7)
        #expect(nominal > .microseconds(22_620) && nominal < .microseconds(22_630), "8 + 7 bytes at 10 bits, 9600 baud, + 7 ms")
        client.stream.close()
        await running.shutdown()
    }

    @Test("the control channel acts on a running simulator and refuses garbage")
    func controlChannel() async throws {
        let controller = SimulatedController(
            simulation: Simulation(model: GeneratorModel(profile: .standard(.nexusAirCooled), start: Date())),
            clock: ScaledClock(speed: 1000))
        let control = try ControlChannel.serve(controller, port: 0)
        let port = Int(control.address.split(separator: ":").last!)!
        let stream = try TCPConnection.stream(host: "127.0.0.1", port: port, failFast: true)
        func send(_ line: String) async throws -> String {
            try await stream.write(Array((line + "\n").utf8))
            var reply: [UInt8] = []
            while !reply.contains(10) {
                let bytes = try await stream.read(until: .now + .seconds(2))
                if bytes.isEmpty { break }
                reply += bytes
            }
            return String(decoding: reply, as: UTF8.self)
        }
        #expect(try await send("status").contains("Nexus, Air Cooled (simulated), switch auto, engine ready"))
        #expect(try await send("utility off").hasPrefix("ok:"))
        try await Task.sleep(for: .milliseconds(50))  // 50 s of simulated time
        #expect(try await send("status").contains("engine running (utility outage)"))
        #expect(try await send("fly to the moon").hasPrefix("error: unknown command"))
        #expect(try await send(String(repeating: "z", count: 2000)).hasPrefix("error: line too long"))
        stream.close()
        await control.shutdown()
    }
}

@Suite("Fault injection", .serialized, .tags(.pseudoTerminal), .slowTier, .timingSensitive)
struct FaultInjectionTests {
    static let reply: [UInt8] = [0x9D, 0x03, 0x02, 0x00, 0x09, 0xA8, 0x5E]
    static let request = ModbusRequest.readHoldingRegisters(address: 0, count: 1)

    /// Each kind alone, 20 000 replies: the count is within 5 standard deviations of the rate.
    @Test("each kind of fault happens at its configured rate", arguments: ["crc", "drop", "truncate", "garbage", "slow"])
    func rates(kind: String) async {
        var settings = FaultSettings()
        settings.seed = 42
        let rate = 0.1
        switch kind {
        case "crc": settings.crcCorruption = rate
        case "drop": settings.dropped = rate
        case "truncate": settings.truncated = rate
        case "garbage": settings.garbage = rate
        default: settings.slow = rate
        }
        let injector = FaultInjector(settings: settings, pacing: .off)
        let trials = 20_000
        var changed = 0
        for _ in 0..<trials {
            let plan = await injector.shape(reply: Self.reply, to: Self.request)
            if plan != .immediately(Self.reply) { changed += 1 }
        }
        let counts = injector.counts
        let observed = switch kind {
        case "crc": counts.crcCorrupted
        case "drop": counts.dropped
        case "truncate": counts.truncated
        case "garbage": counts.garbageBursts
        default: counts.slow
        }
        #expect(observed == changed, "every counted fault changed the reply, and only those")
        let expected = Double(trials) * rate, sigma = (Double(trials) * rate * (1 - rate)).squareRoot()
        #expect(abs(Double(observed) - expected) < 5 * sigma, "\(observed) faults in \(trials) replies")
    }

    @Test("the same seed gives the same faults")
    func deterministic() async {
        var settings = FaultSettings()
        settings.crcCorruption = 0.3
        settings.garbage = 0.2
        settings.seed = 7
        func run() async -> [ReplyPlan] {
            let injector = FaultInjector(settings: settings, pacing: .off)
            var plans: [ReplyPlan] = []
            for _ in 0..<200 { plans.append(await injector.shape(reply: Self.reply, to: Self.request)) }
            return plans
        }
        #expect(await run() == run())
    }

    @Test("a silent period answers nothing, then replies resume")
    func silence() async throws {
        let injector = FaultInjector(pacing: .off)
        injector.silence(for: .milliseconds(100))
        #expect(await injector.shape(reply: Self.reply, to: Self.request) == .silence)
        try await Task.sleep(for: .milliseconds(120))
        #expect(await injector.shape(reply: Self.reply, to: Self.request) == .immediately(Self.reply))
        #expect(injector.counts.silenced == 1)
    }

    /// Seen from genmon's client over a pty, each injected fault is exactly one counted error.
    @Test("over a pty the client counts exactly the faults the simulator injected", arguments: ["crc", "drop", "truncate", "garbage"])
    func clientSeesInjectedFaults(kind: String) async throws {
        var settings = FaultSettings()
        settings.seed = 11
        switch kind {
        case "crc": settings.crcCorruption = 0.2
        case "drop": settings.dropped = 0.1
        case "truncate": settings.truncated = 0.2
        default: settings.garbage = 0.3
        }
        let injector = FaultInjector(settings: settings, pacing: .off)
        let controller = SimulatedController(
            simulation: Simulation(model: GeneratorModel(profile: .standard(.evolutionAirCooled), start: Date())),
            clock: ScaledClock())
        let running = try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: injector)
        let client = ModbusClient(stream: try SerialPort.stream(path: running.address),
                                  configuration: .init(responseAllowance: .milliseconds(500), quietGap: .milliseconds(100)))
        var values = Set<UInt16>()
        for _ in 0..<150 {
            if let words = try? await client.readHoldingRegisters(address: 0x0000, count: 1) { values.formUnion(words) }
        }
        let stats = await client.statistics, counts = injector.counts
        #expect(values == [0x0009], "faults never turn into a wrong value")
        switch kind {
        case "crc": #expect(stats.crcErrors == counts.crcCorrupted && counts.crcCorrupted > 10)
        case "drop": #expect(stats.timeouts == counts.dropped && counts.dropped > 5, "\(stats) \(counts)")
        case "truncate": #expect(stats.truncatedFrames == counts.truncated && counts.truncated > 10)
        default:
            #expect(stats.failures == 0 && counts.garbageBursts > 20, "\(stats) \(counts)")
            #expect(stats.discardedBytes == counts.garbageBytes)
        }
        #expect(stats.successes + stats.failures == 150)
        client.stream.close()
        await running.shutdown()
    }
}
