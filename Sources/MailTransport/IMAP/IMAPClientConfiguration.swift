import MailProtocol

/// Where and how `IMAPClient` connects and logs in, and the limits and timeouts it keeps.
public struct IMAPClientConfiguration: Sendable {
    /// Host name or IP address of the IMAP server (`imap_server`).
    public var host: String
    /// 993 for implicit TLS, 143 for STARTTLS or plain (`imap_port`).
    public var port: Int
    /// TLS mode and certificate trust, shared with the SMTP client.
    public var tls: MailTLSConfiguration
    /// Account and password; nil skips the login (`smtpauth_disable`), which only works with a PREAUTH server.
    public var credentials: Credentials?
    /// AUTHENTICATE PLAIN when offered (the default), or one method forced.
    public var authenticationMethod: IMAPAuthenticationMethod
    /// Most time to open the TCP connection.
    public var connectTimeout: Duration
    /// Most time any one command (and the greeting, and the TLS handshake) may take.
    public var commandTimeout: Duration
    /// How much of a response the client holds: header literals above `maximumLiteralSize` arrive as `.tooLarge`.
    public var limits: IMAPResponseFramer.Limits

    /// The account (`email_account`) and password (`email_pw`).
    public struct Credentials: Sendable, Equatable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public init(
        host: String, port: Int? = nil, tls: MailTLSConfiguration, credentials: Credentials?,
        authenticationMethod: IMAPAuthenticationMethod = .automatic, connectTimeout: Duration = .seconds(15), commandTimeout: Duration = .seconds(60),
        limits: IMAPResponseFramer.Limits = .init()
    ) {
        self.host = host
        self.port = port ?? (tls.mode == .implicit ? 993 : 143)
        self.tls = tls
        self.credentials = credentials
        self.authenticationMethod = authenticationMethod
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.limits = limits
    }
}

/// Why an IMAP operation failed. Every one of them leaves the connection closed, except `commandFailed`.
public enum IMAPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server did not answer in time (what was waited for is named).
    case timeout(String)
    /// The connection closed (or was closed after an earlier error).
    case connectionClosed
    /// The server refused the credentials.
    case authenticationFailed(String)
    /// A command finished with NO or BAD; the connection stays usable.
    case commandFailed(command: String, status: IMAPStatus)
    /// The server broke the protocol (unparseable or out-of-step responses, data injected after STARTTLS).
    case protocolViolation(String)
    /// Setting up the session is impossible as configured (no STARTTLS, no usable login method).
    case setup(IMAPSetupError)
    /// TCP or TLS failed (refused, unreachable, certificate not trusted), as NIO described it.
    case transport(String)
    /// An argument the client was asked to send cannot be encoded safely (NUL, CR/LF in a flag, ...).
    case invalidArgument(IMAPCommandError)
    /// Another task's command is still running on this connection (commands go one at a time).
    case busy

    public var description: String {
        switch self {
        case let .timeout(what): "IMAP timeout waiting for \(what)"
        case .connectionClosed: "the IMAP connection is closed"
        case let .authenticationFailed(text): "IMAP login refused: \(text)"
        case let .commandFailed(command, status): "IMAP \(command) failed: \(status.kind.rawValue) \(status.text)"
        case let .protocolViolation(text): "IMAP protocol violation: \(text)"
        case let .setup(error): error.description
        case let .transport(text): "IMAP connection failed: \(text)"
        case let .invalidArgument(error): "IMAP argument refused: \(error)"
        case .busy: "another IMAP command is still running on this connection"
        }
    }
}
