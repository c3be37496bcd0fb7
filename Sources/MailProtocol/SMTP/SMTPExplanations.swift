/// Plain-words explanations of SMTP failures, for the log, the outbox page and "send test".
enum SMTPExplanations {
    static func explain(_ failure: SMTPFailure) -> String {
        let base = baseExplanation(failure)
        guard let hint = failure.reply.flatMap(hint(for:)), !base.contains(hint) else { return base }
        return "\(base): \(hint)"
    }

    private static func baseExplanation(_ failure: SMTPFailure) -> String {
        let temporary = failure.reply?.isTransientFailure == true
        switch failure.kind {
        case .connectionFailed: return "could not connect to the mail server"
        case .tlsSetupFailed: return "the TLS settings could not be used"
        case .tlsHandshakeFailed: return "the secure (TLS) connection to the mail server could not be set up"
        case .certificateRejected:
            return "the mail server's certificate is not trusted for this host name, so genmon did not send anything"
        case let .timedOut(step, seconds): return "no answer to \(step) after \(seconds) s"
        case let .connectionLost(step): return "the mail server closed the connection while genmon waited for \(step)"
        case let .protocolViolation(what): return "the mail server's answer could not be understood (\(what))"
        case .greetingRefused:
            return failure.reply?.code == 421
                ? "the mail server is not accepting connections right now"
                : "the mail server refused the connection"
        case let .serviceClosing(step): return "the mail server closed the session at \(step); it may be busy or shutting down"
        case .ehloRefused: return "the mail server refused genmon's greeting (EHLO and HELO)"
        case .startTLSNotOffered:
            return "the mail server does not offer STARTTLS, so the connection cannot be secured; use SSL (port 465) or turn TLS off only if you trust the network"
        case .startTLSRefused: return "the mail server refused to start TLS"
        case let .authenticationNotOffered(offered):
            if offered.isEmpty { return "a user name and password are set, but the mail server does not offer a sign-in on this connection" }
            return "the mail server offers no sign-in method genmon supports (PLAIN, LOGIN); it offers \(offered.joined(separator: ", "))"
        case .authenticationRejected: return "the server refused the user name or password"
        case .authenticationTemporarilyFailed: return "the mail server could not check the user name and password just now"
        case .authenticationRefused:
            switch failure.reply?.code {
            case 534: return "the mail server wants a different sign-in method (some providers need an app password)"
            case 538: return "the mail server requires encryption before signing in"
            default: return temporary ? "signing in failed for now" : "the mail server refused the sign-in"
            }
        case let .messageTooLarge(size, limit):
            return "the message is \(size) bytes, more than the \(limit) bytes the mail server accepts"
        case .internationalAddressNotSupported:
            return "an address has non-ASCII characters and the mail server does not support international addresses (SMTPUTF8)"
        case .senderRefused:
            return temporary
                ? "the mail server did not accept the sender address for now"
                : "the mail server does not accept mail from this sender address (check sender_account)"
        case let .recipientRefused(address):
            return temporary
                ? "the mail server could not take mail for \(address) now and asked to try again later"
                : "the mail server refused the recipient \(address)"
        case .dataRefused:
            return temporary ? "the mail server is not taking the message now" : "the mail server refused to take the message"
        case .messageRefused:
            return temporary ? "the mail server did not take the message for now" : "the mail server refused the message"
        case let .unexpectedReply(step):
            return "the mail server gave an unexpected answer to \(step)"
        }
    }

    /// A plain-words reading of common enhanced status codes (RFC 3463), or of the basic code.
    static func hint(for reply: SMTPReply) -> String? {
        if let enhanced = reply.enhancedCode {
            switch (enhanced.subject, enhanced.detail) {
            case (1, 1): return "the mailbox does not exist"
            case (1, 2): return "the recipient's domain does not exist or takes no mail"
            case (1, 8): return "the sender's domain is not accepted"
            case (2, 1): return "the mailbox is disabled"
            case (2, 2): return "the mailbox is full"
            case (2, 3), (3, 4): return "the message is too large"
            case (4, 1), (4, 2), (4, 7): return "the receiving side could not be reached"
            case (5, 3): return "too many recipients in one message"
            case (7, 1): return "not allowed by the server's policy (for example relaying or a blocked sender)"
            case (7, 8): return "the server refused the user name or password"
            case (7, 9): return "the sign-in method is not allowed (some providers need an app password)"
            case (7, 11): return "the server requires encryption"
            case (7, 0) where enhanced.statusClass == 4: return "the server asks to try later (possibly greylisting)"
            default: break
            }
        }
        switch reply.code {
        case 421: return "the server is closing the connection"
        case 450, 451: return "the server had a temporary problem and asks to try again later"
        case 452: return "the server is short of storage or got too many recipients; try later"
        case 550: return "the mailbox is unavailable or the server's policy refuses it"
        case 552: return "the message exceeds the server's storage or size limit"
        case 553: return "the address is not allowed"
        case 554: return "the server refused the transaction"
        default: return nil
        }
    }
}
