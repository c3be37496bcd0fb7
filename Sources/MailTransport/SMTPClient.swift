import Logging
import MailProtocol
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail over SMTP with SwiftNIO: one connection per message, closed when done, whatever happens.
///
/// Server answers never throw: `send` returns what happened to each recipient, with the server's
/// words and an explanation. TLS certificates are checked against the system trust store plus
/// `MailTLSConfiguration.additionalCAFile`, host name included, unless verification is turned off
/// (the caller logs a warning for that).
public struct SMTPClient: Sendable {
    private let group: any EventLoopGroup
    private let logger: Logger

    /// `logger` receives the conversation at debug level (passwords and message bodies hidden) and
    /// each outcome at info level.
    public init(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// Delivers `mail` through `server` and reports each recipient's outcome.
    public func send(_ mail: OutgoingMail, to server: SMTPServer) async -> SMTPDeliveryResult {
        let configuration = SMTPSessionConfiguration(
            clientName: server.clientName, security: server.security, credentials: server.credentials,
            purpose: .deliver(mail.envelope, message: mail.content))
        let result = await run(configuration, server: server, recipients: mail.envelope.recipients)
        log(result, server: server)
        return result
    }

    /// Greets the server, secures the connection, signs in and quits, and says how that went.
    public func testConnection(to server: SMTPServer) async -> SMTPConnectionReport {
        let configuration = SMTPSessionConfiguration(
            clientName: server.clientName, security: server.security, credentials: server.credentials, purpose: .checkConnection)
        let result = await run(configuration, server: server, recipients: [])
        log(result, server: server)
        return SMTPConnectionReport(succeeded: result.sessionFailure == nil, summary: Self.summary(of: result, server: server), result: result)
    }

    private func run(_ configuration: SMTPSessionConfiguration, server: SMTPServer, recipients: [EmailAddress]) async -> SMTPDeliveryResult {
        var logger = self.logger
        logger[metadataKey: "smtp.server"] = "\(server.endpoint)"
        let sslContext: NIOSSLContext?
        do {
            sslContext = server.tls.mode == .none ? nil : try server.tls.makeSSLContext()
        } catch {
            return .failed(SMTPFailure(kind: .tlsSetupFailed, detail: "\(error)"), recipients: recipients)
        }
        guard (1...65535).contains(server.port) else {
            return .failed(SMTPFailure(kind: .connectionFailed, detail: "port \(server.port) is not a TCP port"), recipients: recipients)
        }
        // SNI and host-name checks need a name; for an IP address NIOSSL checks the peer's address instead.
        let tlsServerName: String? = (try? SocketAddress(ipAddress: server.host, port: server.port)) == nil ? server.host : nil
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: SMTPDeliveryResult.self)
        let session = SMTPSession(configuration: configuration)
        let implicitTLS = server.tls.mode == .implicit
        let timeouts = server.timeouts
        let sessionLogger = logger
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeouts.connect))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    if implicitTLS, let sslContext {
                        try handlers.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: tlsServerName))
                    }
                    try handlers.addHandler(SMTPChannelHandler(
                        session: session, promise: promise, sslContext: sslContext, tlsServerName: tlsServerName,
                        timeouts: timeouts, logger: sessionLogger))
                }
            }
        logger.debug("connecting")
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: server.host, port: server.port).get()
        } catch {
            // The handler (if it was added) completes its promise when its channel is torn down.
            return .failed(
                TLSErrorDescription.connectFailure(error, endpoint: server.endpoint, timeoutSeconds: timeouts.connect.wholeSeconds),
                recipients: recipients)
        }
        let result: SMTPDeliveryResult
        do {
            result = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            result = .failed(SMTPFailure(kind: .connectionLost(.connect), detail: "\(error)"), recipients: recipients)
        }
        // The session closes the channel itself; this makes sure of it on every path.
        try? await channel.close()
        return result
    }

    private func log(_ result: SMTPDeliveryResult, server: SMTPServer) {
        var logger = self.logger
        logger[metadataKey: "smtp.server"] = "\(server.endpoint)"
        if let failure = result.sessionFailure {
            logger.info("mail session failed: \(failure)")
        }
        for recipient in result.recipients {
            switch recipient.status {
            case .accepted: logger.info("mail accepted for \(recipient.address)")
            case let .temporaryFailure(failure) where failure != result.sessionFailure:
                logger.info("mail for \(recipient.address) deferred: \(failure)")
            case let .permanentFailure(failure) where failure != result.sessionFailure:
                logger.info("mail for \(recipient.address) refused: \(failure)")
            default: break
            }
        }
    }

    /// "Connected to ..., secured with TLS, signed in: the server is ready", or what went wrong.
    static func summary(of result: SMTPDeliveryResult, server: SMTPServer) -> String {
        if let failure = result.sessionFailure { return "\(server.endpoint): \(failure)" }
        var steps = ["connected to \(server.endpoint)"]
        if result.usedTLS { steps.append(server.tls.verifyCertificates ? "secured with TLS (certificate checked)" : "secured with TLS (certificate NOT checked)") }
        if let credentials = server.credentials, result.authenticated { steps.append("signed in as \(credentials.username)") }
        var text = steps.joined(separator: ", ") + ": the mail server is ready to take mail from genmon."
        if let greeting = result.greeting { text += " It greeted with \"\(greeting)\"." }
        if !result.usedTLS { text += " The connection is not encrypted." }
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}
