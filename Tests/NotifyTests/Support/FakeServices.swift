import Foundation
import Synchronization
@testable import Notify

/// Answers as the real services do, checking each request as they would (method, path, auth,
/// content type, required fields), with their own error bodies. One hub serves them all on one
/// test server, by path; `failAll` makes every service answer 500 (an outage of theirs).
final class FakeServiceHub: Sendable {
    static let twilioSID = "AC0123456789abcdef0123456789abcdef"
    static let twilioToken = "twilio-auth-token"
    static let invalidNumber = "+15005550001"
    static let pushoverToken = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
    static let pushoverUser = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
    static let slackPath = "/services/T000/B000/XXXXXXXX"
    static let ntfyToken = "tk_test"
    static let telegramToken = "123456:ABC-DEF"
    static let telegramChat = "424242"
    static let webhookPath = "/hooks/genmon"
    static let webhookSecret = "a-webhook-secret-of-some-length"
    static let discordPath = "/api/webhooks/1234/discord-token"

    private let failing = Mutex(false)
    /// Recipients that always get a 500 (a number whose carrier is down).
    private let failingRecipients = Mutex<Set<String>>([])
    /// Webhook bodies whose signature checked out.
    private let verified = Mutex<[[UInt8]]>([])

    /// Requests answered with success, in order (what "arrived").
    private let accepted = Mutex<[ServiceTestServer.Request]>([])

    var arrived: [ServiceTestServer.Request] { accepted.withLock { $0 } }

    func failAll(_ on: Bool) { failing.withLock { $0 = on } }
    func failAlways(_ recipient: String) { failingRecipients.withLock { _ = $0.insert(recipient) } }
    var verifiedWebhooks: [[String: Any]] {
        verified.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    func respond(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        let answer = answer(request)
        if (200...299).contains(answer.status) { accepted.withLock { $0.append(request) } }
        return answer
    }

    private func answer(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        if failing.withLock({ $0 }) { return .init(500, #"{"error": "internal error"}"#) }
        let path = request.path
        if path.hasPrefix("/2010-04-01/") { return twilio(request) }
        if path == "/1/messages.json" { return pushover(request) }
        if path == Self.slackPath { return slack(request) }
        if path.hasPrefix("/bot") { return telegram(request) }
        if path == Self.webhookPath { return webhook(request) }
        if path == Self.discordPath { return discord(request) }
        if path == "/" || path == "/ntfy/" { return ntfy(request) }
        return .init(404, "not found", headers: ["Content-Type": "text/plain"])
    }

    func twilio(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        let expectedAuth = "Basic " + Data("\(Self.twilioSID):\(Self.twilioToken)".utf8).base64EncodedString()
        guard request.method == "POST", request.path == "/2010-04-01/Accounts/\(Self.twilioSID)/Messages.json",
              request.header("Authorization") == expectedAuth else {
            return .init(401, #"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#)
        }
        guard request.header("Content-Type") == "application/x-www-form-urlencoded" else { return .init(415, "{}") }
        let form = request.form
        guard let to = form["To"], form["From"] != nil, let body = form["Body"], !body.isEmpty else {
            return .init(400, #"{"code": 21604, "message": "A 'To' phone number is required.", "status": 400}"#)
        }
        if failingRecipients.withLock({ $0.contains(to) }) { return .init(500, #"{"code": 20500, "message": "Internal Server Error"}"#) }
        if to == Self.invalidNumber {
            return .init(400, #"{"code": 21211, "message": "The 'To' number \#(to) is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#)
        }
        return .init(201, #"{"sid": "SM\#(UUID().uuidString.prefix(8))", "status": "queued", "to": "\#(to)"}"#)
    }

    func pushover(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        let form = request.form
        guard request.method == "POST", request.header("Content-Type") == "application/x-www-form-urlencoded" else { return .init(400, "{}") }
        guard form["token"] == Self.pushoverToken else {
            return .init(400, #"{"token":"invalid","errors":["application token is invalid"],"status":0,"request":"r1"}"#)
        }
        guard form["user"] == Self.pushoverUser else {
            return .init(400, #"{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0,"request":"r2"}"#)
        }
        guard form["message"]?.isEmpty == false else { return .init(400, #"{"message":"cannot be blank","errors":["message cannot be blank"],"status":0,"request":"r3"}"#) }
        return .init(200, #"{"status":1,"request":"\#(UUID().uuidString.lowercased())"}"#)
    }

    func slack(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        guard request.method == "POST", request.header("Content-Type") == "application/json",
              let attachments = request.json?["attachments"] as? [[String: Any]], !attachments.isEmpty else {
            return .init(400, "invalid_payload", headers: ["Content-Type": "text/plain"])
        }
        return .init(200, "ok", headers: ["Content-Type": "text/plain"])
    }

    func ntfy(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        guard request.header("Authorization") == "Bearer \(Self.ntfyToken)" else {
            return .init(401, #"{"code":40101,"http":401,"error":"unauthorized","link":"https://ntfy.sh/docs/publish/#authentication"}"#)
        }
        guard request.method == "POST", request.header("Content-Type") == "application/json", let json = request.json,
              let topic = json["topic"] as? String else { return .init(400, #"{"code":40001,"http":400,"error":"invalid request"}"#) }
        return .init(200, #"{"id":"\#(UUID().uuidString.prefix(12))","time":1764000000,"event":"message","topic":"\#(topic)"}"#)
    }

    func telegram(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        guard request.path == "/bot\(Self.telegramToken)/sendMessage" else {
            return .init(401, #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#)
        }
        guard request.method == "POST", request.header("Content-Type") == "application/json", let json = request.json,
              let chat = json["chat_id"].map({ "\($0)" }), json["text"] is String else {
            return .init(400, #"{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}"#)
        }
        guard chat == Self.telegramChat else { return .init(400, #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#) }
        return .init(200, #"{"ok":true,"result":{"message_id":\#(Int.random(in: 1...99999)),"chat":{"id":\#(chat)}}}"#)
    }

    func discord(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        guard request.method == "POST", request.query == "wait=true", request.header("Content-Type") == "application/json",
              let content = request.json?["content"] as? String, !content.isEmpty, content.count <= 2000 else {
            return .init(400, #"{"message": "Cannot send an empty message", "code": 50006}"#)
        }
        return .init(200, #"{"id": "\#(Int.random(in: 1...999_999))", "content": "..."}"#)
    }

    func webhook(_ request: ServiceTestServer.Request) -> ServiceTestServer.Answer {
        guard request.method == "POST", request.header("Content-Type") == "application/json",
              let timestamp = request.header("X-Genmon-Timestamp"), let signature = request.header("X-Genmon-Signature"),
              WebhookPayload.verify(secret: Self.webhookSecret, timestamp: timestamp, signature: signature, body: request.body, now: Date()) else {
            return .init(401, #"{"error": "bad signature"}"#)
        }
        verified.withLock { $0.append(request.body) }
        return .init(204, "")
    }
}
