/// The IMAP4rev1 commands genmon sends (RFC 3501, with UIDPLUS, MOVE, IDLE, SASL-IR, LITERAL+).
public enum IMAPCommand: Equatable, Sendable {
    case capability
    case noop
    case logout
    case startTLS
    /// LOGIN with the user name and password as atoms, quoted strings or literals as their characters need.
    case login(username: String, password: String)
    /// AUTHENTICATE PLAIN (RFC 4616); with `initialResponse` the credentials ride on the command line (SASL-IR).
    case authenticatePlain(username: String, password: String, authorizationIdentity: String = "", initialResponse: Bool)
    case select(IMAPMailbox)
    case examine(IMAPMailbox)
    case create(IMAPMailbox)
    /// LIST `reference` `pattern`; the pattern may hold the wildcards `*` and `%`.
    case list(reference: String, pattern: String)
    case uidSearch(IMAPSearchKey)
    case uidFetch(IMAPSequenceSet, [IMAPFetchAttribute])
    case uidStore(IMAPSequenceSet, IMAPStoreOperation, [IMAPFlag], silent: Bool)
    case uidCopy(IMAPSequenceSet, IMAPMailbox)
    /// UID MOVE (RFC 6851); only when the server advertises MOVE.
    case uidMove(IMAPSequenceSet, IMAPMailbox)
    case expunge
    /// UID EXPUNGE (RFC 4315): expunges only these UIDs; only when the server advertises UIDPLUS.
    case uidExpunge(IMAPSequenceSet)
    /// APPEND a whole RFC 5322 message (its bytes always travel as a literal).
    case append(IMAPMailbox, flags: [IMAPFlag], message: [UInt8])
    /// IDLE (RFC 2177); ended by `IMAPCommandEncoder.done`, not by another tagged command.
    case idle

    /// The command's name as logs should show it (never its arguments: LOGIN carries a password).
    public var name: String {
        switch self {
        case .capability: "CAPABILITY"
        case .noop: "NOOP"
        case .logout: "LOGOUT"
        case .startTLS: "STARTTLS"
        case .login: "LOGIN"
        case .authenticatePlain: "AUTHENTICATE PLAIN"
        case .select: "SELECT"
        case .examine: "EXAMINE"
        case .create: "CREATE"
        case .list: "LIST"
        case .uidSearch: "UID SEARCH"
        case .uidFetch: "UID FETCH"
        case .uidStore: "UID STORE"
        case .uidCopy: "UID COPY"
        case .uidMove: "UID MOVE"
        case .expunge: "EXPUNGE"
        case .uidExpunge: "UID EXPUNGE"
        case .append: "APPEND"
        case .idle: "IDLE"
        }
    }
}

/// Search criteria for UID SEARCH (a subset of RFC 3501 6.4.4 that mail intake needs).
public indirect enum IMAPSearchKey: Equatable, Sendable {
    case all
    case unseen
    case seen
    case new
    case deleted
    case undeleted
    case uid(IMAPSequenceSet)
    /// Messages larger than this many octets.
    case larger(UInt32)
    case smaller(UInt32)
    case not(IMAPSearchKey)
    case or(IMAPSearchKey, IMAPSearchKey)
    /// All of these at once (IMAP's implicit AND); an empty list means ALL.
    case and([IMAPSearchKey])
}

/// A part of a message body that FETCH can ask for.
public enum IMAPSection: Hashable, Sendable {
    /// The whole message: `BODY[]`.
    case full
    /// The whole header: `BODY[HEADER]`.
    case header
    /// Only the named header fields: `BODY[HEADER.FIELDS (SUBJECT FROM)]` (names compared upper-cased).
    case headerFields([String])
    /// Every header field except the named ones.
    case headerFieldsNot([String])
    /// The body after the header: `BODY[TEXT]`.
    case text
    /// Any other section the server names (MIME part numbers and the like), as written inside the brackets.
    case other(String)
}

/// An item UID FETCH asks for.
public enum IMAPFetchAttribute: Equatable, Sendable {
    case uid
    case flags
    case rfc822Size
    case internalDate
    /// `BODY.PEEK[section]<offset.count>`: reads without setting \Seen; `partial` bounds how much comes back.
    case bodyPeek(IMAPSection, partial: IMAPPartial? = nil)
}

/// A byte window of a body section: `<offset.count>` in a request, `<offset>` in the answer.
public struct IMAPPartial: Hashable, Sendable {
    public var offset: UInt32
    public var count: UInt32

    public init(offset: UInt32 = 0, count: UInt32) {
        self.offset = offset
        self.count = count
    }
}

/// How UID STORE changes the flags.
public enum IMAPStoreOperation: Equatable, Sendable {
    case add
    case remove
    case replace
}
