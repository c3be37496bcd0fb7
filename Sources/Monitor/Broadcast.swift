import Foundation
import Synchronization

/// Fans events out to any number of subscribers, each with its own bounded buffer, so a stuck
/// subscriber cannot slow the monitor (it loses its oldest events instead, and only it does).
public final class EventBroadcaster: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<MonitorEvent>.Continuation]>([:])
    private let bufferSize: Int

    public init(bufferSize: Int = 1000) { self.bufferSize = bufferSize }

    public func subscribe() -> AsyncStream<MonitorEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<MonitorEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { _ = $0.removeValue(forKey: id) } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func publish(_ event: MonitorEvent) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(event) }
    }

    public func finish() {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}

/// Holds the latest snapshot and hands it to subscribers: each sees the current value at once and
/// then every change; a slow subscriber skips to the newest instead of queueing stale ones.
public final class SnapshotBroadcaster: Sendable {
    private struct State {
        var latest: GeneratorSnapshot
        var subscribers: [UUID: AsyncStream<GeneratorSnapshot>.Continuation] = [:]
    }

    private let state: Mutex<State>

    public init(initial: GeneratorSnapshot) { state = Mutex(State(latest: initial)) }

    public var latest: GeneratorSnapshot { state.withLock { $0.latest } }

    public func subscribe() -> AsyncStream<GeneratorSnapshot> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<GeneratorSnapshot>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) } }
        let latest = state.withLock { state in
            state.subscribers[id] = continuation
            return state.latest
        }
        continuation.yield(latest)
        return stream
    }

    /// Makes `snapshot` the latest; subscribers get it too unless `tellingSubscribers` is false.
    public func publish(_ snapshot: GeneratorSnapshot, tellingSubscribers: Bool = true) {
        let subscribers = state.withLock { state in
            state.latest = snapshot
            return tellingSubscribers ? Array(state.subscribers.values) : []
        }
        for continuation in subscribers { continuation.yield(snapshot) }
    }

    public func finish() {
        for continuation in state.withLock({ Array($0.subscribers.values) }) { continuation.finish() }
    }
}
