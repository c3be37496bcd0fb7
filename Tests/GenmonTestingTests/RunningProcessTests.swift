import Foundation
@testable import GenmonTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The process runner against small shell children: how they start, what they see, how they end.
@Suite("Process runner", .tags(.process), .slowTier, .timeLimit(.minutes(1)))
struct RunningProcessTests {
    /// The signal mask and ignored set a child reports for itself, from /proc.
    static func signalMasks(in output: String) -> (blocked: UInt64, ignored: UInt64)? {
        var blocked: UInt64?, ignored: UInt64?
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let value = UInt64(fields[1], radix: 16) else { continue }
            if fields[0] == "SigBlk:" { blocked = value }
            if fields[0] == "SigIgn:" { ignored = value }
        }
        guard let blocked, let ignored else { return nil }
        return (blocked, ignored)
    }

    @Test("a child starts with no signal blocked or ignored, though the thread that starts it blocks them")
    func cleanSignalMask() async throws {
        // The spawner thread blocks every asynchronous signal, as test runners' threads may: a
        // child that inherited that mask (Foundation's Process hands it on) would never see SIGTERM.
        let child = try await RunningProcess.start("sh", ["-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status"])
        #expect(await child.waitForExit()?.status == 0)
        let masks = try #require(Self.signalMasks(in: child.output), "\(child.output)")
        #expect(masks.blocked == 0)
        #expect(masks.ignored & (1 << (UInt64(SIGTERM) - 1)) == 0, "SIGTERM is not ignored")
    }

    @Test("a child is killed when the test process dies: its parent-death signal is SIGKILL",
          .enabled(if: Spawn.lifeline != nil, "setpriv (util-linux) is not installed"))
    func lifeline() async throws {
        let dump = try await ProcessRunner.run("setpriv", ["--dump"])
        #expect(dump.output.contains("Parent death signal: KILL"), "\(dump.output)")
    }

    @Test("standard output and error are collected apart or together, and the input text reaches the child")
    func outputAndInput() async throws {
        let apart = try await RunningProcess.start("sh", ["-c", "cat; echo oops >&2; exit 4"], input: .text("hello\n"), errors: .separate)
        #expect(await apart.waitForExit() == RunningProcess.Termination(waitStatus: 4 << 8))
        #expect(apart.output == "hello\n" && apart.errorOutput == "oops\n")
        let together = try await ProcessRunner.run("sh", ["-c", "echo one; echo two >&2"])
        #expect(together.output == "one\ntwo\n" && together.status == 0)
        #expect(try await ProcessRunner.run("sh", ["-c", "echo hidden >&2"], errors: .discarded).output.isEmpty)
    }

    @Test("no descriptor of the test process leaks into a child")
    func onlyTheStandardDescriptors() async throws {
        // A socket opened the plain way (not close-on-exec), as any test might.
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketDescriptor) }
        let listing = try await ProcessRunner.run("ls", ["/proc/self/fd"]).output
        // ls's own listing of the folder is the fourth.
        #expect(Set(listing.split(separator: "\n")) == ["0", "1", "2", "3"], "\(listing)")
    }

    @Test("stop sends SIGTERM, and SIGKILL only once the grace period has passed")
    func stopEscalates() async throws {
        let obliging = try await RunningProcess.start("sh", ["-c", "trap 'exit 7' TERM; echo up; while :; do sleep 0.05; done"])
        try await obliging.waitForOutput("up")
        #expect(await obliging.stop() == RunningProcess.Termination(waitStatus: 7 << 8))

        let stubborn = try await RunningProcess.start("sh", ["-c", "trap 'echo ignored TERM' TERM; echo up; while :; do sleep 0.05; done"])
        try await stubborn.waitForOutput("up")
        let started = ContinuousClock.now
        let end = await stubborn.stop(grace: .milliseconds(300))
        #expect(end == RunningProcess.Termination(waitStatus: SIGKILL))
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(stubborn.output.contains("ignored TERM"))
    }

    @Test("stop ends the child's helpers too, and leaves no zombie behind")
    func helpersAndZombies() async throws {
        let parent = try await RunningProcess.start("sh", ["-c", "sleep 300 & sleep 300 & echo started; wait"])
        try await parent.waitForOutput("started")
        let helpers = ProcessTree.descendants(of: parent.pid)
        #expect(helpers.count == 2)
        await parent.stop()
        #expect(!helpers.contains(where: ProcessTree.isRunning))
        #expect(ProcessTree.status(of: parent.pid) == nil, "reaped, not a zombie")
    }

    @Test("a process that is dropped is killed and reaped")
    func droppedIsKilled() async throws {
        var child: RunningProcess? = try await RunningProcess.start("sleep", ["300"])
        let pid = try #require(child?.pid)
        child = nil
        #expect(await RunningProcess.poll(until: .now + .seconds(10)) { ProcessTree.status(of: pid) == nil })
    }

    @Test("waiting for a line returns what the line says, and fails with the output when it never comes")
    func lines() async throws {
        let server = try await RunningProcess.start("sh", ["-c", "echo starting; sleep 0.1; echo READY 4242; sleep 300"])
        let port = try await server.waitForLine { line in line.hasPrefix("READY ") ? Int(line.dropFirst(6)) : nil }
        #expect(port == 4242)
        await server.stop()

        let quitter = try await RunningProcess.start("sh", ["-c", "echo no luck; exit 1"])
        let started = ContinuousClock.now
        await #expect(throws: RunningProcess.Failure.self) { try await quitter.waitForLine(timeout: .seconds(20)) { _ in Optional<Int>.none } }
        #expect(ContinuousClock.now - started < .seconds(10), "it gives up once the child has ended")
    }

    @Test("a run that outlives its timeout is stopped and reported")
    func timeout() async throws {
        let started = ContinuousClock.now
        await #expect(throws: RunningProcess.Failure.self) { try await ProcessRunner.run("sleep", ["300"], timeout: .milliseconds(200)) }
        #expect(ContinuousClock.now - started < .seconds(10))
        await #expect(throws: RunningProcess.Failure.self) { try await RunningProcess.start("genmon-no-such-program", []) }
        await #expect(throws: ProcessRunner.ToolFailure.self) { try await ProcessRunner.check("sh", ["-c", "exit 2"]) }
    }

    @Test("waiting for a listener sees the port bound, and gives up at once when the process ends")
    func listening() async throws {
        // Other suites open ports meanwhile: take a free port that nobody has bound since it was chosen.
        var port = try LoopbackPort.free()
        for _ in 0..<20 where LoopbackPort.isTaken(port) { port = try LoopbackPort.free() }
        try #require(!LoopbackPort.isTaken(port))
        let script = "import socket, time; time.sleep(0.2); s = socket.socket(); s.bind(('127.0.0.1', \(port))); s.listen(); time.sleep(300)"
        let server = try await RunningProcess.start("python3", ["-c", script])
        try await server.waitUntilListening(on: [port], timeout: .seconds(20))
        #expect(LoopbackPort.isTaken(port))
        await server.stop()
        #expect(await LoopbackPort.waitUntilFree([port]))

        let quitter = try await RunningProcess.start("sh", ["-c", "exit 3"])
        let started = ContinuousClock.now
        await #expect(throws: RunningProcess.Failure.self) { try await quitter.waitUntilListening(on: [port], timeout: .seconds(20)) }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
