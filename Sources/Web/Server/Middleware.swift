import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost layer: turns every error into a JSON error response and puts the security
/// headers on every response, errors included.
struct ResponseHardeningMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let https: Bool
    /// Strict-Transport-Security is sent only with a certificate the user provided: browsers do
    /// not let a person past a self-signed certificate's warning on an HSTS host.
    let sendHSTS: Bool

    /// No inline script or style anywhere, so the policy needs no 'unsafe-inline'.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "font-src 'self'", "manifest-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = error.response
        } catch let error as HTTPError {
            response = switch error.status {
            case .notFound: APIError.notFound.response
            case .contentTooLarge: APIError(.contentTooLarge, "too_large", "The request body is too large.").response
            default: APIError(error.status, "http_\(error.status.code)", error.body ?? error.status.reasonPhrase).response
            }
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = APIError(.internalServerError, "internal", "Something went wrong inside genmon; the log says more.").response
        }
        var headers = response.headers
        headers[.xContentTypeOptions] = "nosniff"
        headers[.genmonFrameOptions] = "DENY"
        headers[.genmonReferrerPolicy] = "same-origin"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        headers[.genmonPermissionsPolicy] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        headers[.genmonOpenerPolicy] = "same-origin"
        headers[.genmonResourcePolicy] = "same-origin"
        if sendHSTS { headers[.strictTransportSecurity] = "max-age=31536000" }
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        response.headers = headers
        return response
    }
}

/// Serves only requests addressed to a name of this server (`HostPolicy`): a page that rebinds
/// its own DNS name to genmon's address gets 421, never the sign-in route.
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let hosts: HostPolicy

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard hosts.allows(authority: request.head.authority) else {
            let name = String((request.head.authority ?? "").prefix(100))
            throw APIError(.misdirectedRequest, "unknown_host",
                           "genmon does not answer to the name “\(name)”. If that is how you reach it, add it to http_host_names in genmon.conf.")
        }
        return try await next(request, context)
    }
}

/// Finds out who is asking, from `Authorization: Bearer <token>` or the session cookie, and puts
/// it in the context. Deciding what they may do is `AccessPolicy`'s job, not this one's.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let accounts: AccountStore
    let cookieName: String

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        // A bearer token decides alone (a wrong one is not rescued by a cookie). Other schemes, such
        // as Basic from a reverse proxy's own password, are not ours: the session cookie still counts.
        if let bearer = Self.bearer(in: request) {
            context.principal = await accounts.principal(bearer: bearer)
        } else if let cookie = request.cookies[cookieName]?.value, !cookie.isEmpty, cookie.count < 200 {
            if let principal = await accounts.principal(sessionCookie: cookie) {
                context.principal = principal
                context.sessionCookie = cookie
            }
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer …` header, if the request has one.
    static func bearer(in request: Request) -> String? {
        guard let authorization = request.headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}

extension HTTPField.Name {
    static let genmonFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let genmonReferrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let genmonPermissionsPolicy = HTTPField.Name("Permissions-Policy")!
    static let genmonOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
    static let genmonResourcePolicy = HTTPField.Name("Cross-Origin-Resource-Policy")!
    static let genmonCSRF = HTTPField.Name("X-CSRF-Token")!
}
