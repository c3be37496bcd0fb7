import Foundation
import Hummingbird

/// One route as the API documents it: method, path (OpenAPI style, `/api/v1/users/{name}`) and
/// who may use it.
public struct RouteSpec: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String
    public var access: Access
    /// Whether the route changes anything (always for POST, PUT, PATCH and DELETE).
    public var changesState: Bool

    public var description: String { "\(method.rawValue) \(path) [\(access.rawValue)]" }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method.rawValue)
        hasher.combine(path)
    }

    public static func == (lhs: RouteSpec, rhs: RouteSpec) -> Bool { lhs.method == rhs.method && lhs.path == rhs.path }

    /// The same path in the router's syntax (`:name`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }
}

/// Registers routes with the access each needs, so the check cannot be forgotten: every handler is
/// reached only through `AccessPolicy.authorize`. Keeps the list for the tests (every route in the
/// OpenAPI file, every route refused to strangers and viewers as it should be).
final class RouteTable: @unchecked Sendable {
    // Filled while the router is built, read afterwards: no concurrent access.
    private(set) var specs: [RouteSpec] = []
    let router: Router<WebContext>
    let policy: AccessPolicy

    init(router: Router<WebContext>, policy: AccessPolicy) {
        self.router = router
        self.policy = policy
    }

    typealias Handler = @Sendable (Request, WebContext, Principal?) async throws -> Response

    func add(_ method: HTTPRequest.Method, _ path: String, _ access: Access, changesState: Bool? = nil, handler: @escaping Handler) {
        let unsafe = ![HTTPRequest.Method.get, .head, .options].contains(method)
        let spec = RouteSpec(method: method, path: path, access: access, changesState: changesState ?? unsafe)
        precondition(unsafe ? spec.changesState : true, "\(spec): every POST/PUT/PATCH/DELETE changes state")
        specs.append(spec)
        let policy = self.policy
        let requirement = Requirement(access, changesState: spec.changesState)
        router.on(RouterPath(spec.routerPath), method: method) { request, context -> Response in
            let principal = try policy.authorize(requirement, request: request, context: context)
            return try await handler(request, context, principal)
        }
    }

    func get(_ path: String, _ access: Access, handler: @escaping Handler) { add(.get, path, access, handler: handler) }
    func post(_ path: String, _ access: Access, handler: @escaping Handler) { add(.post, path, access, handler: handler) }
    func put(_ path: String, _ access: Access, handler: @escaping Handler) { add(.put, path, access, handler: handler) }
    func delete(_ path: String, _ access: Access, handler: @escaping Handler) { add(.delete, path, access, handler: handler) }
}
