import Foundation
import GenmonTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("genmon doctor end to end", .serialized,
       .enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier,
       .timeLimit(.minutes(5)))
struct DoctorProcessTests {
    /// Runs doctor on the fixture's config with free ports and a 3-second sample.
    static func doctor(_ fixture: ApplianceFixture, _ extra: [String] = []) async throws -> (output: String, status: Int32) {
        var arguments = ["doctor", "--config", fixture.configPath, "--seconds", "3"]
        if !extra.contains("--web-port") { arguments += ["--web-port", String(try LoopbackPort.free())] }
        if !extra.contains("--socket-port") { arguments += ["--socket-port", String(try LoopbackPort.free())] }
        return try await GenmonExecutable.run(arguments + extra)
    }

    /// The lines of the checks that failed.
    static func failures(_ output: String) -> [String] { output.split(separator: "\n").filter { $0.hasPrefix("[FAIL]") }.map(String.init) }

    @Test("against the simulator every controller, port and data check passes")
    func healthy() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator()
        try fixture.writeConfig()
        let (output, status) = try await Self.doctor(fixture)
        #expect(output.contains("[ok  ] controller: "), "\(output)")
        #expect(output.contains("[ok  ] communication over 3 s: "), "\(output)")
        #expect(output.contains("[ok  ] data directory: "), "\(output)")
        #expect(output.contains("[ok  ] config files: "), "\(output)")
        // The simulator keeps the pseudo-terminal's device open (so the pair survives monitors coming
        // and going), which doctor rightly reports; the build machine's clock may be unsynchronised.
        // Nothing else may fail.
        let simulatorPID = try #require(fixture.simulator?.pid)
        let unexpected = Self.failures(output).filter {
            !$0.contains("] clock: not synchronised") && !$0.contains("port holder: genmon (pid \(simulatorPID)) has ")
        }
        #expect(unexpected.isEmpty, "\(output)")
        #expect(status == (Self.failures(output).isEmpty ? 0 : 1))
        if Self.failures(output).isEmpty { #expect(output.hasSuffix("all checks passed\n")) }
        await fixture.cleanUp()
    }

    @Test("a pseudo-terminal nobody answers on: the controller check fails with what to check, exit 1")
    func deadLine() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator(["--faults", "drop=1"])
        try fixture.writeConfig()
        let (output, status) = try await Self.doctor(fixture)
        #expect(status == 1, "\(output)")
        #expect(output.contains("[FAIL] controller: no answer at 9600 baud"), "\(output)")
        #expect(output.contains("fix: check the wiring"), "\(output)")
        await fixture.cleanUp()
    }

    @Test("a wrong baud rate: no answer at 19200, and the hint that it answers at 9600")
    func wrongSpeed() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator()
        try fixture.writeConfig("serial_rate = 19200")
        let (output, status) = try await Self.doctor(fixture)
        #expect(status == 1, "\(output)")
        #expect(output.contains("[FAIL] controller: no answer at 19200 baud, but it answers at 9600 baud"), "\(output)")
        #expect(output.contains("fix: set serial_rate = 9600 in genmon.conf"), "\(output)")
        await fixture.cleanUp()
    }

    @Test("a busy web port names its holder and the key to change; an unwritable data directory says so")
    func busyPortAndData() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator()
        try fixture.writeConfig()
        let holder = try ListeningPort()
        let (output, status) = try await Self.doctor(fixture, ["--web-port", String(holder.port), "--data-dir", "/sys/kernel"])
        #expect(status == 1, "\(output)")
        #expect(output.contains("[FAIL] port \(holder.port) (web app): held by "), "\(output)")
        #expect(output.contains("set http_port in genmon.conf"), "\(output)")
        #expect(output.contains("[FAIL] data directory: /sys/kernel is not writable"), "\(output)")
        let (missing, _) = try await Self.doctor(fixture, ["--data-dir", fixture.directory + "/nowhere"])
        #expect(missing.contains("[FAIL] data directory: \(fixture.directory)/nowhere does not exist"), "\(missing)")
        await fixture.cleanUp()
    }

    @Test("while genmon runs, doctor asks it instead of opening the port again, and its ports count as genmon's")
    func whileRunning() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator()
        try fixture.writeConfig()
        let socketPort = try LoopbackPort.free(), webPort = try LoopbackPort.free()
        let genmon = try await GenmonExecutable.start(["run", "--config", fixture.configPath, "--web-port", String(webPort),
                                                       "--socket-port", String(socketPort)])
        _ = try await genmon.waitForOutput("complete status after", timeout: .seconds(60))
        let (output, _) = try await Self.doctor(fixture, ["--web-port", String(webPort), "--socket-port", String(socketPort)])
        #expect(output.contains("a running genmon answers on port \(socketPort)"), "\(output)")
        #expect(output.contains("[ok  ] controller: answers the running genmon"), "\(output)")
        #expect(output.contains("[ok  ] communication over 3 s: "), "\(output)")
        #expect(output.contains("[ok  ] port \(webPort) (web app): held by genmon"), "\(output)")
        #expect(!output.contains("has \(fixture.simulatorAddress) open"), "genmon's own hold on the port is no problem: \(output)")
        genmon.signal(SIGTERM)
        _ = await genmon.waitForExit(timeout: .seconds(30))
        await fixture.cleanUp()
    }
}
