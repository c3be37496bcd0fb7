import Foundation
import GenmonTesting
import LegacyProtocol
import Monitor
import Simulator
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension WebTestSuite {
    /// `genmon run` as one service group, seen from outside: a clean stop on SIGTERM with a command
    /// in flight, and a non-zero exit naming the part that failed.
    @Suite(.enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier, .timingSensitive, .timeLimit(.minutes(2)))
    struct ServiceTreeTests {
        /// A simulated controller on a pseudo-terminal in this process, for `genmon run --device`.
        static func simulator(switch position: String = "auto") async throws -> (SimulatedController, RunningSimulator) {
            let start = Date()
            let profile = ControllerProfile.standard(.evolutionLiquidCooled, start: start)
            let controller = SimulatedController(simulation: Simulation(model: GeneratorModel(profile: profile, start: start)),
                                                 clock: ScaledClock(start: start), faults: FaultInjector(pacing: .off))
            _ = await controller.perform(line: "switch \(position)")
            return (controller, try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: controller.faults))
        }

        static func port(after label: String, in output: String) -> Int? {
            guard let range = output.range(of: label) else { return nil }
            return Int(output[range.upperBound...].prefix { $0.isNumber })
        }

        @Test("SIGTERM while a command waits for its confirmation: exit 0 within 5 s, the audit record stored, the database intact")
        func sigtermWithConfirmationPending() async throws {
            // Switch at Off: a remote start is written but the controller never shows it running.
            let (_, simulator) = try await Self.simulator(switch: "off")
            let directory = WebServerTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let genmon = try await GenmonExecutable.start(["run", "--device", simulator.address, "--data-dir", directory,
                                                     "--web-port", "0", "--socket-port", "0"])
            let printed = try await genmon.waitForOutput("complete status after", timeout: .seconds(60))
            let socketPort = try #require(Self.port(after: "command socket on 127.0.0.1:", in: printed))
            let client = try await LegacyClient.connect(host: "127.0.0.1", port: socketPort, connectTimeout: .seconds(5))
            let reply = try await client.command("setremote=start")
            #expect(reply.contains("Remote command sent successfully"), "\(reply)")
            await client.close()
            let stopAt = ContinuousClock.now
            genmon.signal(SIGTERM)
            let ended = await genmon.waitForExit(timeout: .seconds(10))
            let took = stopAt.duration(to: .now)
            #expect(ended?.reason == .exit && ended?.status == 0, "exit \(String(describing: ended)): \(genmon.output)")
            #expect(took < .seconds(5), "stopped after \(took)")
            await simulator.shutdown()

            let database = try GenmonDatabase(path: directory + "/genmon.sqlite")
            #expect(try await database.integrityProblems().isEmpty)
            let audits = try await database.audits().map(\.record)
            let start = try #require(audits.first { $0.command == "setremote=start" }, "audit log: \(audits)")
            #expect(start.result == .unconfirmed)
            #expect(start.message.contains("genmon stopped"))
            #expect(start.origin.interface == .socket)
        }

        @Test("the web port already taken: genmon run exits non-zero at once and names the port")
        func webPortTaken() async throws {
            let (_, simulator) = try await Self.simulator()
            let taken = try ListeningPort()
            let directory = WebServerTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let started = ContinuousClock.now
            let result = try await GenmonExecutable.run(["run", "--device", simulator.address, "--data-dir", directory,
                                                         "--web-port", String(taken.port), "--socket-port", "0"])
            #expect(started.duration(to: .now) < .seconds(10))
            #expect(result.status != 0)
            #expect(result.output.contains("web app on 127.0.0.1:\(taken.port) failed"), "\(result.output)")
            await simulator.shutdown()
        }

        @Test("a part that fails after start ends genmon non-zero with one line naming it")
        func partFailsAfterStart() async throws {
            let (_, simulator) = try await Self.simulator()
            let directory = WebServerTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let result = try await GenmonExecutable.run(["run", "--device", simulator.address, "--data-dir", directory,
                                                         "--web-port", "0", "--socket-port", "0", "--fail-after", "1.5"])
            #expect(result.status != 0)
            let errors = result.output.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(errors == ["error: injected failure failed: failing on purpose, as --fail-after asked"], "\(result.output)")
            await simulator.shutdown()
        }
    }
}
