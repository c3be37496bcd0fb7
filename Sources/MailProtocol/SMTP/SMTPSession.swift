/// One SMTP client conversation as a pure state machine: events in, actions out, no I/O and no clock.
///
/// The order is fixed: greeting, EHLO (HELO when EHLO is not understood and TLS is not needed),
/// STARTTLS and a second EHLO when asked for, AUTH when credentials are given, MAIL FROM, one RCPT TO
/// per recipient, DATA, the message, QUIT. One command is in flight at a time (no pipelining).
/// Credentials and the message never go out before TLS when TLS was asked for: with `.startTLS` a
/// server that does not offer it ends the session.
///
/// `waitingFor` names the step the session waits on so the I/O layer can time it out and say so.
/// Exactly one `.finished` action is produced, always preceded by `.close`.
public struct SMTPSession: Sendable {
    public let configuration: SMTPSessionConfiguration

    enum State: Sendable, Equatable {
        case connecting
        case tlsHandshake(afterStartTLS: Bool)
        case greeting, ehlo, helo, startTLS
        case authPlain(responseSent: Bool)
        case authLoginUsername, authLoginPassword, authLoginFinal
        case mailFrom
        case rcptTo(Int)
        case data, endOfMessage, quit, finished
    }

    var state: State = .connecting
    var clientName: SMTPClientName?
    var tlsActive = false
    var capabilities: SMTPCapabilities = .none
    var greeting: SMTPReply?
    var authenticated = false
    var statuses: [SMTPRecipientStatus?]
    var messageReply: SMTPReply?
    let recipients: [EmailAddress]
    let payload: [UInt8]
    /// The size declared with SIZE= (RFC 1870).
    let messageSize: Int

    public init(configuration: SMTPSessionConfiguration) {
        self.configuration = configuration
        clientName = configuration.clientName
        switch configuration.purpose {
        case let .deliver(envelope, message):
            recipients = envelope.recipients
            (payload, messageSize) = SMTPDataEncoder.encode(message)
        case .checkConnection:
            recipients = []
            payload = []
            messageSize = 0
        }
        statuses = Array(repeating: nil, count: recipients.count)
    }

    /// True once `.finished` has been emitted.
    public var isFinished: Bool { state == .finished }

    /// The step whose answer (or completion) the session is waiting for; nil when finished.
    public var waitingFor: SMTPStep? {
        switch state {
        case .connecting: .connect
        case .tlsHandshake: .tlsHandshake
        case .greeting: .greeting
        case .ehlo: .ehlo
        case .helo: .helo
        case .startTLS: .startTLS
        case .authPlain, .authLoginUsername, .authLoginPassword, .authLoginFinal: .authentication
        case .mailFrom: .mailFrom
        case let .rcptTo(index): recipients.indices.contains(index) ? .rcptTo(recipients[index]) : .mailFrom
        case .data: .data
        case .endOfMessage: .endOfMessage
        case .quit: .quit
        case .finished: nil
        }
    }

    /// Feeds one event; returns what the I/O layer must do, in order. Events after the end are ignored.
    public mutating func handle(_ event: SMTPSessionEvent) -> [SMTPSessionAction] {
        guard state != .finished else { return [] }
        switch event {
        case let .connected(localAddress):
            guard state == .connecting else { return fail(.protocolViolation("connected twice"), quit: false) }
            if clientName == nil { clientName = localAddress ?? (try? SMTPClientName("localhost")) }
            state = configuration.security == .implicitTLS ? .tlsHandshake(afterStartTLS: false) : .greeting
            return []
        case .tlsEstablished:
            guard case let .tlsHandshake(afterStartTLS) = state else {
                return fail(.protocolViolation("a TLS handshake nobody asked for"), quit: false)
            }
            tlsActive = true
            guard afterStartTLS else { state = .greeting; return [] }
            // RFC 3207 section 4.2: forget everything learnt before TLS and greet again.
            capabilities = .none
            return sendEHLO()
        case let .reply(reply):
            return handleReply(reply)
        case let .malformedReply(error):
            return fail(.protocolViolation(error.description), quit: false)
        case .unexpectedDataBeforeTLS:
            return fail(.protocolViolation("the server sent data after agreeing to STARTTLS, before the handshake"), quit: false)
        case let .connectionFailed(kind, detail):
            return fail(SMTPFailure(kind: kind, detail: detail), quit: false)
        case .connectionClosed:
            if state == .quit { return finish() }
            return fail(.connectionLost(waitingFor ?? .connect), quit: false)
        case let .timedOut(seconds):
            if state == .quit { return finish() }
            return fail(.timedOut(waitingFor ?? .connect, afterSeconds: seconds), quit: false)
        }
    }

    // MARK: - Building blocks shared by the reply handlers

    /// Encodes and sends `command`; a command that cannot be encoded ends the session.
    mutating func send(_ command: SMTPCommand, then next: State) -> [SMTPSessionAction] {
        do {
            let bytes = try command.encoded()
            state = next
            return [.send(bytes)]
        } catch {
            return fail(.protocolViolation("genmon could not write \(command.logDescription): \(error)"), quit: false)
        }
    }

    mutating func sendEHLO() -> [SMTPSessionAction] {
        guard let clientName else { return fail(.protocolViolation("no client name for EHLO"), quit: false) }
        return send(.ehlo(clientName), then: .ehlo)
    }

    mutating func fail(_ kind: SMTPFailure.Kind, reply: SMTPReply? = nil, quit: Bool) -> [SMTPSessionAction] {
        fail(SMTPFailure(kind: kind, reply: reply), quit: quit)
    }

    /// Ends the session with `failure`: recipients not yet refused on their own share it.
    mutating func fail(_ failure: SMTPFailure, quit: Bool) -> [SMTPSessionAction] {
        let shared: SMTPRecipientStatus = failure.isPermanent ? .permanentFailure(failure) : .temporaryFailure(failure)
        for index in statuses.indices where statuses[index] == nil || statuses[index] == .accepted {
            statuses[index] = shared
        }
        var actions: [SMTPSessionAction] = []
        if quit, let bytes = try? SMTPCommand.quit.encoded() { actions.append(.send(bytes)) }
        return actions + [.close, .finished(result(failure: failure))]
    }

    /// Ends a session that did what it could (recipients carry their own answers).
    mutating func finish() -> [SMTPSessionAction] {
        [.close, .finished(result(failure: nil))]
    }

    private mutating func result(failure: SMTPFailure?) -> SMTPDeliveryResult {
        state = .finished
        let results = zip(recipients, statuses).map { address, status in
            // Every recipient has a status by now; a missing one would be a bug, reported honestly.
            SMTPRecipientResult(address: address, status: status ?? .temporaryFailure(SMTPFailure(kind: .unexpectedReply(.quit))))
        }
        return SMTPDeliveryResult(
            recipients: results, sessionFailure: failure, greeting: greeting, capabilities: capabilities,
            usedTLS: tlsActive, authenticated: authenticated, messageReply: messageReply)
    }
}
