import Foundation
import Generac
import GenmonTesting
import HTTPTypes
import Hummingbird
import LegacyProtocol
import Logging
import GenmonConfig
import Monitor
import Notify
import NIOCore
import NIOEmbedded
import Simulator
import Store
import Synchronization
import Testing
@testable import Web

/// What a test got back.
struct TestResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HarnessError("body is not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try WebJSON.decoder.decode(T.self, from: Data(body)) }

    var errorCode: String? { ((try? json())?["error"] as? [String: Any])?["code"] as? String }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A signed-in browser: its cookie and CSRF token.
struct BrowserSession: Sendable {
    var cookie: String
    var csrf: String
}

/// The web app with a scripted service, an in-memory store and accounts, answered in-process
/// through its router (no socket).
final class WebHarness: Sendable {
    static let host = "genmon.test:8000"
    static let origin = "http://genmon.test:8000"
    static let adminName = "alice", adminPassword = "alice-password-1"
    static let viewerName = "victor", viewerPassword = "victor-password-1"

    let service: FixedGeneratorService
    let database: GenmonDatabase
    let accounts: AccountStore
    let app: WebApp
    let routes: [RouteSpec]
    let responder: any HTTPResponder<WebContext>
    let clock: TestClock

    init(snapshot: GeneratorSnapshot? = nil, configuration: WebAppConfiguration = WebAppConfiguration(),
         timing: AccountStore.Timing = .init(), withUsers: Bool = true) async throws {
        let snapshot = try snapshot ?? Self.simulatedSnapshot()
        let clock = TestClock()
        self.clock = clock
        service = FixedGeneratorService(snapshot: snapshot, outcome: CommandOutcome(
            result: .confirmed, message: "confirmed by the controller", legacyReply: RemoteCommand.successReply))
        database = try GenmonDatabase.inMemory()
        accounts = try AccountStore.inMemory(timing: timing, clock: { clock.now })
        // Notifications as a genmon without a mail server has them: e-mail off, one recipient, one rule.
        var notify = NotifySettings()
        notify.rules = [ThresholdRuleSpec(name: "battery", reading: .battery, direction: .below, limit: 12.2, duration: 300)]
        let utc = TimeZone(identifier: "UTC")!
        let desk = NotificationDesk(
            engine: nil, database: database,
            routing: NotificationRouting(["email": [ChannelRecipient(id: "alice@example.org", categories: [.outage, .warn]),
                                                    ChannelRecipient(id: "bob@example.org")]]),
            channels: [], composer: MessageComposer(reportContext: ReportContext(timeZone: utc), siteName: "Test"), siteName: "Test",
            settings: notify, emailOffReason: "there is no mymail.conf", emailDetail: "", mailFile: nil, problems: [])
        let legacy = LegacyDispatcher(service: service, configuration: .init(
            context: ReportContext(timeZone: utc), networkProbe: { "OK" }, notifications: desk))
        app = WebApp(service: service, database: database, accounts: accounts, legacy: legacy, notifications: desk,
                     views: ViewBuilder(timeZone: utc), configuration: configuration,
                     clock: { clock.now })
        let (router, routes) = app.makeRouter()
        self.routes = routes
        responder = router.buildResponder()
        if withUsers {
            try await accounts.addUser(name: Self.adminName, role: .admin, password: Self.adminPassword)
            try await accounts.addUser(name: Self.viewerName, role: .viewer, password: Self.viewerPassword)
        }
    }

    /// An Evolution liquid-cooled controller as the simulator starts it, read once.
    static func simulatedSnapshot(_ family: ControllerProfile.Family = .evolutionLiquidCooled) throws -> GeneratorSnapshot {
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC
        let model = GeneratorModel(profile: .standard(family, start: start), start: start, timeZone: TimeZone(identifier: "UTC")!)
        return GeneratorSnapshot.fromImage(model.image, timeZone: TimeZone(identifier: "UTC")!, siteName: "Test", now: start)
    }

    // MARK: Requests

    func request(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8]? = nil,
                 address: String? = "192.0.2.10") async throws -> TestResponse {
        let response = try await start(method, path, headers: headers, body: body, address: address)
        let collector = BodyCollector()
        try await response.body.write(collector)
        return TestResponse(status: response.status, headers: response.headers, body: collector.bytes)
    }

    /// The response before its body is read (for streams).
    func start(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8]? = nil,
               address: String? = "192.0.2.10") async throws -> Response {
        var fields = headers
        if let body { fields[.contentLength] = String(body.count) }
        let head = HTTPRequest(method: method, scheme: "http", authority: Self.host, path: path, headerFields: fields)
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body ?? [])))
        let channel = NIOAsyncTestingChannel()
        if let address { channel.remoteAddress = try SocketAddress(ipAddress: address, port: 40000) }
        var logger = Logger(label: "web-test")
        logger.logLevel = .critical
        let context = WebContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        return try await responder.respond(to: request, context: context)
    }

    func get(_ path: String, as session: BrowserSession? = nil, token: String? = nil) async throws -> TestResponse {
        try await request(.get, path, headers: authHeaders(session: session, token: token, csrf: false))
    }

    func send(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, as session: BrowserSession? = nil, token: String? = nil,
              csrf: Bool = true, origin: String? = WebHarness.origin, address: String? = "192.0.2.10") async throws -> TestResponse {
        var headers = authHeaders(session: session, token: token, csrf: csrf)
        if let origin { headers[.origin] = origin }
        var body: [UInt8]?
        if let json {
            headers[.contentType] = "application/json"
            body = Array(try JSONSerialization.data(withJSONObject: json))
        }
        return try await request(method, path, headers: headers, body: body, address: address)
    }

    func authHeaders(session: BrowserSession?, token: String?, csrf: Bool) -> HTTPFields {
        var headers = HTTPFields()
        if let session {
            headers[.cookie] = "genmon_session=" + session.cookie
            if csrf { headers[.genmonCSRF] = session.csrf }
        }
        if let token { headers[.authorization] = "Bearer " + token }
        return headers
    }

    /// Signs in through the API, as the page does.
    func signIn(_ name: String, _ password: String, address: String = "192.0.2.10") async throws -> BrowserSession {
        let response = try await send(.post, "/api/v1/session", json: ["username": name, "password": password], address: address)
        guard response.status == .ok, let setCookie = response.headers[.setCookie],
              let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last,
              let csrf = try response.json()["csrfToken"] as? String else {
            throw HarnessError("sign-in failed: \(response.status) \(response.text)")
        }
        return BrowserSession(cookie: String(value), csrf: csrf)
    }

    func admin() async throws -> BrowserSession { try await signIn(Self.adminName, Self.adminPassword) }
    func viewer() async throws -> BrowserSession { try await signIn(Self.viewerName, Self.viewerPassword) }

    func token(_ role: Role, name: String? = nil) async throws -> String {
        try await accounts.createToken(name: name ?? "\(role.rawValue)-token-\(UUID().uuidString.prefix(6))", role: role,
                                       createdBy: "test").secret
    }
}

/// Collects a response body.
final class BodyCollector: ResponseBodyWriter, Sendable {
    private let storage = Mutex<[UInt8]>([])
    var bytes: [UInt8] { storage.withLock { $0 } }

    func write(_ buffer: ByteBuffer) async throws {
        storage.withLock { $0 += buffer.readableBytesView }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Streams a response body chunk by chunk (server-sent events).
final class StreamingCollector: ResponseBodyWriter, Sendable {
    let chunks: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init() { (chunks, continuation) = AsyncStream<String>.makeStream() }

    func write(_ buffer: ByteBuffer) async throws {
        continuation.yield(String(buffer: buffer))
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws { continuation.finish() }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_767_225_600))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

extension JSONDecoder {
    static var web: JSONDecoder { WebJSON.decoder }
}
