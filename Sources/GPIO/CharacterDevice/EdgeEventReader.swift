import CGPIO
import Foundation
import Synchronization

/// Reads edge events from a line request's descriptor on a thread of its own, blocked in poll(2)
/// on the descriptor and a wake pipe: no polling loop, no sleeps. `stop()` writes to the pipe and
/// waits for the thread to leave, so the descriptor can then be closed safely.
final class EdgeEventReader: Sendable {
    /// Events waiting for a slow consumer beyond this many are dropped, oldest first (the kernel's own
    /// queue drops the same way).
    static let bufferedEvents = 1024
    private static let recordsPerRead = 16

    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Mutex(false)

    /// Starts reading `descriptor` (which the caller keeps open until `stop()` returns).
    init(descriptor: Int32, path: String, continuation: AsyncStream<EdgeEvent>.Continuation) throws(GPIOError) {
        var pipeEnds: [Int32] = [-1, -1]
        guard genmon_gpio_wake_pipe(&pipeEnds) == 0 else { throw .system(call: "pipe2", path: path, errno: errno) }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        let wake = wakeRead
        let finished = finished
        let thread = Thread {
            Self.run(descriptor: descriptor, wake: wake, continuation: continuation)
            finished.signal()
        }
        thread.name = "genmon-gpio-events"
        thread.start()
    }

    /// Asks the thread to leave without waiting for it (safe from any thread, including its own).
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Makes the thread leave and waits until it has; then closes the pipe. Safe to call twice.
    func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        wake()
        finished.wait()
        close(wakeRead)
        close(wakeWrite)
    }

    private static func run(descriptor: Int32, wake: Int32, continuation: AsyncStream<EdgeEvent>.Continuation) {
        defer { continuation.finish() }
        var decoder = EdgeEventStreamDecoder()
        var buffer = [UInt8](repeating: 0, count: EdgeEvent.encodedSize * recordsPerRead)
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        while true {
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            if descriptors[1].revents != 0 { return }
            let events = descriptors[0].revents
            if events & Int16(POLLIN) != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    for event in decoder.feed(buffer[0..<count]) { continuation.yield(event) }
                    continue
                }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                return
            }
            if events & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return }
        }
    }
}
