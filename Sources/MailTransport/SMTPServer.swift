import MailProtocol

/// Where and how to reach an SMTP server.
public struct SMTPServer: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// TLS mode (implicit 465, STARTTLS 587, none 25) and certificate trust.
    public var tls: MailTLSConfiguration
    /// Signs in when given; sent only over TLS unless `tls.mode` is `.none`.
    public var credentials: SMTPCredentials?
    /// The EHLO name; nil uses the address literal of the local end of the connection (`[192.0.2.7]`).
    public var clientName: SMTPClientName?
    public var timeouts: SMTPTimeouts

    public init(
        host: String, port: Int, tls: MailTLSConfiguration, credentials: SMTPCredentials? = nil,
        clientName: SMTPClientName? = nil, timeouts: SMTPTimeouts = SMTPTimeouts()
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.credentials = credentials
        self.clientName = clientName
        self.timeouts = timeouts
    }

    /// `host:port`, for logs and messages.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    var security: SMTPSecurity {
        switch tls.mode {
        case .implicit: .implicitTLS
        case .startTLS: .startTLS
        case .none: .plain
        }
    }
}

/// How long each step may take. Shorter than RFC 5321's minimums on purpose: genmon's outbox retries,
/// so a stuck server should free the connection quickly rather than hold it for ten minutes.
public struct SMTPTimeouts: Sendable, Equatable {
    public var connect: Duration
    public var tlsHandshake: Duration
    /// Greeting and every command's answer.
    public var command: Duration
    /// The answer after the message has been sent (servers scan it for spam and viruses first).
    public var endOfMessage: Duration

    public init(
        connect: Duration = .seconds(15), tlsHandshake: Duration = .seconds(30), command: Duration = .seconds(60),
        endOfMessage: Duration = .seconds(120)
    ) {
        self.connect = connect
        self.tlsHandshake = tlsHandshake
        self.command = command
        self.endOfMessage = endOfMessage
    }

    /// The limit for `step`.
    public func limit(for step: SMTPStep) -> Duration {
        switch step {
        case .connect: connect
        case .tlsHandshake: tlsHandshake
        case .endOfMessage: endOfMessage
        default: command
        }
    }
}

/// A message ready to send: the envelope and the complete message bytes.
///
/// The bytes are rendered once (and stored by the outbox), so every retry sends the same
/// Message-ID and recipients' mail programs can drop duplicates.
public struct OutgoingMail: Sendable, Equatable {
    public let envelope: SMTPEnvelope
    public let content: [UInt8]

    public init(envelope: SMTPEnvelope, content: [UInt8]) {
        self.envelope = envelope
        self.content = content
    }

    /// The rendered `message`, sent from its From address to its recipients.
    public init(_ rendered: RenderedMail, of message: MailMessage) throws(SMTPEnvelope.Problem) {
        envelope = try SMTPEnvelope(sender: message.from.address, recipients: message.recipients)
        content = rendered.bytes
    }
}

/// What "test connection" found, in plain words.
public struct SMTPConnectionReport: Sendable, Equatable {
    /// True when the server greeted, the connection was secured as configured and the sign-in (if any) worked.
    public let succeeded: Bool
    /// One or two sentences for a person.
    public let summary: String
    /// The details behind the summary.
    public let result: SMTPDeliveryResult
}

extension Duration {
    /// Whole seconds, rounded up, for messages such as "no answer after 60 s".
    var wholeSeconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}
