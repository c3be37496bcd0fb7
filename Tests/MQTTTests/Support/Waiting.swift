import Foundation
import Logging
import MQTT
import MQTTProtocol

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with `TimedOut` if it takes longer than `timeout` (a guard against hangs, not a delay).
func withTimeout<T: Sendable>(_ timeout: Duration = .seconds(20), _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut(what: what)
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TimedOut(what: what) }
        return result
    }
}

/// Waits until the client's status satisfies `predicate`, and returns that status.
@discardableResult
func waitForStatus(_ client: MQTTClient, _ what: String, timeout: Duration = .seconds(20),
                   _ predicate: @escaping @Sendable (MQTTConnectionStatus) -> Bool) async throws -> MQTTConnectionStatus {
    try await withTimeout(timeout, "\(what) (status now: \(client.status.state), \(client.status.lastError ?? "no error"))") {
        for await status in client.statusUpdates() where predicate(status) { return status }
        throw TimedOut(what: what)
    }
}

/// Collects messages a handler receives, and lets a test wait for what it expects.
actor MessageRecorder {
    private(set) var messages: [MQTTMessage] = []
    private var waiters: [UUID: (predicate: @Sendable ([MQTTMessage]) -> Bool, continuation: CheckedContinuation<[MQTTMessage], any Error>)] = [:]

    func record(_ message: MQTTMessage) {
        messages.append(message)
        for (id, waiter) in waiters where waiter.predicate(messages) {
            waiters[id] = nil
            waiter.continuation.resume(returning: messages)
        }
    }

    /// The texts received so far.
    var texts: [String] { messages.map(\.text) }

    /// Waits until the received messages satisfy `predicate`.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(20), _ predicate: @escaping @Sendable ([MQTTMessage]) -> Bool) async throws -> [MQTTMessage] {
        if predicate(messages) { return messages }
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(id, what)
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in waiters[id] = (predicate, continuation) }
    }

    private func expire(_ id: UUID, _ what: String) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        waiter.continuation.resume(throwing: TimedOut(what: "\(what); received \(messages.map { "\($0.topic)=\($0.text)" })"))
    }

    /// A handler that records into this recorder.
    nonisolated var handler: @Sendable (MQTTMessage) async -> Void { { message in await self.record(message) } }
}

/// A logger that keeps its lines, so tests can check what was logged (and that it was not too much).
final class LogCapture: @unchecked Sendable, LogHandler {
    private let lock = NSLock()
    private var stored: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { stored.append((event.level, event.message.description)) }
    }

    /// Lines at `level` or above.
    func lines(atLeast level: Logger.Level) -> [String] {
        lock.withLock { stored.filter { $0.0 >= level }.map(\.1) }
    }

    var logger: Logger { Logger(label: "mqtt-test") { _ in self } }
}
