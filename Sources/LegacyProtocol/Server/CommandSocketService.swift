import Logging
import ServiceLifecycle

/// The original's command socket as a long-running part of genmon: binds (or fails at once, naming
/// the address), serves until graceful shutdown, then stops listening. Commands already taken
/// finish through the monitor, which shuts down after the interfaces.
public struct CommandSocketService: Service {
    public enum Failure: Error, CustomStringConvertible {
        case cannotListen(host: String, port: Int, reason: String)

        public var description: String {
            switch self {
            case let .cannotListen(host, port, reason):
                "cannot open the command socket on \(host):\(port): \(reason) (is another genmon running? set server_port in genmon.conf)"
            }
        }
    }

    let dispatcher: LegacyDispatcher
    let configuration: LegacyCommandServer.Configuration
    let logger: Logger
    let onListening: @Sendable (Int) -> Void

    public init(dispatcher: LegacyDispatcher, configuration: LegacyCommandServer.Configuration, logger: Logger,
                onListening: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let server: LegacyCommandServer
        do {
            server = try await LegacyCommandServer.start(dispatcher: dispatcher, configuration: configuration)
        } catch {
            throw Failure.cannotListen(host: configuration.host, port: configuration.port, reason: "\(error)")
        }
        logger.info("command socket listening", metadata: ["address": "\(configuration.host):\(server.port)"])
        onListening(server.port)
        try? await gracefulShutdown()
        await server.close()
    }
}
