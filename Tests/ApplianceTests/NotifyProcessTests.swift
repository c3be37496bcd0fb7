import Foundation
import GenmonTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("genmon run under a NOTIFY_SOCKET: READY, STATUS and the watchdog", .serialized,
       .enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier,
       .timeLimit(.minutes(4)))
struct NotifyProcessTests {
    @Test("READY=1 once both listeners accept, WATCHDOG=1 while polling and none after a stall, STATUS following the generator")
    func notifications() async throws {
        let fixture = try ApplianceFixture()
        try await fixture.startSimulator()
        try fixture.writeConfig()
        let recorder = try NotifySocketRecorder()
        defer { recorder.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = recorder.address
        environment["WATCHDOG_USEC"] = "1500000"
        let genmon = try await GenmonExecutable.start(["run", "--config", fixture.configPath, "--web-port", "0", "--socket-port", "0",
                                                       "--stall-poll-after", "25"], environment: environment)
        let ready = await recorder.waitForLine(timeout: .seconds(60)) { $0 == "READY=1" }
        #expect(ready != nil, "no READY=1: \(recorder.lines)\n\(genmon.output)")
        // Both listeners accept at the moment READY arrives.
        let printed = try await genmon.waitForOutput("web app on ", timeout: .seconds(10))
        let socketPort = try #require(Int(ApplianceFixture.word(after: "command socket on 127.0.0.1:", in: printed) ?? ""))
        let webText = try #require(ApplianceFixture.word(after: "web app on http://127.0.0.1:", in: printed))
        let webPort = try #require(Int(webText.prefix { $0.isNumber }))
        #expect(LoopbackPort.isTaken(socketPort) && LoopbackPort.isTaken(webPort))
        #expect(recorder.lines.first == "READY=1", "READY must be the first thing said: \(recorder.lines)")

        // Polling: a pet every half second or so.
        _ = try await genmon.waitForOutput("complete status after", timeout: .seconds(60))
        let petsBefore = recorder.lines.filter { $0 == "WATCHDOG=1" }.count
        try await Task.sleep(for: .seconds(3))
        #expect(recorder.lines.filter { $0 == "WATCHDOG=1" }.count >= petsBefore + 3, "\(recorder.lines)")
        let status = await recorder.waitForLine(timeout: .seconds(20)) { $0.hasPrefix("STATUS=Off - Ready · Auto · link ok ") }
        #expect(status != nil, "\(recorder.lines.filter { $0.hasPrefix("STATUS=") })")

        // The generator changes: so does the status.
        _ = try await GenmonExecutable.run(["simctl", "--port", String(fixture.controlPort), "switch", "off"])
        let switched = await recorder.waitForLine(timeout: .seconds(20)) { $0.hasPrefix("STATUS=") && $0.contains(" · Off · ") }
        #expect(switched != nil, "\(recorder.lines.filter { $0.hasPrefix("STATUS=") })")

        // After the stall (25 s after start), no more pets.
        _ = try await genmon.waitForOutput("the poll loop has not moved", timeout: .seconds(60))
        let petsAtStall = recorder.lines.filter { $0 == "WATCHDOG=1" }.count
        try await Task.sleep(for: .seconds(3))
        #expect(recorder.lines.filter { $0 == "WATCHDOG=1" }.count == petsAtStall, "WATCHDOG=1 went on after the stall")

        genmon.signal(SIGTERM)
        #expect(await genmon.waitForExit(timeout: .seconds(30))?.status == 0)
        #expect(await recorder.waitForLine(timeout: .seconds(5)) { $0 == "STOPPING=1" } != nil)
        await fixture.cleanUp()
    }
}
