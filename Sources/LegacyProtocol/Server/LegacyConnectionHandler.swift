import Foundation
import GenmonBasics
import Monitor
import NIOCore

/// One client connection: greeting, then framing, dispatch and reply, strictly in turn.
final class LegacyConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// After a last message the server stops reading requests but keeps draining (and dropping)
    /// what the client still sends, so that closing does not reset the connection and lose the
    /// message: this long at most, and this much at most.
    static let lingerTime: TimeAmount = .seconds(5)
    static let lingerBytes = 64 << 20

    private let dispatcher: LegacyDispatcher
    private let shared: ConnectionShared
    private var configuration: LegacyCommandServer.Configuration { shared.configuration }
    private var framer: RequestFramer
    private var origin = CommandOrigin(interface: .socket, principal: "unknown", mayControl: false)
    private var isLoopback = false
    /// A greeting or a reply is being prepared or written: do not read or start another request.
    private var busy = true
    private var inputClosed = false
    private var closing = false
    /// Saying goodbye: reads are drained and dropped until the client closes or the time is up.
    private var lingering = false
    private var lingered = 0
    private var gateID: UInt64?
    private var quietTimer: Scheduled<Void>?

    init(dispatcher: LegacyDispatcher, shared: ConnectionShared) {
        self.dispatcher = dispatcher
        self.shared = shared
        self.framer = RequestFramer(maximumBytes: shared.configuration.maximumRequestBytes)
    }

    func channelActive(context: ChannelHandlerContext) {
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        let channel = context.channel
        switch shared.gate.admit(address: address, now: .now, close: { channel.close(promise: nil) }) {
        case let .admitted(id):
            gateID = id
        case .refused:
            sayGoodbye("Too many connections to the generator monitor; try again later.", context: context)
            return
        }
        origin = CommandOrigin(interface: .socket, principal: address, mayControl: configuration.policy.mayControl(address))
        isLoopback = IPAddress(address)?.isLoopback ?? false
        let dispatcher = self.dispatcher
        context.eventLoop.makeFutureWithTask { await dispatcher.greeting() }
            .assumeIsolated()
            .whenComplete { result in
                guard !self.closing else { return }
                let greeting = (try? result.get()) ?? LegacyText.initializing
                self.write(greeting, context: context)
            }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        quietTimer?.cancel()
        quietTimer = nil
        if let gateID {
            self.gateID = nil
            shared.gate.release(gateID)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if lingering {
            lingered += buffer.readableBytes
            return
        }
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { framer.append(bytes) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if lingering {
            if lingered < Self.lingerBytes { context.read() } else { context.close(promise: nil) }
        } else if !busy {
            advance(context: context)
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            if lingering {
                context.close(promise: nil)
            } else if !busy {
                advance(context: context)
            }
            return
        }
        if event is IdleStateHandler.IdleStateEvent {
            closing = true
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closing = true
        context.close(promise: nil)
    }

    /// Decides what to do with the buffered bytes: answer a request, wait for more, or refuse.
    private func advance(context: ChannelHandlerContext) {
        guard !busy, !closing else { return }
        quietTimer?.cancel()
        quietTimer = nil
        switch framer.next() {
        case let .request(text):
            handle(text, context: context)
        case .overflow:
            sayGoodbye("Invalid GENERATOR command: request longer than \(configuration.maximumRequestBytes) bytes."
                + LegacyDispatcher.endOfMessage, context: context)
        case let .needMore(pending):
            if inputClosed {
                if let rest = framer.flush() {
                    handle(rest, context: context)
                } else {
                    closing = true
                    context.close(promise: nil)
                }
                return
            }
            if pending {
                quietTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.requestQuietGap) {
                    self.quietTimer = nil
                    guard !self.busy, !self.closing, let rest = self.framer.flush() else { return }
                    self.handle(rest, context: context)
                }
            }
            context.read()
        }
    }

    /// Answers one request, after the wait a flooding host has earned (the connection reads
    /// nothing meanwhile, so the flood backs up on the host's side, not here).
    private func handle(_ request: String, context: ChannelHandlerContext) {
        busy = true
        if let gateID { shared.gate.touch(gateID, now: .now) }
        let delay = shared.delay(for: request, origin: origin, isLoopback: isLoopback, now: .now)
        if delay > .seconds(Double(configuration.maximumThrottleDelay.nanoseconds) / 1e9) {
            sayGoodbye("Too many requests from this host; closing the connection." + LegacyDispatcher.endOfMessage, context: context)
            return
        }
        guard delay > .zero else { return dispatch(request, context: context) }
        let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
        context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) {
            guard !self.closing else { return }
            self.dispatch(request, context: context)
        }
    }

    private func dispatch(_ request: String, context: ChannelHandlerContext) {
        let dispatcher = self.dispatcher, origin = self.origin
        context.eventLoop.makeFutureWithTask { await dispatcher.reply(to: request, origin: origin) }
            .assumeIsolated()
            .whenComplete { result in
                guard !self.closing else { return }
                self.write((try? result.get()) ?? LegacyDispatcher.noValidCommand + LegacyDispatcher.endOfMessage, context: context)
            }
    }

    /// Writes, and reads the next request only once the bytes have left (backpressure on slow readers).
    private func write(_ text: String, context: ChannelHandlerContext) {
        busy = true
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { result in
            if (try? result.get()) == nil {
                self.closing = true
                context.close(promise: nil)
                return
            }
            self.busy = false
            self.advance(context: context)
        }
    }

    /// A last message, then an orderly close: the output is shut once the message has left, and
    /// whatever the client still sends is read and dropped until it closes its side (or the linger
    /// ends), so the kernel never answers unread bytes with a reset that would destroy the message.
    private func sayGoodbye(_ text: String, context: ChannelHandlerContext) {
        closing = true
        busy = true
        lingering = true
        quietTimer?.cancel()
        quietTimer = nil
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
            if self.inputClosed { context.close(promise: nil) } else { context.read() }
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { context.close(promise: nil) }
    }
}
