import Foundation
import Synchronization

/// Runs programs for tests and benchmarks: the built `genmon`, real peers (curl, mosquitto,
/// dovecot, a Python SMTP server), with blocking reads and waits kept off the cooperative thread
/// pool (two threads on a two-core machine).
public enum ProcessRunner {
    /// What happens to a child's standard error.
    public enum ErrorOutput: Sendable {
        /// Interleaved with standard output, as a terminal shows them.
        case merged
        case discarded
    }

    /// `nice`, to run children at the lowest priority so other suites' timing checks keep their CPU.
    static let nice: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") ? "/usr/bin/nice" : nil

    /// Runs a program to its end and returns what it printed and its exit status.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
                           errors: ErrorOutput = .merged, lowPriority: Bool = false) async throws -> (output: String, status: Int32) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    let process = makeProcess(executable, arguments, environment: environment, lowPriority: lowPriority)
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = errors == .merged ? output : FileHandle.nullDevice
                    let stdin = Pipe()
                    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
                    try process.run()
                    if let input {
                        stdin.fileHandleForWriting.write(Data(input.utf8))
                        try? stdin.fileHandleForWriting.close()
                    }
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (String(decoding: data, as: UTF8.self), process.terminationStatus))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    static func makeProcess(_ executable: URL, _ arguments: [String], environment: [String: String]?, lowPriority: Bool) -> Process {
        let process = Process()
        if lowPriority, let nice {
            process.executableURL = URL(fileURLWithPath: nice)
            process.arguments = ["-n", "19", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let environment { process.environment = environment }
        return process
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

    /// Starts `genmon` with `arguments` and returns at once.
    public static func start(_ arguments: [String], environment: [String: String]? = nil) throws -> RunningProcess {
        guard let url else { throw RunningProcess.Failure.notBuilt }
        return try RunningProcess(url, arguments, environment: environment, lowPriority: true)
    }
}

/// A child process that keeps running while the test talks to it; its output is collected as it
/// comes. It is killed when dropped, so a failing test leaves nothing behind.
public final class RunningProcess: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case notBuilt
        case noOutput(String, printed: String)

        public var description: String {
            switch self {
            case .notBuilt: "the genmon executable is not built next to the tests"
            case let .noOutput(text, printed): "waited in vain for \"\(text)\"; the process printed:\n\(printed)"
            }
        }
    }

    private final class Collected: Sendable {
        let text = Mutex("")
        let exit = Mutex<(status: Int32, reason: Process.TerminationReason)?>(nil)
    }

    private let process: Process
    private let collected = Collected()
    /// Held open for children that stop when their standard input closes (the SMTP test server).
    private let input: Pipe?

    /// - Parameter keepsInputOpen: give the child a standard input that stays open while this value
    ///   lives (and closes when it is dropped), instead of an empty one.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, lowPriority: Bool = false,
                keepsInputOpen: Bool = false) throws {
        process = ProcessRunner.makeProcess(executable, arguments, environment: environment, lowPriority: lowPriority)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        input = keepsInputOpen ? Pipe() : nil
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        let collected = self.collected, process = self.process
        Thread {
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                collected.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            process.waitUntilExit()
            collected.exit.withLock { $0 = (process.terminationStatus, process.terminationReason) }
        }.start()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? input?.fileHandleForWriting.close()
    }

    public var pid: Int32 { process.processIdentifier }
    /// Everything printed so far (standard output and error together).
    public var output: String { collected.text.withLock { $0 } }
    /// The exit status and how it ended, once it has ended and its output is read.
    public var termination: (status: Int32, reason: Process.TerminationReason)? { collected.exit.withLock { $0 } }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits until the output contains `text` (or the process ends, or `timeout` passes).
    @discardableResult
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let printed = output
            if printed.contains(text) { return printed }
            if termination != nil { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure.noOutput(text, printed: output)
    }

    /// Waits for the process to end; nil when it is still running after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(30)) async -> (status: Int32, reason: Process.TerminationReason)? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let termination { return termination }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

/// A loopback TCP port that is bound but not listening, held for as long as this value lives:
/// connecting to it is refused for certain, and no other test can take it meanwhile (a port freed
/// by closing a server may be handed to the next server any test starts).
public final class RefusingPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let bound = try RefusingPortDescriptor()
        port = bound.port
        descriptor = bound.take()
    }

    deinit { close(descriptor) }
}

/// A TCP socket bound to a free loopback port.
struct RefusingPortDescriptor {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Hands the descriptor to its owner.
    func take() -> Int32 { fd }
}

/// A loopback TCP port with a listener on it that accepts nothing: for "the port is taken" tests.
public final class ListeningPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let refusing = try RefusingPortDescriptor()
        guard listen(refusing.fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        descriptor = refusing.take()
        port = refusing.port
    }

    deinit { close(descriptor) }
}
