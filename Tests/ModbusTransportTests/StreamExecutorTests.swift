import GenmonTesting
import ModbusCore
@testable import ModbusTransport
import Testing

/// The stream's reading thread doubles as a task executor, so a poll loop that prefers it handles
/// each answer where it was read instead of waking another thread for every transaction.
@Suite("A descriptor stream as the poll loop's executor", .tags(.pseudoTerminal), .slowTier, .timingSensitive, .timeLimit(.minutes(1)))
struct StreamExecutorTests {
    /// No test here is about timeouts: a loaded machine must not turn a slow answer into a failure.
    static let patient = ModbusClientConfiguration(responseAllowance: .seconds(5), quietGap: .milliseconds(200))

    /// A client and a slave on a real pseudo-terminal, and the client's stream.
    static func streamLink(_ registers: [UInt16: UInt16] = [0: 9]) throws -> (PTYLink, DescriptorStream) {
        let link = try PTYLink(slave: RegisterSlave(registers), configuration: patient)
        return (link, try #require(link.client.stream as? DescriptorStream))
    }

    @Test("transactions of a task that prefers the stream run on its reading thread and never wake it from outside")
    func transactionsStayOnTheReadingThread() async throws {
        let (link, stream) = try Self.streamLink([0: 9, 1: 3])
        let client = link.client
        let (answers, onThread, wakeUps) = try await withTaskExecutorPreference(stream) {
            // The first hop onto the thread is the one wake-up from outside.
            await Task.yield()
            let before = stream.wakeUps.load(ordering: .relaxed)
            var answers: [UInt16] = []
            var onThread: [Bool] = []
            for index in 0..<40 {
                answers += try await client.readHoldingRegisters(address: UInt16(index % 2), count: 1)
                onThread.append(stream.onIOThread)
            }
            return (answers, onThread, stream.wakeUps.load(ordering: .relaxed) - before)
        }
        #expect(answers == Array(repeating: [9, 3], count: 20).flatMap { $0 })
        #expect(onThread.allSatisfy { $0 }, "every answer is handled on the reading thread")
        #expect(wakeUps == 0, "no transaction needed a wake-up from another thread")
        await link.close()
    }

    @Test("without the preference, every transaction wakes the reading thread (what the preference saves)")
    func transactionsFromThePoolWakeTheThread() async throws {
        let (link, stream) = try Self.streamLink()
        let before = stream.wakeUps.load(ordering: .relaxed)
        for _ in 0..<10 { _ = try await link.client.readHoldingRegisters(address: 0, count: 1) }
        #expect(stream.wakeUps.load(ordering: .relaxed) - before >= 10)
        #expect(!stream.onIOThread)
        await link.close()
    }

    @Test("work that prefers a stream which has closed still runs to its end")
    func workOutlivesTheStream() async throws {
        let (link, stream) = try Self.streamLink()
        let client = link.client
        let work = Task {
            await withTaskExecutorPreference(stream) {
                var turns = 0
                var failures = 0
                for _ in 0..<30 {
                    do { _ = try await client.readHoldingRegisters(address: 0, count: 1) } catch { failures += 1 }
                    try? await Task.sleep(for: .milliseconds(5))
                    turns += 1
                }
                return (turns, failures)
            }
        }
        try await Task.sleep(for: .milliseconds(60))
        await link.close()
        let (turns, failures) = await work.value
        #expect(turns == 30)
        #expect(failures > 0, "reads after the close fail instead of hanging")
    }

    @Test("a pause timed by the reading thread lasts until its deadline and needs no wake-up")
    func pauseOnTheThread() async throws {
        let (link, stream) = try Self.streamLink()
        let (elapsed, wakeUps) = await withTaskExecutorPreference(stream) {
            await Task.yield()
            let before = stream.wakeUps.load(ordering: .relaxed)
            let start = ContinuousClock.now
            for step in 1...5 { await stream.pause(until: start + .milliseconds(30 * step)) }
            return (start.duration(to: .now), stream.wakeUps.load(ordering: .relaxed) - before)
        }
        #expect(elapsed >= .milliseconds(150) && elapsed < .seconds(5), "paused \(elapsed)")
        #expect(wakeUps == 0)
        await link.close()
    }

    @Test("a pause ends early when its task is cancelled or the stream closes")
    func pauseEndsEarly() async throws {
        let (link, stream) = try Self.streamLink()
        let start = ContinuousClock.now
        let cancelled = Task { await withTaskExecutorPreference(stream) { await stream.pause(until: .now + .seconds(60)) } }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await cancelled.value
        #expect(start.duration(to: .now) < .seconds(30))
        let closed = Task { await stream.pause(until: .now + .seconds(60)) }
        try await Task.sleep(for: .milliseconds(50))
        await link.close()
        await closed.value
        #expect(start.duration(to: .now) < .seconds(30))
        // After the close a pause returns at once instead of hanging.
        await stream.pause(until: .now + .seconds(60))
        #expect(start.duration(to: .now) < .seconds(30))
    }
}
