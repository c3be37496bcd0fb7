import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
@testable import Notify

/// An HTTP/1.1 server on 127.0.0.1 in the test process that stands in for a service (Twilio,
/// Pushover, Slack, ntfy, Discord, Telegram, a webhook receiver): it records every request and
/// answers as `respond` says, so a test checks each request exactly and scripts the service's
/// answers, error bodies included.
final class ServiceTestServer: Sendable {
    struct Request: Sendable, Equatable {
        var method: String
        /// Path and query as sent.
        var uri: String
        var headers: [String: String]
        var body: [UInt8]
        var received: Date

        var path: String { String(uri.prefix { $0 != "?" }) }
        var query: String? { uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
        var form: [String: String] { FormEncoding.decode(text) }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
    }

    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        init(_ status: Int, _ body: String = "", headers: [String: String] = ["Content-Type": "application/json"]) {
            self.status = status
            self.body = body
            self.headers = headers
        }
    }

    typealias Responder = @Sendable (Request) -> Answer

    let port: Int
    private let channel: any Channel
    private let state: Mutex<State>

    private struct State {
        var requests: [Request] = []
        var respond: Responder
    }

    private init(port: Int, channel: any Channel, respond: @escaping Responder) {
        self.port = port
        self.channel = channel
        state = Mutex(State(respond: respond))
    }

    /// `tls`: a certificate and key (PEM files) to serve HTTPS with.
    static func start(tls: (certificate: String, key: String)? = nil, _ respond: @escaping Responder) async throws -> ServiceTestServer {
        let box = StateBox()
        let context = try tls.map { tls in
            try NIOSSLContext(configuration: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))))
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if let context { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(Handler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ServiceTestServer(port: channel.localAddress?.port ?? 0, channel: channel, respond: respond)
        box.server.withLock { $0 = server }
        return server
    }

    /// `http://127.0.0.1:<port>`, for `base_url`.
    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// `https://localhost:<port>`, when serving TLS.
    var secureURL: String { "https://localhost:\(port)" }

    var requests: [Request] { state.withLock { $0.requests } }

    func setResponder(_ respond: @escaping Responder) { state.withLock { $0.respond = respond } }

    /// Waits (polling, never blocking a thread) until `count` requests have come, or the timeout.
    func waitForRequests(_ count: Int, timeout: Duration = .seconds(10), matching: @Sendable (Request) -> Bool = { _ in true }) async -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found = requests.filter(matching)
            if found.count >= count { return found }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return requests.filter(matching)
    }

    func stop() async { try? await channel.close() }

    fileprivate func handle(_ request: Request) -> Answer {
        state.withLock { state in
            state.requests.append(request)
            return state.respond(request)
        }
    }

    /// Lets the handler reach the server once it exists.
    private final class StateBox: Sendable {
        let server = Mutex<ServiceTestServer?>(nil)
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let box: StateBox
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(box: StateBox) { self.box = box }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case let .head(head):
                self.head = head
                body = []
            case var .body(buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head, let server = box.server.withLock({ $0 }) else { return }
                var headers: [String: String] = [:]
                for (name, value) in head.headers { headers[name.lowercased()] = value }
                let answer = server.handle(Request(method: head.method.rawValue, uri: head.uri, headers: headers, body: body, received: Date()))
                var responseHeaders = HTTPHeaders(answer.headers.map { ($0.key, $0.value) })
                responseHeaders.replaceOrAdd(name: "Content-Length", value: String(answer.body.utf8.count))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: answer.status),
                                                                     headers: responseHeaders))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer.body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                self.head = nil
            }
        }
    }
}
