import Foundation
import GenmonBasics
import GenmonTesting
import LegacyProtocol
import Logging
import MailCommands
import MailProtocol
import MailTransport
import Monitor
import Notify
import Store
import Synchronization
import Testing

/// The service against a real Dovecot (IDLE, implicit TLS with the test's own CA): hostile mail, a
/// crash between claiming and moving, and a folder created when missing.
@Suite("E-mail command service against a real Dovecot", .enabled(if: DovecotServer.isInstalled, "dovecot-imapd is not installed (.ci/run installs it)"),
       .tags(.process), .slowTier, .serialized, .timeLimit(.minutes(3)))
struct DovecotIntakeTests {
    final class Handled: Sendable {
        let list = Mutex<[HandledCommandMail]>([])
        var count: Int { list.withLock { $0.count } }
        var all: [HandledCommandMail] { list.withLock { $0 } }
    }

    static func service(_ server: DovecotServer, database: GenmonDatabase, generator: FixedGeneratorService,
                        handled: Handled) throws -> EmailCommandService {
        let client = IMAPClientConfiguration(
            host: "127.0.0.1", port: server.imapsPort, tls: MailTLSConfiguration(mode: .implicit, additionalCAFile: server.caFile),
            credentials: .init(username: DovecotServer.username, password: DovecotServer.password),
            connectTimeout: .seconds(5), commandTimeout: .seconds(20))
        let intake = IMAPIntakeConfiguration(client: client, incoming: try IMAPMailbox("Generator"), processed: try IMAPMailbox("Generator/Processed"),
                                             backoff: IMAPBackoff(initial: .milliseconds(200), maximum: .seconds(1)))
        let dispatcher = LegacyDispatcher(service: generator, configuration: .init(
            context: ReportContext(timeZone: MailFixture.utc, siteName: "Cabin"), networkProbe: { "OK" }))
        var logger = Logger(label: "genmon.email-commands.test")
        logger.logLevel = .error
        let sender = Mailbox(address: try EmailAddress("genmon@example.org"))
        return EmailCommandService(intake: intake, policy: MailFixture.policy(), dispatcher: dispatcher, database: database,
                                   replies: CommandReplyOutbox(sender: sender, database: database, signal: DeliverySignal()),
                                   logger: logger) { mail in handled.list.withLock { $0.append(mail) } }
    }

    static func message(from: String = MailFixture.owner, subject: String, body: String = "hi\r\n") -> String {
        "From: <\(from)>\r\nTo: genmon@example.org\r\nSubject: \(subject)\r\nMessage-ID: <\(UUID().uuidString)@example.com>\r\n\r\n\(body)"
    }

    @Test("a 20 MB message, a 100 KB subject, broken MIME and encoded words with CR/LF/NUL: all moved, none may control, the rest answered")
    func hostileMail() async throws {
        try await DovecotServer.with { server in
            let database = try GenmonDatabase.inMemory()
            let generator = FixedGeneratorService(snapshot: MailFixture.snapshot())
            let handled = Handled()
            // Delivered before the service starts, so the folders are made by delivery.
            let big = String(repeating: String(repeating: "x", count: 998) + "\r\n", count: 20 * 1024)
            try server.deliver(Self.message(subject: "generator: setremote=start", body: big))
            try server.deliver(Self.message(subject: "generator: status " + String(repeating: "A", count: 100_000)))
            try server.deliver("From: \u{1}\r\nSubject: =?UTF-8?B?////?=\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n")
            try server.deliver(Self.message(subject: "=?UTF-8?Q?generator:_setremote=3Dstart=0D=0ABcc:_x=00?="))
            try server.deliver(Self.message(from: MailFixture.stranger, subject: "generator: status"))
            try server.deliver(Self.message(subject: "generator: help"))
            let service = try Self.service(server, database: database, generator: generator, handled: handled)
            let task = Task { try await service.run() }
            defer { task.cancel() }
            #expect(await eventually(.seconds(60)) { server.messageCount(in: "Generator/Processed") == 6 && server.messageCount(in: "Generator") == 0 },
                    "handled: \(handled.all.map(\.summary))")
            let commands = await generator.commands
            #expect(commands.allSatisfy { !$0.1.mayControl }, "\(commands)")
            let summaries = handled.all.map(\.summary)
            #expect(summaries.contains { $0.hasPrefix("read: help") })
            #expect(summaries.contains { $0.hasPrefix("ignored") })
            let outbox = try await database.notifications(limit: 100)
            #expect(outbox.allSatisfy { $0.record.deliveries.map(\.lane.recipient) == [MailFixture.owner] })
            #expect(!outbox.isEmpty)
            task.cancel()
            _ = await task.result
        }
    }

    @Test("a message claimed before a crash is moved without running; later ones run; new mail is handled within seconds (IDLE)")
    func crashBetweenClaimAndMove() async throws {
        try await DovecotServer.with { server in
            let database = try GenmonDatabase.inMemory()
            let generator = FixedGeneratorService(snapshot: MailFixture.snapshot())
            let handled = Handled()
            try server.deliver(Self.message(subject: "generator: setremote=start code=\(MailFixture.code(at: Date()))"))
            // The first run claimed UID 1 (of a fresh folder) and died before moving it.
            let status = try await Self.uidValidity(server)
            #expect(try await database.claimEmailCommand(EmailCommandKey(mailbox: "Generator", uidValidity: status, uid: 1), at: Date()))
            let service = try Self.service(server, database: database, generator: generator, handled: handled)
            let task = Task { try await service.run() }
            defer { task.cancel() }
            #expect(await eventually { server.messageCount(in: "Generator/Processed") == 1 })
            let commands = await generator.commands
            #expect(handled.count == 0 && commands.isEmpty)
            try await Task.sleep(for: .milliseconds(500))
            let delivered = ContinuousClock.now
            try server.deliver(Self.message(subject: "generator: status"))
            #expect(await eventually { handled.count == 1 })
            #expect(delivered.duration(to: .now) < .seconds(5))
            #expect(await eventually { server.messageCount(in: "Generator/Processed") == 2 })
            task.cancel()
            _ = await task.result
        }
    }

    static let quiet: Logger = {
        var logger = Logger(label: "genmon.test")
        logger.logLevel = .error
        return logger
    }()

    static func uidValidity(_ server: DovecotServer) async throws -> UInt32 {
        let client = try await IMAPClient.connect(IMAPClientConfiguration(
            host: "127.0.0.1", port: server.imapsPort, tls: MailTLSConfiguration(mode: .implicit, additionalCAFile: server.caFile),
            credentials: .init(username: DovecotServer.username, password: DovecotServer.password)), logger: Self.quiet)
        let status = try await client.examine(try IMAPMailbox("Generator"))
        await client.logout()
        return status.uidValidity ?? 0
    }
}
