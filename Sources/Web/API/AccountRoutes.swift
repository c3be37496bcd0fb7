import Foundation
import Hummingbird
import Monitor

/// Users and API tokens: admins only. Every change goes to the audit log.
enum AccountRoutes {
    struct NewUserBody: Decodable {
        var name: String
        var role: Role
        /// Absent: genmon makes one up and returns it once.
        var password: String?
    }

    struct UserChangeBody: Decodable {
        var role: Role?
        var password: String?
        /// Make up a new password and return it once.
        var generatePassword: Bool?
    }

    struct UserCreated: Encodable {
        var user: UserView
        /// Present when genmon made the password up: shown this once.
        var password: String?
    }

    struct NewTokenBody: Decodable {
        var name: String
        var role: Role
    }

    struct TokenCreated: Encodable {
        var token: TokenView
        /// The bearer token: shown this once, kept only as a hash.
        var secret: String
    }

    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/api/v1/users", .admin) { _, _, _ in
            try await Response.json(userViews(app))
        }

        routes.post("/api/v1/users", .admin) { request, context, principal in
            let body = try await request.decodeJSON(NewUserBody.self, context: context)
            let password = body.password ?? Secrets.password()
            let user: WebUser
            do { user = try await app.accounts.addUser(name: body.name, role: body.role, password: password) } catch let error as AccountError {
                throw apiError(error)
            }
            await app.audit(principal, "user add \(user.name) \(user.role.rawValue)", "account created")
            return try Response.json(UserCreated(user: view(user, sessions: 0), password: body.password == nil ? password : nil),
                                     status: .created)
        }

        routes.put("/api/v1/users/{name}", .admin) { request, context, principal in
            let name = context.parameters.get("name") ?? ""
            let body = try await request.decodeJSON(UserChangeBody.self, context: context)
            var generated: String?
            do {
                if let role = body.role {
                    try await app.accounts.setRole(name: name, role: role)
                    await app.audit(principal, "user role \(name) \(role.rawValue)", "role changed")
                }
                if body.password != nil || body.generatePassword == true {
                    let password = body.password ?? Secrets.password()
                    if body.password == nil { generated = password }
                    // An admin resetting their own password keeps the session they are using, or
                    // they would be signed out before seeing the new password.
                    var keeping: [UInt8]?
                    if let principal, principal.name.lowercased() == name.lowercased(), case let .session(idHash, _) = principal.credential {
                        keeping = idHash
                    }
                    try await app.accounts.setPassword(name: name, password: password, keeping: keeping)
                    await app.audit(principal, "user password \(name)", keeping == nil ? "password reset; the user's sessions ended"
                                    : "password reset; the admin's other sessions ended")
                }
            } catch let error as AccountError {
                throw apiError(error)
            }
            guard let user = try await app.accounts.user(named: name) else { throw apiError(.notFound(name)) }
            let sessions = try await app.accounts.sessionCounts()[user.name] ?? 0
            return try Response.json(UserCreated(user: view(user, sessions: sessions), password: generated))
        }

        routes.delete("/api/v1/users/{name}", .admin) { _, context, principal in
            let name = context.parameters.get("name") ?? ""
            do { try await app.accounts.removeUser(name: name) } catch let error as AccountError { throw apiError(error) }
            await app.audit(principal, "user remove \(name)", "account and its sessions removed")
            return Response(status: .noContent)
        }

        routes.get("/api/v1/tokens", .admin) { _, _, _ in
            try await Response.json(app.accounts.tokens().map(view))
        }

        routes.post("/api/v1/tokens", .admin) { request, context, principal in
            guard let principal else { throw APIError.unauthenticated }
            let body = try await request.decodeJSON(NewTokenBody.self, context: context)
            let created: (secret: String, token: APIToken)
            do {
                created = try await app.accounts.createToken(name: body.name, role: body.role, createdBy: principal.auditName)
            } catch let error as AccountError {
                throw apiError(error)
            }
            await app.audit(principal, "token add \(body.name) \(body.role.rawValue)", "API token created (\(created.token.prefix)…)")
            return try Response.json(TokenCreated(token: view(created.token), secret: created.secret), status: .created)
        }

        routes.delete("/api/v1/tokens/{name}", .admin) { _, context, principal in
            let name = context.parameters.get("name") ?? ""
            do { try await app.accounts.revokeToken(name: name) } catch let error as AccountError { throw apiError(error) }
            await app.audit(principal, "token revoke \(name)", "API token revoked")
            return Response(status: .noContent)
        }
    }

    static func userViews(_ app: WebApp) async throws -> [UserView] {
        let sessions = try await app.accounts.sessionCounts()
        return try await app.accounts.users().map { view($0, sessions: sessions[$0.name] ?? 0) }
    }

    static func view(_ user: WebUser, sessions: Int) -> UserView {
        UserView(name: user.name, role: user.role, createdAt: user.createdAt, passwordChangedAt: user.passwordChangedAt,
                 activeSessions: sessions)
    }

    static func view(_ token: APIToken) -> TokenView {
        TokenView(name: token.name, role: token.role, prefix: token.prefix, createdAt: token.createdAt,
                  createdBy: token.createdBy, lastUsedAt: token.lastUsedAt)
    }

    static func apiError(_ error: AccountError) -> APIError {
        switch error {
        case .invalidName, .weakPassword: APIError.badRequest(error.description)
        case .duplicateName: APIError(.conflict, "exists", error.description)
        case .notFound: APIError(.notFound, "not_found", error.description)
        case .lastAdmin: APIError(.conflict, "last_admin", error.description)
        case .storage: APIError(.internalServerError, "storage", error.description)
        }
    }
}
