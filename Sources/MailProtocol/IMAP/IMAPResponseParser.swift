/// Turns a framed response into an `IMAPResponse` (RFC 3501 section 7 and 9, with UIDPLUS codes).
public enum IMAPResponseParser {
    /// Parses one response; anything outside the grammar throws, never traps.
    public static func parse(_ frame: IMAPFrame) throws(IMAPParseError) -> IMAPResponse {
        guard !frame.lines.isEmpty, frame.lines.count == frame.literals.count + 1 else {
            throw IMAPParseError(expected: "one line more than literals", line: 0, offset: 0)
        }
        var cursor = IMAPCursor(frame)
        let response: IMAPResponse
        if cursor.skip(UInt8(ascii: "+")) {
            // Some servers send a bare "+"; anything else must follow a space.
            guard cursor.skip(UInt8(ascii: " ")) || cursor.peek == nil else { throw cursor.failure("a space after +") }
            response = .continuation(cursor.restOfLine())
        } else if cursor.skip(UInt8(ascii: "*")) {
            try cursor.space()
            response = .untagged(try untagged(&cursor))
        } else {
            let tag = cursor.take { IMAPGrammar.isAstringCharacter($0) && $0 != UInt8(ascii: "+") }
            guard !tag.isEmpty else { throw cursor.failure("a tag, * or +") }
            try cursor.space()
            let kind = try cursor.atom("OK, NO or BAD").uppercased()
            guard let status = IMAPStatus.Kind(rawValue: kind), [.ok, .no, .bad].contains(status) else {
                throw cursor.failure("OK, NO or BAD after a tag")
            }
            response = .tagged(tag: String(decoding: tag, as: UTF8.self), try statusText(kind: status, &cursor))
        }
        guard cursor.isAtEnd else { throw cursor.failure("the end of the response") }
        return response
    }

    static func untagged(_ cursor: inout IMAPCursor) throws(IMAPParseError) -> IMAPUntaggedResponse {
        if let first = cursor.peek, IMAPGrammar.isDigit(first) {
            let number = try cursor.number()
            guard number <= UInt64(UInt32.max) else { throw cursor.failure("a 32-bit message number") }
            try cursor.space()
            let keyword = try cursor.atom("a message data keyword").uppercased()
            switch keyword {
            case "EXISTS": return .exists(Int(number))
            case "RECENT": return .recent(Int(number))
            case "EXPUNGE":
                guard number > 0 else { throw cursor.failure("a non-zero message number") }
                return .expunge(Int(number))
            case "FETCH":
                guard number > 0 else { throw cursor.failure("a non-zero message number") }
                try cursor.space()
                return .fetch(sequenceNumber: Int(number), try IMAPFetchParser.items(&cursor))
            default:
                cursor.skipToEnd()
                return .other(keyword)
            }
        }
        let keyword = try cursor.atom("a response keyword").uppercased()
        if let kind = IMAPStatus.Kind(rawValue: keyword) {
            return .status(try statusText(kind: kind, &cursor))
        }
        switch keyword {
        case "CAPABILITY":
            return .capability(try capabilities(&cursor, until: nil))
        case "FLAGS":
            try cursor.space()
            return .flags(try flagList(&cursor))
        case "LIST", "LSUB":
            try cursor.space()
            return .list(try listEntry(&cursor))
        case "SEARCH":
            var uids: [UInt32] = []
            while cursor.skip(UInt8(ascii: " ")) {
                if cursor.peek == UInt8(ascii: "(") {  // CONDSTORE's (MODSEQ n) at the end
                    try cursor.skipValue()
                    break
                }
                uids.append(try cursor.number32(nonZero: true))
            }
            return .search(uids)
        default:
            cursor.skipToEnd()
            return .other(keyword)
        }
    }

    /// `[SP] ["[" code "]" SP] text` after a status keyword; servers sometimes omit the text.
    static func statusText(kind: IMAPStatus.Kind, _ cursor: inout IMAPCursor) throws(IMAPParseError) -> IMAPStatus {
        guard cursor.skip(UInt8(ascii: " ")) else {
            guard cursor.peek == nil else { throw cursor.failure("a space before the response text") }
            return IMAPStatus(kind: kind)
        }
        var code: IMAPResponseCode?
        if cursor.skip(UInt8(ascii: "[")) {
            code = try responseCode(&cursor)
            try cursor.expect(UInt8(ascii: "]"), "the ] closing the response code")
            _ = cursor.skip(UInt8(ascii: " "))
        }
        return IMAPStatus(kind: kind, code: code, text: cursor.restOfLine())
    }

    static func responseCode(_ cursor: inout IMAPCursor) throws(IMAPParseError) -> IMAPResponseCode {
        let name = try cursor.atom("a response code").uppercased()
        switch name {
        case "ALERT": return .alert
        case "PARSE": return .parse
        case "READ-ONLY": return .readOnly
        case "READ-WRITE": return .readWrite
        case "TRYCREATE": return .tryCreate
        case "ALREADYEXISTS": return .alreadyExists
        case "NONEXISTENT": return .nonexistent
        case "CAPABILITY": return .capability(try capabilities(&cursor, until: UInt8(ascii: "]")))
        case "PERMANENTFLAGS":
            try cursor.space()
            return .permanentFlags(try flagList(&cursor))
        case "UIDNEXT", "UIDVALIDITY", "UNSEEN":
            try cursor.space()
            let value = try cursor.number32(nonZero: true)
            return name == "UIDNEXT" ? .uidNext(value) : name == "UIDVALIDITY" ? .uidValidity(value) : .unseen(value)
        case "APPENDUID":
            try cursor.space()
            let validity = try cursor.number32(nonZero: true)
            try cursor.space()
            return .appendUID(validity: validity, uid: try cursor.number32(nonZero: true))
        case "COPYUID":
            try cursor.space()
            let validity = try cursor.number32(nonZero: true)
            try cursor.space()
            let source = try sequenceSet(&cursor)
            try cursor.space()
            return .copyUID(validity: validity, source: source, destination: try sequenceSet(&cursor))
        default:
            guard cursor.skip(UInt8(ascii: " ")) else { return .other(name, nil) }
            let argument = cursor.take { $0 != UInt8(ascii: "]") }
            return .other(name, String(decoding: argument, as: UTF8.self))
        }
    }

    static func sequenceSet(_ cursor: inout IMAPCursor) throws(IMAPParseError) -> IMAPSequenceSet {
        let text = cursor.take { IMAPGrammar.isDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "*") }
        guard let set = IMAPSequenceSet(parsing: String(decoding: text, as: UTF8.self)) else { throw cursor.failure("a sequence set") }
        return set
    }

    /// Space-separated capability atoms, upper-cased, up to `terminator` or the end of the line.
    static func capabilities(_ cursor: inout IMAPCursor, until terminator: UInt8?) throws(IMAPParseError) -> [String] {
        var names: [String] = []
        while cursor.skip(UInt8(ascii: " ")) {
            if cursor.peek == terminator || cursor.peek == nil { break }  // a trailing space
            names.append(try cursor.atom("a capability").uppercased())
        }
        return names
    }

    /// `( [flag *(SP flag)] )`, where a flag is `\atom`, `\*` or a keyword atom.
    static func flagList(_ cursor: inout IMAPCursor) throws(IMAPParseError) -> [IMAPFlag] {
        try cursor.expect(UInt8(ascii: "("), "( opening a flag list")
        var flags: [IMAPFlag] = []
        while !cursor.skip(UInt8(ascii: ")")) {
            if !flags.isEmpty { try cursor.space() }
            if cursor.skip(UInt8(ascii: "\\")) {
                if cursor.skip(UInt8(ascii: "*")) { flags.append(IMAPFlag(trusted: "\\*")); continue }
                flags.append(IMAPFlag(trusted: "\\" + (try cursor.atom("a flag name"))))
            } else {
                flags.append(IMAPFlag(trusted: try cursor.atom("a flag")))
            }
        }
        return flags
    }

    /// `(attributes) SP delimiter SP mailbox`, then any RFC 5258 extension data, skipped.
    static func listEntry(_ cursor: inout IMAPCursor) throws(IMAPParseError) -> IMAPListEntry {
        let attributes = try flagList(&cursor).map(\.rawValue)
        try cursor.space()
        var delimiter: Character?
        if cursor.peek == UInt8(ascii: "\"") {
            let bytes = try cursor.quoted()
            guard bytes.count == 1, let byte = bytes.first, byte < 0x80 else { throw cursor.failure("a one-character delimiter") }
            delimiter = Character(Unicode.Scalar(byte))
        } else {
            guard try cursor.atom("a delimiter or NIL").uppercased() == "NIL" else { throw cursor.failure("a delimiter or NIL") }
        }
        try cursor.space()
        guard case let .bytes(name) = try cursor.astring(), !name.isEmpty else { throw cursor.failure("a mailbox name") }
        while cursor.skip(UInt8(ascii: " ")) { try cursor.skipValue() }
        return IMAPListEntry(attributes: attributes, delimiter: delimiter, mailbox: IMAPMailbox(encoded: String(decoding: name, as: UTF8.self)))
    }
}
