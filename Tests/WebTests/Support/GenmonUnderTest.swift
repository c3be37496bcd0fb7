import Foundation
import GenmonTesting
import Simulator
#if canImport(Glibc)
import Glibc
#endif

/// `genmon run` as a user runs it, against a simulated controller served on a pseudo-terminal by
/// this test process: with a genmon.conf of the test's making, optionally under `ulimit -n` or in a
/// private network. It can be killed (`kill -9`) and started again on the same data directory.
final class GenmonUnderTest: @unchecked Sendable {
    enum Wrapping {
        case none
        /// `sh -c "ulimit -n N; exec genmon …"`.
        case fileLimit(Int)
        /// A private network namespace with TEST-NET addresses on its loopback.
        case privateNetwork
    }

    let controller: SimulatedController
    let simulator: RunningSimulator
    let directory: String
    let configPath: String
    let wrapping: Wrapping
    let extraArguments: [String]
    private(set) var process: RunningProcess
    private(set) var socketPort = 0
    private(set) var webPort = 0

    /// Starts the simulator (time `speed` × faster) and genmon, and waits for the first complete status.
    init(config: String = "", arguments: [String] = [], wrapping: Wrapping = .none, speed: Double = 1,
         switch position: String = "auto", waitForStatus: Bool = true) async throws {
        let start = Date()
        let profile = ControllerProfile.standard(.evolutionLiquidCooled, start: start)
        let clock = ScaledClock(start: start)
        clock.setSpeed(speed)
        controller = SimulatedController(simulation: Simulation(model: GeneratorModel(profile: profile, start: start)),
                                         clock: clock, faults: FaultInjector(pacing: .off))
        _ = await controller.perform(line: "switch \(position)")
        simulator = try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: controller.faults)
        directory = WebTestSuite.WebServerTests.temporaryDirectory()
        configPath = directory + "/genmon.conf"
        try "[GenMon]\nport = \(simulator.address)\ndatadirectory = \(directory)/data\n\(config)\n"
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        self.wrapping = wrapping
        extraArguments = arguments
        process = try await Self.launch(configPath: configPath, arguments: arguments, wrapping: wrapping)
        if waitForStatus { try await waitUntilReady() }
    }

    static func launch(configPath: String, arguments: [String], wrapping: Wrapping) async throws -> RunningProcess {
        guard let genmon = GenmonExecutable.url else { throw RunningProcess.Failure.notBuilt }
        let all = ["run", "--config", configPath, "--web-port", "0", "--socket-port", "0"] + arguments
        switch wrapping {
        case .none:
            return try await GenmonExecutable.start(all)
        case let .fileLimit(limit):
            return try await RunningProcess.start(URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -n \(limit) && exec \"$0\" \"$@\"", genmon.path] + all,
                                      lowPriority: true)
        case .privateNetwork:
            let (unshare, wrapped) = PrivateNetwork.wrap(genmon.path, all)
            return try await RunningProcess.start(unshare, wrapped, lowPriority: true)
        }
    }

    /// Waits for the complete status and reads the ports genmon printed.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let printed = try await process.waitForOutput("complete status after", timeout: timeout)
        socketPort = try Self.port(after: "command socket on ", in: printed)
        webPort = try Self.port(after: "web app on http://", in: printed)
    }

    static func port(after label: String, in output: String) throws -> Int {
        guard let range = output.range(of: label, options: .backwards) else { throw PrivateNetwork.Failure(description: "no '\(label)' in: \(output)") }
        let rest = output[range.upperBound...].prefix { $0 != "\n" && $0 != " " }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...].prefix { $0.isNumber }) else {
            throw PrivateNetwork.Failure(description: "no port after '\(label)' in: \(output)")
        }
        return port
    }

    var pid: Int32 { process.pid }
    var dataDirectory: String { directory + "/data" }

    /// `kill -9`, as a crash or a power cut would end it.
    func kill9() async {
        process.signal(SIGKILL)
        _ = await process.waitForExit(timeout: .seconds(10))
    }

    /// Starts genmon again on the same configuration and data.
    func restart(waitForStatus: Bool = true) async throws {
        process = try await Self.launch(configPath: configPath, arguments: extraArguments, wrapping: wrapping)
        if waitForStatus { try await waitUntilReady() }
    }

    /// SIGTERM and the exit status.
    @discardableResult
    func stop() async -> RunningProcess.Termination? {
        process.signal(SIGTERM)
        return await process.waitForExit(timeout: .seconds(20))
    }

    /// Acts on the simulated generator as `genmon simctl` would.
    @discardableResult
    func sim(_ line: String) async -> String { await controller.perform(line: line) }

    func cleanUp() async {
        if process.termination == nil { await kill9() }
        await simulator.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Descriptors the process has open now, and its resident memory in bytes.
    var openDescriptors: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1 }
    var residentBytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return -1 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : -1
    }
}
