import Foundation
import GenmonTesting
@testable import LegacyProtocol
import Testing

/// `genmon run` as a user starts it, against `genmon simulate` on a TCP port (paced at 9600 baud,
/// so reading the controller takes seconds).
@Suite("genmon run end to end: start-up replies and the detected settings", .serialized,
       .enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier,
       .timeLimit(.minutes(3)))
struct RunStartupTests {
    /// The port printed after `text` in `output` ("… on 127.0.0.1:43319 …").
    static func port(after text: String, in output: String) -> Int? {
        guard let range = output.range(of: text) else { return nil }
        let rest = output[range.upperBound...].prefix { $0 != "\n" && $0 != " " }
        return rest.split(separator: ":").last.flatMap { Int($0) }
    }

    @Test("an add-on connecting while genmon starts gets every reply framed at once; the detected rating and fuel land in genmon.conf")
    func startup() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("genmon.conf").path
        try "[GenMon]\n# written by hand\nsitename = Cabin\n".write(toFile: config, atomically: true, encoding: .utf8)

        let simulator = try await GenmonExecutable.start(["simulate", "--rtu-tcp", "0", "--control-port", "0"])
        let simulatorPort = try #require(Self.port(after: "controller on ", in: try await simulator.waitForOutput("controller on ")))
        let genmon = try await GenmonExecutable.start(["run", "--config", config, "--tcp", "127.0.0.1:\(simulatorPort)", "--socket-port", "0",
                                                  "--no-web", "--data-dir", directory.path])
        let socketPort = try #require(Self.port(after: "command socket on ", in: try await genmon.waitForOutput("command socket on ")))

        // Connect at once, as genmqtt does after a restart, and keep asking until the status comes.
        let client = try await OriginalFramingClient.connect(port: socketPort, timeout: .seconds(15))
        var answers: [String] = []
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            let started = ContinuousClock.now
            // The client's own timeout is generous: this child process runs at low priority beside others.
            let (reply, resent) = try await client.command("generator: status", timeout: .seconds(15))
            #expect(resent == 0)
            #expect(started.duration(to: .now) < .seconds(15))
            answers.append(reply)
            if reply.hasPrefix("\nStatus : ") { break }
            #expect(reply == LegacyText.initializing)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(answers.last?.hasPrefix("\nStatus : ") == true, "last answer: \(answers.last ?? "none")")
        // Reading a 9600-baud controller takes seconds, so the first answers normally come during
        // start-up; on a starved machine the status may come first (StartupAndHealthTests covers
        // start-up deterministically on a manual clock).
        #expect(try await client.command("generator: getsitename").reply == "Cabin")
        await client.close()

        // What the monitor detected is recorded as the original records it; the rest of the file stays.
        var text = ""
        for _ in 0..<100 {
            text = (try? String(contentsOfFile: config, encoding: .utf8)) ?? ""
            if text.contains("nominalkw") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(text.hasPrefix("[GenMon]\n# written by hand\nsitename = Cabin\n"))
        #expect(text.contains("fueltype = Natural Gas\n") && text.contains("nominalkw = 27\n"))
        #expect(text.contains("nominalrpm = 1800\n") && text.contains("nominalfrequency = 60\n"))

        genmon.signal(SIGTERM)
        #expect(await genmon.waitForExit(timeout: .seconds(30))?.status == 0)
        simulator.signal(SIGTERM)
        _ = await simulator.waitForExit(timeout: .seconds(10))
    }
}
