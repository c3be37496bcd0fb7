/// One response from an IMAP server.
public enum IMAPResponse: Equatable, Sendable {
    /// `+ text`: the server waits for a literal's bytes, an IDLE's DONE or a SASL response.
    case continuation(String)
    /// `tag OK/NO/BAD ...`: the end of the command with that tag.
    case tagged(tag: String, IMAPStatus)
    /// `* ...`: data or status not tied to one command.
    case untagged(IMAPUntaggedResponse)
}

/// OK, NO, BAD, BYE or PREAUTH with its optional response code and text.
public struct IMAPStatus: Equatable, Sendable {
    /// The status keyword.
    public enum Kind: String, Equatable, Sendable {
        case ok = "OK", no = "NO", bad = "BAD", bye = "BYE", preauth = "PREAUTH"
    }

    public var kind: Kind
    public var code: IMAPResponseCode?
    public var text: String

    public init(kind: Kind, code: IMAPResponseCode? = nil, text: String = "") {
        self.kind = kind
        self.code = code
        self.text = text
    }
}

/// The bracketed code of a status response (RFC 3501 7.1, RFC 4315, RFC 5530).
public enum IMAPResponseCode: Equatable, Sendable {
    case alert
    case capability([String])
    case parse
    case permanentFlags([IMAPFlag])
    case readOnly
    case readWrite
    case tryCreate
    case uidNext(UInt32)
    case uidValidity(UInt32)
    case unseen(UInt32)
    /// APPENDUID validity uid (UIDPLUS).
    case appendUID(validity: UInt32, uid: UInt32)
    /// COPYUID validity source-set destination-set (UIDPLUS; also in MOVE's untagged OK).
    case copyUID(validity: UInt32, source: IMAPSequenceSet, destination: IMAPSequenceSet)
    case alreadyExists
    case nonexistent
    /// Any other code, upper-cased, with its argument text if it has one.
    case other(String, String?)
}

/// Untagged data the client understands; anything else is kept by its keyword.
public enum IMAPUntaggedResponse: Equatable, Sendable {
    /// `* OK/NO/BAD/BYE/PREAUTH ...` (greeting, warnings, the server closing).
    case status(IMAPStatus)
    /// `* CAPABILITY ...`, upper-cased.
    case capability([String])
    case flags([IMAPFlag])
    case list(IMAPListEntry)
    /// `* SEARCH ...`: UIDs after UID SEARCH.
    case search([UInt32])
    case exists(Int)
    case recent(Int)
    case expunge(Int)
    case fetch(sequenceNumber: Int, [IMAPFetchItem])
    /// A response genmon does not use (STATUS, NAMESPACE, ENABLED, ID, ...), by its keyword.
    case other(String)
}

/// One mailbox of a LIST answer.
public struct IMAPListEntry: Equatable, Sendable {
    /// Attributes such as `\Noselect`, `\HasChildren`, as the server wrote them.
    public var attributes: [String]
    /// The hierarchy delimiter, or nil for a flat namespace.
    public var delimiter: Character?
    public var mailbox: IMAPMailbox

    public init(attributes: [String], delimiter: Character?, mailbox: IMAPMailbox) {
        self.attributes = attributes
        self.delimiter = delimiter
        self.mailbox = mailbox
    }

    /// Whether the mailbox can be selected (it is not a mere level of the hierarchy, and it exists).
    public var isSelectable: Bool {
        !attributes.contains { ["\\NOSELECT", "\\NONEXISTENT"].contains($0.uppercased()) }
    }
}

/// One item of a FETCH answer.
public enum IMAPFetchItem: Equatable, Sendable {
    case uid(UInt32)
    case flags([IMAPFlag])
    case rfc822Size(Int)
    case internalDate(String)
    /// `BODY[section]<origin>`: the bytes, nil for NIL, or `.tooLarge` when the literal was over the limit.
    case body(IMAPSection, origin: UInt32?, IMAPLiteral?)
    /// An item genmon does not ask for (ENVELOPE, BODYSTRUCTURE, MODSEQ, ...), skipped whole.
    case other(String)
}

extension Array where Element == IMAPFetchItem {
    /// The UID item, if present.
    public var uid: UInt32? { lazy.compactMap { if case let .uid(uid) = $0 { uid } else { nil } }.first }
    /// The FLAGS item, if present.
    public var flags: [IMAPFlag]? { lazy.compactMap { if case let .flags(flags) = $0 { flags } else { nil } }.first }
    /// The RFC822.SIZE item, if present.
    public var rfc822Size: Int? { lazy.compactMap { if case let .rfc822Size(size) = $0 { size } else { nil } }.first }

    /// The data of `section`, if the answer has it (`.some(nil)` for NIL).
    public func body(_ section: IMAPSection) -> IMAPLiteral?? {
        for case let .body(found, _, data) in self where found == section { return .some(data) }
        return nil
    }
}
