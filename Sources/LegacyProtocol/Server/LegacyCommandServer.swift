import Foundation
import GenmonBasics
import Monitor
import NIOCore
import NIOPosix
import Synchronization

/// The original's TCP command socket (default port 9082), served with SwiftNIO.
///
/// Each connection gets the one-line greeting, then request → reply, one at a time: a connection
/// reads its next request only after the previous reply has been handed to the kernel, so a client
/// that sends without reading, or reads slowly, holds at most one request and one reply in memory.
/// Requests are capped in size. Connections are capped in total and per address, with a share kept
/// for loopback; when full, the longest-idle connection of the busiest address makes room (nobody is
/// locked out by idle connections). Connections silent for `idleTimeout` are closed (the original's
/// clients poll every few seconds). Hosts that may not control the generator are slowed down when
/// they keep sending commands that change it, and when they send requests faster than anyone polls.
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
        /// Per remote address (loopback is limited by the total only).
        public var maximumConnectionsPerAddress: Int
        /// Connections only loopback may use.
        public var loopbackReserve: Int
        /// Hosts that may not control the generator: refused commands answered at most this often
        /// per second per host, after a burst (the rest wait, with the connection paused).
        public var refusedCommandRate: Double
        public var refusedCommandBurst: Double
        /// Every request from a host other than loopback: at most this many per second, after a burst.
        public var remoteRequestRate: Double
        public var remoteRequestBurst: Double
        /// A host that has made itself wait longer than this is disconnected.
        public var maximumThrottleDelay: TimeAmount

        public init(host: String = "127.0.0.1", port: Int = 9082, policy: ControlPolicy = ControlPolicy(),
                    maximumRequestBytes: Int = 64 * 1024, requestQuietGap: TimeAmount = .milliseconds(250),
                    idleTimeout: TimeAmount? = .minutes(30), maximumConnections: Int = 256,
                    maximumConnectionsPerAddress: Int = 16, loopbackReserve: Int = 32,
                    refusedCommandRate: Double = 1, refusedCommandBurst: Double = 5,
                    remoteRequestRate: Double = 20, remoteRequestBurst: Double = 100,
                    maximumThrottleDelay: TimeAmount = .seconds(30)) {
            self.host = host
            self.port = port
            self.policy = policy
            self.maximumRequestBytes = maximumRequestBytes
            self.requestQuietGap = requestQuietGap
            self.idleTimeout = idleTimeout
            self.maximumConnections = maximumConnections
            self.maximumConnectionsPerAddress = maximumConnectionsPerAddress
            self.loopbackReserve = loopbackReserve
            self.refusedCommandRate = refusedCommandRate
            self.refusedCommandBurst = refusedCommandBurst
            self.remoteRequestRate = remoteRequestRate
            self.remoteRequestBurst = remoteRequestBurst
            self.maximumThrottleDelay = maximumThrottleDelay
        }

        var gateLimits: ConnectionGate.Limits {
            ConnectionGate.Limits(total: maximumConnections, perAddress: maximumConnectionsPerAddress, loopbackReserve: loopbackReserve)
        }
    }

    public let configuration: Configuration
    private let channel: any Channel
    /// Who is connected, and who makes room when the server is full.
    public let gate: ConnectionGate

    /// The port actually bound.
    public var port: Int { channel.localAddress?.port ?? configuration.port }
    /// Connections open now.
    public var connectionCount: Int { gate.count }

    private init(configuration: Configuration, channel: any Channel, gate: ConnectionGate) {
        self.configuration = configuration
        self.channel = channel
        self.gate = gate
    }

    /// Binds and starts serving. Throws when the address cannot be bound (port in use...).
    public static func start(dispatcher: LegacyDispatcher, configuration: Configuration = Configuration(),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> LegacyCommandServer {
        let shared = ConnectionShared(configuration: configuration)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
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
                    let handler = LegacyConnectionHandler(dispatcher: dispatcher, shared: shared)
                    if let idle = configuration.idleTimeout {
                        try child.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idle))
                    }
                    try child.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        return LegacyCommandServer(configuration: configuration, channel: channel, gate: shared.gate)
    }

    /// Stops listening. Open connections finish their current reply and are closed with the process.
    public func close() async {
        try? await channel.close()
    }
}

/// What every connection of one server shares: the gate and the per-host throttles.
final class ConnectionShared: Sendable {
    let configuration: LegacyCommandServer.Configuration
    let gate: ConnectionGate
    private let refused: Mutex<PeerRateLimiter>
    private let remote: Mutex<PeerRateLimiter>

    init(configuration: LegacyCommandServer.Configuration) {
        self.configuration = configuration
        gate = ConnectionGate(limits: configuration.gateLimits, whenFull: .evictLongestIdle)
        refused = Mutex(PeerRateLimiter(rate: configuration.refusedCommandRate, burst: configuration.refusedCommandBurst))
        remote = Mutex(PeerRateLimiter(rate: configuration.remoteRequestRate, burst: configuration.remoteRequestBurst))
    }

    /// How long a request from `origin` waits before it is answered: zero for loopback and for
    /// hosts within their budget.
    func delay(for request: String, origin: CommandOrigin, isLoopback: Bool, now: ContinuousClock.Instant) -> Duration {
        var delay = Duration.zero
        if !isLoopback { delay = remote.withLock { $0.take(origin.principal, now: now) } }
        if !origin.mayControl, LegacyDispatcher.commands(in: request).contains(where: { $0.changesGenerator || $0.changesMonitorState }) {
            delay = max(delay, refused.withLock { $0.take(origin.principal, now: now) })
        }
        return delay
    }
}
