/// Why a session, or one recipient of it, did not succeed: what happened, the server's own words, and
/// an explanation a person can act on.
public struct SMTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// No TCP connection (refused, unreachable, name not found).
        case connectionFailed
        /// The TLS settings could not be used (for example the extra CA file cannot be read).
        case tlsSetupFailed
        /// The handshake failed for another reason than the certificate.
        case tlsHandshakeFailed
        /// The server's certificate was not trusted or not for this host.
        case certificateRejected
        case timedOut(SMTPStep, afterSeconds: Int)
        /// The connection ended while waiting on this step.
        case connectionLost(SMTPStep)
        /// The server sent something that is not SMTP.
        case protocolViolation(String)
        /// 421, or 554 in the greeting: the server will not talk to us now.
        case greetingRefused
        /// 421 in answer to a command: the server is closing the connection.
        case serviceClosing(SMTPStep)
        case ehloRefused
        case startTLSNotOffered
        case startTLSRefused
        /// Credentials were given but the server offers no sign-in genmon can use.
        case authenticationNotOffered(offered: [String])
        /// 535: wrong user name or password.
        case authenticationRejected
        /// 454 or another 4xx: try again later.
        case authenticationTemporarilyFailed
        /// 534, 538 or another refusal that is not about the password itself.
        case authenticationRefused
        /// The server announced a SIZE limit below this message's size.
        case messageTooLarge(size: Int, limit: Int)
        /// An address is not ASCII and the server lacks SMTPUTF8.
        case internationalAddressNotSupported
        case senderRefused
        case recipientRefused(EmailAddress)
        case dataRefused
        case messageRefused
        /// A reply code that makes no sense at this step.
        case unexpectedReply(SMTPStep)
    }

    /// What retrying can achieve.
    public enum Retry: String, Sendable, Equatable {
        /// A temporary problem: the same message may go through later.
        case later
        /// A settings problem (password, TLS, sender address): retrying helps once the settings are fixed.
        case afterSettingsChange
        /// This message or recipient is refused for good.
        case never
    }

    public let kind: Kind
    /// The server's answer that caused the failure, when there was one.
    public let reply: SMTPReply?
    /// Extra words from the I/O layer (a TLS error, a socket error).
    public let detail: String?

    public init(kind: Kind, reply: SMTPReply? = nil, detail: String? = nil) {
        self.kind = kind
        self.reply = reply
        self.detail = detail
    }

    /// What retrying can achieve.
    public var retry: Retry {
        switch kind {
        case .connectionFailed, .tlsHandshakeFailed, .timedOut, .connectionLost, .protocolViolation, .greetingRefused,
             .serviceClosing, .authenticationTemporarilyFailed, .unexpectedReply:
            return .later
        case .tlsSetupFailed, .certificateRejected, .startTLSNotOffered, .startTLSRefused, .authenticationNotOffered,
             .authenticationRejected, .authenticationRefused, .senderRefused, .ehloRefused:
            return reply?.isTransientFailure == true ? .later : .afterSettingsChange
        case .messageTooLarge, .internationalAddressNotSupported:
            return .never
        case .recipientRefused, .dataRefused, .messageRefused:
            return reply?.isTransientFailure == true ? .later : .never
        }
    }

    /// True when this failure is permanent for the message (not worth retrying as it is).
    public var isPermanent: Bool { retry == .never }

    /// The explanation in plain words, without the server's text.
    public var explanation: String { SMTPExplanations.explain(self) }

    /// The explanation followed by the server's answer or the I/O detail.
    public var description: String {
        var text = explanation
        if let reply { text += " (the server said: \(reply))" } else if let detail, !detail.isEmpty { text += " (\(detail))" }
        return text
    }
}

/// How one recipient of a delivery fared.
public enum SMTPRecipientStatus: Sendable, Equatable {
    /// The server took responsibility for delivering to this recipient.
    case accepted
    /// Not delivered now; the same message may be retried for this recipient.
    case temporaryFailure(SMTPFailure)
    /// Refused for good (a 5xx for this recipient or this message).
    case permanentFailure(SMTPFailure)

    public var isAccepted: Bool { self == .accepted }
}

/// One recipient and its status.
public struct SMTPRecipientResult: Sendable, Equatable {
    public let address: EmailAddress
    public let status: SMTPRecipientStatus

    public init(address: EmailAddress, status: SMTPRecipientStatus) {
        self.address = address
        self.status = status
    }
}

/// Everything a finished session learned. Server answers never throw: they are described here.
public struct SMTPDeliveryResult: Sendable, Equatable {
    /// One entry per envelope recipient, in envelope order (empty for a connection check).
    public var recipients: [SMTPRecipientResult]
    /// A failure of the whole session, if there was one (recipients then carry it too).
    public var sessionFailure: SMTPFailure?
    /// The server's greeting, when one arrived.
    public var greeting: SMTPReply?
    /// What the server announced in its last EHLO.
    public var capabilities: SMTPCapabilities
    /// True when the conversation ran over TLS.
    public var usedTLS: Bool
    /// True when the server accepted the credentials.
    public var authenticated: Bool
    /// The server's answer to the end of the message (often carries its queue id).
    public var messageReply: SMTPReply?

    public init(
        recipients: [SMTPRecipientResult], sessionFailure: SMTPFailure?, greeting: SMTPReply?,
        capabilities: SMTPCapabilities, usedTLS: Bool, authenticated: Bool, messageReply: SMTPReply?
    ) {
        self.recipients = recipients
        self.sessionFailure = sessionFailure
        self.greeting = greeting
        self.capabilities = capabilities
        self.usedTLS = usedTLS
        self.authenticated = authenticated
        self.messageReply = messageReply
    }

    /// A result for a session that never started (e.g. the TLS settings could not be used).
    public static func failed(_ failure: SMTPFailure, recipients: [EmailAddress]) -> SMTPDeliveryResult {
        let status: SMTPRecipientStatus = failure.isPermanent ? .permanentFailure(failure) : .temporaryFailure(failure)
        return SMTPDeliveryResult(
            recipients: recipients.map { SMTPRecipientResult(address: $0, status: status) }, sessionFailure: failure,
            greeting: nil, capabilities: .none, usedTLS: false, authenticated: false, messageReply: nil)
    }

    /// The recipients the server accepted the message for.
    public var accepted: [EmailAddress] { recipients.filter { $0.status.isAccepted }.map(\.address) }

    /// True when there was no session failure and every recipient was accepted.
    public var succeeded: Bool { sessionFailure == nil && recipients.allSatisfy { $0.status.isAccepted } }
}
