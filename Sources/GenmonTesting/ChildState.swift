import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child's collected output and end, shared with the plain threads that read and reap it.
/// They hold this, not the `RunningProcess`, so dropping that still kills the child.
final class ChildState: Sendable {
    struct State {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        /// Output pipes not yet at end-of-file.
        var openStreams = 0
        var termination: RunningProcess.Termination?
        /// The write end of an `.open` standard input, until it is closed.
        var input: Int32?
        /// Every descendant seen, for the sweep after the child has gone.
        var helpers: Set<pid_t> = []
    }

    let pid: pid_t
    let state = Mutex(State())

    init(pid: pid_t) { self.pid = pid }

    /// Reads `fd` to its end on a thread of its own, appending to `stream`, then closes it.
    func collect(_ fd: Int32, into stream: WritableKeyPath<State, [UInt8]> & Sendable) {
        state.withLock { $0.openStreams += 1 }
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    state.withLock { $0[keyPath: stream] += buffer[0..<count] }
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(fd)
            state.withLock { $0.openStreams -= 1 }
        }.start()
    }

    /// Waits for the child's end on a thread of its own and reaps it. The wait leaves the child a
    /// zombie (WNOWAIT) until the lock is held, so `signal` never reaches a recycled process id.
    func reapWhenEnded() {
        Thread { [self] in
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            state.withLock { state in
                var status: Int32 = 0
                let reaped = waitpid(pid, &status, 0) == pid
                state.termination = reaped ? .init(waitStatus: status) : .init(waitStatus: SIGKILL)
            }
        }.start()
    }

    /// Writes `bytes` to `fd` on a thread of its own, then closes it. SIGPIPE is blocked on that
    /// thread: a child that exits without reading gives EPIPE, not the end of the test runner.
    static func write(_ bytes: [UInt8], to fd: Int32) {
        Thread {
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { break }
            }
            close(fd)
        }.start()
    }

    func signal(_ signal: Int32) {
        state.withLock { state in
            if state.termination == nil { kill(pid, signal) }
        }
    }

    func closeInput() {
        state.withLock { state in
            if let fd = state.input { close(fd) }
            state.input = nil
        }
    }

    /// SIGKILLs the child's descendants, youngest generation first, while the child still lives to
    /// reap them (an orphan's zombie would wait for an init that may never reap it). Returns them.
    @discardableResult
    func killHelpers() -> [pid_t] {
        state.withLock { state in
            guard state.termination == nil else { return [] }
            let helpers = Array(ProcessTree.descendants(of: pid).reversed())
            state.helpers.formUnion(helpers)
            for helper in helpers { kill(helper, SIGKILL) }
            return helpers
        }
    }

    /// SIGKILLs descendants seen before that outlived the child (orphans now, adopted by init).
    func killOrphans() {
        let (helpers, ended) = state.withLock { ($0.helpers, $0.termination != nil) }
        guard ended else { return }
        for helper in helpers {
            // Only an orphan or a child of another helper: a recycled id would have another parent.
            guard let status = ProcessTree.status(of: helper), status.parent == 1 || helpers.contains(status.parent),
                  ProcessTree.isRunning(helper) else { continue }
            kill(helper, SIGKILL)
        }
    }

    var outputEnded: Bool { state.withLock { $0.openStreams == 0 } }
}
