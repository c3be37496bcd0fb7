import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import ModbusTransport
import NIOCore
import NIOPosix
import Testing

/// A TCP listener that accepts and then says nothing (a hung monitor).
func withSilentListener<T>(_ body: (Int) async throws -> T) async throws -> T {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelOption(.autoRead, value: false)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(channel.localAddress?.port)
    do {
        let result = try await body(port)
        try? await channel.close()
        return result
    } catch {
        try? await channel.close()
        throw error
    }
}

@Suite("genmon check (Nagios)")
struct NagiosCheckTests {
    @Test("exit code and output line follow the generator's state", arguments: [
        (UInt16(0x0000), UInt16(0x0000), true, "OK : Auto, Off - Ready", Int32(0)),
        (0x0003, 0x0000, true, "OK : Auto, Running", 0),
        (0x0008, 0x000A, true, "CRITICAL: System in alarm! : System in Alarm, Stopped in Alarm", 2),
        (0x0000, 0x0000, false, "WARNING:  Not receiving data. : Auto, Off - Ready", 1),
    ])
    func states(engine: UInt16, mode: UInt16, receiving: Bool, line: String, code: Int32) async throws {
        var state = try snapshot { $0.setStatus(engine: engine, mode: mode) }
        state.communication.isReceiving = receiving
        try await withServer(state) { server, _ in
            let result = await NagiosCheck.run(host: "127.0.0.1", port: server.port)
            #expect(result == NagiosCheck.Result(output: line, exitCode: code))
        }
    }

    @Test("nothing listening: CRITICAL, monitor not running")
    func notRunning() async throws {
        let closed = try RefusingPort()
        #expect(await NagiosCheck.run(host: "127.0.0.1", port: closed.port) == NagiosCheck.Result(output: "CRITICAL: Monitor Program not running", exitCode: 2))
    }

    @Test("a monitor that accepts but sends nothing: CRITICAL, no data")
    func noData() async throws {
        try await withSilentListener { port in
            #expect(await NagiosCheck.run(host: "127.0.0.1", port: port, timeout: .milliseconds(500))
                == NagiosCheck.Result(output: "CRITICAL: No Data", exitCode: 2))
        }
    }

    @Test("classification is by the greeting's first word; non-ASCII is no data")
    func classify() {
        #expect(NagiosCheck.classify("CRITICAL: System in alarm! : System in Alarm, BLOCKED FUEL").exitCode == 2)
        #expect(NagiosCheck.classify("WARNING: System Initializing. : Auto, Off - Ready").exitCode == 1)
        #expect(NagiosCheck.classify("OK : Auto, Exercising").exitCode == 0)
        #expect(NagiosCheck.classify("Something else").exitCode == 1)
        #expect(NagiosCheck.classify("caf\u{E9}") == NagiosCheck.noData)
        #expect(NagiosCheck.classify("") == NagiosCheck.noData)
    }

    @Test("arguments: -H is required, -h and a missing host exit 1, unknown options exit 2")
    func arguments() {
        #expect(ToolArguments.nagios(["-H", "pi.local"]) == .success(.init(host: "pi.local", port: 9082)))
        #expect(ToolArguments.nagios(["-Hpi.local", "-p", "9000"]) == .success(.init(host: "pi.local", port: 9000)))
        #expect(ToolArguments.nagios([]) == .failure(.init(exitCode: 1)))
        #expect(ToolArguments.nagios(["-h"]) == .failure(.init(exitCode: 1)))
        #expect(ToolArguments.nagios(["-H", "x", "--verbose"]) == .failure(.init(exitCode: 2)))
        #expect(ToolArguments.nagios(["-H"]) == .failure(.init(exitCode: 2)))
        #expect(ToolArguments.nagios(["-H", "x", "-p", "99999"]) == .failure(.init(exitCode: 2)))
    }
}

@Suite("genmon log (CSV state log)")
struct StateLoggerTests {
    static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("genmon-log-\(UUID().uuidString).csv").path
    }

    @Test("rows use spreadsheet serial dates in Python's shortest float form")
    func rows() {
        let file = StateLogFile(path: "/dev/null", timeZone: .utc)
        let date = Date(timeIntervalSince1970: 1_764_082_805) // 2025-11-25 15:00:05 UTC
        #expect(file.row(time: date, state: "EXERCISING") == "45986.62505787037,EXERCISING")
        #expect(file.row(time: Date(timeIntervalSince1970: 1_764_082_805 + 0.9), state: "X") == "45986.62505787037,X")
        // The examples of the original's documentation.
        #expect(file.row(time: Date(timeIntervalSince1970: 1_763_975_523), state: "READY") == "45985.383368055554,READY")
        #expect(file.row(time: Date(timeIntervalSince1970: 1_764_083_560), state: "READY") == "45986.63379629629,READY")
        #expect(file.row(time: Date(timeIntervalSince1970: 1_764_028_800), state: "READY") == "45986.0,READY")
    }

    @Test("the header is written once, to an empty or missing file")
    func header() throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = StateLogFile(path: path, timeZone: .utc)
        try file.append(time: Date(timeIntervalSince1970: 1_764_028_800), state: "READY")
        try file.append(time: Date(timeIntervalSince1970: 1_764_028_800), state: "OFF")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "Time,Event\n45986.0,READY\n45986.0,OFF\n")
    }

    @Test("a scripted change of base status gives one row per change, across a monitor restart")
    func scriptedChanges() async throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let service = FixedGeneratorService(snapshot: try snapshot())
        var configuration = LegacyCommandServer.Configuration(port: 0)
        let first = try await LegacyCommandServer.start(dispatcher: makeDispatcher(service), configuration: configuration)
        let port = first.port
        let logger = StateLogger(host: "127.0.0.1", port: port, file: StateLogFile(path: path, timeZone: .utc),
                                 interval: .milliseconds(30), clock: { Date(timeIntervalSince1970: 1_764_028_800) })
        let running = Task { await logger.run() }

        func rows() -> [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func waitFor(_ count: Int) async {
            for _ in 0..<300 where rows().count < count { try? await Task.sleep(for: .milliseconds(20)) }
        }

        await waitFor(2)
        await service.update(try snapshot { $0.setStatus(engine: 0x0004, mode: 0x0000) })
        await waitFor(3)
        await service.update(try snapshot { $0.setStatus(engine: 0x0004, mode: 0x0000) }) // no change: no row
        try await Task.sleep(for: .milliseconds(150))
        // The monitor restarts on the same port with a new state.
        await first.close()
        await service.update(try snapshot { $0.setStatus(engine: 0x0008, mode: 0x000A) })
        try await Task.sleep(for: .milliseconds(100))
        configuration.port = port
        let second = try await LegacyCommandServer.start(dispatcher: makeDispatcher(service), configuration: configuration)
        await waitFor(4)
        running.cancel()
        await running.value
        await second.close()
        #expect(rows() == ["Time,Event", "45986.0,READY", "45986.0,EXERCISING", "45986.0,ALARM"])
    }
}

@Suite("genmon client")
struct ClientToolTests {
    @Test("the first word is the host unless it reads as a command")
    func positionals() {
        #expect(ToolArguments.client([]) == (nil, nil))
        #expect(ToolArguments.client(["status"]) == (nil, "status"))
        #expect(ToolArguments.client(["STATUS", "maint"]) == (nil, "STATUS maint"))
        #expect(ToolArguments.client(["setremote=stop"]) == (nil, "setremote=stop"))
        #expect(ToolArguments.client(["generator:", "getbase"]) == (nil, "generator: getbase"))
        #expect(ToolArguments.client(["pi.local"]) == ("pi.local", nil))
        #expect(ToolArguments.client(["192.168.1.20", "getbase", "gethealth"]) == ("192.168.1.20", "getbase gethealth"))
    }

    @Test("typed lines: exit leaves, the prefix is optional, --json picks the JSON forms")
    func input() {
        #expect(ClientInput(line: "exit") == .quit)
        #expect(ClientInput(line: "  EXIT ") == .quit)
        #expect(ClientInput(line: "   ") == .nothing)
        #expect(ClientInput(line: "status") == .send("generator: status"))
        #expect(ClientInput(line: "Generator: status") == .send("Generator: status"))
        #expect(ClientInput.jsonForm(of: "status maint getbase") == "status_json maint_json getbase")
    }

    @Test("the prompt edits, moves and recalls history")
    func lineEditor() {
        var editor = ClientLineEditor()
        for key in ClientLineEditor.keys(from: Array("statsu".utf8)) + [.backspace, .backspace, .character("u"), .character("s")] {
            _ = editor.apply(key)
        }
        #expect(editor.apply(.enter) == .submit("status"))
        for key in ClientLineEditor.keys(from: Array("getbase\r".utf8)) { _ = editor.apply(key) }
        #expect(editor.history == ["status", "getbase"])
        _ = editor.apply(.character("x"))
        _ = editor.apply(.up)
        #expect(editor.text == "getbase")
        _ = editor.apply(.up)
        #expect(editor.text == "status")
        _ = editor.apply(.up)
        #expect(editor.text == "status")
        _ = editor.apply(.down)
        _ = editor.apply(.down)
        #expect(editor.text == "x")
        for key in ClientLineEditor.keys(from: [0x1B, 0x5B, 0x44, 0x61, 0x01, 0x62]) { _ = editor.apply(key) } // ←, a, Ctrl-A, b
        #expect(editor.text == "bax")
        _ = editor.apply(.cancel)
        #expect(editor.text.isEmpty)
        #expect(editor.apply(.endOfInput) == .quit)
        #expect(ClientLineEditor.keys(from: [0x1B, 0x5B, 0x33, 0x7E, 0x1B, 0x5B, 0x41]) == [.delete, .up])
    }
}

/// The built genmon's standard output (its errors are not part of what these tests compare).
func runGenmon(_ arguments: [String], input: String? = nil) async throws -> (output: String, status: Int32) {
    try await GenmonExecutable.run(arguments, input: input, errors: .discarded)
}

@Suite("The genmon executable, end to end", .enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"), .tags(.process), .slowTier)
struct ExecutableTests {
    @Test("genmon check prints the greeting and exits with the Nagios code")
    func check() async throws {
        try await withServer(try snapshot { $0.setStatus(engine: 0x0008, mode: 0x000A) }) { server, _ in
            let result = try await runGenmon(["check", "-H", "127.0.0.1", "-p", String(server.port)])
            #expect(result == ("CRITICAL: System in alarm! : System in Alarm, Stopped in Alarm\n", 2))
        }
        let usage = try await runGenmon(["check"])
        #expect(usage.status == 1)
    }

    @Test("genmon client --json status prints the status_json reply")
    func client() async throws {
        try await withServer { server, service in
            let result = try await runGenmon(["client", "--port", String(server.port), "--json", "status"])
            #expect(result.status == 0)
            let direct = try #require(body(await makeDispatcher(service).reply(to: "generator: status_json", origin: localOrigin)))
            #expect(result.output == direct + "\n")
        }
    }

    @Test("genmon client exits non-zero when nothing listens")
    func nothingListens() async throws {
        let closed = try RefusingPort()
        let refused = try await runGenmon(["client", "--port", String(closed.port), "getbase"])
        #expect(refused.status != 0)
        #expect(refused.output.isEmpty)
    }

    @Test("genmon client reads commands line by line when its input is not a terminal")
    func interactiveFromPipe() async throws {
        try await withServer { server, _ in
            let result = try await runGenmon(["client", "--port", String(server.port)], input: "getbase\n\ngenerator: gethealth getsitename\nexit\ngetbase\n")
            #expect(result == ("OK : Auto, Off - Ready\nREADY\nOKTestSite\n", 0))
        }
    }
}
