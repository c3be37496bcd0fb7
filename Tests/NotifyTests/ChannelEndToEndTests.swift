import Foundation
import GenmonTesting
@testable import Notify
import Simulator
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `genmon run` with the simulator and every HTTP service stood in for by one local server:
/// the outage reaches each channel in time, a service outage and a kill -9 lose and repeat
/// nothing, and a storm stays within each channel's limits.
@Suite("Channels end to end", .enabled(if: GenmonExecutable.isBuilt, "the genmon executable is built next to the tests"),
       .tags(.process), .slowTier, .timeLimit(.minutes(6)), .serialized)
struct ChannelEndToEndTests {
    static let numbers = ["+15551230001", "+15551230002"]

    /// genmon.conf with [ntfy], [webhook], [discord], [telegram], and the original's gensms.conf,
    /// genpushover.conf and genslack.conf, all pointed at `base` by base_url.
    static func configFolder(base: String, pacing: String = "minimum_interval = 0", genmonExtra: String = "",
                             numbers: [String] = numbers) throws -> String {
        let folder = OutboxTests.temporaryDirectory()
        try """
            [GenMon]
            sitename = Cabin
            outage_notice_delay = 0
            datadirectory = \(folder)/data
            \(genmonExtra)

            [ntfy]
            base_url = \(base)
            topic = cabin-generator
            token = \(FakeServiceHub.ntfyToken)
            \(pacing)

            [webhook]
            url = https://receiver.example\(FakeServiceHub.webhookPath)
            base_url = \(base)
            secret = \(FakeServiceHub.webhookSecret)
            \(pacing)

            [discord]
            webhook_url = https://discord.com\(FakeServiceHub.discordPath)
            base_url = \(base)
            \(pacing)

            [telegram]
            bot_token = \(FakeServiceHub.telegramToken)
            chat_id = \(FakeServiceHub.telegramChat)
            base_url = \(base)
            \(pacing)
            """.write(toFile: folder + "/genmon.conf", atomically: true, encoding: .utf8)
        try """
            [gensms]
            accountsid = \(FakeServiceHub.twilioSID)
            authtoken = \(FakeServiceHub.twilioToken)
            to_number = \(numbers.joined(separator: ", "))
            from_number = +15005550006
            max_retry_time = 600
            default_wait = 120
            base_url = \(base)
            \(pacing)
            """.write(toFile: folder + "/gensms.conf", atomically: true, encoding: .utf8)
        try """
            [genpushover]
            appid = \(FakeServiceHub.pushoverToken)
            userid = \(FakeServiceHub.pushoverUser)
            pushsound = updown
            base_url = \(base)
            \(pacing)
            """.write(toFile: folder + "/genpushover.conf", atomically: true, encoding: .utf8)
        try """
            [genslack]
            webhook_url = https://hooks.slack.com\(FakeServiceHub.slackPath)
            channel = #generator
            username = GenMon
            icon_emoji = :red_circle:
            title_link = http://genmon.local
            base_url = \(base)
            \(pacing)
            """.write(toFile: folder + "/genslack.conf", atomically: true, encoding: .utf8)
        return folder
    }

    /// The text each arrived request carries (SMS body, push message, ntfy title and message, webhook text, chat text).
    static func text(_ request: ServiceTestServer.Request) -> String {
        if let body = request.form["Body"] { return body }
        if let message = request.form["message"] { return message }
        guard let json = request.json else { return "" }
        if let title = json["title"] as? String { return title + "\n" + ((json["message"] as? String) ?? "") }
        if json["schema"] != nil {
            let earlier = (json["earlier"] as? [[String: Any]] ?? []).map { "\($0["text"] ?? "") (\($0["clock_time"] ?? ""))" }
            return "Cabin: " + ((json["text"] as? String) ?? "") + (earlier.isEmpty ? "" : "\nBefore that: " + earlier.joined(separator: ", "))
        }
        if let text = (json["text"] ?? json["content"]) as? String { return text }
        let attachment = (json["attachments"] as? [[String: Any]])?.first
        return ((attachment?["fields"] as? [[String: Any]])?.first?["value"] as? String) ?? ""
    }

    /// The original's texts a request told, oldest first: what a summary folded in, then its own.
    static func labels(_ request: ServiceTestServer.Request) -> [String] {
        let lines = text(request).split(separator: "\n").map(String.init)
        guard let first = lines.first else { return [] }
        var labels: [String] = []
        if let earlier = lines.first(where: { $0.hasPrefix("Before that: ") }) {
            labels = earlier.dropFirst("Before that: ".count).components(separatedBy: "), ").map { entry in
                String(entry.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)
            }
        }
        return labels + [first.hasPrefix("Cabin: ") ? String(first.dropFirst(7)) : first]
    }

    /// Which channel and recipient a request is for.
    static func lane(_ request: ServiceTestServer.Request) -> String {
        if let to = request.form["To"] { return "sms:" + to }
        if request.form["user"] != nil { return "pushover" }
        if request.path == FakeServiceHub.webhookPath { return "webhook" }
        if request.path == FakeServiceHub.slackPath { return "slack" }
        if request.path == FakeServiceHub.discordPath { return "discord" }
        if request.path.hasPrefix("/bot") { return "telegram" }
        return "ntfy"
    }

    static let lanes = ["sms:+15551230001", "sms:+15551230002", "pushover", "ntfy", "webhook", "slack", "discord", "telegram"]

    static func arrived(_ hub: FakeServiceHub, starting text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in hub.arrived where Self.text(request).hasPrefix(text) { counts[Self.lane(request), default: 0] += 1 }
        return counts
    }

    /// How often each lane was told `label`, alone or within a summary.
    static func told(_ hub: FakeServiceHub, _ label: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in hub.arrived { counts[Self.lane(request), default: 0] += Self.labels(request).filter { $0 == label }.count }
        return counts
    }

    @Test("utility off: one SMS per number, one Pushover, one ntfy, one signed webhook (and Slack, Discord, Telegram), each within 10 s, while a third number keeps failing")
    func outageReachesEveryChannel() async throws {
        let hub = FakeServiceHub()
        let failing = "+15551230003"
        hub.failAlways(failing)
        let server = try await ServiceTestServer.start { hub.respond($0) }
        let (controller, simulator) = try EndToEndTests.simulator()
        let folder = try Self.configFolder(base: server.baseURL, numbers: Self.numbers + [failing])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let genmon = try await EndToEndTests.startGenmon(folder, bridge: simulator.address)
        _ = try await genmon.waitForOutput("complete status after", timeout: .seconds(90))
        // The start-up messages go first ("Generator Ready").
        _ = await server.waitForRequests(8, timeout: .seconds(20))
        try await Task.sleep(for: .seconds(2))
        let cutAt = ContinuousClock.now
        _ = await controller.perform(line: "utility off")
        var counts: [String: Int] = [:]
        while ContinuousClock.now < cutAt + .seconds(10) {
            counts = Self.arrived(hub, starting: "Cabin: Utility Service is Down")
            if Self.lanes.allSatisfy({ counts[$0] == 1 }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let took = cutAt.duration(to: .now)
        print("outage on every channel \(took) after the utility was cut: \(counts)")
        #expect(Self.lanes.allSatisfy { counts[$0] == 1 }, "\(counts) after \(took); genmon printed:\n\(genmon.output.suffix(3000))")
        #expect(took <= .seconds(10))
        #expect(hub.verifiedWebhooks.contains { $0["event"] as? String == "utility_down" }, "the webhook's signature checked out")
        #expect(server.requests.contains { $0.form["To"] == failing } && counts["sms:" + failing] == nil,
                "the failing number was tried and never held up the others")
        try await Task.sleep(for: .seconds(2))
        #expect(Self.arrived(hub, starting: "Cabin: Utility Service is Down").values.allSatisfy { $0 == 1 }, "nothing twice")
        genmon.signal(SIGTERM)
        #expect(await genmon.waitForExit(timeout: .seconds(15))?.status == 0)
        await simulator.shutdown()
        await server.stop()
    }

    @Test("the services answer 500 for a minute, genmon is killed with -9 and restarted meanwhile: when they recover each message arrives once, in order")
    func serviceOutageAndKill() async throws {
        let hub = FakeServiceHub()
        let server = try await ServiceTestServer.start { hub.respond($0) }
        hub.failAll(true)
        let failingSince = ContinuousClock.now
        let (controller, simulator) = try EndToEndTests.simulator()
        let folder = try Self.configFolder(base: server.baseURL)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/data/genmon.sqlite"
        let first = try await EndToEndTests.startGenmon(folder, bridge: simulator.address)
        _ = try await first.waitForOutput("complete status after", timeout: .seconds(90))
        _ = await controller.perform(line: "utility off")
        try await EndToEndTests.waitForQueued(database, subject: "Outage Notice at Cabin")
        _ = await controller.perform(line: "utility on")
        try await EndToEndTests.waitForQueued(database, subject: "Outage Recovery Notice at Cabin")
        _ = try await first.waitForOutput("HTTP 500", timeout: .seconds(30))
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        let second = try await EndToEndTests.startGenmon(folder, bridge: simulator.address)
        defer { second.signal(SIGKILL) }
        let remaining = max(.zero, .seconds(60) - failingSince.duration(to: .now))
        try await Task.sleep(for: remaining)
        hub.failAll(false)
        let recovered = ContinuousClock.now
        var down: [String: Int] = [:], up: [String: Int] = [:]
        // The backlog may go as one summary per lane (pacing is on by default): each text once, in order.
        while ContinuousClock.now < recovered + .seconds(150) {
            down = Self.told(hub, "Utility Service is Down")
            up = Self.told(hub, "Utility Service is Up")
            if Self.lanes.allSatisfy({ down[$0] == 1 && up[$0] == 1 }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .seconds(3))
        down = Self.told(hub, "Utility Service is Down")
        up = Self.told(hub, "Utility Service is Up")
        print("after the services recovered (\(recovered.duration(to: .now))): down \(down), up \(up)")
        #expect(Self.lanes.allSatisfy { down[$0] == 1 && up[$0] == 1 }, "down \(down), up \(up)\nsecond run:\n\(second.output.suffix(3000))")
        for lane in Self.lanes {
            let texts = hub.arrived.filter { Self.lane($0) == lane }.flatMap(Self.labels)
            let downAt = texts.firstIndex(of: "Utility Service is Down") ?? .max
            let upAt = texts.firstIndex(of: "Utility Service is Up") ?? .min
            #expect(downAt < upAt, "\(lane): down before up: \(texts)")
        }
        await simulator.shutdown()
        await server.stop()
    }

    @Test("a storm of 50 state changes in a minute: at most daily_limit messages per channel and recipient, the rest held")
    func storm() async throws {
        let hub = FakeServiceHub()
        let server = try await ServiceTestServer.start { hub.respond($0) }
        let (controller, simulator) = try EndToEndTests.simulator()
        let folder = try Self.configFolder(base: server.baseURL, pacing: "minimum_interval = 10\ndaily_limit = 4",
                                           genmonExtra: "notify_settle_seconds = 0\nnotify_repeat_minutes = 0")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let genmon = try await EndToEndTests.startGenmon(folder, bridge: simulator.address)
        _ = try await genmon.waitForOutput("complete status after", timeout: .seconds(90))
        let started = ContinuousClock.now
        for index in 0..<50 {
            _ = await controller.perform(line: index % 2 == 0 ? "switch off" : "switch auto")
            try await Task.sleep(until: started + .seconds(1.2 * Double(index + 1)))
        }
        try await Task.sleep(for: .seconds(15))
        var counts: [String: Int] = [:]
        for request in hub.arrived { counts[Self.lane(request), default: 0] += 1 }
        print("storm: \(counts) messages per lane")
        #expect(Self.lanes.allSatisfy { (1...4).contains(counts[$0] ?? 0) }, "\(counts)")
        let summaries = hub.arrived.map(Self.text).filter { $0.contains("Before that:") }
        #expect(!summaries.isEmpty, "what waited went as summaries")
        let outbox = try await GenmonDatabase(path: folder + "/data/genmon.sqlite").outboxSummary()
        #expect(outbox.count(.pending) > 0, "the rest is held by the daily limit, not dropped")
        genmon.signal(SIGTERM)
        _ = await genmon.waitForExit(timeout: .seconds(15))
        await simulator.shutdown()
        await server.stop()
    }

    @Test("genmon notify test --channel NAME for every channel: the service's answer in plain words, exit 0 only when it arrived")
    func notifyTestEveryChannel() async throws {
        let hub = FakeServiceHub()
        let server = try await ServiceTestServer.start { hub.respond($0) }
        let folder = try Self.configFolder(base: server.baseURL)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let expected = ["sms": "Test SMS sent by Twilio.", "pushover": "Test push notification sent by Pushover.", "slack": "Test message sent by Slack.",
                        "ntfy": "Test notification sent by ntfy.", "discord": "Test message sent by Discord.", "telegram": "Test message sent by Telegram.",
                        "webhook": "Test event sent by the webhook."]
        for (channel, words) in expected.sorted(by: { $0.key < $1.key }) {
            let result = try await GenmonExecutable.run(["notify", "test", "--config", folder + "/genmon.conf", "--channel", channel])
            #expect(result.status == 0 && result.output.contains(words), "\(channel): \(result.output)")
        }
        let sms = try await GenmonExecutable.run(["notify", "test", "--config", folder + "/genmon.conf", "--channel", "sms", "--to", FakeServiceHub.invalidNumber])
        #expect(sms.status != 0 && sms.output.contains("is not a valid phone number") && sms.output.contains("21211"), "\(sms.output)")
        hub.failAll(true)
        let down = try await GenmonExecutable.run(["notify", "test", "--config", folder + "/genmon.conf", "--channel", "pushover"])
        #expect(down.status != 0 && down.output.contains("Pushover had a problem of its own (HTTP 500)"), "\(down.output)")
        let unknown = try await GenmonExecutable.run(["notify", "test", "--config", folder + "/genmon.conf", "--channel", "pager"])
        #expect(unknown.status != 0 && unknown.output.contains("genmon has no channel called pager"), "\(unknown.output)")
        let outbox = try await GenmonDatabase(path: folder + "/data/genmon.sqlite").notifications(limit: 50)
        #expect(outbox.count == expected.count + 2 && outbox.allSatisfy { $0.record.source == "test" })
        await server.stop()
    }
}
