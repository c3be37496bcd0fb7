import Crypto
import Foundation
import GenmonConfig

/// The event as JSON to a URL of the user's (genmon.conf `[webhook]`), signed so Node-RED, Home
/// Assistant or a script can trust it: `X-Genmon-Signature: sha256=<hex>` is HMAC-SHA256 with the
/// shared `secret` over `<X-Genmon-Timestamp>.<body>`. The body follows `WebhookPayload.schema`
/// (docs/compatibility.md#webhook, and the OpenAPI file's callback).
public struct WebhookChannel: HTTPServiceChannel {
    public let name = "webhook"
    public let serviceName = "the webhook"
    public let messageNoun = "event"
    public let settings: WebhookSettings
    public let http: ChannelHTTPClient
    public let version: String

    public init(settings: WebhookSettings, http: ChannelHTTPClient, version: String = "1") {
        self.settings = settings
        self.http = http
        self.version = version
    }

    public var filters: Set<AddonFilterCategory> { settings.common.filters }
    public var pacing: PacingSettings { settings.common.pacing }
    /// The one recipient: the receiver's host (the URL itself may hold a secret).
    public var recipient: String { ServiceRequest(url: settings.endpoint).host }
    public var detail: String { "signed JSON to \(recipient)" }

    public func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest {
        let body = WebhookPayload.body(message)
        let timestamp = String(Int(date.timeIntervalSince1970))
        var headers: [ServiceRequest.HeaderField] = [
            .init("Content-Type", "application/json"), .init("User-Agent", "genmon/\(version)"),
            .init("X-Genmon-Timestamp", timestamp),
            .init("X-Genmon-Signature", "sha256=" + WebhookPayload.signature(secret: settings.secret, timestamp: timestamp, body: body)),
        ]
        if let id = message.notificationID { headers.append(.init("X-Genmon-Delivery", String(id))) }
        return ServiceRequest(url: settings.endpoint, headers: headers, body: body)
    }

    public func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome {
        if (200...299).contains(answer.status) { return .delivered("\(recipient) took it (HTTP \(answer.status))") }
        if let transient = CommonAnswers.transient(answer, service: recipient) { return transient }
        let words = answer.snippet.isEmpty ? "" : ": \(answer.snippet)"
        switch answer.status {
        case 401, 403:
            return .retryLater("\(recipient) refused the signature (HTTP \(answer.status))\(words); is the same secret set on both sides?", after: nil)
        case 404, 405:
            return .retryLater("\(recipient) has nothing at that address (HTTP \(answer.status))\(words); check url in [webhook]", after: nil)
        default:
            return .failed("\(recipient) refused the event (HTTP \(answer.status))\(words)")
        }
    }
}

/// The webhook's JSON, version 1: keys sorted, times in ISO 8601 (UTC).
///
/// `schema` ("genmon.notification/1"), `id` (the outbox's id; the same on every retry, so a
/// receiver drops repeats), `time`, `site`, `category` (outage, error, warn, info), `filter` (the
/// original's notify_* name), `event` (utility_down, utility_up, alarm, running, ... or null),
/// `text` (the original's text), `message` (the text genmon's chat channels send), `subject`,
/// `lines` (the facts), `source`, `earlier` (what a summary folded in: text and clock time).
public enum WebhookPayload {
    public static let schema = "genmon.notification/1"

    public static func body(_ message: ShortMessage) -> [UInt8] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let object: [String: Any] = [
            "schema": schema, "id": message.notificationID.map { $0 as Any } ?? NSNull(), "time": formatter.string(from: message.time),
            "site": message.site, "category": message.category.rawValue, "filter": message.filter.rawValue,
            "event": message.event?.rawValue ?? NSNull(), "text": message.label, "message": message.text(limit: 4000),
            "subject": message.subject, "lines": message.lines, "source": message.source,
            "earlier": message.earlier.map { ["text": $0.label, "clock_time": $0.clockTime] },
        ]
        return JSONBody.encode(object)
    }

    /// Lowercase hex of HMAC-SHA256(secret, "<timestamp>.<body>").
    public static func signature(secret: String, timestamp: String, body: [UInt8]) -> String {
        var signed = Array(timestamp.utf8)
        signed.append(UInt8(ascii: "."))
        signed += body
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// Checks a received event as a receiver should: the signature, in constant time, and the
    /// timestamp within `tolerance` of `now` (against replays).
    public static func verify(secret: String, timestamp: String, signature: String, body: [UInt8], now: Date, tolerance: TimeInterval = 300) -> Bool {
        guard let seconds = Double(timestamp), abs(now.timeIntervalSince1970 - seconds) <= tolerance, signature.hasPrefix("sha256=") else { return false }
        let expected = Array(self.signature(secret: secret, timestamp: timestamp, body: body).utf8)
        let given = Array(signature.dropFirst("sha256=".count).utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
