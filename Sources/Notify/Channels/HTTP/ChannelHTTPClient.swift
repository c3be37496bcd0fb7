import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A request a channel wants sent: built purely from the stored message, so tests check it byte for byte.
public struct ServiceRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    /// In order; names as the service documents them.
    public var headers: [HeaderField]
    public var body: [UInt8]

    public struct HeaderField: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(method: String = "POST", url: String, headers: [HeaderField] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of `name` (without case).
    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    /// `host[:port]` of the URL, for messages that must not show the path (webhook URLs hold secrets).
    public var host: String {
        guard let components = URLComponents(string: url), let host = components.host else { return "the service" }
        return host + (components.port.map { ":\($0)" } ?? "")
    }
}

/// What a service answered.
public struct ServiceAnswer: Sendable, Equatable {
    public var status: Int
    /// Names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, nil when it is not one.
    public var json: [String: Any]? {
        guard !body.isEmpty else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }

    /// The first 200 characters of the body on one line, for messages.
    public var snippet: String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > 200 ? String(flat.prefix(200)) + "..." : flat
    }

    /// `Retry-After` in seconds or as an HTTP date, relative to `now`; nil when absent or unreadable.
    public func retryAfter(now: Date = Date()) -> Duration? {
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return .seconds(min(seconds, 86_400)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(min(max(date.timeIntervalSince(now), 0), 86_400))
    }
}

/// The result of sending one request.
public enum ServiceExchange: Sendable, Equatable {
    case answered(ServiceAnswer)
    /// No answer: not reachable, TLS refused, timed out. In words.
    case unreachable(String)
}

/// The one HTTP client every channel shares (HTTP/1.1 and HTTP/2, certificates verified, no
/// redirects followed: a service that redirects a POST is misconfigured). Shut it down once, when
/// genmon stops.
public final class ChannelHTTPClient: Sendable {
    /// The largest answer read; a bigger one is cut (services answer in a few hundred bytes).
    public static let maximumAnswerBytes = 64 * 1024
    let client: HTTPClient
    let timeout: Duration

    /// `caFile`: extra trusted CAs (PEM; genmon.conf's `ssl_ca_file`) for self-hosted services.
    public init(caFile: String? = nil, timeout: Duration = .seconds(20)) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.additionalTrustRoots = [.file(caFile)] }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(10), read: .seconds(30)))
        configuration.httpVersion = .automatic
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
    }

    public func send(_ request: ServiceRequest) async -> ServiceExchange {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if !request.body.isEmpty || request.method == "POST" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        do {
            let response = try await client.execute(outgoing, timeout: .seconds(Int64(timeout.components.seconds)))
            var headers: [String: String] = [:]
            for (name, value) in response.headers where headers[name.lowercased()] == nil { headers[name.lowercased()] = value }
            var body: [UInt8] = []
            for try await part in response.body {
                let room = Self.maximumAnswerBytes - body.count
                guard room > 0 else { break }
                body += part.readableBytesView.prefix(room)
            }
            return .answered(ServiceAnswer(status: Int(response.status.code), headers: headers, body: body))
        } catch {
            return .unreachable(Self.describe(error, host: request.host))
        }
    }

    /// Stops the client; deliveries still running fail and are retried at the next start.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// An error in words a person understands.
    static func describe(_ error: any Error, host: String) -> String {
        let text = "\(error)"
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout: return "no answer from \(host) (timed out connecting)"
            case .deadlineExceeded, .readTimeout: return "\(host) did not answer in time"
            case .remoteConnectionClosed: return "\(host) closed the connection without an answer"
            default: return "cannot talk to \(host): \(client)"
            }
        }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "\(host) refused the connection (nothing listening?)" }
        if text.lowercased().contains("ssl") || text.lowercased().contains("certificate") || text.contains("handshake") {
            return "TLS with \(host) failed (certificate not trusted or wrong name?): \(text.prefix(200))"
        }
        if text.contains("NXDOMAIN") || text.contains("unknown host") || text.contains("lookup") { return "cannot find \(host) (DNS): \(text.prefix(160))" }
        return "cannot reach \(host): \(text.prefix(200))"
    }
}

import ServiceLifecycle

/// As a `Service`: waits for genmon to stop, then shuts the client down (listed before the delivery
/// worker, so it stops after the worker's last delivery).
extension ChannelHTTPClient: Service {
    public func run() async {
        try? await gracefulShutdown()
        await shutdown()
    }
}
