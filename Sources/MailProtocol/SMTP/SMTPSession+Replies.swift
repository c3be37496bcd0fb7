/// What each reply means at each step.
extension SMTPSession {
    mutating func handleReply(_ reply: SMTPReply) -> [SMTPSessionAction] {
        // 421 may come at any step: the server is going away (RFC 5321 section 3.8).
        if reply.code == 421, state != .quit, state != .greeting {
            return fail(.serviceClosing(waitingFor ?? .greeting), reply: reply, quit: false)
        }
        switch state {
        case .connecting, .tlsHandshake:
            return fail(.protocolViolation("the server answered before the connection was ready: \(reply)"), quit: false)
        case .greeting: return greetingReply(reply)
        case .ehlo: return ehloReply(reply)
        case .helo:
            guard reply.isPositiveCompletion else { return fail(.ehloRefused, reply: reply, quit: true) }
            capabilities = .none
            return afterGreetingExchange()
        case .startTLS:
            guard reply.code == 220 else { return fail(.startTLSRefused, reply: reply, quit: true) }
            state = .tlsHandshake(afterStartTLS: true)
            return [.startTLS]
        case .authPlain, .authLoginUsername, .authLoginPassword, .authLoginFinal:
            return authReply(reply)
        case .mailFrom:
            guard reply.isPositiveCompletion else {
                return fail(reply.isPositiveIntermediate ? .unexpectedReply(.mailFrom) : .senderRefused, reply: reply, quit: true)
            }
            return sendRecipient(0)
        case let .rcptTo(index): return recipientReply(reply, index: index)
        case .data:
            guard reply.code == 354 else {
                return fail(reply.isPositiveCompletion ? .unexpectedReply(.data) : .dataRefused, reply: reply, quit: true)
            }
            state = .endOfMessage
            return [.send(payload)]
        case .endOfMessage:
            guard reply.isPositiveCompletion else {
                return fail(reply.isPositiveIntermediate ? .unexpectedReply(.endOfMessage) : .messageRefused, reply: reply, quit: true)
            }
            messageReply = reply
            return send(.quit, then: .quit)
        case .quit:
            return finish()
        case .finished:
            return []
        }
    }

    private mutating func greetingReply(_ reply: SMTPReply) -> [SMTPSessionAction] {
        greeting = reply
        guard reply.code == 220 else {
            // RFC 5321 section 3.1: after a 554 greeting the client should still send QUIT.
            let kind: SMTPFailure.Kind = reply.isPositiveCompletion || reply.isPositiveIntermediate ? .unexpectedReply(.greeting) : .greetingRefused
            return fail(kind, reply: reply, quit: reply.code == 554)
        }
        return sendEHLO()
    }

    private mutating func ehloReply(_ reply: SMTPReply) -> [SMTPSessionAction] {
        if reply.isPositiveCompletion {
            capabilities = SMTPCapabilities(ehloReply: reply)
            return afterGreetingExchange()
        }
        guard reply.isPermanentFailure else { return fail(.ehloRefused, reply: reply, quit: true) }
        // EHLO not understood: HELO works for plain SMTP, but STARTTLS is an extension, so a
        // session that must upgrade cannot continue.
        if configuration.security == .startTLS, !tlsActive { return fail(.startTLSNotOffered, reply: reply, quit: true) }
        guard let clientName else { return fail(.protocolViolation("no client name for HELO"), quit: false) }
        return send(.helo(clientName), then: .helo)
    }

    /// After (E)HLO: upgrade, sign in, or start the transaction.
    private mutating func afterGreetingExchange() -> [SMTPSessionAction] {
        if configuration.security == .startTLS, !tlsActive {
            guard capabilities.startTLS else { return fail(.startTLSNotOffered, quit: true) }
            return send(.startTLS, then: .startTLS)
        }
        if let credentials = configuration.credentials {
            // The one place credentials leave: never before TLS unless the user chose plain SMTP.
            guard configuration.security == .plain || tlsActive else {
                return fail(.protocolViolation("credentials were about to be sent without TLS"), quit: false)
            }
            let offered = capabilities.authMechanisms
            if offered.contains("PLAIN") { return send(.authPlain(credentials), then: .authPlain(responseSent: false)) }
            if offered.contains("LOGIN") { return send(.authLogin, then: .authLoginUsername) }
            return fail(.authenticationNotOffered(offered: offered), quit: true)
        }
        return beginTransaction()
    }

    private mutating func authReply(_ reply: SMTPReply) -> [SMTPSessionAction] {
        if reply.isPositiveCompletion {
            authenticated = true
            return beginTransaction()
        }
        if reply.code == 334, let credentials = configuration.credentials {
            switch state {
            case .authPlain(responseSent: false):
                // A server that ignores the initial response asks for it again (RFC 4954 section 4).
                let token = [0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8)
                return send(.authResponse(Base64.encode(token)), then: .authPlain(responseSent: true))
            case .authLoginUsername:
                return send(.authResponse(Base64.encode(Array(credentials.username.utf8))), then: .authLoginPassword)
            case .authLoginPassword:
                return send(.authResponse(Base64.encode(Array(credentials.password.utf8))), then: .authLoginFinal)
            default:
                // The server is still waiting for an AUTH line, so QUIT would be misread: just close.
                return fail(.unexpectedReply(.authentication), reply: reply, quit: false)
            }
        }
        let kind: SMTPFailure.Kind
        switch reply.code {
        case 535: kind = .authenticationRejected
        case 400..<500: kind = .authenticationTemporarilyFailed
        case 500..<600: kind = reply.enhancedCode?.subject == 7 && reply.enhancedCode?.detail == 8 ? .authenticationRejected : .authenticationRefused
        default: kind = .unexpectedReply(.authentication)
        }
        return fail(kind, reply: reply, quit: true)
    }

    private mutating func beginTransaction() -> [SMTPSessionAction] {
        guard case let .deliver(envelope, message) = configuration.purpose else { return send(.quit, then: .quit) }
        let needsUTF8 = !envelope.sender.isASCII || envelope.recipients.contains { !$0.isASCII }
        if needsUTF8, !capabilities.smtpUTF8 { return fail(.internationalAddressNotSupported, quit: true) }
        let size = messageSize
        if let limit = capabilities.maximumMessageSize, size > limit {
            return fail(.messageTooLarge(size: size, limit: limit), quit: true)
        }
        var parameters: [String] = []
        if capabilities.size { parameters.append("SIZE=\(size)") }
        if capabilities.eightBitMIME, SMTPDataEncoder.isEightBit(message) { parameters.append("BODY=8BITMIME") }
        if needsUTF8 { parameters.append("SMTPUTF8") }
        return send(.mailFrom(envelope.sender, parameters: parameters), then: .mailFrom)
    }

    private mutating func sendRecipient(_ index: Int) -> [SMTPSessionAction] {
        guard recipients.indices.contains(index) else {
            guard statuses.contains(where: { $0 == .accepted }) else {
                // Nobody to deliver to: each recipient already carries its own refusal.
                return send(.quit, then: .quit)
            }
            return send(.data, then: .data)
        }
        return send(.rcptTo(recipients[index]), then: .rcptTo(index))
    }

    private mutating func recipientReply(_ reply: SMTPReply, index: Int) -> [SMTPSessionAction] {
        guard recipients.indices.contains(index) else { return fail(.unexpectedReply(.mailFrom), reply: reply, quit: true) }
        let address = recipients[index]
        if reply.isPositiveCompletion {
            statuses[index] = .accepted
        } else if reply.isTransientFailure {
            statuses[index] = .temporaryFailure(SMTPFailure(kind: .recipientRefused(address), reply: reply))
        } else if reply.isPermanentFailure {
            statuses[index] = .permanentFailure(SMTPFailure(kind: .recipientRefused(address), reply: reply))
        } else {
            return fail(.unexpectedReply(.rcptTo(address)), reply: reply, quit: true)
        }
        return sendRecipient(index + 1)
    }
}
