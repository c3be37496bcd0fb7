import Foundation
import Monitor
import NIOCore
import NIOPosix
import Synchronization

/// The original's TCP command socket (default port 9082), served with SwiftNIO.
///
/// Each connection gets the one-line greeting, then request → reply, one at a time: a connection
/// reads its next request only after the previous reply has been handed to the kernel, so a client
/// that sends without reading, or reads slowly, holds at most one request and one reply in memory.
/// Requests are capped in size; the number of connections is capped; idle connections are kept
/// (add-ons hold one open for days) unless an idle timeout is configured.
public final class LegacyCommandServer: Sendable {
    public struct Configuration: Sendable {
        /// Listen address: loopback unless configured (the original listened on every interface).
        public var host: String
        /// 0 lets the system choose (tests); `port` then tells which.
        public var port: Int
        /// Who may change the generator.
        public var policy: ControlPolicy
        public var maximumRequestBytes: Int
        /// How long an unfinished request may wait for the rest of its bytes.
        public var requestQuietGap: TimeAmount
        /// Close connections silent for this long; nil keeps them open.
        public var idleTimeout: TimeAmount?
        public var maximumConnections: Int

        public init(host: String = "127.0.0.1", port: Int = 9082, policy: ControlPolicy = ControlPolicy(),
                    maximumRequestBytes: Int = 64 * 1024, requestQuietGap: TimeAmount = .milliseconds(250),
                    idleTimeout: TimeAmount? = nil, maximumConnections: Int = 256) {
            self.host = host
            self.port = port
            self.policy = policy
            self.maximumRequestBytes = maximumRequestBytes
            self.requestQuietGap = requestQuietGap
            self.idleTimeout = idleTimeout
            self.maximumConnections = maximumConnections
        }
    }

    public let configuration: Configuration
    private let channel: any Channel
    private let connections: ConnectionCounter

    /// The port actually bound.
    public var port: Int { channel.localAddress?.port ?? configuration.port }
    /// Connections open now.
    public var connectionCount: Int { connections.current }

    private init(configuration: Configuration, channel: any Channel, connections: ConnectionCounter) {
        self.configuration = configuration
        self.channel = channel
        self.connections = connections
    }

    /// Binds and starts serving. Throws when the address cannot be bound (port in use...).
    public static func start(dispatcher: LegacyDispatcher, configuration: Configuration = Configuration(),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> LegacyCommandServer {
        let counter = ConnectionCounter()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.maxMessagesPerRead, value: 1)
            // One read takes everything the kernel holds, up to just past the request cap, like the
            // original's single large recv(): a whole request normally arrives in one read.
            .childChannelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(
                capacity: min(configuration.maximumRequestBytes + 1, 1 << 20)))
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 256 * 1024))
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    let handler = LegacyConnectionHandler(dispatcher: dispatcher, configuration: configuration, counter: counter)
                    if let idle = configuration.idleTimeout {
                        try child.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idle))
                    }
                    try child.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        return LegacyCommandServer(configuration: configuration, channel: channel, connections: counter)
    }

    /// Stops listening. Open connections finish their current reply and are closed with the process.
    public func close() async {
        try? await channel.close()
    }
}

/// Counts open connections for the connection cap.
final class ConnectionCounter: Sendable {
    private let value = Atomic<Int>(0)
    var current: Int { value.load(ordering: .relaxed) }
    func acquire(limit: Int) -> Bool {
        let now = value.wrappingAdd(1, ordering: .relaxed).newValue
        if now > limit {
            value.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }
    func release() { value.wrappingSubtract(1, ordering: .relaxed) }
}

/// One client connection: greeting, then framing, dispatch and reply, strictly in turn.
final class LegacyConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: LegacyDispatcher
    private let configuration: LegacyCommandServer.Configuration
    private let counter: ConnectionCounter
    private var framer: RequestFramer
    private var origin = CommandOrigin(interface: .socket, principal: "unknown", mayControl: false)
    /// A greeting or a reply is being prepared or written: do not read or start another request.
    private var busy = true
    private var inputClosed = false
    private var closing = false
    private var counted = false
    private var quietTimer: Scheduled<Void>?

    init(dispatcher: LegacyDispatcher, configuration: LegacyCommandServer.Configuration, counter: ConnectionCounter) {
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.counter = counter
        self.framer = RequestFramer(maximumBytes: configuration.maximumRequestBytes)
    }

    func channelActive(context: ChannelHandlerContext) {
        guard counter.acquire(limit: configuration.maximumConnections) else {
            closing = true
            write("Too many connections to the generator monitor; try again later.", context: context, thenClose: true)
            return
        }
        counted = true
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        origin = CommandOrigin(interface: .socket, principal: address, mayControl: configuration.policy.mayControl(address))
        let dispatcher = self.dispatcher
        context.eventLoop.makeFutureWithTask { await dispatcher.greeting() }
            .assumeIsolated()
            .whenComplete { result in
                guard !self.closing else { return }
                let greeting = (try? result.get()) ?? LegacyText.initializing
                self.write(greeting, context: context, thenClose: false)
            }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        quietTimer?.cancel()
        quietTimer = nil
        if counted {
            counted = false
            counter.release()
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { framer.append(bytes) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !busy { advance(context: context) }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            if !busy { advance(context: context) }
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
            closing = true
            write("Invalid GENERATOR command: request longer than \(configuration.maximumRequestBytes) bytes."
                + LegacyDispatcher.endOfMessage, context: context, thenClose: true)
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

    private func handle(_ request: String, context: ChannelHandlerContext) {
        busy = true
        let dispatcher = self.dispatcher, origin = self.origin
        context.eventLoop.makeFutureWithTask { await dispatcher.reply(to: request, origin: origin) }
            .assumeIsolated()
            .whenComplete { result in
                guard !self.closing else { return }
                self.write((try? result.get()) ?? LegacyDispatcher.noValidCommand + LegacyDispatcher.endOfMessage,
                           context: context, thenClose: false)
            }
    }

    /// Writes, and reads the next request only once the bytes have left (backpressure on slow readers).
    private func write(_ text: String, context: ChannelHandlerContext, thenClose: Bool) {
        busy = true
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { result in
            if thenClose || (try? result.get()) == nil {
                self.closing = true
                context.close(promise: nil)
                return
            }
            self.busy = false
            self.advance(context: context)
        }
    }
}
