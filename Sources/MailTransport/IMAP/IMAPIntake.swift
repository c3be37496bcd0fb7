import Logging
import MailProtocol

/// Settings of the intake loop: which mailboxes, how to wait, what to fetch, how to back off.
public struct IMAPIntakeConfiguration: Sendable {
    public var client: IMAPClientConfiguration
    /// Where commands arrive (`incoming_mail_folder`, default `Generator`).
    public var incoming: IMAPMailbox
    /// Where handled messages go (`processed_mail_folder`, default `Generator/Processed`).
    public var processed: IMAPMailbox
    /// Use IDLE when the server offers it.
    public var useIdle: Bool
    /// Time between polls without IDLE (`imap_poll_seconds`).
    public var pollInterval: Duration
    /// With IDLE, how long one IDLE lasts before it is ended, the folder searched afresh and IDLE issued again
    /// (at most 29 minutes, RFC 2177; shorter keeps NAT mappings alive and finds a silently dead connection sooner).
    public var idleRenewal: Duration
    /// Which header to fetch for each message.
    public var header: IMAPHeaderRequest
    /// How many bytes of body text to fetch with each message (0: none).
    public var textBytes: Int
    /// Messages fetched per UID FETCH.
    public var batchSize: Int
    public var backoff: IMAPBackoff

    public init(
        client: IMAPClientConfiguration, incoming: IMAPMailbox, processed: IMAPMailbox, useIdle: Bool = true,
        pollInterval: Duration = .seconds(60), idleRenewal: Duration = .seconds(10 * 60), header: IMAPHeaderRequest = .whole, textBytes: Int = 0,
        batchSize: Int = 50, backoff: IMAPBackoff = IMAPBackoff()
    ) {
        self.client = client
        self.incoming = incoming
        self.processed = processed
        self.useIdle = useIdle
        self.pollInterval = max(.milliseconds(100), pollInterval)
        self.idleRenewal = min(max(.seconds(1), idleRenewal), .seconds(29 * 60))
        self.header = header
        self.textBytes = textBytes
        self.batchSize = max(1, batchSize)
        self.backoff = backoff
    }
}

/// A message's identity across sessions: UIDs only mean something together with the UIDVALIDITY.
public struct IMAPMessageIdentity: Hashable, Sendable, CustomStringConvertible {
    public var mailbox: IMAPMailbox
    public var uidValidity: UInt32
    public var uid: UInt32

    public init(mailbox: IMAPMailbox, uidValidity: UInt32, uid: UInt32) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.uid = uid
    }

    public var description: String { "\(mailbox.name);UIDVALIDITY=\(uidValidity);UID=\(uid)" }
}

/// What the intake hands to the caller for each message.
public struct IMAPIncomingMessage: Equatable, Sendable {
    public var identity: IMAPMessageIdentity
    public var summary: IMAPMessageSummary

    public init(identity: IMAPMessageIdentity, summary: IMAPMessageSummary) {
        self.identity = identity
        self.summary = summary
    }
}

/// What the caller decides once it has seen a message's identity.
public enum IMAPClaim: Sendable {
    /// Record made: run the handler, then move the message.
    case handle
    /// Already handled before (a crash came between handling and moving): move it without handling.
    case alreadyHandled
}

/// What the intake is doing, for logs, status pages and tests.
public enum IMAPIntakeEvent: Equatable, Sendable {
    /// Connected, folders ensured, incoming selected; `idle` tells whether waits use IDLE or polling.
    case ready(idle: Bool, createdMailboxes: [IMAPMailbox])
    /// The connection failed; the next attempt comes after `retryIn`.
    case disconnected(error: String, retryIn: Duration)
    /// A message was handled (or skipped as already handled) and moved to the processed folder.
    case moved(IMAPMessageIdentity)
}

/// The mail intake loop: connect → ensure folders → loop { search → fetch → claim → handle → move → wait },
/// reconnecting with capped, jittered back-off after any failure (a server restart included).
///
/// Each message's identity goes to `claim` *before* `handle` runs, so the caller can record it durably
/// and handle every message exactly once even across a crash; the message is moved after `handle`.
public struct IMAPIntake: Sendable {
    public let configuration: IMAPIntakeConfiguration
    let logger: Logger
    let randomUnit: @Sendable () -> Double
    let onEvent: @Sendable (IMAPIntakeEvent) -> Void

    /// `randomUnit` returns numbers in 0..<1 for the back-off's jitter (injected so tests are repeatable).
    public init(
        configuration: IMAPIntakeConfiguration, logger: Logger,
        randomUnit: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onEvent: @escaping @Sendable (IMAPIntakeEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.randomUnit = randomUnit
        self.onEvent = onEvent
    }

    /// Runs until the task is cancelled.
    public func run(
        claim: @escaping @Sendable (IMAPMessageIdentity) async throws -> IMAPClaim,
        handle: @escaping @Sendable (IMAPIncomingMessage) async -> Void
    ) async {
        var attempt = 0
        while !Task.isCancelled {
            var client: IMAPClient?
            do {
                let connected = try await IMAPClient.connect(configuration.client, logger: logger)
                client = connected
                try await serve(connected, claim: claim, handle: handle) { attempt = 0 }
            } catch {
                await client?.close()
                if Task.isCancelled || error is CancellationError { break }
                let delay = configuration.backoff.delay(attempt: attempt, unit: randomUnit())
                attempt += 1
                logger.warning("IMAP intake disconnected", metadata: ["error": "\(error)", "retry in": "\(delay)"])
                onEvent(.disconnected(error: "\(error)", retryIn: delay))
                do { try await Task.sleep(for: delay) } catch { break }
                continue
            }
        }
        // Cancelled: say goodbye if the connection is still up; the channel is closed either way.
        logger.info("IMAP intake stopped")
    }

    private func serve(
        _ client: IMAPClient,
        claim: @Sendable (IMAPMessageIdentity) async throws -> IMAPClaim,
        handle: @Sendable (IMAPIncomingMessage) async -> Void,
        healthy: () -> Void
    ) async throws {
        var created: [IMAPMailbox] = []
        for mailbox in [configuration.incoming, configuration.processed] where try await client.ensureMailbox(mailbox) {
            created.append(mailbox)
        }
        let status = try await client.select(configuration.incoming)
        let uidValidity = status.uidValidity ?? 0
        let idle = await client.willIdle(configuration.useIdle)
        logger.info("IMAP intake ready", metadata: ["mailbox": "\(configuration.incoming.name)", "mode": "\(idle ? "IDLE" : "polling")"])
        onEvent(.ready(idle: idle, createdMailboxes: created))
        do {
            while true {
                let uids = try await client.searchUIDs(.undeleted)
                for start in stride(from: 0, to: uids.count, by: configuration.batchSize) {
                    let batch = Array(uids[start..<min(uids.count, start + configuration.batchSize)])
                    let summaries = try await client.fetchSummaries(uids: batch, header: configuration.header, textBytes: configuration.textBytes)
                    for summary in summaries {
                        let identity = IMAPMessageIdentity(mailbox: configuration.incoming, uidValidity: uidValidity, uid: summary.uid)
                        if try await claim(identity) == .handle {
                            await handle(IMAPIncomingMessage(identity: identity, summary: summary))
                        }
                        try await client.move(uids: [summary.uid], to: configuration.processed)
                        onEvent(.moved(identity))
                    }
                }
                healthy()
                _ = try await client.waitForChanges(timeout: idle ? configuration.idleRenewal : configuration.pollInterval, useIdle: configuration.useIdle)
            }
        } catch is CancellationError {
            await client.logout()
            throw CancellationError()
        }
    }
}
