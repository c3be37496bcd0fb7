import NIOCore
import Synchronization

/// Bytes read from the channel, waiting for the client; reading pauses while too many are waiting.
///
/// The channel handler pushes; the client pulls with `next()`, which can be cancelled (for timeouts)
/// without losing any bytes, so one connection can wait with a deadline many times.
final class IMAPInbox: Sendable {
    /// Above this many waiting bytes the handler stops reading from the socket; below a quarter it resumes.
    static let highWater = 256 * 1024

    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        var paused = false
        var end: End?
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
    }

    private enum End {
        case closed
        case failed(any Error)
    }

    private let state = Mutex(State())

    /// Adds bytes; returns true when reading should pause.
    func push(_ bytes: [UInt8]) -> Bool {
        state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: bytes)
                return false
            }
            state.chunks.append(bytes)
            state.bufferedBytes += bytes.count
            if state.bufferedBytes > Self.highWater { state.paused = true }
            return state.paused
        }
    }

    /// The channel is gone: waiting readers get what is left, then nil (or the error).
    func finish(_ error: (any Error)? = nil) {
        state.withLock { state in
            guard case .none = state.end else { return }
            state.end = error.map { .failed($0) } ?? .closed
            if let waiter = state.waiter {
                state.waiter = nil
                if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
            }
        }
    }

    /// Whether bytes are waiting (the STARTTLS check wants none).
    var isEmpty: Bool { state.withLock { $0.bufferedBytes == 0 } }

    /// The next bytes, nil at a clean end of stream; `resume` is called when reading should start again.
    func next(resume: @Sendable () -> Void) async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                let (ready, shouldResume) = state.withLock { state -> (Result<[UInt8]?, any Error>?, Bool) in
                    if state.head < state.chunks.count {
                        let chunk = state.chunks[state.head]
                        state.head += 1
                        state.bufferedBytes -= chunk.count
                        if state.head == state.chunks.count { state.chunks.removeAll(keepingCapacity: true); state.head = 0 }
                        var shouldResume = false
                        if state.paused && state.bufferedBytes < Self.highWater / 4 {
                            state.paused = false
                            shouldResume = true
                        }
                        return (.success(chunk), shouldResume)
                    }
                    switch state.end {
                    case .closed?: return (.success(nil), false)
                    case let .failed(error)?: return (.failure(error), false)
                    case nil: break
                    }
                    // Checked under the lock: a cancellation handler that already ran cannot miss this waiter.
                    if Task.isCancelled { return (.failure(CancellationError()), false) }
                    state.waiter = continuation
                    return (nil, false)
                }
                if shouldResume { resume() }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}

/// Passes every read into an `IMAPInbox`, pausing reads while the inbox is full.
final class IMAPInboundHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let inbox: IMAPInbox

    init(inbox: IMAPInbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty else { return }
        if inbox.push(bytes) {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        inbox.finish(error)
        context.close(promise: nil)
    }
}
