import Foundation
import Logging

/// The data logs' writes, in order, off the poll loop. Reads that must see every earlier write
/// (a report right after a value arrived) wait at a barrier; clearing a log waits for its result.
final class DataLogQueue: Sendable {
    enum Job: Sendable {
        case append([TimedValue], series: String)
        case counter(String, Double)
        case clear(series: String, done: CheckedContinuation<Int, Never>)
        case clearPrefix(String, done: CheckedContinuation<Int, Never>)
        case barrier(CheckedContinuation<Void, Never>)
    }

    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    init() {
        (stream, continuation) = AsyncStream<Job>.makeStream(bufferingPolicy: .unbounded)
    }

    func append(_ values: [TimedValue], to series: String) {
        guard !values.isEmpty else { return }
        continuation.yield(.append(values, series: series))
    }

    func setCounter(_ name: String, to value: Double) { continuation.yield(.counter(name, value)) }

    /// Removes a log after every earlier write; the lines removed (0 once the queue has finished).
    func clear(series: String) async -> Int {
        await withCheckedContinuation { done in
            if case .terminated = continuation.yield(.clear(series: series, done: done)) { done.resume(returning: 0) }
        }
    }

    func clear(prefix: String) async -> Int {
        await withCheckedContinuation { done in
            if case .terminated = continuation.yield(.clearPrefix(prefix, done: done)) { done.resume(returning: 0) }
        }
    }

    /// Returns once every write queued before it is done.
    func barrier() async {
        await withCheckedContinuation { done in
            if case .terminated = continuation.yield(.barrier(done)) { done.resume() }
        }
    }

    func finish() { continuation.finish() }

    /// Writes until `finish`; failures are logged and the next job goes on.
    func drain(into logs: any DataLogPersistence, logger: Logger) async {
        for await job in stream {
            do {
                switch job {
                case let .append(values, series): try await logs.append(values, to: series)
                case let .counter(name, value): try await logs.setCounter(name, to: value)
                case let .clear(series, done):
                    var removed = 0
                    do { removed = try await logs.clear(series: series) } catch { logger.error("could not clear the \(series) log: \(error)") }
                    done.resume(returning: removed)
                case let .clearPrefix(prefix, done):
                    var removed = 0
                    do { removed = try await logs.clear(seriesWithPrefix: prefix) } catch { logger.error("could not clear the \(prefix) logs: \(error)") }
                    done.resume(returning: removed)
                case let .barrier(done): done.resume()
                }
            } catch {
                logger.error("could not write a data log: \(error)")
            }
        }
    }
}
