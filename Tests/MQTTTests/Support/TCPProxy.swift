import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on 127.0.0.1 in front of the broker, so tests can break the network the way real networks break:
/// refuse new connections, silently drop all traffic, or cut every connection at once.
final class TCPProxy: Sendable {
    enum Mode: Sendable { case forward, refuse, blackhole }

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let server: any Channel
    private let state: ProxyState

    init(targetPort: Int) async throws {
        let state = ProxyState()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                if state.mode == .refuse { return inbound.close() }
                let inboundHalf = ProxyHalf(state: state)
                do { try inbound.pipeline.syncOperations.addHandler(inboundHalf) } catch { return inbound.eventLoop.makeFailedFuture(error) }
                ClientBootstrap(group: inbound.eventLoop)
                    .channelInitializer { outbound in
                        let outboundHalf = ProxyHalf(state: state)
                        outboundHalf.peer = inbound
                        return outbound.eventLoop.makeCompletedFuture { try outbound.pipeline.syncOperations.addHandler(outboundHalf) }
                    }
                    .connect(host: "127.0.0.1", port: targetPort)
                    .whenComplete { result in
                        switch result {
                        case let .success(outbound):
                            inboundHalf.setPeer(outbound)
                            state.track(inbound, outbound)
                        case .failure:
                            inbound.close(promise: nil)
                        }
                    }
                return inbound.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = server.localAddress?.port ?? 0
        self.group = group
        self.state = state
    }

    var mode: Mode {
        get { state.mode }
        set { state.mode = newValue }
    }

    /// Closes every proxied connection (both sides), as a broken network or a crashed peer would.
    func cutAll() {
        for channel in state.takeChannels() { channel.close(promise: nil) }
    }

    func shutdown() async {
        cutAll()
        try? await server.close()
        try? await group.shutdownGracefully()
    }
}

/// The proxy's mode and open connections, shared with its handlers.
final class ProxyState: Sendable {
    private let state = Mutex<(mode: TCPProxy.Mode, channels: [any Channel])>((.forward, []))

    var mode: TCPProxy.Mode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    func track(_ channels: any Channel...) { state.withLock { $0.channels += channels } }

    func takeChannels() -> [any Channel] {
        state.withLock { state in
            defer { state.channels = [] }
            return state.channels
        }
    }
}

/// One direction of a proxied connection.
private final class ProxyHalf: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private let state: ProxyState
    var peer: (any Channel)?
    private var pending: [ByteBuffer] = []

    init(state: ProxyState) { self.state = state }

    func setPeer(_ channel: any Channel) {
        peer = channel
        for buffer in pending { channel.write(buffer, promise: nil) }
        pending = []
        channel.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state.mode != .blackhole else { return }
        let buffer = unwrapInboundIn(data)
        if let peer { peer.writeAndFlush(buffer, promise: nil) } else { pending.append(buffer) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A black hole is a silent network: the far side giving up (the broker's own keep-alive
        // check) does not reach the near side either; `cutAll` ends such connections.
        if state.mode != .blackhole { peer?.close(promise: nil) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
