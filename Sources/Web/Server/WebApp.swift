import Foundation
import Generac
import Hummingbird
import LegacyProtocol
import Logging
import Monitor
import Notify
import Store

/// Settings of the web app itself (the listener's are in `WebServer.Configuration`).
public struct WebAppConfiguration: Sendable {
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix, origins are `https://`.
    public var https: Bool
    /// HTTPS with a certificate the user provided: then browsers are told to insist on HTTPS.
    public var sendHSTS: Bool
    /// Origins accepted besides the server's own (a reverse proxy's public address).
    public var trustedOrigins: Set<String>
    /// `genmon demo` only: `/demo-login?key=<key>` signs the visitor in as the demo admin.
    public var demoLoginKey: String?
    /// The first-admin code, while there are no users.
    public var setupCode: SetupCode?
    /// How often the live stream sends a keep-alive (which is also how a page notices a dead link).
    public var heartbeat: Duration
    public var loginPolicy: LoginThrottle.Policy
    public var version: String
    /// The names requests may address the server by (`Host`); nil serves any (in-process tests).
    /// `genmon run` and `genmon demo` always set one (DNS rebinding).
    public var hosts: HostPolicy?
    /// `/metrics`: the Prometheus text and whether it is readable without a token (`metrics_public`);
    /// nil answers 404.
    public var metrics: MetricsEndpoint?
    /// genmon's connections to other systems (MQTT), shown on the monitor page.
    public var integrations: @Sendable () -> [IntegrationLinkView]

    public init(https: Bool = false, sendHSTS: Bool = false, trustedOrigins: Set<String> = [], demoLoginKey: String? = nil,
                setupCode: SetupCode? = nil, heartbeat: Duration = .seconds(15), loginPolicy: LoginThrottle.Policy = .init(),
                version: String = MonitorStatus.currentVersion, hosts: HostPolicy? = nil, metrics: MetricsEndpoint? = nil,
                integrations: @escaping @Sendable () -> [IntegrationLinkView] = { [] }) {
        self.hosts = hosts
        self.metrics = metrics
        self.integrations = integrations
        self.https = https
        self.sendHSTS = sendHSTS
        self.trustedOrigins = trustedOrigins
        self.demoLoginKey = demoLoginKey
        self.setupCode = setupCode
        self.heartbeat = heartbeat
        self.loginPolicy = loginPolicy
        self.version = version
    }

    public var cookieName: String { https ? "__Host-genmon_session" : "genmon_session" }
}

/// What `/metrics` serves.
public struct MetricsEndpoint: Sendable {
    /// Readable without a signed-in user or token (`metrics_public = True`).
    public var isPublic: Bool
    /// The Prometheus text exposition, rendered at each request.
    public var render: @Sendable () async -> [UInt8]

    public init(isPublic: Bool, render: @escaping @Sendable () async -> [UInt8]) {
        self.isPublic = isPublic
        self.render = render
    }
}

/// The web app: routes, their access rules, and what they need (the monitor, the store, the
/// accounts). Build its router with `makeRouter()`; `WebServer` serves it.
public final class WebApp: Sendable {
    public let service: any GeneratorService
    public let database: GenmonDatabase
    public let accounts: AccountStore
    public let legacy: LegacyDispatcher
    /// The notification engine's desk: nil when notifications do not run (the page says so).
    public let notifications: NotificationDesk?
    public let views: ViewBuilder
    public let configuration: WebAppConfiguration
    public let throttle: SharedLoginThrottle
    public let live = LiveHub()
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(service: any GeneratorService, database: GenmonDatabase, accounts: AccountStore, legacy: LegacyDispatcher,
                notifications: NotificationDesk? = nil, views: ViewBuilder = ViewBuilder(),
                configuration: WebAppConfiguration = WebAppConfiguration(),
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "genmon.web")) {
        self.service = service
        self.database = database
        self.accounts = accounts
        self.legacy = legacy
        self.notifications = notifications
        self.views = views
        self.configuration = configuration
        self.throttle = SharedLoginThrottle(policy: configuration.loginPolicy, clock: clock)
        self.clock = clock
        self.logger = logger
    }

    public var policy: AccessPolicy { AccessPolicy(https: configuration.https, trustedOrigins: configuration.trustedOrigins) }

    /// The router with every route, and the list of routes with the access each needs.
    public func makeRouter() -> (router: Router<WebContext>, routes: [RouteSpec]) {
        let router = Router(context: WebContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: ResponseHardeningMiddleware(https: configuration.https, sendHSTS: configuration.sendHSTS))
        if let hosts = configuration.hosts { router.add(middleware: HostCheckMiddleware(hosts: hosts)) }
        router.add(middleware: AuthenticationMiddleware(accounts: accounts, cookieName: configuration.cookieName))
        let routes = RouteTable(router: router, policy: policy)
        AssetRoutes.register(routes, app: self)
        SessionRoutes.register(routes, app: self)
        DataRoutes.register(routes, app: self)
        SensorRoutes.register(routes, app: self)
        CommandRoutes.register(routes, app: self)
        AccountRoutes.register(routes, app: self)
        LiveRoutes.register(routes, app: self)
        LegacyRoutes.register(routes, app: self)
        NotificationRoutes.register(routes, app: self)
        MetricsRoutes.register(routes, app: self)
        return (router, routes.specs)
    }

    /// Keeps an account change in the audit log beside the generator commands.
    func audit(_ principal: Principal?, interface: CommandOrigin.Interface? = nil, name: String? = nil, _ action: String,
               result: CommandOutcome.Result = .confirmed, _ message: String) async {
        let origin = principal?.commandOrigin
            ?? CommandOrigin(interface: interface ?? .web, principal: name ?? "anonymous", mayControl: false)
        let record = AuditRecord(time: clock(), origin: origin, command: action, result: result, message: message, duration: 0)
        do { try await database.record(record) } catch {
            logger.error("cannot write the audit log", metadata: ["error": "\(error)"])
        }
    }

    /// `Set-Cookie` for a new session, or one that clears it.
    func sessionCookie(_ value: String?) -> String {
        var parts = [configuration.cookieName + "=" + (value ?? ""), "Path=/", "HttpOnly", "SameSite=Strict"]
        parts.append("Max-Age=" + (value == nil ? "0" : String(Int(accounts.timing.sessionLifetime))))
        if configuration.https { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}
