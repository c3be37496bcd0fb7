import Foundation
import GenmonTesting
import Testing

/// Scripts/hot-code-order.py turns callgrind dumps into the linker's symbol ordering for release
/// builds: the functions that ran while genmon polled first, then those that ran only at start-up.
@Suite("The hot-code ordering from callgrind dumps")
struct HotCodeOrderTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Scripts/hot-code-order.py").standardized.path

    /// A small program with four functions, defined in this order (so at rising addresses).
    static func buildProgram(in directory: URL) async throws -> String {
        let source = directory.appendingPathComponent("program.c")
        try """
        int alpha(int x) { return x + 1; }
        int bravo(int x) { return x * 2; }
        int charlie(int x) { return alpha(x) - 3; }
        int delta(int x) { return bravo(x) ^ 5; }
        int main(int argc, char **argv) { (void)argv; return charlie(argc) + delta(argc); }
        """.write(to: source, atomically: true, encoding: .utf8)
        let program = directory.appendingPathComponent("program").path
        let clang = FileManager.default.isExecutableFile(atPath: "/opt/swift/usr/bin/clang") ? "/opt/swift/usr/bin/clang" : "clang"
        let (output, status) = try await ProcessRunner.run(clang, ["-O0", "-o", program, source.path])
        try #require(status == 0, "clang failed: \(output)")
        return program
    }

    @Test("functions that ran while polling come first, start-up ones after, each group in address order; other objects are left out")
    func ordersRoutineThenStartUp() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hot-code-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let program = try await Self.buildProgram(in: directory)
        // Routine polling: delta ran (with a cost line), and called bravo; compressed names, a
        // recursion mark, and a libc function that must not be listed.
        let routine = """
        # callgrind format
        version: 1
        events: Ir

        ob=(1) \(program)
        fl=(1) program.c
        fn=(10) delta
        4 12
        cfn=(11) bravo'2
        calls=3 2
        4 30
        ob=(2) /usr/lib/x86_64-linux-gnu/libc.so.6
        fn=(12) memcpy
        1 99
        ob=(1)
        fn=(10)
        5 1
        """
        // Start-up: everything ran; what already ran while polling is not listed twice.
        let startUp = """
        # callgrind format
        version: 1
        events: Ir

        ob=(1) \(program)
        fn=(1) main
        1 5
        fn=(2) charlie
        3 4
        fn=(3) alpha
        1 2
        fn=(4) delta
        4 3
        fn=(5) bravo
        2 2
        fn=(6) not_in_the_program
        1 1
        """
        let routineDump = directory.appendingPathComponent("calls.1").path, startUpDump = directory.appendingPathComponent("calls.2").path
        try routine.write(toFile: routineDump, atomically: true, encoding: .utf8)
        try startUp.write(toFile: startUpDump, atomically: true, encoding: .utf8)

        let (output, status) = try await ProcessRunner.run("python3", [Self.script, program, routineDump, startUpDump], errors: .separate)
        #expect(status == 0)
        #expect(output.split(separator: "\n") == ["bravo", "delta", "alpha", "charlie", "main"])
    }

    @Test("a dump that is not callgrind's, an empty one, a missing one, a missing binary: a clear error, no list")
    func refusesWhatItCannotRead() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hot-code-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let program = try await Self.buildProgram(in: directory)
        var generator = SystemRandomNumberGenerator()
        let garbage = directory.appendingPathComponent("garbage").path, empty = directory.appendingPathComponent("empty").path
        try Data((0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: garbage))
        try Data().write(to: URL(fileURLWithPath: empty))
        let cases: [(arguments: [String], says: String)] = [
            ([program, garbage], "no function of"), ([program, empty], "no function of"),
            ([program, directory.appendingPathComponent("missing").path], "No such file"),
            ([directory.appendingPathComponent("no-binary").path, empty], "nm could not read"),
        ]
        for (arguments, says) in cases {
            let (output, status) = try await ProcessRunner.run("python3", [Self.script] + arguments)
            #expect(status == 1, "\(arguments)")
            #expect(output.contains(says) && !output.contains("Traceback"), "\(arguments): \(output)")
        }
    }

    @Test("without dumps it explains how to use it and fails")
    func refusesWithoutDumps() async throws {
        let (output, status) = try await ProcessRunner.run("python3", [Self.script, "/bin/true"])
        #expect(status != 0)
        #expect(output.contains("Usage: hot-code-order.py BINARY DUMP"))
    }
}
