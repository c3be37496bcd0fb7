/// The next command on the way from the greeting to an authenticated session.
public enum IMAPSetupStep: Equatable, Sendable {
    /// Upgrade to TLS before anything else, credentials above all.
    case startTLS
    /// Ask for the capabilities (unknown, or stale after STARTTLS or login).
    case capability
    /// Log in with this command.
    case authenticate(IMAPCommand)
    /// Authenticated with known capabilities: the session is ready for work.
    case ready
}

/// Which login command to use.
public enum IMAPAuthenticationMethod: String, Equatable, Sendable {
    /// AUTHENTICATE PLAIN when the server offers it, else LOGIN.
    case automatic
    /// Always AUTHENTICATE PLAIN.
    case plain
    /// Always LOGIN (for servers whose SASL is broken).
    case login
}

/// Why a session cannot be set up as configured.
public enum IMAPSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// STARTTLS was required but the server does not offer it (or authenticated the plain connection first).
    case startTLSUnavailable
    /// The server needs a login but no credentials were configured.
    case credentialsRequired
    /// Neither AUTH=PLAIN nor LOGIN is allowed by the server.
    case noAuthenticationMethod

    public var description: String {
        switch self {
        case .startTLSUnavailable: "the server does not offer STARTTLS; refusing to log in without TLS"
        case .credentialsRequired: "the server requires a login but no account or password is configured"
        case .noAuthenticationMethod: "the server offers neither AUTHENTICATE PLAIN nor LOGIN"
        }
    }
}

extension IMAPSession {
    /// What to send next to reach an authenticated session: STARTTLS first when `needsStartTLS`, then
    /// AUTHENTICATE PLAIN when offered (with SASL-IR when offered), else LOGIN unless LOGINDISABLED;
    /// `method` can force one of the two.
    public func nextSetupStep(
        needsStartTLS: Bool, username: String?, password: String?, method: IMAPAuthenticationMethod = .automatic
    ) throws(IMAPSetupError) -> IMAPSetupStep {
        switch state {
        case .notAuthenticated:
            guard capabilitiesKnown else { return .capability }
            if needsStartTLS {
                guard supports("STARTTLS") else { throw .startTLSUnavailable }
                return .startTLS
            }
            guard let username, let password else { throw .credentialsRequired }
            let plain = IMAPSetupStep.authenticate(.authenticatePlain(username: username, password: password, initialResponse: supports("SASL-IR")))
            let login = IMAPSetupStep.authenticate(.login(username: username, password: password))
            switch method {
            case .plain:
                guard supports("AUTH=PLAIN") else { throw .noAuthenticationMethod }
                return plain
            case .login:
                guard !supports("LOGINDISABLED") else { throw .noAuthenticationMethod }
                return login
            case .automatic:
                if supports("AUTH=PLAIN") { return plain }
                guard !supports("LOGINDISABLED") else { throw .noAuthenticationMethod }
                return login
            }
        case .authenticated, .selected:
            // A PREAUTH greeting on a connection that still wanted STARTTLS cannot be upgraded any more.
            if needsStartTLS { throw .startTLSUnavailable }
            return capabilitiesKnown ? .ready : .capability
        case .awaitingGreeting, .loggedOut:
            return .capability
        }
    }
}
