import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves a `WebApp` over HTTP or HTTPS.
///
/// `genmon run` puts `services(...)` into its one service group: the Hummingbird `Application`
/// itself, then a small service that ends the live streams when shutdown begins (a live stream
/// never ends by itself, and the server waits for requests in flight). Tests and benchmarks use
/// `start`, which runs the same two services in a group of their own.
public final class WebServer: Sendable {
    public struct Configuration: Sendable {
        /// Loopback unless configured otherwise: nobody else on the network sees the page by accident.
        public var host: String
        /// 0 picks a free port (tests).
        public var port: Int
        /// HTTPS with this certificate; plain HTTP when nil.
        public var tls: CertificateStore.Material?
        /// How many connections, from whom, and for how long.
        public var limits: WebConnectionLimits

        public init(host: String = "127.0.0.1", port: Int = 8000, tls: CertificateStore.Material? = nil,
                    limits: WebConnectionLimits = WebConnectionLimits()) {
            self.host = host
            self.port = port
            self.tls = tls
            self.limits = limits
        }

        /// `http://127.0.0.1:8000` for `port`, as a person would type it (loopback when listening everywhere).
        public func baseURL(port: Int) -> String {
            let shown = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
            return (tls == nil ? "http" : "https") + "://" + (shown.contains(":") ? "[\(shown)]" : shown) + ":" + String(port)
        }
    }

    public enum StartError: Error, CustomStringConvertible {
        case cannotListen(String, Int, String)

        public var description: String {
            switch self {
            case let .cannotListen(host, port, reason): "cannot listen on \(host):\(port): \(reason)"
            }
        }
    }

    /// The web app's services for a service group: the HTTP server, then the live-stream closer.
    /// `onListening` gets the bound port once the socket is open.
    public static func services(for app: WebApp, configuration: Configuration, logger: Logger,
                                guard connectionGuard: WebConnectionGuard? = nil,
                                onListening: @escaping @Sendable (Int) -> Void) throws -> [any Service] {
        let (router, _) = app.makeRouter()
        // Every connection passes the guard right after HTTP decoding: admitted or answered 503,
        // and closed when its request head is too slow to come.
        let connectionGuard = connectionGuard ?? WebConnectionGuard(limits: configuration.limits)
        let http1 = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [ConnectionGuardHandler(shared: connectionGuard)],
            idleTimeout: configuration.limits.idleTimeout))
        let server: HTTPServerBuilder = if let tls = configuration.tls {
            try .tls(http1, tlsConfiguration: CertificateStore.tlsConfiguration(tls))
        } else {
            http1
        }
        let application = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        return [application, LiveStreamCloser(hub: app.live)]
    }

    /// The port it listens on.
    public let port: Int
    public let app: WebApp
    public let routes: [RouteSpec]
    public let configuration: Configuration
    private let group: ServiceGroup
    private let task: Task<Void, Never>
    private let failure: FailureNote

    /// Why a server's own group stopped, if it did.
    final class FailureNote: Sendable {
        let text = Mutex<String?>(nil)
    }

    private init(port: Int, app: WebApp, configuration: Configuration, group: ServiceGroup, task: Task<Void, Never>, failure: FailureNote) {
        self.port = port
        self.app = app
        self.routes = app.makeRouter().1
        self.configuration = configuration
        self.group = group
        self.task = task
        self.failure = failure
    }

    /// Starts listening in a service group of its own (tests, benchmarks); returns once the socket
    /// is open, or throws if it cannot be.
    public static func start(_ app: WebApp, configuration: Configuration, logger: Logger? = nil) async throws -> WebServer {
        let logger = logger ?? {
            var logger = Logger(label: "genmon.web")
            logger.logLevel = .warning
            return logger
        }()
        let (started, startedContinuation) = AsyncStream<Int>.makeStream()
        let services = try Self.services(for: app, configuration: configuration, logger: logger) { port in
            startedContinuation.yield(port)
            startedContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let failure = FailureNote()
        let task = Task {
            do { try await group.run() } catch {
                failure.text.withLock { $0 = "\(error)" }
                logger.error("web server stopped: \(error)")
            }
            startedContinuation.finish()
        }
        var iterator = started.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw StartError.cannotListen(configuration.host, configuration.port, failure.text.withLock { $0 } ?? "the server stopped")
        }
        return WebServer(port: port, app: app, configuration: configuration, group: group, task: task, failure: failure)
    }

    /// Ends the live streams, stops accepting, lets requests in progress finish.
    public func close() async {
        await group.triggerGracefulShutdown()
        await task.value
    }

    /// Why the server stopped on its own, if it did.
    public var stoppedBecause: String? { failure.text.withLock { $0 } }

    /// `http://127.0.0.1:8000`, as a person would type it.
    public var baseURL: String { configuration.baseURL(port: port) }
}

/// Ends every live stream when graceful shutdown begins, so the HTTP server's wait for requests in
/// flight is not a wait for ever.
struct LiveStreamCloser: Service {
    let hub: LiveHub

    func run() async {
        try? await gracefulShutdown()
        hub.closeAll()
    }
}
