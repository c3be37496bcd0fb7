import Foundation
import GenmonConfig

/// Push through ntfy (genmon.conf `[ntfy]`; ntfy.sh or a self-hosted server): one JSON publish per
/// topic, the original's `<site>: <text>` as the title, the facts as the message, the category's
/// priority and tags, and a tap opening the web app.
public struct NtfyChannel: HTTPServiceChannel {
    public static let maximumMessageBytes = 4096
    public let name = "ntfy"
    public let serviceName = "ntfy"
    public let messageNoun = "notification"
    public let settings: NtfySettings
    public let http: ChannelHTTPClient

    public init(settings: NtfySettings, http: ChannelHTTPClient) {
        self.settings = settings
        self.http = http
    }

    public var filters: Set<AddonFilterCategory> { settings.common.filters }
    public var pacing: PacingSettings { settings.common.pacing }
    public var detail: String { "ntfy at \(settings.address)" + (settings.token != nil || settings.username != nil ? ", signed in" : "") }

    public func validate(recipient: String) -> String? { NtfySettings.isTopic(recipient) ? nil : "\(recipient) is not an ntfy topic" }

    public func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest {
        let filter = message.filter == .softwareUpdate || message.filter == .piState ? .info : message.filter
        // The title carries the first line; the message the rest, within ntfy's limit.
        let full = message.text(limit: Self.maximumMessageBytes + message.firstLine.utf8.count + 1) { $0.utf8.count }
        let body = full.firstIndex(of: "\n").map { String(full[full.index(after: $0)...]) } ?? ""
        var object: [String: Any] = ["topic": recipient, "title": ShortMessage.cut(message.firstLine, toFit: 250) { $0.count },
                                     "message": body.isEmpty ? message.firstLine : body,
                                     "priority": settings.priorities[filter] ?? 3]
        if let tags = settings.tags[filter], !tags.isEmpty { object["tags"] = tags }
        if let click = settings.click { object["click"] = click }
        var headers: [ServiceRequest.HeaderField] = [.init("Content-Type", "application/json")]
        if let token = settings.token {
            headers.append(.init("Authorization", "Bearer \(token)"))
        } else if let user = settings.username {
            headers.append(.init("Authorization", "Basic " + Data("\(user):\(settings.password ?? "")".utf8).base64EncodedString()))
        }
        return ServiceRequest(url: settings.address.url("/"), headers: headers, body: JSONBody.encode(object))
    }

    public func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome {
        let json = answer.json
        if (200...299).contains(answer.status) {
            return .delivered("ntfy published it to \(recipient)" + ((json?["id"] as? String).map { " (id \($0))" } ?? ""))
        }
        let said = (json?["error"] as? String).map { "\($0)" + ((json?["code"]).map { " (code \($0))" } ?? "") } ?? answer.snippet
        if let transient = CommonAnswers.transient(answer, service: "ntfy", detail: said) { return transient }
        switch answer.status {
        case 401, 403:
            return .retryLater("ntfy refused access to \(recipient): \(said); check token or username and password in [ntfy]", after: nil)
        case 413:
            return .failed("ntfy says the message is too large: \(said)")
        default:
            return .failed("ntfy refused the message (HTTP \(answer.status)): \(said)")
        }
    }
}

/// Chat through a Discord channel's webhook (genmon.conf `[discord]`).
public struct DiscordChannel: HTTPServiceChannel {
    public static let maximumContentLength = 2000
    public let name = "discord"
    public let serviceName = "Discord"
    public let messageNoun = "message"
    public let settings: DiscordSettings
    public let http: ChannelHTTPClient

    public init(settings: DiscordSettings, http: ChannelHTTPClient) {
        self.settings = settings
        self.http = http
    }

    public var filters: Set<AddonFilterCategory> { settings.common.filters }
    public var pacing: PacingSettings { settings.common.pacing }
    public var recipient: String { "webhook" }
    public var detail: String { "Discord webhook at \(ServiceRequest(url: settings.endpoint).host)" }

    public func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest {
        // No mentions: a message never pings @everyone, whatever its text.
        let object: [String: Any] = ["content": message.text(limit: Self.maximumContentLength), "username": settings.username,
                                     "allowed_mentions": ["parse": [String]()]]
        let url = settings.endpoint + (settings.endpoint.contains("?") ? "&" : "?") + "wait=true"
        return ServiceRequest(url: url, headers: [.init("Content-Type", "application/json")], body: JSONBody.encode(object))
    }

    public func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome {
        let json = answer.json
        if (200...299).contains(answer.status) {
            return .delivered("Discord posted it" + ((json?["id"] as? String).map { " (message \($0))" } ?? ""))
        }
        let code = json?["code"].map { "\($0)" }
        let said = (json?["message"] as? String).map { $0 + (code.map { " (code \($0))" } ?? "") } ?? answer.snippet
        if answer.status == 429 {
            let seconds = (json?["retry_after"] as? Double).map { Duration.seconds($0) }
            return .retryLater("Discord is limiting the rate of messages: \(said)", after: answer.retryAfter() ?? seconds)
        }
        if let transient = CommonAnswers.transient(answer, service: "Discord", detail: said) { return transient }
        switch answer.status {
        case 401, 403, 404:
            return .retryLater("Discord refused the webhook: \(said); the webhook_url in [discord] is wrong or was deleted", after: nil)
        default:
            return .failed("Discord refused the message (HTTP \(answer.status)): \(said)")
        }
    }
}
