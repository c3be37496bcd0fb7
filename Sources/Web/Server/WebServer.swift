import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves a `WebApp` over HTTP or HTTPS until closed.
public final class WebServer: Sendable {
    public struct Configuration: Sendable {
        /// Loopback unless configured otherwise: nobody else on the network sees the page by accident.
        public var host: String
        /// 0 picks a free port (tests).
        public var port: Int
        /// HTTPS with this certificate; plain HTTP when nil.
        public var tls: CertificateStore.Material?

        public init(host: String = "127.0.0.1", port: Int = 8000, tls: CertificateStore.Material? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
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

    /// The port it listens on.
    public let port: Int
    public let app: WebApp
    public let routes: [RouteSpec]
    public let configuration: Configuration
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(port: Int, app: WebApp, routes: [RouteSpec], configuration: Configuration, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.app = app
        self.routes = routes
        self.configuration = configuration
        self.group = group
        self.task = task
    }

    /// Starts listening; returns once the socket is open (or throws if it cannot be).
    public static func start(_ app: WebApp, configuration: Configuration, logger: Logger? = nil) async throws -> WebServer {
        let (router, routes) = app.makeRouter()
        let logger = logger ?? {
            var logger = Logger(label: "genmon.web")
            logger.logLevel = .warning
            return logger
        }()
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            server = try .tls(.http1(configuration: .init(idleTimeout: .seconds(120))), tlsConfiguration: CertificateStore.tlsConfiguration(tls))
        } else {
            server = .http1(configuration: .init(idleTimeout: .seconds(120)))
        }
        let (started, startedContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                startedContinuation.yield(channel.localAddress?.port ?? configuration.port)
                startedContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], cancellationSignals: [],
                                                      logger: logger))
        let failure = Mutex<String?>(nil)
        let task = Task {
            do { try await group.run() } catch { failure.withLock { $0 = "\(error)" } }
            startedContinuation.finish()
        }
        var iterator = started.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw StartError.cannotListen(configuration.host, configuration.port, failure.withLock { $0 } ?? "the server stopped")
        }
        return WebServer(port: port, app: app, routes: routes, configuration: configuration, group: group, task: task)
    }

    /// Ends the live streams, stops accepting, lets requests in progress finish.
    public func close() async {
        app.live.closeAll()
        await group.triggerGracefulShutdown()
        await task.value
    }

    /// `http://127.0.0.1:8000`, as a person would type it (loopback when listening everywhere).
    public var baseURL: String {
        let host = ["0.0.0.0", "::", ""].contains(configuration.host) ? "127.0.0.1" : configuration.host
        let shown = host.contains(":") ? "[\(host)]" : host
        return (configuration.tls == nil ? "http" : "https") + "://" + shown + ":" + String(port)
    }
}
