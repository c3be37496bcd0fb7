import Foundation
import HTTPTypes
import Hummingbird

/// Who may use a route.
public enum Access: String, Sendable, Equatable, CaseIterable {
    /// Anybody: the page shell, its assets, the liveness probe, signing in, first-admin setup.
    case anyone
    /// Any signed-in user or API token.
    case viewer
    /// Admin users and admin tokens.
    case admin
}

/// What a request needs: a level of access, and whether it changes anything (then a browser
/// session must also prove the request came from this app's own page).
public struct Requirement: Sendable, Equatable {
    public var access: Access
    public var changesState: Bool

    public init(_ access: Access, changesState: Bool) {
        self.access = access
        self.changesState = changesState
    }
}

/// The one place where access is decided, for every route (and, for `/cmd/<command>`, every
/// command): roles, CSRF tokens and the Origin check.
///
/// - Anonymous requests get 401 on anything but `anyone` routes.
/// - Viewers get 403 on `admin` routes.
/// - A request that changes state with a browser session must carry the session's CSRF token in
///   `X-CSRF-Token` and an `Origin` (or, failing that, `Referer`) naming this server. Requests
///   with an API token carry no ambient credential a third-party page could borrow, so they need
///   neither.
/// - A state-changing request to an `anyone` route (sign-in, setup) that names an Origin must name
///   this server's, so a third-party page cannot sign a browser in to another account.
public struct AccessPolicy: Sendable {
    /// Extra origins accepted besides this server's own (a reverse proxy's public address).
    public var trustedOrigins: Set<String>
    public var https: Bool

    public init(https: Bool, trustedOrigins: Set<String> = []) {
        self.https = https
        self.trustedOrigins = trustedOrigins
    }

    /// The principal allowed to go on (nil for anonymous access to `anyone` routes), or an error.
    @discardableResult
    public func authorize(_ requirement: Requirement, request: Request, context: WebContext) throws(APIError) -> Principal? {
        switch requirement.access {
        case .anyone:
            // Sign-in and setup: no session to take a token from yet, but a page elsewhere may not
            // post here (it would sign the browser in to an account of its choosing).
            if requirement.changesState, let origin = request.headers[.origin], !originIsOurs(origin, request: request) {
                throw APIError.csrf
            }
            return context.principal
        case .viewer, .admin:
            guard let principal = context.principal else { throw APIError.unauthenticated }
            if requirement.access == .admin, !principal.isAdmin { throw APIError.forbidden }
            if requirement.changesState, case .session = principal.credential {
                try checkSessionRequest(request, principal: principal)
            }
            return principal
        }
    }

    /// A browser request that changes something: our own Origin (or Referer) and the session's
    /// CSRF token.
    func checkSessionRequest(_ request: Request, principal: Principal) throws(APIError) {
        guard case let .session(_, expected) = principal.credential else { return }
        if let origin = request.headers[.origin] {
            guard originIsOurs(origin, request: request) else { throw .csrf }
        } else if let referer = request.headers[.referer] {
            guard let url = URL(string: referer), let scheme = url.scheme, let host = url.host else { throw .csrf }
            let origin = scheme + "://" + host + (url.port.map { ":\($0)" } ?? "")
            guard originIsOurs(origin, request: request) else { throw .csrf }
        } else {
            throw .csrf
        }
        guard let token = request.headers[.genmonCSRF], Secrets.constantTimeEqual(token, expected) else { throw .csrf }
    }

    /// Whether `origin` is this server as the request addressed it (its Host), or a trusted one.
    func originIsOurs(_ origin: String, request: Request) -> Bool {
        if trustedOrigins.contains(origin) { return true }
        guard let host = request.head.authority else { return false }
        let scheme = https ? "https" : "http"
        let candidates = [scheme + "://" + host] + Self.withoutDefaultPort(scheme: scheme, host: host)
        return candidates.contains(origin.lowercased()) || candidates.map { $0.lowercased() }.contains(origin.lowercased())
    }

    /// `http://host:80` is sent as `http://host` by browsers, and the other way round.
    static func withoutDefaultPort(scheme: String, host: String) -> [String] {
        let port = scheme == "https" ? ":443" : ":80"
        if host.hasSuffix(port) { return [scheme + "://" + host.dropLast(port.count)] }
        return [scheme + "://" + host + port]
    }
}
