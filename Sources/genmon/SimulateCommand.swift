import ArgumentParser
import CPosixSupport
import Foundation
import Generac
import Logging
import ModbusTransport
import ServiceLifecycle
import Simulator

/// `genmon simulate`: a generator you can run, script and break.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a simulated Evolution or Nexus controller as a Modbus slave.",
        discussion: """
            By default it opens a new pseudo-terminal and prints its path: point a monitor at that path
            as if it were the serial port. Act on it while it runs with `genmon simctl <command>`
            (utility off, alarm overcrank, switch manual, faults crc=0.05, silence 30, ...).
            """
    )

    @Option(help: "Controller family: \(ControllerProfile.Family.allCases.map(\.rawValue).joined(separator: ", ")).")
    var family: String = "evolution-lc"

    @Option(help: "Serve this register dump (genmon-register-dump JSON) as it is, instead of a live model.")
    var dump: String?

    @Option(help: "Serve on this serial device instead of a new pseudo-terminal.")
    var device: String?

    @Option(name: .customLong("rtu-tcp"), help: "Serve raw RTU frames on this TCP port (like a serial-to-TCP bridge).")
    var rtuTCPPort: Int?

    @Option(name: .customLong("modbus-tcp"), help: "Serve Modbus TCP on this port.")
    var modbusTCPPort: Int?

    @Option(help: "Address to listen on for TCP endpoints.")
    var listen = "127.0.0.1"

    @Option(help: "Time runs this many times faster (60 turns a 12-minute exercise into 12 seconds).")
    var speed: Double = 1

    @Option(help: "Baud rate: replies are paced at it, and on a pseudo-terminal a monitor set to another speed gets no answer.")
    var baud = 9600

    @Flag(help: "Answer at once instead of pacing replies at the baud rate.")
    var noPacing = false

    @Option(help: "A scenario file: lines like `at 10s utility off`.")
    var scenario: String?

    @Option(help: "TCP port on 127.0.0.1 for `genmon simctl` commands (0 = none).")
    var controlPort = 9099

    @Option(help: "Fault rates, e.g. \"crc=0.02 drop=0.01 garbage=0.005 seed=7\".")
    var faults: String?

    func validate() throws {
        guard ControllerProfile.Family(rawValue: family) != nil else {
            throw ValidationError("unknown family '\(family)'; use one of \(ControllerProfile.Family.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard [device != nil, rtuTCPPort != nil, modbusTCPPort != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("choose at most one of --device, --rtu-tcp, --modbus-tcp")
        }
        guard (0.01...10_000).contains(speed) else { throw ValidationError("--speed must be between 0.01 and 10000") }
        guard SerialSettings.supportedBaudRates.contains(baud) else { throw ValidationError("unsupported baud rate \(baud)") }
        for port in [rtuTCPPort, modbusTCPPort, controlPort].compactMap({ $0 }) where !(0...65535).contains(port) {
            throw ValidationError("port \(port) is out of range")
        }
    }

    func run() async throws {
        // Output may go to a file or a pipe (a service log): send each line as it is printed.
        genmon_line_buffer_stdout()
        let endpoint: SimulatorEndpoint =
            if let device { .serialDevice(path: device, settings: SerialSettings(baudRate: baud)) }
            else if let rtuTCPPort { .rtuOverTCP(host: listen, port: rtuTCPPort) }
            else if let modbusTCPPort { .modbusTCP(host: listen, port: modbusTCPPort) }
            else { .pseudoTerminal }
        let pacing = WirePacing(enabled: !noPacing, serial: SerialSettings(baudRate: baud))
        let injector = FaultInjector(settings: try faultSettings(), pacing: pacing)

        if let dump {
            let image = try loadDump(dump)
            let running = try SimulatorHost.serve(DumpSlave(registers: image.words), on: endpoint, shaper: injector, lineSpeed: baud)
            print("serving register dump \(dump) on \(running.address)")
            try await waitForSignal(running)
            return
        }

        let setup = try SimulatorSetup(family: family, speed: speed, scenarioPath: scenario, faults: injector)
        let running = try SimulatorHost.serve(setup.controller, on: endpoint, shaper: injector, lineSpeed: baud)
        var control: RunningSimulator?
        if controlPort != 0 {
            control = try ControlChannel.serve(setup.controller, port: controlPort)
        }
        print("simulated \(setup.profile.identity.displayName) controller on \(running.address)")
        if let control { print("control: genmon simctl --port \(control.address.split(separator: ":").last ?? "") <command>   (try `help`)") }
        if speed != 1 { print("time runs \(speed)× faster") }
        print(await setup.controller.perform(line: "status"))
        try await waitForSignal(running)
        await control?.shutdown()
    }

    func faultSettings() throws -> FaultSettings {
        guard let faults else { return FaultSettings() }
        do { return FaultSettings().applying(try SimulatorCommand.parse("faults " + faults).faultRates) } catch {
            throw ValidationError("--faults: \(error)")
        }
    }

    func loadDump(_ path: String) throws -> RegisterImage {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        do { return try RegisterImage(dumpJSON: data) } catch { throw ValidationError("\(path) is not a register dump: \(error)") }
    }
}

/// A simulated controller ready to serve: used by `simulate` and, later, `demo`.
struct SimulatorSetup {
    let profile: ControllerProfile
    let clock: ScaledClock
    let controller: SimulatedController

    init(family: String, speed: Double, scenarioPath: String?, faults: FaultInjector) throws {
        let family = ControllerProfile.Family(rawValue: family) ?? .evolutionLiquidCooled
        let start = Date()
        profile = ControllerProfile.standard(family, start: start)
        clock = ScaledClock(start: start, speed: speed)
        var scenario = Scenario(steps: [])
        if let scenarioPath {
            guard let text = try? String(contentsOfFile: scenarioPath, encoding: .utf8) else {
                throw ValidationError("cannot read scenario \(scenarioPath)")
            }
            do { scenario = try Scenario.parse(text) } catch { throw ValidationError("\(scenarioPath): \(error)") }
        }
        let model = GeneratorModel(profile: profile, start: start)
        controller = SimulatedController(simulation: Simulation(model: model, scenario: scenario), clock: clock, faults: faults)
    }
}

extension SimulatorCommand {
    var faultRates: [String: Double] {
        if case let .faults(rates) = self { return rates }
        return [:]
    }
}

/// Serves until SIGINT or SIGTERM (or until the server stops by itself), then stops cleanly: the
/// simulator is a service in a group of its own with the same signal handling as `genmon run`.
func waitForSignal(_ running: RunningSimulator) async throws {
    let group = ServiceGroup(configuration: .init(
        services: [.init(service: SimulatorService(running: running))],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: Logger(label: "genmon.simulate")))
    try await group.run()
}

/// A running simulator as a `Service`: it ends when the server stops, and stops the server at a
/// graceful shutdown.
struct SimulatorService: Service {
    let running: RunningSimulator

    func run() async throws {
        await withGracefulShutdownHandler {
            await running.wait()
        } onGracefulShutdown: {
            Task { await running.shutdown() }
        }
    }
}

/// `genmon simctl`: send one command to a running simulator.
struct SimctlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simctl",
        abstract: "Act on a running simulator: utility off, alarm overcrank, switch manual, status, help..."
    )

    @Option(help: "The simulator's control port.") var port = 9099
    @Argument(parsing: .captureForPassthrough, help: "The command, e.g. `utility off`.") var words: [String] = []

    func run() async throws {
        let line = words.isEmpty ? "status" : words.joined(separator: " ")
        let stream: DescriptorStream
        do {
            stream = try TCPConnection.stream(host: "127.0.0.1", port: port, connectTimeout: .seconds(2), failFast: true)
        } catch {
            throw failure("no simulator control channel on 127.0.0.1:\(port) (is `genmon simulate` running?)")
        }
        defer { stream.close() }
        // Then `quit`: the simulator closes after the reply, so a reply of many lines (help) arrives whole.
        try await stream.write(Array((line + "\nquit\n").utf8))
        var reply: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while let bytes = try? await stream.read(until: deadline), !bytes.isEmpty {
            reply += bytes
        }
        let text = String(decoding: reply, as: UTF8.self).trimmingCharacters(in: .newlines)
        print(text)
        if text.hasPrefix("error:") { throw ExitCode.failure }
    }
}
