import Foundation
import MailProtocol

/// What the intake reads of a command e-mail: only its header (the body is never looked at, as in
/// the original). Reading never fails: a header that cannot be read is a `CommandMail` whose
/// `unreadable` says why, and such a message is moved away untouched.
public struct CommandMail: Sendable, Equatable {
    /// The mailboxes of the From field.
    public var from: [ParsedMailbox]
    /// The decoded Subject with control characters (CR, LF, NUL, tabs...) turned into spaces; nil when absent.
    public var subject: String?
    public var messageID: MessageID?
    /// The References field's ids that are well formed (at most `maximumReferences`, the latest kept).
    public var references: [MessageID]
    /// Every Authentication-Results field value, topmost (added last, by the receiving server) first.
    public var authenticationResults: [String]
    /// The Auto-Submitted field (RFC 3834), lower-cased; nil when absent.
    public var autoSubmitted: String?
    /// Why the header could not be read, when it could not.
    public var unreadable: String?

    /// A reply keeps at most this many ids of the thread (RFC 5322 lets a client trim References).
    public static let maximumReferences = 20

    public init(from: [ParsedMailbox] = [], subject: String? = nil, messageID: MessageID? = nil, references: [MessageID] = [],
                authenticationResults: [String] = [], autoSubmitted: String? = nil, unreadable: String? = nil) {
        self.from = from
        self.subject = subject
        self.messageID = messageID
        self.references = references
        self.authenticationResults = authenticationResults
        self.autoSubmitted = autoSubmitted
        self.unreadable = unreadable
    }

    /// A message whose header cannot be used.
    public static func unreadable(_ reason: String) -> CommandMail { CommandMail(unreadable: reason) }

    /// Reads the header bytes (`BODY.PEEK[HEADER]`), within `MailHeaders`' limits.
    public static func read(header bytes: [UInt8]) -> CommandMail {
        let headers: MailHeaders
        do { headers = try MailHeaders.parse(bytes) } catch { return .unreadable("\(error)") }
        var mail = CommandMail()
        mail.from = headers.from
        mail.subject = headers.subject.map(cleanedSubject)
        mail.messageID = headers["Message-ID"].flatMap(MessageID.init)
        let referenced = (headers["References"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            .compactMap { MessageID(String($0)) }
        mail.references = Array(referenced.suffix(maximumReferences))
        mail.authenticationResults = headers.values("Authentication-Results")
        mail.autoSubmitted = headers["Auto-Submitted"].map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return mail
    }

    /// Control characters (a decoded encoded-word may carry CR, LF or NUL) become spaces, so nothing
    /// in a subject can split a command or a reply header.
    static func cleanedSubject(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// The single sender's address (lower-case), nil when From names no one or several.
    public var sender: String? {
        guard from.count == 1, let address = from.first?.address, address.contains("@") else { return nil }
        return address
    }

    /// True for automatic mail (bounces, vacation replies, other robots): never answered, never obeyed.
    public var isAutomatic: Bool {
        guard let autoSubmitted else { return false }
        return !autoSubmitted.isEmpty && !autoSubmitted.hasPrefix("no")
    }
}
