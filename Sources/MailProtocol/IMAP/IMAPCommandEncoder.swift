/// A command as bytes: its first part is written at once, each later part only after the server's `+`
/// continuation (a synchronising literal, or the SASL response of AUTHENTICATE without SASL-IR).
public struct IMAPEncodedCommand: Equatable, Sendable {
    public var tag: String
    public var parts: [[UInt8]]
}

/// Writes commands as RFC 3501 bytes, choosing atom, quoted string or literal for each string argument
/// so that no argument can end the line early or inject a second command.
public struct IMAPCommandEncoder: Sendable {
    /// Non-synchronising literals `{n+}` (RFC 7888 LITERAL+): the whole command goes in one write.
    public var literalPlus: Bool

    /// What ends IDLE (RFC 2177): an untagged `DONE` line.
    public static let done: [UInt8] = Array("DONE\r\n".utf8)

    public init(literalPlus: Bool = false) {
        self.literalPlus = literalPlus
    }

    /// The bytes of `command` under `tag`.
    public func encode(_ command: IMAPCommand, tag: String) throws(IMAPCommandError) -> IMAPEncodedCommand {
        guard !tag.isEmpty, tag.utf8.allSatisfy({ IMAPGrammar.isAstringCharacter($0) && $0 != UInt8(ascii: "+") }) else {
            throw .invalidTag(tag)
        }
        var writer = Writer(literalPlus: literalPlus)
        writer.raw(tag)
        writer.raw(" ")
        switch command {
        case .capability: writer.raw("CAPABILITY")
        case .noop: writer.raw("NOOP")
        case .logout: writer.raw("LOGOUT")
        case .startTLS: writer.raw("STARTTLS")
        case .expunge: writer.raw("EXPUNGE")
        case .idle: writer.raw("IDLE")
        case let .login(username, password):
            writer.raw("LOGIN ")
            try writer.astring(username, field: "user name")
            writer.raw(" ")
            try writer.astring(password, field: "password")
        case let .authenticatePlain(username, password, authorizationIdentity, initialResponse):
            let response = try Self.plainResponse(username: username, password: password, authorizationIdentity: authorizationIdentity)
            writer.raw("AUTHENTICATE PLAIN")
            if initialResponse {
                writer.raw(" ")
                writer.bytes(response)
            } else {
                writer.endPart()
                writer.bytes(response)
            }
        case let .select(mailbox): writer.raw("SELECT "); try writer.mailbox(mailbox)
        case let .examine(mailbox): writer.raw("EXAMINE "); try writer.mailbox(mailbox)
        case let .create(mailbox): writer.raw("CREATE "); try writer.mailbox(mailbox)
        case let .list(reference, pattern):
            writer.raw("LIST ")
            try writer.string(IMAPMailbox.encode(reference), field: "list reference")
            writer.raw(" ")
            guard !pattern.isEmpty else { throw .empty(field: "list pattern") }
            try writer.string(IMAPMailbox.encode(pattern), field: "list pattern")
        case let .uidSearch(key):
            writer.raw("UID SEARCH ")
            writer.raw(Self.search(key, nested: false))
        case let .uidFetch(set, attributes):
            guard !attributes.isEmpty else { throw .empty(field: "fetch attributes") }
            writer.raw("UID FETCH \(set) (")
            writer.raw(try attributes.map(Self.fetchAttribute).joined(separator: " "))
            writer.raw(")")
        case let .uidStore(set, operation, flags, silent):
            let prefix = switch operation { case .add: "+"; case .remove: "-"; case .replace: "" }
            writer.raw("UID STORE \(set) \(prefix)FLAGS\(silent ? ".SILENT" : "") (")
            writer.raw(flags.map(\.rawValue).joined(separator: " "))
            writer.raw(")")
        case let .uidCopy(set, mailbox): writer.raw("UID COPY \(set) "); try writer.mailbox(mailbox)
        case let .uidMove(set, mailbox): writer.raw("UID MOVE \(set) "); try writer.mailbox(mailbox)
        case let .uidExpunge(set): writer.raw("UID EXPUNGE \(set)")
        case let .append(mailbox, flags, message):
            writer.raw("APPEND ")
            try writer.mailbox(mailbox)
            if !flags.isEmpty { writer.raw(" (" + flags.map(\.rawValue).joined(separator: " ") + ")") }
            writer.raw(" ")
            guard !message.contains(0) else { throw .containsNUL(field: "message") }
            writer.literal(message)
        }
        writer.raw("\r\n")
        return IMAPEncodedCommand(tag: tag, parts: writer.finish())
    }

    /// The base64 of `authzid NUL authcid NUL password` (RFC 4616), refusing NUL inside any of them.
    public static func plainResponse(username: String, password: String, authorizationIdentity: String = "") throws(IMAPCommandError) -> [UInt8] {
        for (field, value) in [("authorization identity", authorizationIdentity), ("user name", username), ("password", password)] {
            guard !value.utf8.contains(0) else { throw .containsNUL(field: field) }
        }
        guard !username.isEmpty else { throw .empty(field: "user name") }
        let message = Array(authorizationIdentity.utf8) + [0] + Array(username.utf8) + [0] + Array(password.utf8)
        return IMAPBase64.encode(message)
    }

    static func search(_ key: IMAPSearchKey, nested: Bool) -> String {
        switch key {
        case .all: "ALL"
        case .unseen: "UNSEEN"
        case .seen: "SEEN"
        case .new: "NEW"
        case .deleted: "DELETED"
        case .undeleted: "UNDELETED"
        case let .uid(set): "UID \(set)"
        case let .larger(size): "LARGER \(size)"
        case let .smaller(size): "SMALLER \(size)"
        case let .not(inner): "NOT " + search(inner, nested: true)
        case let .or(first, second): "OR " + search(first, nested: true) + " " + search(second, nested: true)
        case let .and(keys):
            if keys.isEmpty { "ALL" } else if keys.count == 1 { search(keys[0], nested: nested) } else {
                nested ? "(" + keys.map { search($0, nested: false) }.joined(separator: " ") + ")"
                    : keys.map { search($0, nested: false) }.joined(separator: " ")
            }
        }
    }

    static func fetchAttribute(_ attribute: IMAPFetchAttribute) throws(IMAPCommandError) -> String {
        switch attribute {
        case .uid: return "UID"
        case .flags: return "FLAGS"
        case .rfc822Size: return "RFC822.SIZE"
        case .internalDate: return "INTERNALDATE"
        case let .bodyPeek(section, partial):
            let window = partial.map { "<\($0.offset).\($0.count)>" } ?? ""
            return "BODY.PEEK[\(try sectionText(section))]\(window)"
        }
    }

    /// The text inside `BODY[...]`; header names must be plain atoms (RFC 5322 field names are).
    static func sectionText(_ section: IMAPSection) throws(IMAPCommandError) -> String {
        func names(_ names: [String]) throws(IMAPCommandError) -> String {
            guard !names.isEmpty else { throw .empty(field: "header field list") }
            for name in names where name.isEmpty || !name.utf8.allSatisfy({ IMAPGrammar.isAtomCharacter($0) && $0 != UInt8(ascii: ":") }) {
                throw .invalidCharacter(field: "header field name", value: name)
            }
            return "(" + names.map { $0.uppercased() }.joined(separator: " ") + ")"
        }
        switch section {
        case .full: return ""
        case .header: return "HEADER"
        case .text: return "TEXT"
        case let .headerFields(list): return "HEADER.FIELDS " + (try names(list))
        case let .headerFieldsNot(list): return "HEADER.FIELDS.NOT " + (try names(list))
        case let .other(text):
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "]") && $0 != UInt8(ascii: "[") }) else {
                throw .invalidCharacter(field: "body section", value: text)
            }
            return text
        }
    }
}

/// Accumulates one command's bytes, cutting it into parts at synchronising literals.
private struct Writer {
    let literalPlus: Bool
    var parts: [[UInt8]] = []
    var current: [UInt8] = []

    mutating func raw(_ text: String) { current += text.utf8 }
    mutating func bytes(_ bytes: [UInt8]) { current += bytes }

    mutating func endPart() {
        current += "\r\n".utf8
        parts.append(current)
        current = []
    }

    mutating func literal(_ bytes: [UInt8]) {
        if literalPlus {
            raw("{\(bytes.count)+}\r\n")
        } else {
            raw("{\(bytes.count)}")
            endPart()
        }
        current += bytes
    }

    /// An astring: atom when every character allows it, else quoted, else (8-bit, CR, LF) a literal.
    mutating func astring(_ value: String, field: String) throws(IMAPCommandError) {
        let utf8 = Array(value.utf8)
        if !utf8.isEmpty, utf8.allSatisfy(IMAPGrammar.isAstringCharacter) {
            current += utf8
        } else {
            try string(value, field: field)
        }
    }

    /// A string: quoted when it is 7-bit without CR/LF, else a literal; NUL is refused.
    mutating func string(_ value: String, field: String) throws(IMAPCommandError) {
        let utf8 = Array(value.utf8)
        guard !utf8.contains(0) else { throw .containsNUL(field: field) }
        if utf8.allSatisfy(IMAPGrammar.isQuotable) {
            current.append(UInt8(ascii: "\""))
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { current.append(UInt8(ascii: "\\")) }
                current.append(byte)
            }
            current.append(UInt8(ascii: "\""))
        } else {
            literal(utf8)
        }
    }

    mutating func mailbox(_ mailbox: IMAPMailbox) throws(IMAPCommandError) {
        try astring(mailbox.encoded, field: "mailbox name")
    }

    mutating func finish() -> [[UInt8]] {
        parts.append(current)
        return parts
    }
}
