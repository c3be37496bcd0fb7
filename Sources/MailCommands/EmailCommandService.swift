import Foundation
import GenmonBasics
import LegacyProtocol
import Logging
import MailProtocol
import MailTransport
import Monitor
import ServiceLifecycle
import Store

/// How one command e-mail was dealt with (for the log, the records and tests).
public struct HandledCommandMail: Sendable, Equatable {
    public var key: EmailCommandKey
    public var sender: String?
    public var summary: String
    /// The reply's outbox id, when one was queued.
    public var replyID: Int64?
    /// What the command parser answered, when a request ran.
    public var output: String?
}

/// E-mail commands: the IMAP intake (IDLE or polling, reconnecting with back-off) feeding the
/// policy's decisions to the socket's command parser, with replies through the outbox.
///
/// Exactly once: each message is claimed in the database (mailbox, UIDVALIDITY, UID) before its
/// command runs, and moved to the processed folder after; a message found claimed after a crash is
/// moved without running again. A one-time code's step is recorded as used before its command runs.
public struct EmailCommandService: Service {
    public let intake: IMAPIntakeConfiguration
    public let policy: EmailCommandPolicy
    let dispatcher: LegacyDispatcher
    let database: GenmonDatabase
    let replies: CommandReplyOutbox?
    let clock: any GenmonClock
    let logger: Logger
    let onHandled: @Sendable (HandledCommandMail) -> Void

    /// `replies` nil: replies cannot be sent (e-mail sending is off), commands are still obeyed and logged.
    public init(intake: IMAPIntakeConfiguration, policy: EmailCommandPolicy, dispatcher: LegacyDispatcher, database: GenmonDatabase,
                replies: CommandReplyOutbox?, clock: any GenmonClock = SystemClock(), logger: Logger = Logger(label: "genmon.email-commands"),
                onHandled: @escaping @Sendable (HandledCommandMail) -> Void = { _ in }) {
        self.intake = intake
        self.policy = policy
        self.dispatcher = dispatcher
        self.database = database
        self.replies = replies
        self.clock = clock
        self.logger = logger
        self.onHandled = onHandled
    }

    public func run() async throws {
        let logger = self.logger
        let folder = intake.incoming.name
        let host = intake.client.host
        let loop = IMAPIntake(configuration: intake, logger: logger, onEvent: { event in
            switch event {
            case let .ready(idle, created):
                let made = created.isEmpty ? "" : "; created \(created.map(\.name).joined(separator: ", "))"
                logger.info("e-mail commands: watching \(folder) on \(host) (\(idle ? "IDLE" : "polling"))\(made)")
            case .disconnected, .moved:
                break
            }
        })
        await cancelWhenGracefulShutdown {
            await loop.run(claim: { identity in try await self.claim(identity) }, handle: { message in _ = await self.handle(message) })
        }
    }

    static func key(_ identity: IMAPMessageIdentity) -> EmailCommandKey {
        EmailCommandKey(mailbox: identity.mailbox.name, uidValidity: identity.uidValidity, uid: identity.uid)
    }

    /// Records the message before anything runs; a message recorded before is not run again.
    public func claim(_ identity: IMAPMessageIdentity) async throws -> IMAPClaim {
        if try await database.claimEmailCommand(Self.key(identity), at: clock.date) { return .handle }
        logger.warning("e-mail command \(identity) was taken before genmon stopped; it is moved without running again")
        return .alreadyHandled
    }

    /// Decides, runs, replies and records one claimed message. Never throws: a failure is logged.
    public func handle(_ message: IMAPIncomingMessage) async -> HandledCommandMail {
        let key = Self.key(message.identity)
        let mail: CommandMail
        switch message.summary.header {
        case let .bytes(bytes)?: mail = CommandMail.read(header: bytes)
        case let .tooLarge(size)?: mail = .unreadable("the header is \(size) bytes long")
        case nil: mail = .unreadable("the server sent no header")
        }
        let now = clock.date
        var plan: EmailCommandPlan
        do {
            let lastUsed = try await database.lastOneTimeCodeStep()
            plan = policy.plan(mail, now: now, lastUsedStep: lastUsed)
            if let step = plan.codeStep {
                let fresh = try await database.useOneTimeCodeStep(step, at: now)
                if !fresh { plan = plan.refusingReusedCode() }
            }
        } catch {
            // Without the records a code's reuse cannot be ruled out: every code counts as used.
            plan = policy.plan(mail, now: now, lastUsedStep: .max)
            logger.error("e-mail commands: cannot read or record one-time codes: \(error)")
        }
        var output: String?
        if let request = plan.request, let origin = plan.origin {
            output = await dispatcher.reply(to: request, origin: origin, channel: .email(readOnly: false))
        }
        let who = plan.sender ?? "an unknown sender"
        if plan.refusal != nil || !plan.answer {
            logger.notice("e-mail command from \(who) (\(key)): \(plan.summary)")
        } else {
            logger.info("e-mail command from \(who) (\(key)): \(plan.summary)")
        }
        var replyID: Int64?
        if plan.answer, let sender = plan.sender {
            replyID = await reply(to: sender, answering: mail, body: CommandReply.body(refusal: plan.refusal, output: output), at: now)
        }
        do { try await database.finishEmailCommand(key, sender: plan.sender, outcome: plan.summary) } catch {
            logger.error("e-mail commands: cannot record \(key) as handled: \(error)")
        }
        let handled = HandledCommandMail(key: key, sender: plan.sender, summary: plan.summary, replyID: replyID, output: output)
        onHandled(handled)
        return handled
    }

    private func reply(to sender: String, answering mail: CommandMail, body: String, at now: Date) async -> Int64? {
        guard let replies else {
            logger.notice("e-mail commands: no reply to \(sender): sending e-mail is off in mymail.conf")
            return nil
        }
        do {
            let recipient = try EmailAddress(sender)
            return try await replies.queue(CommandReply.message(to: recipient, from: replies.sender, answering: mail, body: body), at: now)
        } catch {
            logger.error("e-mail commands: cannot queue the reply to \(sender): \(error)")
            return nil
        }
    }
}
