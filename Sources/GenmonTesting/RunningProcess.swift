import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process that keeps running while the test talks to it: the built `genmon`, or a real peer
/// (mosquitto, Dovecot, a Python SMTP server). Its output is collected by a thread of its own and it
/// is reaped by another, so nothing here blocks the cooperative pool (two threads on a two-core
/// machine) and no zombie is left. It is killed, helpers and all, when dropped; `stop()` ends it
/// properly (SIGTERM, then SIGKILL after a grace period).
public final class RunningProcess: Sendable {
    /// How a child ended: its exit status, or the signal that ended it.
    public struct Termination: Sendable, Equatable, CustomStringConvertible {
        public enum Reason: Sendable { case exit, uncaughtSignal }
        public let status: Int32
        public let reason: Reason

        public var description: String { reason == .exit ? "exit status \(status)" : "signal \(status)" }

        /// Decodes a wait status.
        init(waitStatus: Int32) {
            let signal = waitStatus & 0x7F
            (status, reason) = signal == 0 ? ((waitStatus >> 8) & 0xFF, .exit) : (signal, .uncaughtSignal)
        }
    }

    /// What the child reads on its standard input.
    public enum Input: Sendable {
        case none
        /// This text, then end-of-file.
        case text(String)
        /// A pipe kept open until `closeInput()` or `stop()`: a server that exits when its input
        /// ends goes away with the test even if the test process dies.
        case open
    }

    public enum Failure: Error, CustomStringConvertible {
        case notBuilt
        case notFound(String)
        case spawnFailed(String, Int32)
        case noOutput(String, printed: String)
        case notListening(ports: [Int], printed: String)
        case timedOut(String, printed: String)

        public var description: String {
            switch self {
            case .notBuilt: "the genmon executable is not built next to the tests"
            case let .notFound(name): "\(name) is not installed (not found on the PATH)"
            case let .spawnFailed(name, code): "cannot start \(name): \(String(cString: strerror(code)))"
            case let .noOutput(text, printed): "waited in vain for \"\(text)\"; the process printed:\n\(printed)"
            case let .notListening(ports, printed): "nothing listened on port(s) \(ports); the process printed:\n\(printed)"
            case let .timedOut(command, printed): "\(command) did not finish in time; it printed:\n\(printed)"
            }
        }
    }

    public let pid: pid_t
    /// The program and its arguments, for messages.
    public let command: String
    let shared: ChildState

    /// Starts `program` (a path, or a name looked up on the PATH) and returns once it runs.
    /// `lowPriority` runs it under `nice -n 19`, so other suites' timing checks keep their CPU.
    public static func start(_ program: String, _ arguments: [String], environment: [String: String]? = nil, workingDirectory: URL? = nil,
                             input: Input = .none, errors: ProcessRunner.ErrorOutput = .merged,
                             lowPriority: Bool = false) async throws -> RunningProcess {
        guard let path = Spawn.resolve(program, environment: environment) else { throw Failure.notFound(program) }
        var executable = path, words = arguments
        if lowPriority, let nice = Spawn.resolve("/usr/bin/nice") {
            (executable, words) = (nice, ["-n", "19", path] + arguments)
        }
        let inputKind: Spawn.Standard = if case .none = input { .nullDevice } else { .pipe }
        let child = try await Spawn.start(executable, words, environment: environment, workingDirectory: workingDirectory?.path,
                                          input: inputKind, errors: errors)
        return RunningProcess(child, command: ([path] + arguments).joined(separator: " "), input: input)
    }

    /// Starts the program at `executable` (see the other `start`).
    public static func start(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, workingDirectory: URL? = nil,
                             input: Input = .none, errors: ProcessRunner.ErrorOutput = .merged,
                             lowPriority: Bool = false) async throws -> RunningProcess {
        try await start(executable.path, arguments, environment: environment, workingDirectory: workingDirectory,
                        input: input, errors: errors, lowPriority: lowPriority)
    }

    private init(_ child: Spawn.Child, command: String, input: Input) {
        pid = child.pid
        self.command = command
        shared = ChildState(pid: child.pid)
        shared.collect(child.output, into: \.output)
        if let errors = child.errors { shared.collect(errors, into: \.errors) }
        shared.reapWhenEnded()
        switch input {
        case .none: break
        case let .text(text): if let fd = child.input { ChildState.write(Array(text.utf8), to: fd) }
        case .open: shared.state.withLock { $0.input = child.input }
        }
    }

    deinit { killNow() }

    /// Everything printed so far on standard output (and standard error when merged).
    public var output: String { shared.state.withLock { String(decoding: $0.output, as: UTF8.self) } }
    /// Standard error, when it is collected separately.
    public var errorOutput: String { shared.state.withLock { String(decoding: $0.errors, as: UTF8.self) } }
    /// How it ended, once it has ended (its output may still be arriving).
    public var termination: Termination? { shared.state.withLock { $0.termination } }
    public var isRunning: Bool { termination == nil }

    /// Sends `signal` to the process itself, unless it has already been reaped.
    public func signal(_ signal: Int32) { shared.signal(signal) }

    /// Closes the standard input kept open by `.open`.
    public func closeInput() { shared.closeInput() }

    /// Kills the process and every descendant at once (SIGKILL) without waiting; its threads reap it.
    public func killNow() {
        shared.closeInput()
        shared.killHelpers()
        shared.signal(SIGKILL)
        shared.killOrphans()
    }
}
