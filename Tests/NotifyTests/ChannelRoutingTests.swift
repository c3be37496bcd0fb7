import Foundation
import GenmonBasics
import GenmonConfig
import GenmonTesting
import LegacyProtocol
@testable import Notify
import Store
import Testing

/// What the short channels say and who gets it: the original's texts from the engine's drafts,
/// its notify_* filters, alarms filed under `error` as its add-ons do, Pushover's extra group.
@Suite("Channel texts and routing")
struct ChannelRoutingTests {
    static let composer = MessageComposer(reportContext: ReportContext(timeZone: NotifyFixture.utc), siteName: "Cabin")

    static func draft(_ source: String, category: NotificationCategory = .outage, subject: String = "Outage Notice at Cabin",
                      headline: String = "Utility Power Out at 2025-11-25 15:07:12") -> NotificationDraft {
        NotificationDraft(category: category, subject: subject, headline: headline, source: source, time: NotifyFixture.start)
    }

    @Test("the original's texts: utility down and up, alarm, the generator's state, service due, low fuel; genmon's own keep their titles")
    func originalTexts() {
        let snapshot = NotifyFixture.snapshot()
        func brief(_ draft: NotificationDraft) -> NotificationBrief { Self.composer.compose(draft, snapshot: snapshot, now: NotifyFixture.start).brief }
        let down = brief(Self.draft("outage_started"))
        #expect(down.label == "Utility Service is Down" && down.event == .outageBegan && down.filter == .outage)
        #expect(down.lines.first == "Utility Power Out at 2025-11-25 15:07:12")
        #expect(down.lines.contains { $0.hasPrefix("Battery : ") } && !down.lines.contains { $0.hasPrefix("Site : ") })
        #expect(down.clockTime == "15:07" && down.site == "Cabin")
        #expect(brief(Self.draft("outage_ended")).label == "Utility Service is Up")
        let alarm = brief(Self.draft("alarm_raised", category: .warn, subject: "Generator Alert at Cabin: CRITICAL "))
        #expect(alarm.label == "Generator Alarm" && alarm.filter == .error)
        let state = brief(Self.draft("state_changed", category: .info, subject: "Generator Notice: Cabin"))
        #expect(state.label == "Generator " + ["READY": "Ready", "OFF": "Off", "MANUAL": "Manual"][snapshot.readings?.status.baseStatus.rawValue ?? "", default: "?"])
        #expect(brief(Self.draft("service_due", category: .warn)).label == "Generator Service Due")
        #expect(brief(Self.draft("fuel_low", category: .warn)).label == "Fuel Level is Low")
        #expect(brief(Self.draft("communication_lost", category: .error)).label == "System Health : Controller not answering")
        let message = brief(Self.draft("notify_message", category: .info, subject: "Cabin: Pump started", headline: "The sump pump runs"))
        #expect(message.label == "Pump started" && message.event == nil && message.filter == .info)
        let starting = brief(Self.draft("startup", category: .info, subject: "Generator Monitor Starting at Cabin"))
        #expect(starting.label == "Generator Monitor Starting at Cabin" && ShortMessage(Self.composer.compose(
            Self.draft("startup", category: .info, subject: "Generator Monitor Starting at Cabin"), snapshot: nil, now: NotifyFixture.start)).firstLine
            == "Cabin: Generator Monitor Starting at Cabin")
    }

    @Test("the engine asks each channel's table with the channel's category: alarms as error, notify_* filters, Pushover's extra group")
    func routing() async throws {
        let database = try GenmonDatabase.inMemory()
        let http = ChannelHTTPClient()
        let address = try ServiceAddress("http://127.0.0.1:9")
        var smsCommon = ChannelCommon(pacing: TwilioSettings.defaultPacing)
        smsCommon.filters = [.outage, .error]
        let sms = TwilioChannel(settings: TwilioSettings(accountSID: "AC1", authToken: "t", from: "+15005550006", recipients: ["+15551230001"],
                                                         address: address, common: smsCommon), http: http)
        let pushover = PushoverChannel(settings: PushoverSettings(appToken: String(repeating: "a", count: 30), users: [String(repeating: "u", count: 30)],
                                                                  extraUsers: [String(repeating: "x", count: 30)], extraFilters: [.error], address: address), http: http)
        let email = FakeChannel(clock: ManualClock(start: NotifyFixture.start))
        let routing = NotificationRouting([
            "email": [ChannelRecipient(id: "carol@example.org", categories: [.warn])],
            "sms": [ChannelRecipient(id: "+15551230001")],
            "pushover": pushover.recipients,
        ])
        let engine = NotificationEngine(
            service: FixedGeneratorService(snapshot: NotifyFixture.snapshot()), database: database, planner: NotifyFixture.settings(),
            composer: Self.composer, routing: routing, channels: [email, sms, pushover], signal: DeliverySignal(),
            clock: ManualClock(start: NotifyFixture.start), announceStartup: false)
        await engine.commit(Self.draft("alarm_raised", category: .warn, subject: "Generator Alert at Cabin: CRITICAL "))
        await engine.commit(Self.draft("state_changed", category: .info, subject: "Generator Notice: Cabin"))
        let stored = try await database.notifications().map(\.record).reversed()
        let lanes = stored.map { Set($0.deliveries.map { "\($0.lane.channel):\($0.lane.recipient.prefix(3))" }) }
        #expect(lanes.first == ["email:car", "sms:+15", "pushover:uuu", "pushover:xxx"], "alarm: e-mail's warn, the add-ons' error")
        #expect(lanes.last == ["pushover:uuu"], "state change: info, which the SMS filters and the extra group leave out")
        let heads = try await database.heads(of: [OutboxLane(channel: "sms", recipient: "+15551230001")])
        let payload = try #require(heads.values.first?.payload)
        #expect(ShortMessage.decode(payload)?.firstLine == "Cabin: Generator Alarm")
        await http.shutdown()
    }

    @Test("seeded random messages: every text keeps within its limit, keeps the first words, and nothing traps", .timeLimit(.minutes(1)))
    func randomTexts() async {
        var random = SeededGenerator(seed: 15)
        let alphabet = Array("abcXYZ 0123:.,;()[]{}~^€é✓…\n\t\"'\\")
        func words(_ count: Int) -> String { String((0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }) }
        for round in 0..<6_000 {
            if round % 500 == 0 { await Task.yield() }
            let brief = NotificationBrief(site: words(Int(random.next() % 12)), event: AddonEvent.allCases.randomElement(using: &random),
                                          label: words(1 + Int(random.next() % 40)), lines: (0..<Int(random.next() % 12)).map { _ in words(Int(random.next() % 90)) },
                                          filter: .info, clockTime: "12:00")
            var message = ShortMessage(NotificationContent(category: .info, subject: "s", text: "t", html: "", source: "x", time: NotifyFixture.start, brief: brief))
            if random.next() % 3 == 0, let summary = ShortMessage.summary(of: [message, message, message]) { message = summary }
            let limit = 20 + Int(random.next() % 500)
            let text = message.text(limit: limit)
            #expect(text.count <= limit || text.count <= 3, "round \(round)")
            #expect(text.hasPrefix(String(message.firstLine.prefix(max(0, min(limit - 3, message.firstLine.count))))), "round \(round)")
            let sms = TwilioChannel.body(message)
            #expect(SMSLength.segments(sms) <= SMSLength.maximumSegments, "round \(round): \(sms.debugDescription)")
            #expect(ShortMessage.decode(message.encoded()) == message)
            let bytes = (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = ServiceAnswer(status: Int(random.next() % 600), body: bytes).json
            _ = FormEncoding.decode(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test("form encoding round-trips every text, as the services decode it")
    func formEncoding() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let text = String(decoding: (0..<Int(random.next() % 40)).map { _ in UInt8(32 + random.next() % 95) }, as: UTF8.self) + "é✓\n+&="
            let encoded = String(decoding: FormEncoding.encode([("Body", text), ("To", "+1555")]), as: UTF8.self)
            #expect(FormEncoding.decode(encoded) == ["Body": text, "To": "+1555"])
        }
    }
}
