import Foundation
import GenmonBasics
import GenmonConfig
import GenmonTesting
import LegacyProtocol
import Logging
import MailProtocol
import MailTransport
import Monitor
@testable import Notify
import Store
import Testing

/// E-mail through the whole engine against a real SMTP server (aiosmtpd) on 127.0.0.1: what the
/// server receives, and what the outbox records when the server refuses, defers, rejects the
/// password or stalls.
@Suite("E-mail delivery against a real SMTP server", .tags(.process), .slowTier, .timeLimit(.minutes(3)))
struct EmailDeliveryTests {
    static let sender = "genmon@example.org"

    struct Rig {
        let server: MailTestServer
        let database: GenmonDatabase
        let engine: NotificationEngine
        let worker: DeliveryWorker
        let desk: NotificationDesk
        let channel: EmailChannel
        let tasks: [Task<Void, Never>]

        init(server: MailTestServer, recipients: [ChannelRecipient], password: String? = nil, useHTML: Bool = true,
             timeouts: SMTPTimeouts = SMTPTimeouts(connect: .seconds(5), command: .seconds(5), endOfMessage: .seconds(5))) throws {
            self.server = server
            var mail = MailSettings()
            mail.path = "mymail.conf"
            mail.smtpServer = "127.0.0.1"
            mail.smtpPort = server.port
            mail.tlsDisable = true
            mail.sender = try EmailAddress(EmailDeliveryTests.sender)
            mail.senderName = "Genmon"
            mail.useHTML = useHTML
            if let password {
                mail.account = "genmon-user"
                mail.password = password
            } else {
                mail.smtpAuthDisable = true
            }
            channel = try #require(EmailChannel(mail: mail, notify: NotifySettings(), timeZone: NotifyFixture.utc, timeouts: timeouts))
            database = try GenmonDatabase.inMemory()
            let routing = NotificationRouting(["email": recipients])
            let signal = DeliverySignal()
            let service = FixedGeneratorService(snapshot: NotifyFixture.snapshot(at: Date()))
            let composer = MessageComposer(reportContext: ReportContext(timeZone: NotifyFixture.utc), siteName: "Cabin")
            engine = NotificationEngine(service: service, database: database, planner: NotifyFixture.settings(), composer: composer,
                                        routing: routing, channels: [channel], signal: signal, announceStartup: false)
            // Quick retries, so a test sees several in a few seconds.
            worker = DeliveryWorker(database: database, channels: [channel], signal: signal,
                                    policy: DeliveryWorker.Policy(backoff: RetryBackoff(base: .milliseconds(200), cap: .seconds(1))))
            desk = NotificationDesk(engine: engine, database: database, routing: routing, channels: [channel], composer: composer,
                                    siteName: "Cabin", settings: NotifySettings(), emailOffReason: nil, emailDetail: "test",
                                    mailFile: nil, problems: [])
            let engine = self.engine, worker = self.worker
            tasks = [Task { await engine.run() }, Task { await worker.run() }]
        }

        func deliveries() async throws -> [OutboxDeliveryInfo] {
            try await database.notifications().flatMap(\.record.deliveries)
        }

        /// Polls the outbox (real time) until `condition` holds or `timeout` passes.
        func waitFor(timeout: Duration = .seconds(30), _ condition: ([OutboxDeliveryInfo]) -> Bool) async throws -> [OutboxDeliveryInfo] {
            let deadline = ContinuousClock.now + timeout
            var last: [OutboxDeliveryInfo] = []
            while ContinuousClock.now < deadline {
                last = try await deliveries()
                if condition(last) { return last }
                try await Task.sleep(for: .milliseconds(50))
            }
            return last
        }

        func stop() async {
            for task in tasks { task.cancel() }
            for task in tasks { await task.value }
            server.stop()
        }
    }

    @Test("plain SMTP with AUTH: each recipient gets the message once, with the original's headers, the same Message-ID and an HTML part")
    func deliveredWithHeaders() async throws {
        let server = try await MailTestServer.start(.init(user: "genmon-user", password: "right-password"))
        let rig = try Rig(server: server, recipients: [ChannelRecipient(id: "alice@example.org"), ChannelRecipient(id: "bob@example.org")],
                          password: "right-password")
        await rig.engine.message(title: "Tank läuft leer", body: "Refill the tank.\n.A line that starts with a dot", category: .warn)
        // Each recipient is a lane of its own, delivered in parallel: the order they arrive in is not fixed.
        let received = await server.waitForMessages(2).sorted { $0.recipients.first ?? "" < $1.recipients.first ?? "" }
        #expect(received.count == 2)
        #expect(received.map(\.recipients) == [["alice@example.org"], ["bob@example.org"]])
        let first = try #require(received.first)
        #expect(first.mailFrom == Self.sender)
        #expect(first.content.contains("From: Genmon <genmon@example.org>\r\n"))
        #expect(first.content.contains("To: <alice@example.org>,"))
        #expect(first.content.lowercased().contains("subject: =?utf-8?"), "a UTF-8 subject is an encoded-word")
        #expect(first.content.contains("Content-Type: text/html"))
        #expect(first.content.contains("\r\n.A line that starts with a dot") || first.content.contains("\r\n=2EA line"))
        let ids = received.compactMap { $0.content.split(separator: "\r\n").first { $0.hasPrefix("Message-ID: ") } }
        #expect(ids.count == 2 && ids[0] == ids[1], "rendered once: every copy has the same Message-ID")
        let stored = try #require(try await rig.database.notifications().first?.record)
        #expect(ids.first.map { $0.hasSuffix(stored.messageID ?? "-") } == true)
        let deliveries = try await rig.waitFor { $0.allSatisfy { $0.state == .sent } }
        #expect(deliveries.count == 2 && deliveries.allSatisfy { $0.attempts == 1 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(server.received().count == 2, "nothing is sent twice")
        await rig.stop()
    }

    @Test("550 for one recipient is final, 451 and 421 are retried, the others are delivered once")
    func perRecipientAnswers() async throws {
        let server = try await MailTestServer.start(.init(recipientAnswers: [
            "gone@example.org": "550 5.1.1 No such user here",
            "busy@example.org": "451 4.3.0 Mailbox busy, try later",
            "closing@example.org": "421 4.3.2 Service shutting down",
        ]))
        let rig = try Rig(server: server, recipients: ["gone", "busy", "closing", "fine"].map { ChannelRecipient(id: "\($0)@example.org") })
        await rig.engine.message(title: "Alarm", body: "Overcrank", category: .warn)
        let deliveries = try await rig.waitFor { deliveries in
            deliveries.count == 4 && deliveries.filter { $0.lane.recipient.hasPrefix("busy") || $0.lane.recipient.hasPrefix("closing") }
                .allSatisfy { $0.attempts >= 3 }
        }
        func delivery(_ name: String) -> OutboxDeliveryInfo? { deliveries.first { $0.lane.recipient == "\(name)@example.org" } }
        #expect(delivery("fine")?.state == .sent && delivery("fine")?.attempts == 1)
        #expect(delivery("gone")?.state == .failed && delivery("gone")?.attempts == 1)
        #expect(delivery("gone")?.lastError?.contains("550 5.1.1 No such user here") == true)
        #expect(delivery("busy")?.state == .pending && (delivery("busy")?.attempts ?? 0) >= 3)
        #expect(delivery("busy")?.lastError?.contains("451") == true)
        #expect(delivery("closing")?.state == .pending && delivery("closing")?.lastError?.contains("421") == true)
        #expect(server.received().count == 1 && server.received().first?.recipients == ["fine@example.org"])
        await rig.stop()
    }

    @Test("a wrong password sends nothing, keeps the message for when it is fixed, and 'send test' says 535 in plain words")
    func wrongPassword() async throws {
        let server = try await MailTestServer.start(.init(user: "genmon-user", password: "right-password"))
        let rig = try Rig(server: server, recipients: [ChannelRecipient(id: "alice@example.org")], password: "wrong-password")
        await rig.engine.message(title: "Alarm", body: "Overcrank", category: .warn)
        let deliveries = try await rig.waitFor { $0.first.map { $0.attempts >= 2 } ?? false }
        let delivery = try #require(deliveries.first)
        #expect(delivery.state == .pending, "a settings problem keeps the message until it is fixed or too old")
        #expect(delivery.lastError?.contains("535") == true, "\(delivery.lastError ?? "")")
        let report = await rig.desk.sendTest(to: "alice@example.org")
        #expect(!report.succeeded)
        #expect(report.summary.contains("535"), "\(report.summary)")
        #expect(report.summary.lowercased().contains("password") || report.summary.lowercased().contains("sign"), "\(report.summary)")
        #expect(server.received().isEmpty)
        await rig.stop()
    }

    @Test("a server that stalls at DATA: the attempt times out, is recorded, and is retried")
    func stallingServer() async throws {
        let server = try await MailTestServer.start(.init(mode: "middata"))
        let rig = try Rig(server: server, recipients: [ChannelRecipient(id: "alice@example.org")],
                          timeouts: SMTPTimeouts(connect: .seconds(2), command: .seconds(2), endOfMessage: .seconds(2)))
        let started = ContinuousClock.now
        await rig.engine.message(title: "Alarm", body: String(repeating: "A long body line to fill the socket buffers.\n", count: 2000),
                                 category: .warn)
        let deliveries = try await rig.waitFor(timeout: .seconds(40)) { $0.first.map { $0.attempts >= 2 } ?? false }
        let delivery = try #require(deliveries.first)
        #expect(delivery.state == .pending)
        #expect(delivery.history.count >= 2 && delivery.history.allSatisfy { $0.outcome == .retry })
        #expect(delivery.lastError.map { $0.contains("2 s") || $0.lowercased().contains("time") } == true, "\(delivery.lastError ?? "")")
        #expect(started.duration(to: .now) < .seconds(40))
        await rig.stop()
    }
}
