import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
@testable import Web

/// One server-sent event.
struct SSEMessage: Sendable, Equatable {
    var name: String
    var data: String
}

/// A live stream read in-process, message by message.
final class LiveStream: Sendable {
    let collector: StreamingCollector
    let task: Task<Void, Never>
    private final class Received: Sendable {
        let messages = Mutex<[SSEMessage]>([])
    }

    private let received = Received()
    private let reader: Task<Void, Never>

    private init(collector: StreamingCollector, task: Task<Void, Never>) {
        self.collector = collector
        self.task = task
        let received = self.received
        reader = Task {
            var pending = ""
            for await chunk in collector.chunks {
                pending += chunk
                while let range = pending.range(of: "\n\n") {
                    let block = String(pending[..<range.lowerBound])
                    pending.removeSubrange(..<range.upperBound)
                    var name = "message", data = ""
                    for line in block.split(separator: "\n") {
                        if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                        if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                    }
                    if block.hasPrefix("retry:") { continue }
                    received.messages.withLock { $0.append(SSEMessage(name: name, data: data)) }
                }
            }
        }
    }

    static func open(_ web: WebHarness, token: String) async throws -> LiveStream {
        let response = try await web.start(.get, "/api/v1/stream", headers: [.authorization: "Bearer " + token])
        guard response.status == .ok else { throw HarnessError("stream answered \(response.status)") }
        let collector = StreamingCollector()
        let task = Task { _ = try? await response.body.write(collector) }
        return LiveStream(collector: collector, task: task)
    }

    var messages: [SSEMessage] { received.messages.withLock { $0 } }

    /// Waits until `condition` holds for the messages so far (at least `count` of them).
    func next(_ count: Int, timeout: Duration = .seconds(20), until condition: @Sendable ([SSEMessage]) -> Bool = { _ in true }) async throws -> [SSEMessage] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = messages
            if now.count >= count, condition(now) { return now }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("stream gave only \(messages.map(\.name))")
    }

    func close() async {
        task.cancel()
        reader.cancel()
    }
}
