import MailProtocol

/// What SELECT or EXAMINE reported about a mailbox.
public struct IMAPMailboxStatus: Equatable, Sendable {
    public var mailbox: IMAPMailbox
    /// UIDs are only meaningful together with this number; a change means every UID was reassigned.
    public var uidValidity: UInt32?
    public var uidNext: UInt32?
    public var messageCount: Int
    public var readOnly: Bool

    public init(mailbox: IMAPMailbox, uidValidity: UInt32?, uidNext: UInt32?, messageCount: Int, readOnly: Bool) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messageCount = messageCount
        self.readOnly = readOnly
    }
}

/// How much of the header a fetch brings back.
public enum IMAPHeaderRequest: Equatable, Sendable {
    /// The whole header (`BODY.PEEK[HEADER]`).
    case whole
    /// Only these fields (`BODY.PEEK[HEADER.FIELDS (...)]`).
    case fields([String])
    /// No header.
    case none
}

/// One message as a fetch saw it: never the whole body, only as much as was asked for.
public struct IMAPMessageSummary: Equatable, Sendable {
    public var uid: UInt32
    public var flags: [IMAPFlag]
    /// RFC822.SIZE: the size of the whole message in octets.
    public var size: Int?
    /// The header bytes, `.tooLarge` when over the client's literal limit, nil when not fetched or NIL.
    public var header: IMAPLiteral?
    /// The first bytes of the body text, when asked for.
    public var text: IMAPLiteral?

    public init(uid: UInt32, flags: [IMAPFlag] = [], size: Int? = nil, header: IMAPLiteral? = nil, text: IMAPLiteral? = nil) {
        self.uid = uid
        self.flags = flags
        self.size = size
        self.header = header
        self.text = text
    }
}

extension IMAPClient {
    /// Selects `mailbox` read-write.
    public func select(_ mailbox: IMAPMailbox) async throws -> IMAPMailboxStatus {
        Self.status(of: mailbox, from: try await run(.select(mailbox)))
    }

    /// Selects `mailbox` read-only.
    public func examine(_ mailbox: IMAPMailbox) async throws -> IMAPMailboxStatus {
        Self.status(of: mailbox, from: try await run(.examine(mailbox)))
    }

    static func status(of mailbox: IMAPMailbox, from completion: IMAPCompletion) -> IMAPMailboxStatus {
        var status = IMAPMailboxStatus(mailbox: mailbox, uidValidity: nil, uidNext: nil, messageCount: 0,
                                       readOnly: completion.status.code == .readOnly || completion.command == .examine(mailbox))
        for untagged in completion.untagged {
            switch untagged {
            case let .exists(count): status.messageCount = count
            case let .status(reply):
                if case let .uidValidity(value)? = reply.code { status.uidValidity = value }
                if case let .uidNext(value)? = reply.code { status.uidNext = value }
            default: break
            }
        }
        return status
    }

    /// Creates `mailbox`.
    public func create(_ mailbox: IMAPMailbox) async throws {
        _ = try await run(.create(mailbox))
    }

    /// LIST `reference` `pattern` (`*` and `%` are wildcards).
    public func list(reference: String = "", pattern: String) async throws -> [IMAPListEntry] {
        try await run(.list(reference: reference, pattern: pattern)).untagged.compactMap {
            if case let .list(entry) = $0 { entry } else { nil }
        }
    }

    /// Makes sure `mailbox` exists and can be selected: a LIST check, then CREATE when missing.
    /// Returns true when it was created.
    @discardableResult
    public func ensureMailbox(_ mailbox: IMAPMailbox) async throws -> Bool {
        if mailbox == .inbox { return false }
        let entries = try await list(pattern: mailbox.name)
        if entries.contains(where: { $0.mailbox == mailbox && $0.isSelectable }) { return false }
        let completion = try await execute(.create(mailbox))
        switch (completion.status.kind, completion.status.code) {
        case (.ok, _):
            logger.info("IMAP mailbox created", metadata: ["mailbox": "\(mailbox.name)"])
            return true
        case (.no, .alreadyExists?):
            return false  // created meanwhile by someone else
        default:
            throw IMAPClientError.commandFailed(command: "CREATE", status: completion.status)
        }
    }

    /// UIDs of the messages in the selected mailbox that match `key`, ascending.
    public func searchUIDs(_ key: IMAPSearchKey) async throws -> [UInt32] {
        let found = try await run(.uidSearch(key)).untagged.flatMap { untagged -> [UInt32] in
            if case let .search(uids) = untagged { uids } else { [] }
        }
        return Array(Set(found)).sorted()
    }

    /// UID, flags, size, header (as asked) and at most `textBytes` of the body text of each message in `uids`.
    /// Messages that vanished meanwhile are simply missing from the answer.
    public func fetchSummaries(uids: [UInt32], header: IMAPHeaderRequest = .whole, textBytes: Int = 0) async throws -> [IMAPMessageSummary] {
        guard !uids.isEmpty else { return [] }
        let set = try sequenceSet(uids)
        var attributes: [IMAPFetchAttribute] = [.uid, .flags, .rfc822Size]
        let headerSection: IMAPSection?
        switch header {
        case .whole: headerSection = .header
        case let .fields(names): headerSection = .headerFields(names.map { $0.uppercased() })
        case .none: headerSection = nil
        }
        if let headerSection { attributes.append(.bodyPeek(headerSection)) }
        let textCount = UInt32(clamping: max(0, textBytes))
        if textCount > 0 { attributes.append(.bodyPeek(.text, partial: IMAPPartial(count: textCount))) }

        var byUID: [UInt32: IMAPMessageSummary] = [:]
        var uidBySequence: [Int: UInt32] = [:]
        for untagged in try await run(.uidFetch(set, attributes)).untagged {
            guard case let .fetch(sequence, items) = untagged else { continue }
            // A server may split one message's items over several FETCH responses; the UID ties them together.
            guard let uid = items.uid ?? uidBySequence[sequence], set.contains(uid, largest: 0) else { continue }
            uidBySequence[sequence] = uid
            var summary = byUID[uid] ?? IMAPMessageSummary(uid: uid, flags: [], size: nil, header: nil, text: nil)
            if let flags = items.flags { summary.flags = flags }
            if let size = items.rfc822Size { summary.size = size }
            if let headerSection, case let .some(data) = items.body(headerSection) { summary.header = data }
            for case let .body(.text, _, data) in items { summary.text = data }
            byUID[uid] = summary
        }
        return byUID.values.sorted { $0.uid < $1.uid }
    }

    /// Adds, removes or replaces flags on `uids`.
    public func store(uids: [UInt32], _ operation: IMAPStoreOperation, flags: [IMAPFlag]) async throws {
        guard !uids.isEmpty else { return }
        _ = try await run(.uidStore(try sequenceSet(uids), operation, flags, silent: true))
    }

    /// Copies `uids` to `mailbox`.
    public func copy(uids: [UInt32], to mailbox: IMAPMailbox) async throws {
        guard !uids.isEmpty else { return }
        _ = try await run(.uidCopy(try sequenceSet(uids), mailbox))
    }

    /// Moves `uids` to `mailbox`: UID MOVE when offered, else COPY, STORE \Deleted and UID EXPUNGE
    /// (or, without UIDPLUS, EXPUNGE, which also removes any other message already marked \Deleted).
    public func move(uids: [UInt32], to mailbox: IMAPMailbox) async throws {
        guard !uids.isEmpty else { return }
        let set = try sequenceSet(uids)
        if supports("MOVE") {
            _ = try await run(.uidMove(set, mailbox))
            return
        }
        _ = try await run(.uidCopy(set, mailbox))
        _ = try await run(.uidStore(set, .add, [.deleted], silent: true))
        _ = try await run(supports("UIDPLUS") ? .uidExpunge(set) : .expunge)
    }

    /// Appends a whole message to `mailbox`; returns its UID when the server reports it (UIDPLUS).
    @discardableResult
    public func append(_ message: [UInt8], to mailbox: IMAPMailbox, flags: [IMAPFlag] = []) async throws -> UInt32? {
        let completion = try await run(.append(mailbox, flags: flags, message: message))
        if case let .appendUID(_, uid)? = completion.status.code { return uid }
        return nil
    }

    /// NOOP: keeps the connection alive and lets the server report changes.
    public func noop() async throws {
        let completion = try await run(.noop)
        if completion.untagged.contains(where: Self.isChange) {
            logger.debug("IMAP changes", metadata: ["untagged": "\(completion.untagged)"])
            changesPending = true
        }
    }

    static func isChange(_ untagged: IMAPUntaggedResponse) -> Bool {
        switch untagged {
        case .exists, .recent, .expunge, .fetch: true
        default: false
        }
    }

    func sequenceSet(_ uids: [UInt32]) throws -> IMAPSequenceSet {
        do {
            return try IMAPSequenceSet(uids)
        } catch {
            throw IMAPClientError.invalidArgument(error)
        }
    }
}
