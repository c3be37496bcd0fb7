#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small wrappers that turn errno into text and keep the system calls in one place.
enum POSIX {
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Sets O_NONBLOCK and FD_CLOEXEC on a descriptor.
    static func makeNonBlocking(_ fd: Int32) throws(TransportError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .system(call: "fcntl(O_NONBLOCK)", reason: errorText())
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// A non-blocking pipe used to wake a thread blocked in poll().
    static func wakePipe() throws(TransportError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .system(call: "pipe", reason: errorText()) }
        do {
            try makeNonBlocking(fds[0])
            try makeNonBlocking(fds[1])
        } catch {
            closePipe((fds[0], fds[1]))
            throw error
        }
        return (fds[0], fds[1])
    }

    static func closePipe(_ pipe: (read: Int32, write: Int32)) {
        Glibc.close(pipe.read)
        Glibc.close(pipe.write)
    }

    /// Milliseconds from now until `deadline`, clamped for poll(); -1 means wait forever.
    static func pollTimeout(until deadline: ContinuousClock.Instant?, now: ContinuousClock.Instant = .now) -> Int32 {
        guard let deadline else { return -1 }
        let remaining = now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }

    /// Waits for `events` on one descriptor, or for the wake pipe; returns the descriptor's revents.
    static func wait(for fd: Int32, events: Int16, timeoutMilliseconds: Int32) -> Int16 {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let result = poll(&entry, 1, timeoutMilliseconds)
            if result >= 0 { return entry.revents }
            if errno != EINTR { return Int16(POLLERR) }
        }
    }
}
