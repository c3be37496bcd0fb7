import Logging
import MailProtocol
import NIOCore
import NIOSSL
import NIOTLS

/// Drives one `SMTPSession` on a channel: bytes to replies to the session, its actions back to the
/// channel, a timeout on every step, and STARTTLS by inserting the TLS handler at the front.
/// Everything runs on the channel's event loop; the result completes `promise` exactly once.
final class SMTPChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: SMTPSession
    private var parser = SMTPReplyParser()
    private let promise: EventLoopPromise<SMTPDeliveryResult>
    private let sslContext: NIOSSLContext?
    private let tlsServerName: String?
    private let timeouts: SMTPTimeouts
    private let logger: Logger
    private var timeout: Scheduled<Void>?
    private var completed = false

    init(
        session: SMTPSession, promise: EventLoopPromise<SMTPDeliveryResult>, sslContext: NIOSSLContext?,
        tlsServerName: String?, timeouts: SMTPTimeouts, logger: Logger
    ) {
        self.session = session
        self.promise = promise
        self.sslContext = sslContext
        self.tlsServerName = tlsServerName
        self.timeouts = timeouts
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        let local = context.channel.localAddress?.ipAddress.flatMap(SMTPClientName.addressLiteral(forIP:))
        handle(.connected(localAddress: local), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard !session.isFinished, let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        let replies: [SMTPReply]
        do {
            replies = try parser.feed(bytes)
        } catch {
            logger.debug("S: unreadable reply", metadata: ["error": "\(error)"])
            handle(.malformedReply(error), context: context)
            return
        }
        for (index, reply) in replies.enumerated() where !session.isFinished {
            logger.debug("S: \(reply)")
            let actions = session.handle(.reply(reply))
            // After STARTTLS's 220 nothing more may have arrived in plain text.
            if actions.contains(.startTLS), index < replies.count - 1 || parser.hasBufferedInput {
                handle(.unexpectedDataBeforeTLS, context: context)
                return
            }
            perform(actions, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            logger.debug("TLS established")
            handle(.tlsEstablished, context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard !session.isFinished else { return }
        let (kind, detail) = TLSErrorDescription.classify(error, serverName: tlsServerName, step: session.waitingFor ?? .connect)
        logger.debug("connection error", metadata: ["error": "\(error)"])
        handle(.connectionFailed(kind, detail: detail), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handle(.connectionClosed, context: context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
        // The promise must always complete; a channel torn down early counts as closed.
        guard !completed else { return }
        completed = true
        for case let .finished(result) in session.handle(.connectionClosed) {
            promise.succeed(result)
            return
        }
        promise.succeed(.failed(SMTPFailure(kind: .connectionLost(.connect)), recipients: []))
    }

    private func handle(_ event: SMTPSessionEvent, context: ChannelHandlerContext) {
        perform(session.handle(event), context: context)
    }

    private func perform(_ actions: [SMTPSessionAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case let .send(bytes):
                logOutgoing(bytes)
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            case .startTLS:
                startTLS(context: context)
            case .close:
                context.close(promise: nil)
            case let .finished(result):
                timeout?.cancel()
                timeout = nil
                if !completed {
                    completed = true
                    promise.succeed(result)
                }
            }
        }
        scheduleTimeout(context: context)
    }

    private func startTLS(context: ChannelHandlerContext) {
        guard let sslContext else {
            handle(.connectionFailed(.tlsSetupFailed, detail: "no TLS context for STARTTLS"), context: context)
            return
        }
        do {
            let tlsHandler = try NIOSSLClientHandler(context: sslContext, serverHostname: tlsServerName)
            try context.pipeline.syncOperations.addHandler(tlsHandler, position: .first)
        } catch {
            handle(.connectionFailed(.tlsSetupFailed, detail: "\(error)"), context: context)
        }
    }

    /// One timer for the step the session now waits on, restarted whenever the step changes.
    private func scheduleTimeout(context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        guard let step = session.waitingFor, step != .connect else { return }
        let limit = timeouts.limit(for: step)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: TimeAmount(limit)) {
            let (handler, context) = loopBound.value
            guard handler.session.waitingFor == step else { return }
            handler.logger.debug("no answer to \(step) after \(limit.wholeSeconds) s")
            handler.handle(.timedOut(afterSeconds: limit.wholeSeconds), context: context)
        }
    }

    private func logOutgoing(_ bytes: [UInt8]) {
        switch session.waitingFor {
        case .authentication?: logger.debug("C: <sign-in data hidden>")
        case .endOfMessage?: logger.debug("C: <message, \(bytes.count) bytes>")
        default: logger.debug("C: \(String(decoding: bytes.prefix(200).filter { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self))")
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
