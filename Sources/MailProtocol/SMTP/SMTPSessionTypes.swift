/// How the connection to the server is secured.
public enum SMTPSecurity: String, Sendable, Equatable {
    /// TLS from the first byte (port 465).
    case implicitTLS
    /// Plain greeting, then STARTTLS before anything else; a server without STARTTLS is refused (587).
    case startTLS
    /// No TLS at all (port 25 on loopback, or when the user turned TLS off).
    case plain
}

/// The sender and recipients given to the server (RFC 5321 envelope), independent of the headers.
public struct SMTPEnvelope: Sendable, Equatable {
    public let sender: EmailAddress
    /// Recipients in the given order, duplicates (compared lower-case) removed.
    public let recipients: [EmailAddress]

    /// Why an envelope cannot be used.
    public enum Problem: Error, Sendable, Equatable { case noRecipients, tooManyRecipients(Int) }

    /// At most 1000 recipients: more would be a bug upstream, not a mailing list genmon runs.
    public init(sender: EmailAddress, recipients: [EmailAddress]) throws(Problem) {
        var seen = Set<String>()
        let unique = recipients.filter { seen.insert($0.normalized).inserted }
        guard !unique.isEmpty else { throw .noRecipients }
        guard unique.count <= 1000 else { throw .tooManyRecipients(unique.count) }
        self.sender = sender
        self.recipients = unique
    }
}

/// What a session is for.
public enum SMTPSessionPurpose: Sendable, Equatable {
    /// Deliver `message` (complete RFC 5322 bytes) to the envelope's recipients.
    case deliver(SMTPEnvelope, message: [UInt8])
    /// Greet, secure, sign in and quit: the "test connection" button.
    case checkConnection
}

/// Everything a session needs to know before it starts.
public struct SMTPSessionConfiguration: Sendable, Equatable {
    /// The EHLO name; nil uses the address literal the I/O layer passes with `.connected`.
    public var clientName: SMTPClientName?
    public var security: SMTPSecurity
    /// Sign in when given. With `.startTLS` or `.implicitTLS` they are sent only over TLS.
    public var credentials: SMTPCredentials?
    public var purpose: SMTPSessionPurpose

    public init(clientName: SMTPClientName?, security: SMTPSecurity, credentials: SMTPCredentials?, purpose: SMTPSessionPurpose) {
        self.clientName = clientName
        self.security = security
        self.credentials = credentials
        self.purpose = purpose
    }
}

/// The step a session is waiting on, so the I/O layer can time it out and name it.
public enum SMTPStep: Sendable, Equatable, CustomStringConvertible {
    case connect
    case tlsHandshake
    case greeting
    case ehlo
    case helo
    case startTLS
    case authentication
    case mailFrom
    case rcptTo(EmailAddress)
    case data
    /// The message has been sent; the server's verdict on it is awaited.
    case endOfMessage
    case quit

    /// Words for "no answer to ___".
    public var description: String {
        switch self {
        case .connect: "the connection attempt"
        case .tlsHandshake: "the TLS handshake"
        case .greeting: "the server's greeting"
        case .ehlo: "EHLO"
        case .helo: "HELO"
        case .startTLS: "STARTTLS"
        case .authentication: "AUTH (sign-in)"
        case .mailFrom: "MAIL FROM"
        case let .rcptTo(address): "RCPT TO:<\(address)>"
        case .data: "DATA"
        case .endOfMessage: "the end of the message (after DATA)"
        case .quit: "QUIT"
        }
    }

    /// The waits RFC 5321 section 4.5.3.2 recommends as minimums, in seconds.
    public var rfcMinimumTimeoutSeconds: Int {
        switch self {
        case .connect, .tlsHandshake, .ehlo, .helo, .startTLS, .authentication, .quit: 300
        case .greeting, .mailFrom, .rcptTo: 300
        case .data: 120
        case .endOfMessage: 600
        }
    }
}

/// Something that happened on the connection, reported by the I/O layer.
public enum SMTPSessionEvent: Sendable, Equatable {
    /// TCP is up (for implicit TLS: before the handshake). `localAddress` names the client when no EHLO name was configured.
    case connected(localAddress: SMTPClientName?)
    /// The TLS handshake finished (implicit TLS, or after STARTTLS).
    case tlsEstablished
    case reply(SMTPReply)
    /// The server's bytes could not be read as replies.
    case malformedReply(SMTPReplyError)
    /// Bytes arrived after the 220 answer to STARTTLS and before the handshake (possible injection).
    case unexpectedDataBeforeTLS
    /// The connection could not be made or secured; the text says why (already in plain words).
    case connectionFailed(SMTPFailure.Kind, detail: String)
    case connectionClosed
    /// The step in `waitingFor` took longer than the I/O layer allows.
    case timedOut(afterSeconds: Int)
}

/// What the I/O layer must do next.
public enum SMTPSessionAction: Sendable, Equatable {
    case send([UInt8])
    /// Start the TLS handshake on the open connection (after STARTTLS's 220).
    case startTLS
    case close
    /// The session is over; no more actions follow.
    case finished(SMTPDeliveryResult)
}
