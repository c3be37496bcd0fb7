import Logging
import MailProtocol
import NIOCore
import NIOPosix
import NIOSSL

/// One IMAP connection over SwiftNIO: TLS (implicit or STARTTLS), login, and commands one at a time.
///
/// Every failure other than a command answered NO/BAD closes the connection; a closed client only
/// throws `connectionClosed`, and the caller connects anew. The channel is closed on every path
/// (`logout()`, `close()`, any failure, or at the latest when the client is released).
public actor IMAPClient {
    public nonisolated let configuration: IMAPClientConfiguration
    let logger: Logger
    let channel: any Channel
    let inbox: IMAPInbox
    var framer: IMAPResponseFramer
    var session = IMAPSession(tagPrefix: "G")
    var isClosed = false
    /// Mail arrived, vanished or changed outside a command since the last wait (seen as unsolicited data).
    var changesPending = false

    private init(configuration: IMAPClientConfiguration, logger: Logger, channel: any Channel, inbox: IMAPInbox) {
        self.configuration = configuration
        self.logger = logger
        self.channel = channel
        self.inbox = inbox
        self.framer = IMAPResponseFramer(limits: configuration.limits)
    }

    deinit {
        channel.close(promise: nil)
    }

    /// Connects, secures the connection as configured, logs in and learns the capabilities.
    public static func connect(
        _ configuration: IMAPClientConfiguration, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> IMAPClient {
        let sslContext: NIOSSLContext?
        do {
            sslContext = configuration.tls.mode == .none ? nil : try configuration.tls.makeSSLContext()
        } catch {
            throw IMAPClientError.transport("TLS settings: \(error)")
        }
        let inbox = IMAPInbox()
        let implicitTLS = configuration.tls.mode == .implicit
        let hostname = Self.sniHostname(configuration.host)
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                + configuration.connectTimeout.components.attoseconds / 1_000_000_000))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS, let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(IMAPInboundHandler(inbox: inbox))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw IMAPClientError.transport("\(configuration.host):\(configuration.port): \(error)")
        }
        let client = IMAPClient(configuration: configuration, logger: logger, channel: channel, inbox: inbox)
        do {
            try await client.setUp(sslContext: sslContext, hostname: hostname)
        } catch {
            await client.close()
            throw error
        }
        return client
    }

    /// SNI takes a name, never an address; without one NIOSSL checks the certificate against the peer's IP.
    static func sniHostname(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    /// The server's capabilities, upper-cased.
    public var capabilities: Set<String> { session.capabilities }

    /// Whether the server advertises `capability` (`IDLE`, `MOVE`, `UIDPLUS`, ...).
    public func supports(_ capability: String) -> Bool { session.supports(capability) }

    /// Whether the connection has been closed (by either side or after an error).
    public var closed: Bool { isClosed }

    private func setUp(sslContext: NIOSSLContext?, hostname: String?) async throws {
        let greeting = try await nextResponse(until: .now + configuration.commandTimeout, waitingFor: "the greeting")
        do {
            _ = try session.receive(greeting, now: .now)
        } catch {
            throw IMAPClientError.protocolViolation("greeting: \(error)")
        }
        var needsStartTLS = configuration.tls.mode == .startTLS
        for _ in 0..<8 {
            let step: IMAPSetupStep
            do {
                step = try session.nextSetupStep(
                    needsStartTLS: needsStartTLS, username: configuration.credentials?.username,
                    password: configuration.credentials?.password, method: configuration.authenticationMethod)
            } catch {
                throw IMAPClientError.setup(error)
            }
            switch step {
            case .ready:
                logger.info("IMAP session ready", metadata: ["server": "\(configuration.host):\(configuration.port)", "tls": "\(configuration.tls.mode.rawValue)"])
                return
            case .capability:
                _ = try await run(.capability)
            case .startTLS:
                _ = try await run(.startTLS)
                guard framer.bufferedByteCount == 0, inbox.isEmpty else {
                    throw IMAPClientError.protocolViolation("data sent in the clear after STARTTLS")
                }
                try await startTLS(sslContext: sslContext, hostname: hostname)
                needsStartTLS = false
            case let .authenticate(command):
                let completion = try await execute(command)
                guard completion.status.kind == .ok else {
                    logger.warning("IMAP login refused", metadata: ["server": "\(configuration.host)", "reply": "\(completion.status.text)"])
                    throw IMAPClientError.authenticationFailed(completion.status.text)
                }
            }
        }
        throw IMAPClientError.protocolViolation("the server never reported its capabilities")
    }

    private func startTLS(sslContext: NIOSSLContext?, hostname: String?) async throws {
        guard let sslContext else { throw IMAPClientError.transport("no TLS context for STARTTLS") }
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: hostname)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            await close()
            throw IMAPClientError.transport("STARTTLS: \(error)")
        }
    }

    /// Logs out politely (bounded by the command timeout) and closes the connection.
    public func logout() async {
        if !isClosed, !session.isBusy {
            _ = try? await execute(.logout)
        }
        await close()
    }

    /// Closes the connection at once.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        inbox.finish()
        try? await channel.close().get()
    }

    /// Runs `command`; NO or BAD throw `commandFailed` (the connection stays open).
    func run(_ command: IMAPCommand) async throws -> IMAPCompletion {
        let completion = try await execute(command)
        guard completion.status.kind == .ok else {
            throw IMAPClientError.commandFailed(command: command.name, status: completion.status)
        }
        return completion
    }

    /// Sends `command` and waits for its completion, whatever its status. Other failures close the connection.
    func execute(_ command: IMAPCommand) async throws -> IMAPCompletion {
        try send(command)
        logger.debug("IMAP command", metadata: ["command": "\(command.name)"])
        let deadline = ContinuousClock.now + configuration.commandTimeout
        while true {
            let response = try await nextResponse(until: deadline, waitingFor: command.name)
            for action in try await receive(response) {
                if case let .completed(completion) = action { return completion }
            }
        }
    }

    /// Hands `command` to the session and writes its first part.
    func send(_ command: IMAPCommand) throws {
        guard !isClosed else { throw IMAPClientError.connectionClosed }
        guard !session.isBusy else { throw IMAPClientError.busy }
        let bytes: [UInt8]
        do {
            bytes = try session.send(command, now: .now)
        } catch let .encoding(error) {
            throw IMAPClientError.invalidArgument(error)
        } catch {
            throw IMAPClientError.protocolViolation("\(error)")
        }
        write(bytes)
    }

    /// Feeds a response to the session, writes what it asks for, notes unsolicited changes.
    func receive(_ response: IMAPResponse) async throws -> [IMAPSessionAction] {
        let actions: [IMAPSessionAction]
        do {
            actions = try session.receive(response, now: .now)
        } catch {
            await close()
            throw IMAPClientError.protocolViolation("\(error)")
        }
        for action in actions {
            switch action {
            case let .write(bytes): write(bytes)
            case let .unsolicited(untagged): try await noteUnsolicited(untagged)
            case .completed, .idleStarted: break
            }
        }
        return actions
    }

    private func noteUnsolicited(_ untagged: IMAPUntaggedResponse) async throws {
        switch untagged {
        case .exists, .recent, .expunge, .fetch:
            changesPending = true
        case let .status(status) where status.kind == .bye:
            logger.info("IMAP server closed the session", metadata: ["reply": "\(status.text)"])
            await close()
            throw IMAPClientError.connectionClosed
        case let .status(status) where status.code == .alert:
            logger.warning("IMAP server alert", metadata: ["alert": "\(status.text)"])
        default:
            break
        }
    }

    /// Writes without waiting: a failed write closes the channel, which the next read reports.
    func write(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }
}
