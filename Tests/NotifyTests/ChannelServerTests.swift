import Foundation
import GenmonConfig
import GenmonTesting
import Logging
@testable import Notify
import Store
import Testing

/// Every channel over real HTTP against a local stand-in of its service that checks each request
/// as the service does and answers with its own success and error bodies.
@Suite("Channels against local services", .timeLimit(.minutes(2)))
struct ChannelServerTests {
    static func content(_ event: AddonEvent = .outageBegan) -> NotificationContent {
        NotificationContent(category: .outage, subject: "Outage Notice at Cabin", text: "Utility Power Out\n", html: "", source: "outage_started",
                            time: Date(), brief: NotificationBrief(site: "Cabin", event: event, label: event.text,
                                                                   lines: ["Utility Power Out at 2025-11-24 16:00:00", "Battery : 13.2 V"],
                                                                   filter: event.filter, clockTime: "16:00"))
    }

    static func queued(_ channel: any NotificationChannel, _ content: NotificationContent = content(), id: Int64 = 7) throws -> QueuedMessage {
        let payload = try channel.render(content, for: [], at: content.time)
        return QueuedMessage(notificationID: id, subject: content.subject, category: content.category, text: content.text,
                             payload: payload.bytes, messageID: nil, created: content.time)
    }

    static func start() async throws -> (ServiceTestServer, FakeServiceHub, ServiceAddress, ChannelHTTPClient) {
        let hub = FakeServiceHub()
        let server = try await ServiceTestServer.start { hub.respond($0) }
        return (server, hub, try ServiceAddress(server.baseURL), ChannelHTTPClient(timeout: .seconds(10)))
    }

    static func twilio(_ address: ServiceAddress, token: String = FakeServiceHub.twilioToken) -> TwilioSettings {
        TwilioSettings(accountSID: FakeServiceHub.twilioSID, authToken: token, from: "+15005550006",
                       recipients: ["+15551230001", FakeServiceHub.invalidNumber], address: address)
    }

    @Test("Twilio: one request per number, the service's SID on success, 21211 refused for the bad number, 20003 in words for a wrong token")
    func twilio() async throws {
        let (server, _, address, http) = try await Self.start()
        let channel = TwilioChannel(settings: Self.twilio(address), http: http)
        let message = try Self.queued(channel)
        let good = await channel.deliver(message, to: "+15551230001")
        guard case let .delivered(words) = good else { Issue.record("\(good)"); return }
        #expect(words.hasPrefix("Twilio accepted the SMS (SM") && words.hasSuffix(", queued)"))
        let bad = await channel.deliver(message, to: FakeServiceHub.invalidNumber)
        guard case let .failed(refusal) = bad else { Issue.record("\(bad)"); return }
        #expect(refusal.contains("21211"))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.form["Body"]?.hasPrefix("Cabin: Utility Service is Down\n") == true)
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        let wrong = TwilioChannel(settings: Self.twilio(address, token: "wrong"), http: http)
        let report = await wrong.test(Self.content(), to: ["+15551230001"])
        #expect(!report.succeeded)
        #expect(report.summary == "Test SMS not sent by Twilio. +15551230001: not sent now: Twilio refused the account SID or auth token in gensms.conf (Twilio error 20003: Authenticate).",
                "\(report.summary)")
        await http.shutdown()
        await server.stop()
    }

    @Test("Pushover: status 1 accepted; status 0 with errors for an unknown user key and a wrong app token, in plain words")
    func pushover() async throws {
        let (server, _, address, http) = try await Self.start()
        let settings = PushoverSettings(appToken: FakeServiceHub.pushoverToken, users: [FakeServiceHub.pushoverUser], address: address)
        let channel = PushoverChannel(settings: settings, http: http)
        let ok = await channel.deliver(try Self.queued(channel), to: FakeServiceHub.pushoverUser)
        guard case .delivered = ok else { Issue.record("\(ok)"); return }
        #expect(server.requests.last?.form["message"]?.hasPrefix("Cabin: Utility Service is Down") == true)
        let unknown = await channel.deliver(try Self.queued(channel), to: "gznej3rKEVAvPUxu9vvNnqpmZpokzF")
        #expect(unknown == .failed("Pushover says the user key gznej3rKEVAvPUxu9vvNnqpmZpokzF is invalid: user identifier is not a valid user, group, or subscribed user key"))
        var wrongToken = settings
        wrongToken.appToken = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        let report = await PushoverChannel(settings: wrongToken, http: http).test(Self.content(), to: [FakeServiceHub.pushoverUser])
        #expect(report.summary.contains("application token (appid in genpushover.conf) is invalid"), "\(report.summary)")
        await http.shutdown()
        await server.stop()
    }

    @Test("Slack: the attachment accepted with ok; a revoked webhook's invalid_token kept for retry and told in words")
    func slack() async throws {
        let (server, _, address, http) = try await Self.start()
        let channel = SlackChannel(settings: SlackSettings(webhookURL: "https://hooks.slack.com" + FakeServiceHub.slackPath, address: address), http: http)
        #expect(await channel.deliver(try Self.queued(channel), to: "webhook") == .delivered("Slack accepted it (ok)"))
        server.setResponder { _ in .init(403, "invalid_token", headers: ["Content-Type": "text/plain"]) }
        let report = await channel.test(Self.content(), to: ["webhook"])
        #expect(!report.succeeded && report.summary.contains("Slack refused the webhook (invalid_token)"), "\(report.summary)")
        await http.shutdown()
        await server.stop()
    }

    @Test("ntfy, Discord-style 429 with Retry-After, and Telegram's ok:false over HTTP")
    func ntfyTelegramAndRateLimits() async throws {
        let (server, _, address, http) = try await Self.start()
        let ntfy = NtfyChannel(settings: NtfySettings(topics: ["cabin"], address: address, token: FakeServiceHub.ntfyToken), http: http)
        guard case .delivered = await ntfy.deliver(try Self.queued(ntfy), to: "cabin") else { Issue.record("ntfy"); return }
        let anonymous = NtfyChannel(settings: NtfySettings(topics: ["cabin"], address: address), http: http)
        guard case let .retryLater(words, _) = await anonymous.deliver(try Self.queued(anonymous), to: "cabin") else { Issue.record("401"); return }
        #expect(words.contains("unauthorized"))
        let telegram = TelegramChannel(settings: TelegramSettings(botToken: FakeServiceHub.telegramToken, chats: [FakeServiceHub.telegramChat], address: address), http: http)
        guard case .delivered = await telegram.deliver(try Self.queued(telegram), to: FakeServiceHub.telegramChat) else { Issue.record("telegram"); return }
        let unknownChat = await telegram.deliver(try Self.queued(telegram), to: "99")
        #expect(unknownChat == .failed("Telegram does not know chat 99 (Bad Request: chat not found)"))
        server.setResponder { _ in .init(429, #"{"code":42901,"http":429,"error":"limit reached: too many requests"}"#, headers: ["Retry-After": "17", "Content-Type": "application/json"]) }
        let slowed = await ntfy.deliver(try Self.queued(ntfy), to: "cabin")
        #expect(slowed == .retryLater("ntfy is limiting the rate of messages (it asks to wait 17 s), HTTP 429: limit reached: too many requests (code 42901)", after: .seconds(17)))
        await http.shutdown()
        await server.stop()
    }

    @Test("webhook: the receiver verifies the signature of the exact bytes; the schema's fields are there")
    func webhook() async throws {
        let (server, hub, address, http) = try await Self.start()
        let settings = WebhookSettings(url: "https://example.org" + FakeServiceHub.webhookPath, secret: FakeServiceHub.webhookSecret, address: address)
        let channel = WebhookChannel(settings: settings, http: http)
        #expect(await channel.deliver(try Self.queued(channel), to: channel.recipient) == .delivered("127.0.0.1:\(server.port) took it (HTTP 204)"))
        let body = try #require(hub.verifiedWebhooks.first)
        #expect(body["id"] as? Int == 7 && body["text"] as? String == "Utility Service is Down" && body["site"] as? String == "Cabin")
        var wrong = settings
        wrong.secret = "not-the-receivers-secret"
        let refused = await WebhookChannel(settings: wrong, http: http).deliver(try Self.queued(channel), to: channel.recipient)
        guard case let .retryLater(words, _) = refused else { Issue.record("\(refused)"); return }
        #expect(words.contains("refused the signature"))
        await http.shutdown()
        await server.stop()
    }

    @Test("TLS: the service's certificate is checked; a CA from ssl_ca_file is trusted, an unknown one is refused in words")
    func tlsVerified() async throws {
        let certificates = try TestCertificates.shared.get()
        let hub = FakeServiceHub()
        let trusted = try await ServiceTestServer.start(tls: certificates.localhost) { hub.respond($0) }
        let stranger = try await ServiceTestServer.start(tls: certificates.untrusted) { hub.respond($0) }
        let http = ChannelHTTPClient(caFile: certificates.caFile, timeout: .seconds(5))
        func ntfy(_ server: ServiceTestServer) throws -> NtfyChannel {
            NtfyChannel(settings: NtfySettings(topics: ["cabin"], address: try ServiceAddress(server.secureURL), token: FakeServiceHub.ntfyToken), http: http)
        }
        let good = try ntfy(trusted)
        guard case .delivered = await good.deliver(try Self.queued(good), to: "cabin") else { Issue.record("the trusted server"); return }
        let bad = try ntfy(stranger)
        let refused = await bad.deliver(try Self.queued(bad), to: "cabin")
        guard case let .retryLater(words, _) = refused else { Issue.record("\(refused)"); return }
        #expect(words.contains("TLS") || words.contains("certificate"), "\(words)")
        #expect(stranger.requests.isEmpty, "nothing was sent to the server whose certificate failed")
        await http.shutdown()
        await trusted.stop()
        await stranger.stop()
    }

    @Test("nothing listening: kept for retry with the reason in words")
    func unreachable() async throws {
        let refusing = try RefusingPort()
        let http = ChannelHTTPClient(timeout: .seconds(5))
        let channel = NtfyChannel(settings: NtfySettings(topics: ["cabin"], address: try ServiceAddress("http://127.0.0.1:\(refusing.port)")), http: http)
        let outcome = await channel.deliver(try Self.queued(channel), to: "cabin")
        guard case let .retryLater(words, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(words.contains("127.0.0.1:\(refusing.port)"), "\(words)")
        await http.shutdown()
    }

    @Test("syslog: one datagram on the socket, as glibc's syslog() would write it; no listener is a retry")
    func syslog() async throws {
        let folder = OutboxTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log"
        let receiver = try DatagramReceiver(path: path)
        let channel = SyslogChannel(settings: SyslogSettings(socketPath: path))
        #expect(await channel.deliver(try Self.queued(channel), to: "local") == .delivered("written to \(path)"))
        let line = try #require(await receiver.receive())
        #expect(line.hasPrefix("<14>") && line.contains(" genmon[") && line.contains("]: Utility Service is Down; Utility Power Out at"), "\(line)")
        receiver.close()
        guard case .retryLater = await channel.deliver(try Self.queued(channel), to: "local") else { Issue.record("no listener must be retried"); return }
    }

    @Test("a recipient whose deliveries keep failing does not delay the others (worker, real HTTP)")
    func failingRecipientDoesNotDelayOthers() async throws {
        let (server, hub, address, http) = try await Self.start()
        hub.failAlways("+15551230002")
        let database = try GenmonDatabase.inMemory()
        var settings = Self.twilio(address)
        settings.recipients = ["+15551230002", "+15551230001"]
        settings.common.pacing = PacingSettings(minimumInterval: 0, dailyLimit: 0)
        let channel = TwilioChannel(settings: settings, http: http)
        let signal = DeliverySignal()
        let worker = DeliveryWorker(database: database, channels: [channel], signal: signal)
        let task = Task { await worker.run() }
        let content = Self.content()
        for index in 0..<3 {
            let payload = try channel.render(content, for: [], at: content.time)
            try await database.enqueue(OutboxMessage(created: Date(), category: "outage", subject: "message \(index)", body: "b", source: "test",
                                                     payloads: ["sms": payload.bytes],
                                                     lanes: settings.recipients.map { OutboxLane(channel: "sms", recipient: $0) }))
        }
        signal.notify()
        let good = await server.waitForRequests(3, timeout: .seconds(30)) { $0.form["To"] == "+15551230001" }
        #expect(good.count == 3, "the good number got its three")
        // Meanwhile the failing number is still on its first message: the good one never waited for it.
        let deliveries = try await database.notifications().flatMap(\.record.deliveries).filter { $0.lane.recipient == "+15551230002" }
        #expect(deliveries.allSatisfy { $0.state == .pending } && deliveries.filter { $0.attempts > 0 }.count == 1,
                "\(deliveries.map { "\($0.state) \($0.attempts)" })")
        task.cancel()
        await task.value
        await http.shutdown()
        await server.stop()
    }
}

/// A Unix datagram socket standing in for /dev/log.
final class DatagramReceiver: Sendable {
    let descriptor: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    /// The next datagram, polling without blocking for up to five seconds.
    func receive() async -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<500 {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { return String(decoding: buffer.prefix(count), as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func close() {
        _ = Glibc.close(descriptor)
        unlink(path)
    }
}
