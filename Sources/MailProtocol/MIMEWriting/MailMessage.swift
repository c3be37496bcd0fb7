/// A mailbox for a header: an optional display name and an address (`Genmon <no-reply@example.org>`).
public struct Mailbox: Sendable, Hashable {
    /// Shown by mail programs; any text (it is sanitised and encoded when written).
    public var displayName: String?
    public var address: EmailAddress

    public init(displayName: String? = nil, address: EmailAddress) {
        self.displayName = displayName
        self.address = address
    }
}

/// A Message-ID (RFC 5322 section 3.6.4) without its angle brackets: `id-left@id-right`.
public struct MessageID: Sendable, Hashable, CustomStringConvertible {
    /// `left@right`, without brackets.
    public let value: String

    /// Accepts `<left@right>` or `left@right` where both sides are dot-atoms (the right side may be a
    /// `[literal]`), at most 250 bytes. Anything else is refused, so ids copied from incoming mail
    /// cannot carry header injection or garbage into a reply.
    public init?(_ text: String) {
        var bytes = Array(text.trimmingASCIISpaces().utf8)
        if bytes.first == UInt8(ascii: "<") {
            guard bytes.last == UInt8(ascii: ">"), bytes.count >= 2 else { return nil }
            bytes = Array(bytes[1..<(bytes.count - 1)])
        }
        guard bytes.count <= 250, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let left = Array(bytes[..<at]), right = Array(bytes[(at + 1)...])
        guard Self.isDotAtom(left) else { return nil }
        if right.first == UInt8(ascii: "[") {
            guard right.count >= 2, right.last == UInt8(ascii: "]"),
                  right.dropFirst().dropLast().allSatisfy({ ASCII.isVisible($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") && $0 != UInt8(ascii: "\\") })
            else { return nil }
        } else {
            guard Self.isDotAtom(right) else { return nil }
        }
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// A new id: 128 random bits in hex, `@`, and `domain` (which must be a valid host name).
    public static func random(domain: String, using generator: inout some RandomNumberGenerator) -> MessageID? {
        let left = (0..<2).map { _ in generator.next() }.map(Self.hex16).joined()
        return MessageID("\(left)@\(domain)")
    }

    /// `<left@right>`.
    public var description: String { "<\(value)>" }

    private static func isDotAtom(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".") else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            guard byte == UInt8(ascii: ".") ? previous != UInt8(ascii: ".") : ASCII.isAtext(byte) else { return false }
            previous = byte
        }
        return true
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A file sent with a message.
public struct MailAttachment: Sendable, Equatable {
    /// The name shown to the recipient; only its last path component is used.
    public var filename: String
    /// A MIME type such as `text/csv`; anything not of the form `type/subtype` becomes `application/octet-stream`.
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String = "application/octet-stream", data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// How recipients appear in the headers.
public enum RecipientHeaderStyle: String, Sendable, Equatable {
    /// `To: <a@x>, <b@y>`: every recipient sees the others (the original's default).
    case to
    /// The original's `usebcc`: recipients go only into the envelope. The original wrote them into a
    /// `Bcc:` header of the sent message, which every recipient could read; genmon writes
    /// `To: undisclosed-recipients:;` and no Bcc header (RFC 5322 section 3.6.3), so they stay hidden.
    case bcc
}

/// A message to write as MIME: `MIMEWriter` turns it into bytes.
public struct MailMessage: Sendable, Equatable {
    public var from: Mailbox
    public var recipients: [EmailAddress]
    public var recipientHeader: RecipientHeaderStyle
    public var subject: String
    /// The plain-text body; any line ends (LF, CRLF, CR) are accepted.
    public var textBody: String
    /// An HTML alternative (`use_html`), sent beside the text in multipart/alternative.
    public var htmlBody: String?
    public var attachments: [MailAttachment]
    /// The message this one answers (a reply to an e-mailed command).
    public var inReplyTo: MessageID?
    public var references: [MessageID]
    /// Adds `Auto-Submitted: auto-generated` (RFC 3834) so auto-responders do not answer notifications.
    public var autoSubmitted: Bool

    public init(
        from: Mailbox, recipients: [EmailAddress], recipientHeader: RecipientHeaderStyle = .to, subject: String,
        textBody: String, htmlBody: String? = nil, attachments: [MailAttachment] = [],
        inReplyTo: MessageID? = nil, references: [MessageID] = [], autoSubmitted: Bool = true
    ) {
        self.from = from
        self.recipients = recipients
        self.recipientHeader = recipientHeader
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.attachments = attachments
        self.inReplyTo = inReplyTo
        self.references = references
        self.autoSubmitted = autoSubmitted
    }
}
