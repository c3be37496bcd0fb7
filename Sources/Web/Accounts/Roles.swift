import Foundation
import Monitor

/// What a person or a machine may do: viewers see everything, admins may also change the
/// generator and manage accounts.
public enum Role: String, Sendable, Codable, CaseIterable {
    case viewer
    case admin
}

/// A person's account.
public struct WebUser: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var createdAt: Date
    public var passwordChangedAt: Date
}

/// A machine's credential: a bearer token, shown once, kept as a hash.
public struct APIToken: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var role: Role
    /// The first characters of the token, so a person can tell tokens apart.
    public var prefix: String
    public var createdAt: Date
    public var createdBy: String
    public var lastUsedAt: Date?
}

/// A signed-in browser.
public struct WebSession: Sendable, Equatable {
    /// SHA-256 of the cookie value; the value itself is never stored.
    public var idHash: [UInt8]
    public var userID: Int64
    /// Sent by the page with every request that changes something.
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
}

/// Who is asking, once the request's cookie or token has been checked.
public struct Principal: Sendable, Equatable {
    public enum Credential: Sendable, Equatable {
        /// A browser session; state-changing requests must carry its CSRF token.
        case session(idHash: [UInt8], csrfToken: String)
        case token(id: Int64)
    }

    public var name: String
    public var role: Role
    public var credential: Credential

    public var isAdmin: Bool { role == .admin }

    /// How the monitor sees this principal: it audits the name and refuses control to viewers.
    public var commandOrigin: CommandOrigin {
        switch credential {
        case .session: CommandOrigin(interface: .web, principal: name, mayControl: isAdmin)
        case .token: CommandOrigin(interface: .api, principal: "token:" + name, mayControl: isAdmin)
        }
    }

    /// The audit name: the user's name, or `token:<name>`.
    public var auditName: String { commandOrigin.principal }
}

/// Rules for names and passwords.
public enum AccountRules {
    /// Letters, digits and `. _ - @`, 1 to 64 characters.
    public static func validName(_ name: String) -> Bool {
        guard (1...64).contains(name.count) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))) || "._-@".unicodeScalars.contains(scalar)
        }
    }

    public static let minimumPasswordLength = 10
    /// bcrypt reads 72 bytes; a longer password would be silently cut, so it is refused.
    public static let maximumPasswordBytes = 72

    /// Why a password is refused, or nil when it is acceptable.
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minimumPasswordLength { return "a password needs at least \(minimumPasswordLength) characters" }
        if password.utf8.count > maximumPasswordBytes { return "a password may have at most \(maximumPasswordBytes) bytes" }
        if password.contains("\0") { return "a password may not contain a NUL character" }
        return nil
    }
}
