import Foundation
import GenmonConfig

/// A channel that sends each message as one HTTPS request to a service (Twilio, Pushover, Slack,
/// ntfy, Discord, Telegram, a webhook). The message is stored once as a `ShortMessage`; each
/// attempt builds the request from it (`request`, pure) and reads the service's answer
/// (`outcome`, pure), so both are tested without a network.
public protocol HTTPServiceChannel: NotificationChannel {
    /// The service's name in messages ("Twilio").
    var serviceName: String { get }
    /// What one message is called there ("SMS", "push notification").
    var messageNoun: String { get }
    var http: ChannelHTTPClient { get }
    var filters: Set<AddonFilterCategory> { get }
    /// The request that delivers `message` to `recipient`, sent at `date`.
    func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest
    /// What the service's answer means for this delivery, in plain words.
    func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome
}

extension HTTPServiceChannel {
    public func routingCategory(for content: NotificationContent) -> NotificationCategory? {
        filters.contains(content.brief.filter) ? content.brief.filter.notificationCategory : nil
    }

    public func render(_ content: NotificationContent, for recipients: [String], at date: Date) throws -> RenderedPayload {
        RenderedPayload(bytes: ShortMessage(content).encoded())
    }

    /// The stored short form, or one made from the text when the payload is missing or damaged.
    func shortMessage(_ message: QueuedMessage) -> ShortMessage {
        if var stored = ShortMessage.decode(message.payload) {
            stored.notificationID = message.notificationID > 0 ? message.notificationID : nil
            return stored
        }
        let lines = message.text.split(separator: "\n").map(String.init)
        let content = NotificationContent(category: message.category ?? .info, subject: message.subject, text: message.text, html: "",
                                          source: "outbox", time: message.created,
                                          brief: NotificationBrief(site: "", event: nil, label: message.subject, lines: Array(lines.prefix(8)),
                                                                   filter: AddonFilterCategory(message.category ?? .info), clockTime: ""))
        var short = ShortMessage(content)
        short.notificationID = message.notificationID > 0 ? message.notificationID : nil
        return short
    }

    public func deliver(_ message: QueuedMessage, to recipient: String) async -> DeliveryOutcome {
        let request = request(for: shortMessage(message), to: recipient, at: Date())
        switch await http.send(request) {
        case let .unreachable(reason): return .retryLater(reason, after: nil)
        case let .answered(answer): return outcome(of: answer, to: recipient)
        }
    }

    public func summarize(_ messages: [QueuedMessage]) -> QueuedMessage? {
        guard let last = messages.last, messages.count > 1,
              let summary = ShortMessage.summary(of: messages.map(shortMessage)) else { return nil }
        return QueuedMessage(notificationID: last.notificationID, subject: "\(messages.count) notifications: \(last.subject)",
                             category: summary.category, text: last.text, payload: summary.encoded(), messageID: nil, created: last.created)
    }

    public func test(_ content: NotificationContent, to recipients: [String]) async -> ChannelTestReport {
        guard !recipients.isEmpty else {
            return ChannelTestReport(channel: name, succeeded: false, summary: "No test sent: \(name) has no recipients configured.")
        }
        var results: [ChannelTestReport.RecipientResult] = []
        for recipient in recipients {
            let started = ContinuousClock.now
            let message = QueuedMessage(notificationID: 0, subject: content.subject, category: content.category, text: content.text,
                                        payload: ShortMessage(content).encoded(), messageID: nil, created: content.time)
            let outcome = await deliver(message, to: recipient)
            results.append(.init(recipient: recipient, outcome: outcome, duration: started.duration(to: .now).seconds))
        }
        let succeeded = results.allSatisfy { if case .delivered = $0.outcome { true } else { false } }
        let lines = results.map { result -> String in
            let who = recipients.count > 1 || result.recipient != name ? "\(result.recipient): " : ""
            switch result.outcome {
            case let .delivered(detail): return "\(who)\(detail)."
            case let .retryLater(detail, _): return "\(who)not sent now: \(detail)."
            case let .failed(detail): return "\(who)refused: \(detail)."
            }
        }
        let head = succeeded ? "Test \(messageNoun) sent by \(serviceName)." : "Test \(messageNoun) not sent by \(serviceName)."
        return ChannelTestReport(channel: name, succeeded: succeeded, summary: head + " " + lines.joined(separator: " "), results: results)
    }
}

/// Answers every HTTP service gives alike.
enum CommonAnswers {
    /// 429 (slow down, with `Retry-After`), 408 and 5xx (try again), or nil for the channel to read.
    static func transient(_ answer: ServiceAnswer, service: String, detail: String? = nil) -> DeliveryOutcome? {
        let words = detail.map { ": \($0)" } ?? (answer.snippet.isEmpty ? "" : ": \(answer.snippet)")
        switch answer.status {
        case 429:
            let after = answer.retryAfter()
            let wait = after.map { String(format: " (it asks to wait %.0f s)", $0.seconds) } ?? ""
            return .retryLater("\(service) is limiting the rate of messages\(wait), HTTP 429\(words)", after: after)
        case 408:
            return .retryLater("\(service) timed out the request (HTTP 408)", after: nil)
        case 500...599:
            return .retryLater("\(service) had a problem of its own (HTTP \(answer.status))\(words)", after: answer.retryAfter())
        default:
            return nil
        }
    }

    /// The answer for a status the channel does not know: 2xx is success, other 4xx refusal.
    static func fallback(_ answer: ServiceAnswer, service: String) -> DeliveryOutcome {
        if (200...299).contains(answer.status) { return .delivered("accepted by \(service) (HTTP \(answer.status))") }
        let words = answer.snippet.isEmpty ? "" : ": \(answer.snippet)"
        if answer.status == 401 || answer.status == 403 {
            return .retryLater("\(service) refused genmon's credentials (HTTP \(answer.status))\(words); check the token in the settings", after: nil)
        }
        return .failed("\(service) refused the message (HTTP \(answer.status))\(words)")
    }
}

/// Form encoding (`application/x-www-form-urlencoded`) as the services read it.
enum FormEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")

    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&").utf8)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte == 0x20 { out += "+" } else if byte < 0x80, unreserved.contains(scalar) { out.unicodeScalars.append(scalar) } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// Fields of an encoded form, for tests and test servers.
    static func decode(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ part: Substring) -> String { part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
            fields[unescape(parts[0])] = parts.count > 1 ? unescape(parts[1]) : ""
        }
        return fields
    }
}

/// JSON bodies with keys in a fixed order (sorted), so a stored payload and its signature repeat.
enum JSONBody {
    static func encode(_ object: [String: Any]) -> [UInt8] {
        (try? Array(JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))) ?? Array("{}".utf8)
    }
}
