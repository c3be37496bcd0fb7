import Foundation
import Hummingbird
import Monitor

/// Signing in and out, the first admin, one's own password, and the demo's sign-in link.
enum SessionRoutes {
    struct LoginBody: Decodable {
        var username: String
        var password: String
    }

    struct SetupBody: Decodable {
        var code: String
        var username: String
        var password: String
    }

    struct PasswordBody: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/api/v1/session", .anyone) { _, _, principal in
            try await Response.json(sessionView(app, principal: principal))
        }

        routes.post("/api/v1/session", .anyone) { request, context, _ in
            let body = try await request.decodeJSON(LoginBody.self, context: context)
            let name = body.username.trimmingCharacters(in: .whitespaces)
            // A name no account can have is counted against the address only: the throttle keeps
            // no record (and the log no copy) of whatever a stranger typed.
            let account = !name.isEmpty && name.count <= 64 ? name : nil
            // The slot is taken before the password is hashed, so parallel guesses queue up behind the limit.
            let reservation = try reserve(app, account: account, address: context.remoteAddress)
            guard let account, body.password.utf8.count <= 1024,
                  let user = await app.accounts.verify(name: account, password: body.password) else {
                await failed(app, reservation, account: account, address: context.remoteAddress)
                throw APIError(.unauthorized, "invalid_credentials", "Wrong user name or password.")
            }
            app.throttle.finish(reservation, succeeded: true)
            return try await signIn(app, user: user, request: request)
        }

        routes.delete("/api/v1/session", .viewer) { _, context, principal in
            guard let cookie = context.sessionCookie, case .session = principal?.credential else {
                throw APIError.badRequest("Only a browser session can sign out; API tokens are revoked on the admin page.")
            }
            try await app.accounts.endSession(cookie: cookie)
            var response = try await Response.json(sessionView(app, principal: nil))
            response.headers[.setCookie] = app.sessionCookie(nil)
            return response
        }

        routes.post("/api/v1/session/password", .viewer) { request, context, principal in
            guard let principal, case let .session(idHash, _) = principal.credential else {
                throw APIError.badRequest("Passwords belong to users; sign in with a browser session to change yours.")
            }
            let body = try await request.decodeJSON(PasswordBody.self, context: context)
            let reservation = try reserve(app, account: principal.name, address: context.remoteAddress)
            guard await app.accounts.verify(name: principal.name, password: body.currentPassword) != nil else {
                await failed(app, reservation, account: principal.name, address: context.remoteAddress)
                throw APIError(.forbidden, "invalid_credentials", "The current password is not right.")
            }
            app.throttle.finish(reservation, succeeded: true)
            do {
                try await app.accounts.setPassword(name: principal.name, password: body.newPassword, keeping: idHash)
            } catch let error as AccountError {
                throw AccountRoutes.apiError(error)
            }
            await app.audit(principal, "password change", "changed own password; other sessions ended")
            return try await Response.json(sessionView(app, principal: principal))
        }

        routes.post("/api/v1/setup", .anyone) { request, context, _ in
            let body = try await request.decodeJSON(SetupBody.self, context: context)
            guard let setup = app.configuration.setupCode, try await app.accounts.userCount() == 0 else {
                throw APIError(.conflict, "setup_done", "An admin exists already: sign in instead.")
            }
            if let problem = AccountRules.passwordProblem(body.password) { throw APIError.badRequest(problem) }
            guard AccountRules.validName(body.username) else {
                throw APIError.badRequest("A user name has letters, digits and . _ - @ only (at most 64).")
            }
            let reservation = try reserve(app, account: nil, address: context.remoteAddress)
            guard let code = setup.value, setup.consume(body.code) else {
                await failed(app, reservation, account: nil, address: context.remoteAddress)
                throw APIError(.forbidden, "wrong_code", "That is not the setup code genmon printed in its log.")
            }
            app.throttle.finish(reservation, succeeded: true)
            let user: WebUser
            do {
                user = try await app.accounts.addUser(name: body.username, role: .admin, password: body.password)
            } catch let error as AccountError {
                setup.restore(code)
                throw AccountRoutes.apiError(error)
            }
            await app.audit(nil, name: user.name, "user add \(user.name) admin", "first admin created with the setup code")
            return try await signIn(app, user: user, request: request)
        }

        if let key = app.configuration.demoLoginKey {
            routes.get("/demo-login", .anyone) { request, _, _ in
                guard let given = request.query("key"), Secrets.constantTimeEqual(given, key) else {
                    throw APIError(.forbidden, "wrong_key", "This demo sign-in link is not valid (it changes at every `genmon demo`).")
                }
                guard let user = try await app.accounts.user(named: DemoAccount.name) else { throw APIError.notFound }
                let (cookie, _) = try await app.accounts.createSession(
                    for: user, replacing: request.cookies[app.configuration.cookieName]?.value)
                var response = Response(status: .seeOther, headers: [.location: "/#/status"])
                response.headers[.setCookie] = app.sessionCookie(cookie)
                return response
            }
        }
    }

    static func sessionView(_ app: WebApp, principal: Principal?) async throws -> SessionView {
        var csrf: String?
        if case let .session(_, token) = principal?.credential { csrf = token }
        let setupRequired = app.configuration.setupCode?.value != nil ? (try await app.accounts.userCount()) == 0 : false
        return SessionView(authenticated: principal != nil, user: principal?.name, role: principal?.role, csrfToken: csrf,
                           setupRequired: setupRequired, site: await app.service.snapshot().monitor.siteName,
                           version: app.configuration.version)
    }

    static func signIn(_ app: WebApp, user: WebUser, request: Request) async throws -> Response {
        // A new session id at every sign-in; the browser's previous session ends.
        let previous = request.cookies[app.configuration.cookieName]?.value
        let (cookie, session) = try await app.accounts.createSession(for: user, replacing: previous)
        let principal = Principal(name: user.name, role: user.role, credential: .session(idHash: session.idHash, csrfToken: session.csrfToken))
        var response = try await Response.json(sessionView(app, principal: principal))
        response.headers[.setCookie] = app.sessionCookie(cookie)
        return response
    }

    /// Takes a sign-in slot, or answers 429 with how long to wait.
    static func reserve(_ app: WebApp, account: String?, address: String?) throws(APIError) -> LoginThrottle.Reservation {
        switch app.throttle.reserve(account: account, address: address) {
        case let .success(reservation):
            return reservation
        case let .failure(locked):
            let seconds = max(1, Int(locked.until.timeIntervalSince(app.clock()).rounded(.up)))
            throw APIError(.tooManyRequests, "locked", "Too many failed attempts: try again in \(seconds) s.", retryAfter: seconds)
        }
    }

    static func failed(_ app: WebApp, _ reservation: LoginThrottle.Reservation, account: String?, address: String?) async {
        if let until = app.throttle.finish(reservation, succeeded: false) {
            let seconds = Int(until.timeIntervalSince(app.clock()).rounded())
            app.logger.warning("sign-in locked after repeated failures", metadata: [
                "account": "\(account ?? "-")", "address": "\(address ?? "-")", "seconds": "\(seconds)"])
            await app.audit(nil, name: account ?? address ?? "anonymous", "sign-in", result: .refused,
                            "locked for \(seconds) s after repeated failures from \(address ?? "an unknown address")")
        }
    }
}

/// The demo's admin, signed in by `genmon demo`'s link.
public enum DemoAccount {
    public static let name = "demo"
}
