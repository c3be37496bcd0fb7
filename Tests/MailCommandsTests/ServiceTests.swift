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
import Testing

/// The service's handling of claimed messages, without IMAP: a fixed generator service that records
/// the commands it is given, an in-memory database with the outbox, a manual clock.
struct ServiceRig {
    let service: FixedGeneratorService
    let database: GenmonDatabase
    let clock: ManualClock
    let commands: EmailCommandService

    init(policy: EmailCommandPolicy = MailFixture.policy(), replies: Bool = true) throws {
        service = FixedGeneratorService(snapshot: MailFixture.snapshot())
        database = try GenmonDatabase.inMemory()
        clock = ManualClock(start: MailFixture.now)
        let clock = clock
        let dispatcher = LegacyDispatcher(service: service, configuration: .init(
            context: ReportContext(timeZone: MailFixture.utc, siteName: "Cabin"), clock: { clock.date }, networkProbe: { "OK" }))
        let sender = Mailbox(displayName: "Genmon", address: try EmailAddress("genmon@example.org"))
        var logger = Logger(label: "genmon.email-commands.test")
        logger.logLevel = .critical
        commands = EmailCommandService(
            intake: IMAPIntakeConfiguration(client: IMAPClientConfiguration(host: "127.0.0.1", tls: .init(mode: .none), credentials: nil),
                                            incoming: try IMAPMailbox("Generator"), processed: try IMAPMailbox("Generator/Processed")),
            policy: policy, dispatcher: dispatcher, database: database,
            replies: replies ? CommandReplyOutbox(sender: sender, database: database, signal: DeliverySignal(), timeZone: MailFixture.utc) : nil,
            clock: clock, logger: logger)
    }

    /// Claims and handles one message as the intake does; nil when the claim said "handled before".
    func deliver(uid: UInt32, _ header: [UInt8]?) async throws -> HandledCommandMail? {
        let message = MailFixture.incoming(uid: uid, header: header)
        guard try await commands.claim(message.identity) == .handle else { return nil }
        return await commands.handle(message)
    }

    var recorded: [(MonitorCommand, CommandOrigin)] { get async { await service.commands } }

    func replies() async throws -> [Stored<OutboxNotification>] { try await database.notifications(limit: 1000) }
}

@Suite("E-mail command service: claims, the one door, replies through the outbox")
struct EmailCommandServiceTests {
    @Test("status from the owner: one reply in the outbox, to the owner only, threaded, with the status report")
    func statusReply() async throws {
        let rig = try ServiceRig()
        let handled = try #require(try await rig.deliver(uid: 1, MailFixture.header(subject: "generator: status")))
        #expect(handled.replyID != nil && handled.sender == MailFixture.owner)
        let outbox = try await rig.replies()
        #expect(outbox.count == 1)
        let reply = try #require(outbox.first)
        #expect(reply.record.subject == "Re: generator: status")
        #expect(reply.record.source == "email-command")
        #expect(reply.record.deliveries.map(\.lane) == [OutboxLane(channel: "email", recipient: MailFixture.owner)])
        #expect(reply.record.body.contains("Engine State"), "\(reply.record.body.prefix(300))")
        #expect(await rig.recorded.isEmpty)
    }

    @Test("a message claimed before a crash is not run again")
    func claimedOnce() async throws {
        let rig = try ServiceRig()
        let header = MailFixture.header(subject: "generator: setremote=start code=\(MailFixture.code())")
        #expect(try await rig.deliver(uid: 5, header) != nil)
        #expect(try await rig.deliver(uid: 5, header) == nil)
        #expect(await rig.recorded.count == 1)
        #expect(try await rig.database.emailCommandState(EmailCommandKey(mailbox: "Generator", uidValidity: 7, uid: 5)) == .handled)
        // The same UID under a new UIDVALIDITY is another message.
        let other = MailFixture.incoming(uid: 5, header: header, validity: 8)
        #expect(try await rig.commands.claim(other.identity) == .handle)
    }

    @Test("setremote with a valid code goes through the door as email:owner, confirmed; the same code again is refused with its reason")
    func codeOnce() async throws {
        let rig = try ServiceRig()
        let subject = "generator: setremote=start code=\(MailFixture.code())"
        let first = try #require(try await rig.deliver(uid: 1, MailFixture.header(subject: subject)))
        #expect(first.output?.contains("Remote command sent successfully (done)") == true, "\(first.output ?? "")")
        let second = try #require(try await rig.deliver(uid: 2, MailFixture.header(subject: subject, messageID: "<req-2@example.com>")))
        #expect(second.summary.contains("already used"))
        let recorded = await rig.recorded
        #expect(recorded.count == 2)
        #expect(recorded.map(\.0) == [.generac(.setRemote(.start)), .generac(.setRemote(.start))])
        #expect(recorded[0].1 == CommandOrigin(interface: .email, principal: MailFixture.owner, mayControl: true))
        #expect(recorded[1].1.mayControl == false && recorded[1].1.refusalReason == CodeVerdict.reused.refusal)
        let bodies = try await rig.replies().map(\.record.body)
        #expect(bodies.contains { $0.contains("Not done: the one-time code was already used") })
    }

    @Test("a stranger's setremote reaches the door refused, with who and why; no reply is queued")
    func stranger() async throws {
        let rig = try ServiceRig()
        let handled = try #require(try await rig.deliver(uid: 3, MailFixture.header(from: MailFixture.stranger,
                                                                                  subject: "generator: setremote=start code=\(MailFixture.code())")))
        #expect(handled.replyID == nil)
        #expect(try await rig.replies().isEmpty)
        let recorded = await rig.recorded
        #expect(recorded.count == 1 && recorded.first?.1.description == "email:\(MailFixture.stranger)")
        #expect(recorded.first?.1.mayControl == false)
        #expect(try await rig.database.lastOneTimeCodeStep() == nil, "a stranger's code is never spent")
    }

    @Test("with sending off, commands are still handled and nothing is queued")
    func noSending() async throws {
        let rig = try ServiceRig(replies: false)
        let handled = try #require(try await rig.deliver(uid: 1, MailFixture.header(subject: "generator: status")))
        #expect(handled.replyID == nil && handled.output?.contains("Engine State") == true)
        #expect(try await rig.replies().isEmpty)
    }
}
