import Foundation
import GenmonConfig

/// Push through Pushover (genpushover.conf; interfaces §4.5): one Messages request per user key
/// (`userid`, and `extra_userid` for the categories its `extra_notify_*` allow), with the priority
/// the event's `*_priority` key gives; EMERGENCY repeats every 30 s for a day until acknowledged.
public struct PushoverChannel: HTTPServiceChannel {
    public static let maximumMessageLength = 1024
    public let name = "pushover"
    public let serviceName = "Pushover"
    public let messageNoun = "push notification"
    public let settings: PushoverSettings
    public let http: ChannelHTTPClient

    public init(settings: PushoverSettings, http: ChannelHTTPClient) {
        self.settings = settings
        self.http = http
    }

    public var filters: Set<AddonFilterCategory> { settings.common.filters }
    public var pacing: PacingSettings { settings.common.pacing }
    public var detail: String { "Pushover at \(settings.address), sound \(settings.sound)" }

    /// The recipient table: every `userid` for all, `extra_userid` for its categories.
    public var recipients: [ChannelRecipient] {
        settings.users.map { ChannelRecipient(id: $0) }
            + settings.extraUsers.map { ChannelRecipient(id: $0, categories: Set(settings.extraFilters.map(\.notificationCategory))) }
    }

    public func validate(recipient: String) -> String? {
        PushoverSettings.isKey(recipient) ? nil : "\(recipient) is not a Pushover user key (30 letters and digits)"
    }

    /// -2 ... 2 for the message's event (the original: outage and "up to date" at normal).
    public func priority(_ message: ShortMessage) -> Int {
        guard let key = message.event?.pushoverPriority else { return 0 }
        return settings.priorities[key] ?? 0
    }

    public func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest {
        var fields = [("token", settings.appToken), ("user", recipient),
                      ("message", message.text(limit: Self.maximumMessageLength)), ("sound", settings.sound),
                      ("timestamp", String(Int(message.time.timeIntervalSince1970)))]
        let priority = priority(message)
        if priority != 0 { fields.append(("priority", String(priority))) }
        if priority == 2 { fields += [("retry", "30"), ("expire", "86400")] }
        return ServiceRequest(url: settings.address.url("/1/messages.json"),
                              headers: [.init("Content-Type", "application/x-www-form-urlencoded"), .init("Accept", "application/json")],
                              body: FormEncoding.encode(fields))
    }

    public func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome {
        let json = answer.json
        let status = (json?["status"] as? Int) ?? (json?["status"] as? Double).map(Int.init)
        let errors = (json?["errors"] as? [Any])?.map { "\($0)" }.joined(separator: "; ")
        if (200...299).contains(answer.status), status == 1 {
            let request = json?["request"] as? String
            let receipt = json?["receipt"] as? String
            return .delivered("Pushover accepted it" + (request.map { " (request \($0)" + (receipt.map { ", receipt \($0))" } ?? ")") } ?? ""))
        }
        if let transient = CommonAnswers.transient(answer, service: "Pushover", detail: errors) { return transient }
        let said = errors ?? "HTTP \(answer.status): \(answer.snippet)"
        if json?["token"] as? String == "invalid" {
            return .retryLater("Pushover says the application token (appid in genpushover.conf) is invalid: \(said)", after: nil)
        }
        if json?["user"] as? String == "invalid" {
            return .failed("Pushover says the user key \(recipient) is invalid: \(said)")
        }
        if answer.status == 401 || answer.status == 403 {
            return .retryLater("Pushover refused the application token: \(said)", after: nil)
        }
        return .failed("Pushover refused the message: \(said)")
    }
}
