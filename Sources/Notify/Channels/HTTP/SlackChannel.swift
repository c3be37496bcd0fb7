import Foundation
import GenmonConfig

/// Chat through a Slack incoming webhook (genslack.conf; interfaces §4.6): the original's
/// attachment with `<site>: <text>` as its Status field, the facts after it in the same field.
public struct SlackChannel: HTTPServiceChannel {
    public static let maximumFieldLength = 2000
    public let name = "slack"
    public let serviceName = "Slack"
    public let messageNoun = "message"
    public let settings: SlackSettings
    public let http: ChannelHTTPClient

    public init(settings: SlackSettings, http: ChannelHTTPClient) {
        self.settings = settings
        self.http = http
    }

    public var filters: Set<AddonFilterCategory> { settings.common.filters }
    public var pacing: PacingSettings { settings.common.pacing }
    /// The one recipient: the Slack channel named in genslack.conf, or the webhook's own.
    public var recipient: String { settings.channel ?? "webhook" }
    public var detail: String { "Slack webhook at \(ServiceRequest(url: settings.endpoint).host)" + (settings.channel.map { " to \($0)" } ?? "") }

    public func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest {
        var attachment: [String: Any] = [
            "title": "GenMon Alert",
            "fields": [["title": "Status", "value": message.text(limit: Self.maximumFieldLength), "short": "false"]],
        ]
        if let link = settings.titleLink { attachment["title_link"] = link }
        var body: [String: Any] = ["username": settings.username, "icon_emoji": settings.iconEmoji, "attachments": [attachment]]
        if let channel = settings.channel { body["channel"] = channel }
        return ServiceRequest(url: settings.endpoint, headers: [.init("Content-Type", "application/json")], body: JSONBody.encode(body))
    }

    public func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome {
        let said = answer.snippet
        if (200...299).contains(answer.status) { return .delivered("Slack accepted it" + (said.isEmpty ? "" : " (\(said))")) }
        if let transient = CommonAnswers.transient(answer, service: "Slack") { return transient }
        switch said {
        case "invalid_token", "no_service", "no_team", "team_disabled", "no_service_id", "action_prohibited":
            return .retryLater("Slack refused the webhook (\(said)): the webhook_url in genslack.conf is wrong or was revoked", after: nil)
        case "channel_not_found", "channel_is_archived":
            return .retryLater("Slack cannot post to \(recipient) (\(said)); check channel in genslack.conf", after: nil)
        case "invalid_payload", "user_not_found", "posting_to_general_channel_denied":
            return .failed("Slack refused the message (\(said))")
        default:
            return CommonAnswers.fallback(answer, service: "Slack")
        }
    }
}
