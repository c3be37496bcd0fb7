import Foundation
import GenmonConfig

/// SMS through Twilio (gensms.conf; interfaces §4.4): one Messages request per recipient, so each
/// number is delivered and retried on its own (the original sent to everyone again when one
/// failed). The text is the original's `<site>: <text>` and then as many facts as fit in two segments.
public struct TwilioChannel: HTTPServiceChannel {
    public let name = "sms"
    public let serviceName = "Twilio"
    public let messageNoun = "SMS"
    public let settings: TwilioSettings
    public let http: ChannelHTTPClient

    public init(settings: TwilioSettings, http: ChannelHTTPClient) {
        self.settings = settings
        self.http = http
    }

    public var filters: Set<AddonFilterCategory> { settings.common.filters }
    public var pacing: PacingSettings { settings.common.pacing }
    public var detail: String { "Twilio at \(settings.address) from \(settings.from)" }

    public func validate(recipient: String) -> String? {
        TwilioSettings.normalizedNumber(recipient) == nil ? "\(recipient) is not a phone number in E.164 form (+15551234567)" : nil
    }

    /// The SMS text: within two segments.
    public static func body(_ message: ShortMessage) -> String {
        var plain = message
        plain.label = SMSLength.plain(plain.label)
        plain.lines = plain.lines.map(SMSLength.plain)
        plain.site = SMSLength.plain(plain.site)
        return plain.text(limit: SMSLength.maximumSegments, measure: SMSLength.segments)
    }

    public func request(for message: ShortMessage, to recipient: String, at date: Date) -> ServiceRequest {
        let number = TwilioSettings.normalizedNumber(recipient) ?? recipient
        let sid = settings.accountSID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? settings.accountSID
        let credentials = Data("\(settings.accountSID):\(settings.authToken)".utf8).base64EncodedString()
        return ServiceRequest(
            url: settings.address.url("/2010-04-01/Accounts/\(sid)/Messages.json"),
            headers: [.init("Authorization", "Basic \(credentials)"), .init("Content-Type", "application/x-www-form-urlencoded"),
                      .init("Accept", "application/json")],
            // A messaging service (MG…) sends from its own pool of numbers.
            body: FormEncoding.encode([("To", number), (settings.from.hasPrefix("MG") ? "MessagingServiceSid" : "From", settings.from),
                                       ("Body", Self.body(message))]))
    }

    public func outcome(of answer: ServiceAnswer, to recipient: String) -> DeliveryOutcome {
        let json = answer.json
        if (200...299).contains(answer.status) {
            let sid = json?["sid"] as? String
            let status = json?["status"] as? String
            return .delivered("Twilio accepted the SMS" + (sid.map { " (\($0)" + (status.map { ", \($0))" } ?? ")") } ?? ""))
        }
        let code = (json?["code"] as? Int) ?? (json?["code"] as? Double).map(Int.init)
        let text = (json?["message"] as? String) ?? answer.snippet
        let said = code.map { "Twilio error \($0): \(text)" } ?? "HTTP \(answer.status): \(text)"
        switch code {
        case 20003?, 20404?:
            return .retryLater("Twilio refused the account SID or auth token in gensms.conf (\(said))", after: nil)
        case 21211?:
            return .failed("Twilio says \(recipient) is not a valid phone number (\(said))")
        case 21608?:
            return .failed("\(recipient) is not verified for this trial Twilio account; verify it in the Twilio console or upgrade the account (\(said))")
        case 21610?:
            return .failed("\(recipient) has replied STOP to this Twilio number and cannot be messaged until they send START (\(said))")
        case 21612?, 21614?, 21408?:
            return .failed("Twilio cannot send an SMS to \(recipient) (\(said))")
        case 21606?, 21659?, 21212?:
            return .retryLater("Twilio cannot send from \(settings.from); check from_number in gensms.conf (\(said))", after: nil)
        case 20429?:
            return .retryLater("Twilio is limiting the rate of messages (\(said))", after: answer.retryAfter())
        default:
            break
        }
        if let transient = CommonAnswers.transient(answer, service: "Twilio", detail: code != nil ? said : nil) { return transient }
        if answer.status == 401 { return .retryLater("Twilio refused the credentials in gensms.conf (\(said))", after: nil) }
        return .failed("Twilio refused the SMS (\(said))")
    }
}
