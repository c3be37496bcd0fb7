import Foundation

/// Runs programs for tests and benchmarks to their end: the built `genmon`, tools such as curl,
/// openssl or zbarimg. Each child is a `RunningProcess`: started with a clean signal mask, read and
/// reaped by plain threads, so awaiting it never blocks the cooperative thread pool.
public enum ProcessRunner {
    /// What happens to a child's standard error.
    public enum ErrorOutput: Sendable {
        /// Interleaved with standard output, as a terminal shows them.
        case merged
        /// Collected on its own (`RunningProcess.errorOutput`).
        case separate
        case discarded
    }

    /// Runs `program` (a path, or a name on the PATH) to its end and returns what it printed and its
    /// exit status (the signal's number if a signal ended it). `lowPriority` runs it under `nice`.
    /// A program still running after `timeout` is stopped, and the run fails saying so.
    public static func run(_ program: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
                           workingDirectory: URL? = nil, errors: ErrorOutput = .merged, lowPriority: Bool = false,
                           timeout: Duration = .seconds(120)) async throws -> (output: String, status: Int32) {
        let process = try await RunningProcess.start(program, arguments, environment: environment, workingDirectory: workingDirectory,
                                                     input: input.map { .text($0) } ?? .none, errors: errors, lowPriority: lowPriority)
        guard let end = await process.waitForExit(timeout: timeout) else {
            await process.stop(grace: .seconds(1))
            throw RunningProcess.Failure.timedOut(process.command, printed: process.output)
        }
        return (process.output, end.status)
    }

    /// Runs the program at `executable` to its end (see the other `run`).
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
                           workingDirectory: URL? = nil, errors: ErrorOutput = .merged, lowPriority: Bool = false,
                           timeout: Duration = .seconds(120)) async throws -> (output: String, status: Int32) {
        try await run(executable.path, arguments, input: input, environment: environment, workingDirectory: workingDirectory,
                      errors: errors, lowPriority: lowPriority, timeout: timeout)
    }

    /// Runs a tool that must succeed; its output when it does, a failure naming it and quoting it otherwise.
    @discardableResult
    public static func check(_ program: String, _ arguments: [String], input: String? = nil, workingDirectory: URL? = nil,
                             timeout: Duration = .seconds(120)) async throws -> String {
        let (output, status) = try await run(program, arguments, input: input, workingDirectory: workingDirectory, timeout: timeout)
        guard status == 0 else { throw ToolFailure(command: ([program] + arguments).joined(separator: " "), status: status, output: output) }
        return output
    }

    /// A tool that `check` ran ended with a non-zero status.
    public struct ToolFailure: Error, CustomStringConvertible {
        public let command: String
        public let status: Int32
        public let output: String
        public var description: String { "\(command) failed with status \(status):\n\(output)" }
    }
}

/// The `genmon` executable SwiftPM built next to the test bundle or benchmark.
public enum GenmonExecutable {
    public static let url: URL? = {
        var directories: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return directories.map { $0.appendingPathComponent("genmon") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    public static var isBuilt: Bool { url != nil }

    /// Runs `genmon` with `arguments` to its end (at low priority).
    public static func run(_ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
                           errors: ProcessRunner.ErrorOutput = .merged) async throws -> (output: String, status: Int32) {
        guard let url else { throw RunningProcess.Failure.notBuilt }
        return try await ProcessRunner.run(url, arguments, input: input, environment: environment, errors: errors, lowPriority: true)
    }

    /// Starts `genmon` with `arguments` (at low priority) and returns once it runs.
    public static func start(_ arguments: [String], environment: [String: String]? = nil,
                             errors: ProcessRunner.ErrorOutput = .merged) async throws -> RunningProcess {
        guard let url else { throw RunningProcess.Failure.notBuilt }
        return try await RunningProcess.start(url, arguments, environment: environment, errors: errors, lowPriority: true)
    }
}
