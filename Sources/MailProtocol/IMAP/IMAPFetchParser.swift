/// The `msg-att` list of a FETCH response: the items genmon asks for, and any others skipped whole.
enum IMAPFetchParser {
    static func items(_ cursor: inout IMAPCursor) throws(IMAPParseError) -> [IMAPFetchItem] {
        try cursor.expect(UInt8(ascii: "("), "( opening the FETCH items")
        var items: [IMAPFetchItem] = []
        while !cursor.skip(UInt8(ascii: ")")) {
            if !items.isEmpty { try cursor.space() }
            items.append(try item(&cursor))
        }
        return items
    }

    static func item(_ cursor: inout IMAPCursor) throws(IMAPParseError) -> IMAPFetchItem {
        // `[` is an atom character, but here it opens the section.
        let nameBytes = cursor.take { IMAPGrammar.isAtomCharacter($0) && $0 != UInt8(ascii: "[") }
        guard !nameBytes.isEmpty else { throw cursor.failure("a FETCH item name") }
        let name = String(decoding: nameBytes, as: UTF8.self).uppercased()
        var section: IMAPSection?
        var origin: UInt32?
        if cursor.skip(UInt8(ascii: "[")) {
            let text = cursor.take { $0 != UInt8(ascii: "]") }
            try cursor.expect(UInt8(ascii: "]"), "the ] closing a section")
            section = Self.section(String(decoding: text, as: UTF8.self))
            if cursor.skip(UInt8(ascii: "<")) {
                origin = try cursor.number32()
                try cursor.expect(UInt8(ascii: ">"), "the > closing an origin")
            }
        }
        try cursor.space()
        switch (name, section) {
        case ("UID", nil):
            return .uid(try cursor.number32(nonZero: true))
        case ("FLAGS", nil):
            return .flags(try IMAPResponseParser.flagList(&cursor))
        case ("RFC822.SIZE", nil):
            let size = try cursor.number()
            return .rfc822Size(size > UInt64(Int.max) ? Int.max : Int(size))
        case ("INTERNALDATE", nil):
            return .internalDate(String(decoding: try cursor.quoted(), as: UTF8.self))
        case let ("BODY", section?), let ("BINARY", section?):
            return .body(section, origin: origin, try cursor.nstring())
        case ("RFC822", nil):
            return .body(.full, origin: nil, try cursor.nstring())
        case ("RFC822.HEADER", nil):
            return .body(.header, origin: nil, try cursor.nstring())
        case ("RFC822.TEXT", nil):
            return .body(.text, origin: nil, try cursor.nstring())
        default:
            try cursor.skipValue()
            return .other(name)
        }
    }

    /// The section inside `BODY[...]`, with header names upper-cased so answers match requests.
    static func section(_ text: String) -> IMAPSection {
        let upper = text.uppercased()
        switch upper {
        case "": return .full
        case "HEADER": return .header
        case "TEXT": return .text
        default: break
        }
        for (prefix, make) in [("HEADER.FIELDS.NOT ", IMAPSection.headerFieldsNot), ("HEADER.FIELDS ", IMAPSection.headerFields)] {
            guard upper.hasPrefix(prefix) else { continue }
            let list = upper.dropFirst(prefix.count)
            guard list.hasPrefix("("), list.hasSuffix(")") else { return .other(text) }
            let names = list.dropFirst().dropLast().split(separator: " ").map { name in
                name.count >= 2 && name.hasPrefix("\"") && name.hasSuffix("\"") ? String(name.dropFirst().dropLast()) : String(name)
            }
            return make(names)
        }
        return .other(text)
    }
}
