import Foundation
import GenmonConfig
import Testing
@testable import Notify

/// Each channel's request built from a stored message, checked field by field as the service
/// documents it, and each service's answers (its own error bodies) read into plain words.
@Suite("Channel requests and answers")
struct ChannelRequestTests {
    static let time = Date(timeIntervalSince1970: 1_764_000_000)
    static let http = ChannelHTTPClient()

    static func message(_ event: AddonEvent? = .outageBegan, label: String? = nil, lines: [String]? = nil,
                        category: NotificationCategory = .outage) -> ShortMessage {
        let brief = NotificationBrief(
            site: "Cabin", event: event, label: label ?? event?.text ?? "Generator Monitor Starting at Cabin",
            lines: lines ?? ["Utility Power Out at 2025-11-24 16:00:00", "Time : 2025-11-24 16:00:00", "State : Ready", "Battery : 13.2 V", "Utility : 0 V"],
            filter: event?.filter ?? AddonFilterCategory(category), clockTime: "16:00")
        return ShortMessage(NotificationContent(category: category, subject: "Outage Notice at Cabin", text: "x", html: "", source: "outage_started",
                                                time: time, brief: brief))
    }

    static let twilio = TwilioSettings(accountSID: "AC0123456789abcdef0123456789abcdef", authToken: "secret-token", from: "+15005550006",
                                       recipients: ["+15551230001"], address: try! ServiceAddress("http://127.0.0.1:9"))

    @Test("Twilio: POST Messages.json under the account, basic auth with SID and token, form To, From, Body starting with the original's text")
    func twilioRequest() throws {
        let request = TwilioChannel(settings: Self.twilio, http: Self.http).request(for: Self.message(), to: "+15551230001", at: Self.time)
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:9/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")
        #expect(request.header("Authorization") == "Basic " + Data("AC0123456789abcdef0123456789abcdef:secret-token".utf8).base64EncodedString())
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        let form = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
        #expect(form["To"] == "+15551230001")
        #expect(form["From"] == "+15005550006")
        let body = try #require(form["Body"])
        #expect(body.hasPrefix("Cabin: Utility Service is Down\nUtility Power Out at 2025-11-24 16:00:00"))
        #expect(SMSLength.segments(body) <= 2)
    }

    @Test("an SMS keeps within two segments however many facts there are, GSM-7 or not")
    func smsWithinTwoSegments() {
        let many = (1...40).map { "Fact \($0) : a value that takes some room" }
        let plain = TwilioChannel.body(Self.message(lines: many))
        #expect(SMSLength.segments(plain) == 2)
        #expect(plain.hasPrefix("Cabin: Utility Service is Down\nFact 1 :"))
        let unicode = TwilioChannel.body(Self.message(lines: many.map { $0 + " ✓" }))
        #expect(SMSLength.segments(unicode) <= 2 && SMSLength.septets(unicode) == nil)
        #expect(SMSLength.segments(String(repeating: "a", count: 160)) == 1)
        #expect(SMSLength.segments(String(repeating: "a", count: 161)) == 2)
        #expect(SMSLength.segments(String(repeating: "a", count: 306)) == 2)
        #expect(SMSLength.segments(String(repeating: "a", count: 307)) == 3)
        #expect(SMSLength.segments(String(repeating: "[", count: 80)) == 1)
        #expect(SMSLength.segments(String(repeating: "✓", count: 70)) == 1)
        #expect(SMSLength.segments(String(repeating: "✓", count: 71)) == 2)
    }

    @Test("Twilio's answers: 201 with a SID, 20003 (credentials, kept), 21211 (bad number, refused), 21608 (unverified), 429, 500")
    func twilioAnswers() {
        let channel = TwilioChannel(settings: Self.twilio, http: Self.http)
        let ok = channel.outcome(of: ServiceAnswer(status: 201, body: Array(#"{"sid": "SM123", "status": "queued"}"#.utf8)), to: "+15551230001")
        #expect(ok == .delivered("Twilio accepted the SMS (SM123, queued)"))
        let auth = channel.outcome(of: ServiceAnswer(status: 401, body: Array(#"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#.utf8)), to: "+15551230001")
        guard case let .retryLater(authWords, _) = auth else { Issue.record("\(auth)"); return }
        #expect(authWords.contains("account SID or auth token") && authWords.contains("20003"))
        let number = channel.outcome(of: ServiceAnswer(status: 400, body: Array(#"{"code": 21211, "message": "The 'To' number +1555 is not a valid phone number.", "status": 400}"#.utf8)), to: "+1555")
        guard case let .failed(numberWords) = number else { Issue.record("\(number)"); return }
        #expect(numberWords.contains("not a valid phone number") && numberWords.contains("21211"))
        let trial = channel.outcome(of: ServiceAnswer(status: 400, body: Array(#"{"code": 21608, "message": "The number is unverified.", "status": 400}"#.utf8)), to: "+15551230001")
        guard case let .failed(trialWords) = trial else { Issue.record("\(trial)"); return }
        #expect(trialWords.contains("not verified"))
        let slow = channel.outcome(of: ServiceAnswer(status: 429, headers: ["Retry-After": "7"], body: Array(#"{"code": 20429, "message": "Too Many Requests"}"#.utf8)), to: "x")
        #expect(slow == .retryLater("Twilio is limiting the rate of messages (Twilio error 20429: Too Many Requests)", after: .seconds(7)))
        if case .retryLater = channel.outcome(of: ServiceAnswer(status: 503, body: Array("upstream".utf8)), to: "x") {} else { Issue.record("503 must be retried") }
    }

    static let pushover = PushoverSettings(appToken: "azGDORePK8gMaC0QOYAMyEEuzJnyUi", users: ["uQiRzpo4DXghDmr9QzzfQu27cmVRsG"],
                                           extraUsers: ["gznej3rKEVAvPUxu9vvNnqpmZpokzF"], extraFilters: [.outage],
                                           sound: "siren", priorities: [.alarm: 2, .runState: -1], address: try! ServiceAddress("http://127.0.0.1:9"))

    @Test("Pushover: POST /1/messages.json with token, user, message, sound; priority only when not normal; emergency adds retry and expire")
    func pushoverRequest() {
        let channel = PushoverChannel(settings: Self.pushover, http: Self.http)
        let outage = channel.request(for: Self.message(), to: "uQiRzpo4DXghDmr9QzzfQu27cmVRsG", at: Self.time)
        #expect(outage.url == "http://127.0.0.1:9/1/messages.json")
        #expect(outage.header("Content-Type") == "application/x-www-form-urlencoded")
        let form = FormEncoding.decode(String(decoding: outage.body, as: UTF8.self))
        #expect(form["token"] == "azGDORePK8gMaC0QOYAMyEEuzJnyUi" && form["user"] == "uQiRzpo4DXghDmr9QzzfQu27cmVRsG")
        #expect(form["message"]?.hasPrefix("Cabin: Utility Service is Down\n") == true)
        #expect(form["sound"] == "siren" && form["priority"] == nil && form["retry"] == nil)
        #expect(form["timestamp"] == "1764000000")
        let alarm = FormEncoding.decode(String(decoding: channel.request(for: Self.message(.alarm, category: .warn), to: "u", at: Self.time).body, as: UTF8.self))
        #expect(alarm["priority"] == "2" && alarm["retry"] == "30" && alarm["expire"] == "86400")
        let running = FormEncoding.decode(String(decoding: channel.request(for: Self.message(.running, category: .info), to: "u", at: Self.time).body, as: UTF8.self))
        #expect(running["priority"] == "-1" && running["retry"] == nil)
        // extra_userid only for the categories extra_notify_* allows.
        #expect(channel.recipients.map(\.id) == ["uQiRzpo4DXghDmr9QzzfQu27cmVRsG", "gznej3rKEVAvPUxu9vvNnqpmZpokzF"])
        #expect(channel.recipients[1].wants(.outage) && !channel.recipients[1].wants(.error))
    }

    @Test("Pushover's answers: status 1; status 0 with errors for a bad user key (refused) and a bad token (kept); 429")
    func pushoverAnswers() {
        let channel = PushoverChannel(settings: Self.pushover, http: Self.http)
        #expect(channel.outcome(of: ServiceAnswer(status: 200, body: Array(#"{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}"#.utf8)), to: "u")
                == .delivered("Pushover accepted it (request 647d2300-702c-4b38-8b2f-d56326ae460b)"))
        let user = channel.outcome(of: ServiceAnswer(status: 400, body: Array(#"{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0,"request":"5042853c"}"#.utf8)), to: "uBAD")
        #expect(user == .failed("Pushover says the user key uBAD is invalid: user identifier is not a valid user, group, or subscribed user key"))
        let token = channel.outcome(of: ServiceAnswer(status: 400, body: Array(#"{"token":"invalid","errors":["application token is invalid"],"status":0,"request":"1"}"#.utf8)), to: "u")
        #expect(token == .retryLater("Pushover says the application token (appid in genpushover.conf) is invalid: application token is invalid", after: nil))
        if case let .retryLater(_, after) = channel.outcome(of: ServiceAnswer(status: 429, headers: ["Retry-After": "60"], body: []), to: "u") {
            #expect(after == .seconds(60))
        } else { Issue.record("429 must be retried") }
    }

    static let slack = SlackSettings(webhookURL: "https://hooks.slack.com/services/T000/B000/XXXX", channel: "#generator", titleLink: "http://genmon.local:8000",
                                     address: try! ServiceAddress("http://127.0.0.1:9"))

    @Test("Slack: POST the webhook's path at base_url, JSON with channel, username, icon_emoji and the original's attachment")
    func slackRequest() throws {
        let channel = SlackChannel(settings: Self.slack, http: Self.http)
        let request = channel.request(for: Self.message(), to: channel.recipient, at: Self.time)
        #expect(request.url == "http://127.0.0.1:9/services/T000/B000/XXXX")
        #expect(request.header("Content-Type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(json["channel"] as? String == "#generator" && json["username"] as? String == "GenMon" && json["icon_emoji"] as? String == ":red_circle:")
        let attachment = try #require((json["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["title"] as? String == "GenMon Alert" && attachment["title_link"] as? String == "http://genmon.local:8000")
        let field = try #require((attachment["fields"] as? [[String: Any]])?.first)
        #expect(field["title"] as? String == "Status" && field["short"] as? String == "false")
        #expect((field["value"] as? String)?.hasPrefix("Cabin: Utility Service is Down") == true)
    }

    @Test("Slack's answers: ok, invalid_token (kept until the URL is fixed), channel_not_found, invalid_payload (refused), 429")
    func slackAnswers() {
        let channel = SlackChannel(settings: Self.slack, http: Self.http)
        #expect(channel.outcome(of: ServiceAnswer(status: 200, body: Array("ok".utf8)), to: "#g") == .delivered("Slack accepted it (ok)"))
        guard case let .retryLater(words, _) = channel.outcome(of: ServiceAnswer(status: 403, body: Array("invalid_token".utf8)), to: "#g") else {
            Issue.record("invalid_token is a settings problem"); return
        }
        #expect(words.contains("invalid_token") && words.contains("webhook_url"))
        guard case .failed = channel.outcome(of: ServiceAnswer(status: 400, body: Array("invalid_payload".utf8)), to: "#g") else { Issue.record("invalid_payload"); return }
        guard case .retryLater = channel.outcome(of: ServiceAnswer(status: 404, body: Array("channel_not_found".utf8)), to: "#g") else { Issue.record("channel"); return }
        #expect(channel.outcome(of: ServiceAnswer(status: 429, headers: ["Retry-After": "30"], body: Array("rate_limited".utf8)), to: "#g")
                == .retryLater("Slack is limiting the rate of messages (it asks to wait 30 s), HTTP 429: rate_limited", after: .seconds(30)))
    }

    @Test("ntfy: JSON publish to base_url with topic, title (the original's text), facts, the category's priority and tags, click link, bearer token")
    func ntfyRequest() throws {
        let settings = NtfySettings(topics: ["cabin-generator"], address: try ServiceAddress("http://127.0.0.1:9/ntfy"), token: "tk_abc",
                                    tags: [.outage: ["electric_plug"]], click: "http://genmon.local:8000")
        let request = NtfyChannel(settings: settings, http: Self.http).request(for: Self.message(), to: "cabin-generator", at: Self.time)
        #expect(request.url == "http://127.0.0.1:9/ntfy/")
        #expect(request.header("Authorization") == "Bearer tk_abc" && request.header("Content-Type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(json["topic"] as? String == "cabin-generator" && json["title"] as? String == "Cabin: Utility Service is Down")
        #expect((json["message"] as? String)?.hasPrefix("Utility Power Out at") == true)
        #expect(json["priority"] as? Int == 4 && json["tags"] as? [String] == ["electric_plug"] && json["click"] as? String == "http://genmon.local:8000")
        let channel = NtfyChannel(settings: settings, http: Self.http)
        #expect(channel.outcome(of: ServiceAnswer(status: 200, body: Array(#"{"id":"hwQ2YpKdmg","event":"message"}"#.utf8)), to: "t") == .delivered("ntfy published it to t (id hwQ2YpKdmg)"))
        guard case let .retryLater(words, _) = channel.outcome(of: ServiceAnswer(status: 401, body: Array(#"{"code":40101,"http":401,"error":"unauthorized"}"#.utf8)), to: "t") else {
            Issue.record("401"); return
        }
        #expect(words.contains("unauthorized") && words.contains("token"))
    }

    @Test("Discord: POST the webhook with wait=true, content and no mentions; 404 Unknown Webhook kept, 429 retry_after")
    func discord() throws {
        let settings = DiscordSettings(webhookURL: "https://discord.com/api/webhooks/123/abc", address: try ServiceAddress("http://127.0.0.1:9"))
        let channel = DiscordChannel(settings: settings, http: Self.http)
        let request = channel.request(for: Self.message(), to: "webhook", at: Self.time)
        #expect(request.url == "http://127.0.0.1:9/api/webhooks/123/abc?wait=true")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect((json["content"] as? String)?.hasPrefix("Cabin: Utility Service is Down\n") == true)
        #expect((json["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        guard case .retryLater = channel.outcome(of: ServiceAnswer(status: 404, body: Array(#"{"message": "Unknown Webhook", "code": 10015}"#.utf8)), to: "w") else {
            Issue.record("404"); return
        }
        #expect(channel.outcome(of: ServiceAnswer(status: 429, body: Array(#"{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}"#.utf8)), to: "w")
                == .retryLater("Discord is limiting the rate of messages: You are being rate limited.", after: .seconds(2.5)))
    }

    @Test("Telegram: sendMessage with chat_id and text; ok:false answers in plain words (blocked, unknown chat, bad token, 429 retry_after)")
    func telegram() throws {
        let settings = TelegramSettings(botToken: "123456:ABC-DEF", chats: ["-1001234567890"], address: try ServiceAddress("http://127.0.0.1:9"))
        let channel = TelegramChannel(settings: settings, http: Self.http)
        let request = channel.request(for: Self.message(), to: "-1001234567890", at: Self.time)
        #expect(request.url == "http://127.0.0.1:9/bot123456:ABC-DEF/sendMessage")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(json["chat_id"] as? Int64 == -1001234567890 || (json["chat_id"] as? NSNumber)?.int64Value == -1001234567890)
        #expect((json["text"] as? String)?.hasPrefix("Cabin: Utility Service is Down\n") == true)
        #expect(channel.outcome(of: ServiceAnswer(status: 200, body: Array(#"{"ok":true,"result":{"message_id":42}}"#.utf8)), to: "1") == .delivered("Telegram delivered it to chat 1 (message 42)"))
        guard case let .failed(blocked) = channel.outcome(of: ServiceAnswer(status: 403, body: Array(#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#.utf8)), to: "1") else {
            Issue.record("403"); return
        }
        #expect(blocked.contains("bot was blocked by the user"))
        guard case .failed = channel.outcome(of: ServiceAnswer(status: 400, body: Array(#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#.utf8)), to: "1") else {
            Issue.record("400"); return
        }
        guard case .retryLater = channel.outcome(of: ServiceAnswer(status: 401, body: Array(#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#.utf8)), to: "1") else {
            Issue.record("401"); return
        }
        #expect(channel.outcome(of: ServiceAnswer(status: 429, body: Array(#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}"#.utf8)), to: "1")
                == .retryLater("Telegram is limiting the rate of messages: Too Many Requests: retry after 5", after: .seconds(5)))
    }

    @Test("webhook: HMAC-SHA256 over '<timestamp>.<body>' (a vector computed with Python's hmac), verified in constant time, stale timestamps refused")
    func webhookSignature() throws {
        #expect(WebhookPayload.signature(secret: "0123456789abcdef-secret", timestamp: "1733390250", body: Array(#"{"a":1}"#.utf8))
                == "3cb643279cde1f45a5aca1173824d9fc19d3251ba655b5378c95438ca01abd7e")
        let settings = WebhookSettings(url: "https://receiver.example/genmon?key=1", secret: "0123456789abcdef-secret", address: try ServiceAddress("http://127.0.0.1:9"))
        var message = Self.message()
        message.notificationID = 17
        let request = WebhookChannel(settings: settings, http: Self.http, version: "2.0").request(for: message, to: "receiver", at: Self.time)
        #expect(request.url == "http://127.0.0.1:9/genmon?key=1")
        let timestamp = try #require(request.header("X-Genmon-Timestamp"))
        let signature = try #require(request.header("X-Genmon-Signature"))
        #expect(timestamp == "1764000000" && request.header("X-Genmon-Delivery") == "17" && request.header("User-Agent") == "genmon/2.0")
        #expect(WebhookPayload.verify(secret: settings.secret, timestamp: timestamp, signature: signature, body: request.body, now: Self.time))
        #expect(!WebhookPayload.verify(secret: "another-secret-of-16", timestamp: timestamp, signature: signature, body: request.body, now: Self.time))
        #expect(!WebhookPayload.verify(secret: settings.secret, timestamp: timestamp, signature: signature, body: request.body + [0x20], now: Self.time))
        #expect(!WebhookPayload.verify(secret: settings.secret, timestamp: timestamp, signature: signature, body: request.body, now: Self.time + 301))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(json["schema"] as? String == "genmon.notification/1" && json["id"] as? Int == 17 && json["event"] as? String == "utility_down")
        #expect(json["text"] as? String == "Utility Service is Down" && json["category"] as? String == "outage" && json["time"] as? String == "2025-11-24T16:00:00Z")
    }

    @Test("syslog: the original's text without the site, facts after '; ', ident genmon, facility user and priority info (warning for alarms)")
    func syslogLine() {
        let channel = SyslogChannel(settings: SyslogSettings(), timeZone: TimeZone(identifier: "UTC")!)
        let line = String(decoding: channel.line(Self.message(), at: Date(timeIntervalSince1970: 1_764_547_200), pid: 42), as: UTF8.self)
        #expect(line.hasPrefix("<14>Dec  1 00:00:00 genmon[42]: Utility Service is Down; Utility Power Out at"))
        let alarm = String(decoding: channel.line(Self.message(.alarm, category: .warn), at: Self.time, pid: 42), as: UTF8.self)
        #expect(alarm.hasPrefix("<12>Nov 24 16:00:00 genmon[42]: Generator Alarm"))
        let long = String(decoding: channel.line(Self.message(lines: (1...200).map { "line \($0)" }), at: Self.time, pid: 1), as: UTF8.self)
        #expect(long.utf8.count <= SyslogChannel.maximumLineBytes)
    }
}
