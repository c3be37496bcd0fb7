import Foundation
import Glibc
@testable import GPIO
import Testing

/// The poll thread and the line request's plumbing, over a pipe standing in for a line descriptor.
@Suite("GPIO edge event reader")
struct EdgeEventReaderTests {
    private func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        return (ends[0], ends[1])
    }

    private func send(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
    }

    private let events: [EdgeEvent] = (1...5).map { (index: Int) -> EdgeEvent in
        let edge: EdgeEvent.Edge = index % 2 == 1 ? .falling : .rising
        return EdgeEvent(offset: 17, edge: edge, timestampNanoseconds: UInt64(index) * 1_000_000, sequence: UInt32(index), lineSequence: UInt32(index))
    }

    @Test("events are delivered in order, a record split across writes arrives whole, and the writer closing ends the stream")
    func deliversUntilEndOfFile() async throws {
        let ends = try makePipe()
        let (stream, continuation) = AsyncStream.makeStream(of: EdgeEvent.self)
        let reader = try EdgeEventReader(descriptor: ends.read, path: "pipe", continuation: continuation)
        let all = events.flatMap { $0.record }
        send(Array(all[0..<70]), to: ends.write)
        send(Array(all[70...]), to: ends.write)
        close(ends.write)
        #expect(await collect(stream) == events)
        reader.stop()
        reader.stop()
        close(ends.read)
    }

    @Test("stop wakes the thread out of poll and ends the stream, with nothing written")
    func stopWhileIdle() async throws {
        let ends = try makePipe()
        let (stream, continuation) = AsyncStream.makeStream(of: EdgeEvent.self)
        let reader = try EdgeEventReader(descriptor: ends.read, path: "pipe", continuation: continuation)
        send(events[0].record, to: ends.write)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == events[0])
        reader.stop()
        #expect(await iterator.next() == nil)
        close(ends.read)
        close(ends.write)
    }

    @Test("a line request reads its events, reports ioctl failures, and refuses use after release")
    func lineRequestPlumbing() async throws {
        let ends = try makePipe()
        let request = CharacterDeviceLineRequest(descriptor: ends.read, chipPath: "/dev/gpiochip0", offsets: [17, 27])
        let stream = try request.edgeEvents()
        #expect(throws: GPIOError.eventsAlreadyWatched) { try request.edgeEvents() }
        // A pipe is not a line: the kernel answers the values ioctl with ENOTTY.
        #expect(throws: GPIOError.system(call: "GPIO_V2_LINE_GET_VALUES_IOCTL", path: "/dev/gpiochip0", errno: ENOTTY)) { try request.values() }
        #expect(throws: GPIOError.invalidRequest("line 5 is not part of this request")) { try request.setValues([5: true]) }
        #expect(throws: GPIOError.self) { try request.reconfigure([LineSpec(offset: 17, settings: .input())]) }
        send(events[0].record + events[1].record, to: ends.write)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == events[0])
        #expect(await iterator.next() == events[1])
        request.release()
        #expect(await iterator.next() == nil)
        #expect(throws: GPIOError.released) { try request.values() }
        #expect(throws: GPIOError.released) { try request.edgeEvents() }
        request.release()
        // The release closed the read end: the write end now polls as an error (a pipe with no reader).
        // Waited for, not sampled: a child another test spawns at this moment holds a copy of every
        // descriptor of this process until it executes its program.
        var descriptor = pollfd(fd: ends.write, events: 0, revents: 0)
        #expect(poll(&descriptor, 1, 10_000) == 1 && descriptor.revents & Int16(POLLERR) != 0)
        close(ends.write)
    }

    @Test("a consumer that stops listening lets the thread go")
    func consumerCancels() async throws {
        let ends = try makePipe()
        let request = CharacterDeviceLineRequest(descriptor: ends.read, chipPath: "/dev/gpiochip0", offsets: [17])
        let stream = try request.edgeEvents()
        let task = Task { await collect(stream) }
        task.cancel()
        #expect(await task.value.isEmpty)
        request.release()
        close(ends.write)
    }
}
