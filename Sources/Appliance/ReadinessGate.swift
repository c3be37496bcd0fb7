import Synchronization

/// Start-up is done when every named part says so (the command socket, the web app listening);
/// `wait()` returns then. A part never started is not waited for: name only the parts that run.
public final class ReadinessGate: Sendable {
    private struct State {
        var pending: Set<String>
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>

    public init(waitingFor parts: Set<String>) {
        state = Mutex(State(pending: parts))
    }

    /// True once every part is ready.
    public var isOpen: Bool { state.withLock { $0.pending.isEmpty } }

    /// The parts not ready yet.
    public var pending: Set<String> { state.withLock { $0.pending } }

    /// `part` is ready (a part not waited for, or one already ready, changes nothing).
    public func ready(_ part: String) {
        let resumed: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.pending.remove(part)
            guard state.pending.isEmpty else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in resumed { waiter.resume() }
    }

    /// Returns when every part is ready, or when the task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending.isEmpty || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
