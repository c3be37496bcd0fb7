import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn for test children, with what Foundation's `Process` does not give them: a clean
/// signal mask and default dispositions (the test runner blocks SIGTERM, and a blocked signal is
/// inherited: Dovecot and mosquitto would never see it), no descriptors but the three standard ones,
/// and a lifeline: through `setpriv --pdeathsig KILL`, a child is killed when the test process dies,
/// however it dies (a `genmon run` orphaned by a killed test run kept reopening the pseudo-terminal
/// path it had been given, and took that terminal from the next test that was handed its number).
enum Spawn {
    /// The parent's ends of a spawned child's pipes (each nil when that stream is not a pipe).
    struct Child: Sendable {
        let pid: pid_t
        let input: Int32?
        let output: Int32
        let errors: Int32?
    }

    enum Standard: Sendable {
        case nullDevice
        case pipe
    }

    /// setpriv (util-linux), which sets the parent-death signal and then runs the program.
    static let lifeline = resolve("/usr/bin/setpriv")

    /// Starts `executable` with `arguments`, from the spawner thread. Standard output is always a
    /// pipe; standard error is merged into it, a pipe of its own, or /dev/null.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]?, workingDirectory: String?,
                      input: Standard, errors: ProcessRunner.ErrorOutput) async throws -> Child {
        var program = executable, words = arguments
        if let lifeline { (program, words) = (lifeline, ["--pdeathsig", "KILL", "--", executable] + arguments) }
        return try await SpawnerThread.shared.run { [program, words] in
            try startHere(program, words, environment: environment, workingDirectory: workingDirectory, input: input, errors: errors)
        }
    }

    private static func startHere(_ executable: String, _ arguments: [String], environment: [String: String]?, workingDirectory: String?,
                                  input: Standard, errors: ProcessRunner.ErrorOutput) throws -> Child {
        var pipes: [Int32] = []
        func makePipe() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [-1, -1]
            if let pipeWithFlags = GNUSpawnActions.pipeWithFlags {
                guard pipeWithFlags(&ends, O_CLOEXEC) == 0 else { throw RunningProcess.Failure.spawnFailed(executable, errno) }
            } else {
                guard Glibc.pipe(&ends) == 0 else { throw RunningProcess.Failure.spawnFailed(executable, errno) }
                ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
            }
            pipes += ends
            return (ends[0], ends[1])
        }
        do {
            let inputPipe = input == .pipe ? try makePipe() : nil
            let outputPipe = try makePipe()
            let errorPipe = errors == .separate ? try makePipe() : nil

            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            if let inputPipe {
                posix_spawn_file_actions_adddup2(&actions, inputPipe.read, 0)
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            posix_spawn_file_actions_adddup2(&actions, outputPipe.write, 1)
            switch errors {
            case .merged: posix_spawn_file_actions_adddup2(&actions, outputPipe.write, 2)
            case .separate: posix_spawn_file_actions_adddup2(&actions, errorPipe?.write ?? -1, 2)
            case .discarded: posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
            // Every other descriptor stays behind: a child holding a test's socket or another child's
            // pipe would keep a port bound or an end-of-file from coming.
            _ = GNUSpawnActions.closeFrom?(&actions, 3)
            if let workingDirectory {
                guard let changeDirectory = GNUSpawnActions.changeDirectory else {
                    throw RunningProcess.Failure.spawnFailed(executable + " (no posix_spawn chdir in this C library)", ENOSYS)
                }
                _ = changeDirectory(&actions, workingDirectory)
            }

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t(), all = sigset_t()
            sigemptyset(&none)
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            let environmentLines = environment.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } }
            let envp = environmentLines.map { $0.map { strdup($0) } + [nil] }
            defer { envp?.forEach { free($0) } }
            var pid: pid_t = 0
            let result = envp.map { posix_spawn(&pid, executable, &actions, &attributes, argv, $0) }
                ?? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
            guard result == 0 else { throw RunningProcess.Failure.spawnFailed(executable, result) }

            // The child has its copies; the parent keeps only its own ends.
            close(outputPipe.write)
            if let inputPipe { close(inputPipe.read) }
            if let errorPipe { close(errorPipe.write) }
            return Child(pid: pid, input: inputPipe?.write, output: outputPipe.read, errors: errorPipe?.read)
        } catch {
            pipes.forEach { close($0) }
            throw error
        }
    }

    /// The program `name` names: a path as it is, a bare name looked up on the PATH.
    static func resolve(_ name: String, environment: [String: String]? = nil) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// The one thread that starts children. Linux sends the parent-death signal when the *thread* that
/// started the child ends, and a cooperative pool thread may end whenever it idles: this thread lives
/// as long as the test process. It blocks the asynchronous signals, so they go to other threads, and
/// children get a clean mask only because posix_spawn sets one.
private final class SpawnerThread: Sendable {
    static let shared = SpawnerThread()
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    /// Counts queued jobs; only the spawner thread waits on it.
    private let queued = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            var blocked = sigset_t()
            sigfillset(&blocked)
            for fault in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT] { sigdelset(&blocked, fault) }
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            while true {
                self.queued.wait()
                let job = self.jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                job?()
            }
        }
        thread.name = "genmon-test-spawner"
        thread.start()
    }

    /// Runs `work` on the spawner thread; the caller waits suspended, not on a thread.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(with: Result { try work() }) } }
            queued.signal()
        }
    }
}

/// glibc's extensions that Swift's Glibc module does not import (they need _GNU_SOURCE),
/// looked up at run time.
private enum GNUSpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias PipeWithFlags = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// posix_spawn_file_actions_addclosefrom_np (glibc 2.34).
    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    /// posix_spawn_file_actions_addchdir_np (glibc 2.29).
    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    /// pipe2, for pipes that are close-on-exec from the start (a child another test spawns at
    /// that moment must not inherit them).
    static let pipeWithFlags: PipeWithFlags? = symbol("pipe2")

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
