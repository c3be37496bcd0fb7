import Foundation
import GenmonConfig

/// Chat through a Telegram bot (genmon.conf `[telegram]`): `sendMessage` to each chat, plain text.
public struct TelegramChannel: HTTPServiceChannel {
    public static let maximumTextLength = 4096
    public let name = "telegram"
    public let serviceName = "Telegram"
    public let messageNoun = "message"
    public let settings: TelegramSettings
    public let http: ChannelHTTPClient

    public init(settings: TelegramSettings, http: ChannelHTTPClient) {
        self.settings = settings
        self.http = http
    }

    public var filters: Set<AddonFilterCategory> { settings.common.filters }
    public var pacing: PacingSettings { settings.common.pacing }
    public var detail: String { "Telegram bot at \(settings.address)" }

    public func validate(recipient: String) -> String? {
        TelegramSettings.isChat(recipient) ? nil : "\(recipient) is not a Telegram chat id (a number) or @channelname"
    }

    public func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest {
        let chat: Any = Int64(recipient) ?? recipient
        let object: [String: Any] = ["chat_id": chat, "text": message.text(limit: Self.maximumTextLength),
                                     "disable_web_page_preview": true]
        return ServiceRequest(url: settings.address.url("/bot\(settings.botToken)/sendMessage"),
                              headers: [.init("Content-Type", "application/json")], body: JSONBody.encode(object))
    }

    public func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome {
        let json = answer.json
        if json?["ok"] as? Bool == true {
            let id = (json?["result"] as? [String: Any])?["message_id"].map { "\($0)" }
            return .delivered("Telegram delivered it to chat \(recipient)" + (id.map { " (message \($0))" } ?? ""))
        }
        let said = (json?["description"] as? String) ?? answer.snippet
        if answer.status == 429 {
            let seconds = ((json?["parameters"] as? [String: Any])?["retry_after"] as? Double).map { Duration.seconds($0) }
            return .retryLater("Telegram is limiting the rate of messages: \(said)", after: seconds ?? answer.retryAfter())
        }
        if let transient = CommonAnswers.transient(answer, service: "Telegram", detail: said) { return transient }
        switch answer.status {
        case 401, 404:
            return .retryLater("Telegram refused the bot token in [telegram] (\(said))", after: nil)
        case 403:
            return .failed("Telegram says the bot may not write to chat \(recipient) (\(said)); start a chat with the bot or add it to the group")
        case 400 where said.contains("chat not found"):
            return .failed("Telegram does not know chat \(recipient) (\(said))")
        default:
            return .failed("Telegram refused the message (HTTP \(answer.status)): \(said)")
        }
    }
}
