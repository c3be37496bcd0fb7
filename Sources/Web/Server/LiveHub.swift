import Foundation
import Synchronization

/// Keeps track of the pages following the live stream, so they can be counted and all be ended
/// when the server stops (a stream that never ends would hold the shutdown up).
public final class LiveHub: Sendable {
    private let streams = Mutex<[UUID: AsyncStream<String>.Continuation]>([:])
    private let closed = Mutex(false)

    public init() {}

    /// A stream of SSE messages for one page; nil once the hub is closed.
    func open(buffer: Int = 64) -> (id: UUID, stream: AsyncStream<String>, continuation: AsyncStream<String>.Continuation)? {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        let registered = closed.withLock { closed -> Bool in
            guard !closed else { return false }
            streams.withLock { $0[id] = continuation }
            return true
        }
        guard registered else { return nil }
        return (id, stream, continuation)
    }

    func close(_ id: UUID) {
        streams.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    /// Pages connected now.
    public var count: Int { streams.withLock { $0.count } }

    /// Ends every stream and refuses new ones.
    public func closeAll() {
        closed.withLock { $0 = true }
        for continuation in streams.withLock({ streams in defer { streams.removeAll() }; return Array(streams.values) }) {
            continuation.finish()
        }
    }
}

/// The one-time code that lets the first visitor create the first admin, when genmon starts with
/// no users. Printed to the log; used once; a new one at every start until an admin exists.
public final class SetupCode: Sendable {
    private let code: Mutex<String?>

    public init(_ code: String = Secrets.typeable()) { self.code = Mutex(code) }

    /// The code while it is still unused.
    public var value: String? { code.withLock { $0 } }

    /// Uses the code up if `attempt` is right (compared in constant time).
    func consume(_ attempt: String) -> Bool {
        code.withLock { code in
            guard let expected = code else { return false }
            // Typed with or without the dashes, in either case.
            func normalized(_ text: String) -> String { text.uppercased().filter { !$0.isWhitespace && $0 != "-" } }
            guard Secrets.constantTimeEqual(normalized(attempt), normalized(expected)) else { return false }
            code = nil
            return true
        }
    }

    /// Gives the code back (the account could not be created).
    func restore(_ value: String) { code.withLock { $0 = value } }
}
