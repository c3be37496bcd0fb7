import Testing
@testable import MailProtocol

@Suite("IMAP response parsing")
struct ResponseParserTests {
    @Test("greetings, BYE, PREAUTH and continuations")
    func statusResponses() throws {
        #expect(try parseOne("* OK IMAP4rev1 Service Ready\r\n") == .untagged(.status(IMAPStatus(kind: .ok, text: "IMAP4rev1 Service Ready"))))
        #expect(try parseOne("* PREAUTH IMAP4rev1 server logged in as Smith\r\n")
            == .untagged(.status(IMAPStatus(kind: .preauth, text: "IMAP4rev1 server logged in as Smith"))))
        #expect(try parseOne("* BYE Autologout; idle for too long\r\n") == .untagged(.status(IMAPStatus(kind: .bye, text: "Autologout; idle for too long"))))
        #expect(try parseOne("+ Ready for additional command text\r\n") == .continuation("Ready for additional command text"))
        #expect(try parseOne("+ \r\n") == .continuation(""))
        #expect(try parseOne("+\r\n") == .continuation(""))
        #expect(try parseOne("+ idling\r\n") == .continuation("idling"))
        #expect(try parseOne("* OK\r\n") == .untagged(.status(IMAPStatus(kind: .ok))))
        #expect(try parseOne("* NO [ALERT] Disk almost full\r\n") == .untagged(.status(IMAPStatus(kind: .no, code: .alert, text: "Disk almost full"))))
        // Control characters in text never reach a log as such.
        #expect(try parseOne("a1 NO bad\u{1B}[31m\u{0}x\r\n") == .tagged(tag: "a1", IMAPStatus(kind: .no, text: "bad\u{FFFD}[31m\u{FFFD}x")))
    }

    @Test("tagged completions with their response codes")
    func taggedResponses() throws {
        #expect(try parseOne("A142 OK [READ-WRITE] SELECT completed\r\n") == .tagged(tag: "A142", IMAPStatus(kind: .ok, code: .readWrite, text: "SELECT completed")))
        #expect(try parseOne("A932 OK [READ-ONLY] EXAMINE completed\r\n") == .tagged(tag: "A932", IMAPStatus(kind: .ok, code: .readOnly, text: "EXAMINE completed")))
        #expect(try parseOne("A003 NO [TRYCREATE] Mailbox doesn't exist: Generator\r\n")
            == .tagged(tag: "A003", IMAPStatus(kind: .no, code: .tryCreate, text: "Mailbox doesn't exist: Generator")))
        #expect(try parseOne("a1 BAD Error in IMAP command: Unknown command\r\n") == .tagged(tag: "a1", IMAPStatus(kind: .bad, text: "Error in IMAP command: Unknown command")))
        #expect(try parseOne("a1 OK\r\n") == .tagged(tag: "a1", IMAPStatus(kind: .ok)))
        #expect(try parseOne("a1 ok done\r\n") == .tagged(tag: "a1", IMAPStatus(kind: .ok, text: "done")))
        #expect(try parseOne("a2 NO [ALREADYEXISTS] Mailbox already exists\r\n")
            == .tagged(tag: "a2", IMAPStatus(kind: .no, code: .alreadyExists, text: "Mailbox already exists")))
        #expect(try parseOne("a2 NO [NONEXISTENT] Unknown Mailbox\r\n") == .tagged(tag: "a2", IMAPStatus(kind: .no, code: .nonexistent, text: "Unknown Mailbox")))
        #expect(try parseOne("a2 OK [CLOSED] Previous mailbox closed.\r\n") == .tagged(tag: "a2", IMAPStatus(kind: .ok, code: .other("CLOSED", nil), text: "Previous mailbox closed.")))
        #expect(try parseOne("a2 NO [BADCHARSET (UTF-8 US-ASCII)] x\r\n")
            == .tagged(tag: "a2", IMAPStatus(kind: .no, code: .other("BADCHARSET", "(UTF-8 US-ASCII)"), text: "x")))
    }

    @Test("SELECT data: EXISTS, RECENT, FLAGS and the UID codes (RFC 3501 6.3.1)")
    func selectData() throws {
        #expect(try parseOne("* 172 EXISTS\r\n") == .untagged(.exists(172)))
        #expect(try parseOne("* 0 EXISTS\r\n") == .untagged(.exists(0)))
        #expect(try parseOne("* 1 RECENT\r\n") == .untagged(.recent(1)))
        #expect(try parseOne("* 44 EXPUNGE\r\n") == .untagged(.expunge(44)))
        #expect(try parseOne("* OK [UNSEEN 12] Message 12 is first unseen\r\n") == .untagged(.status(IMAPStatus(kind: .ok, code: .unseen(12), text: "Message 12 is first unseen"))))
        #expect(try parseOne("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n") == .untagged(.status(IMAPStatus(kind: .ok, code: .uidValidity(3857529045), text: "UIDs valid"))))
        #expect(try parseOne("* OK [UIDNEXT 4392] Predicted next UID\r\n") == .untagged(.status(IMAPStatus(kind: .ok, code: .uidNext(4392), text: "Predicted next UID"))))
        #expect(try parseOne("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n")
            == .untagged(.flags([.answered, .flagged, .deleted, .seen, .draft])))
        #expect(try parseOne("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n")
            == .untagged(.status(IMAPStatus(kind: .ok, code: .permanentFlags([.deleted, .seen, IMAPFlag(trusted: "\\*")]), text: "Limited"))))
        #expect(try parseOne("* FLAGS ()\r\n") == .untagged(.flags([])))
    }

    @Test("capabilities, untagged and as a response code, upper-cased")
    func capabilities() throws {
        #expect(try parseOne("* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n")
            == .untagged(.capability(["IMAP4REV1", "STARTTLS", "AUTH=GSSAPI", "LOGINDISABLED"])))
        let dovecot = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n"
        #expect(try parseOne(dovecot) == .untagged(.status(IMAPStatus(
            kind: .ok, code: .capability(["IMAP4REV1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE", "IDLE", "LITERAL+", "STARTTLS", "AUTH=PLAIN"]), text: "Dovecot ready."))))
        #expect(try parseOne("* CAPABILITY IMAP4rev1 \r\n") == .untagged(.capability(["IMAP4REV1"])))
    }

    @Test("LIST entries with attributes, delimiters, quoted and encoded names")
    func list() throws {
        #expect(try parseOne("* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n")
            == .untagged(.list(IMAPListEntry(attributes: ["\\Noselect"], delimiter: "/", mailbox: IMAPMailbox(encoded: "~/Mail/foo")))))
        #expect(try parseOne("* LIST (\\HasNoChildren) \".\" \"My Folder\"\r\n")
            == .untagged(.list(IMAPListEntry(attributes: ["\\HasNoChildren"], delimiter: ".", mailbox: IMAPMailbox(encoded: "My Folder")))))
        #expect(try parseOne("* LIST () NIL INBOX\r\n") == .untagged(.list(IMAPListEntry(attributes: [], delimiter: nil, mailbox: .inbox))))
        #expect(try parseOne("* LIST () \"\\\\\" {5}\r\na b c\r\n")
            == .untagged(.list(IMAPListEntry(attributes: [], delimiter: "\\", mailbox: IMAPMailbox(encoded: "a b c")))))
        let encoded = try parseOne("* LIST (\\HasChildren) \"/\" G&AOk-n&AOk-rateur\r\n")
        guard case let .untagged(.list(entry)) = encoded else { Issue.record("not a LIST"); return }
        #expect(entry.mailbox.name == "Générateur")
        #expect(entry.isSelectable)
        #expect(!IMAPListEntry(attributes: ["\\NoSelect"], delimiter: nil, mailbox: .inbox).isSelectable)
        #expect(try parseOne("* LIST (\\Subscribed) \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n")
            == .untagged(.list(IMAPListEntry(attributes: ["\\Subscribed"], delimiter: "/", mailbox: IMAPMailbox(encoded: "Foo")))))
    }

    @Test("SEARCH results, empty and with a CONDSTORE suffix")
    func search() throws {
        #expect(try parseOne("* SEARCH 2 84 882\r\n") == .untagged(.search([2, 84, 882])))
        #expect(try parseOne("* SEARCH\r\n") == .untagged(.search([])))
        #expect(try parseOne("* SEARCH 4 (MODSEQ 917162500)\r\n") == .untagged(.search([4])))
        #expect(throws: IMAPParseError.self) { try parseOne("* SEARCH 0\r\n") }
        #expect(throws: IMAPParseError.self) { try parseOne("* SEARCH 4294967296\r\n") }
        #expect(throws: IMAPParseError.self) { try parseOne("* SEARCH 1  2\r\n") }
    }

    @Test("FETCH with UID, FLAGS, size and header literals (RFC 3501 7.4.2)")
    func fetch() throws {
        #expect(try parseOne("* 23 FETCH (FLAGS (\\Seen) UID 4827313)\r\n") == .untagged(.fetch(sequenceNumber: 23, [.flags([.seen]), .uid(4827313)])))
        let header = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\nFrom: Terry Gray <gray@cac.washington.edu>\r\n\r\n"
        let text = "* 12 FETCH (UID 7 RFC822.SIZE 4286 BODY[HEADER.FIELDS (DATE FROM)] {\(header.utf8.count)}\r\n\(header))\r\n"
        let response = try parseOne(text)
        #expect(response == .untagged(.fetch(sequenceNumber: 12, [.uid(7), .rfc822Size(4286), .body(.headerFields(["DATE", "FROM"]), origin: nil, .bytes(wire(header)))])))
        guard case let .untagged(.fetch(_, items)) = response else { return }
        #expect(items.uid == 7 && items.rfc822Size == 4286 && items.flags == nil)
        #expect(items.body(.headerFields(["DATE", "FROM"])) == .some(.bytes(wire(header))))
        #expect(items.body(.text) == nil)
    }

    @Test("FETCH body sections as quoted strings, NIL, partial origins and skipped items")
    func fetchShapes() throws {
        #expect(try parseOne("* 1 FETCH (BODY[TEXT]<0> \"hello\")\r\n") == .untagged(.fetch(sequenceNumber: 1, [.body(.text, origin: 0, .bytes(wire("hello")))])))
        #expect(try parseOne("* 1 FETCH (BODY[HEADER] NIL)\r\n") == .untagged(.fetch(sequenceNumber: 1, [.body(.header, origin: nil, nil)])))
        #expect(try parseOne("* 1 FETCH (BODY[] {0}\r\n)\r\n") == .untagged(.fetch(sequenceNumber: 1, [.body(.full, origin: nil, .bytes([]))])))
        #expect(try parseOne("* 1 FETCH (RFC822.HEADER {2}\r\nab UID 9)\r\n")
            == .untagged(.fetch(sequenceNumber: 1, [.body(.header, origin: nil, .bytes(wire("ab"))), .uid(9)])))
        #expect(try parseOne("* 1 FETCH (BODY[1.MIME] \"x\" INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n")
            == .untagged(.fetch(sequenceNumber: 1, [.body(.other("1.MIME"), origin: nil, .bytes(wire("x"))), .internalDate("17-Jul-1996 02:44:25 -0700")])))
        // RFC 3501's ENVELOPE and BODY examples are skipped whole, nesting and NILs included.
        let rfc = #"* 12 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))"# + "\r\n"
        #expect(try parseOne(rfc) == .untagged(.fetch(sequenceNumber: 12, [
            .flags([.seen]), .internalDate("17-Jul-1996 02:44:25 -0700"), .rfc822Size(4286), .other("ENVELOPE"), .other("BODY"),
        ])))
        #expect(try parseOne("* 5 FETCH (MODSEQ (12121231000) UID 4)\r\n") == .untagged(.fetch(sequenceNumber: 5, [.other("MODSEQ"), .uid(4)])))
    }

    @Test("UIDPLUS codes: APPENDUID and COPYUID")
    func uidPlus() throws {
        #expect(try parseOne("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n")
            == .tagged(tag: "A003", IMAPStatus(kind: .ok, code: .appendUID(validity: 38505, uid: 3955), text: "APPEND completed")))
        #expect(try parseOne("* OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n")
            == .untagged(.status(IMAPStatus(kind: .ok, code: .copyUID(validity: 38505, source: IMAPSequenceSet(parsing: "304,319:320")!, destination: IMAPSequenceSet(parsing: "3956:3958")!), text: "Done"))))
    }

    @Test("unknown untagged data is named, not parsed")
    func unknownData() throws {
        #expect(try parseOne("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n") == .untagged(.other("STATUS")))
        #expect(try parseOne("* ID (\"name\" \"Dovecot\")\r\n") == .untagged(.other("ID")))
        #expect(try parseOne("* 3 XWEIRD 1 2\r\n") == .untagged(.other("XWEIRD")))
        #expect(try parseOne("* NAMESPACE ((\"\" \"/\")) NIL {3}\r\nabc\r\n") == .untagged(.other("NAMESPACE")))
    }

    @Test("malformed responses throw a parse error")
    func malformed() {
        let bad = [
            "\r\n", "*\r\n", "* \r\n", "a1\r\n", "a1 MAYBE fine\r\n", "a1 BYE x\r\n", "+1 OK\r\n",
            "* 0 FETCH (UID 1)\r\n", "* 1 FETCH UID 1\r\n", "* 1 FETCH (UID 0)\r\n", "* 1 FETCH (UID 1\r\n", "* 1 FETCH (UID 1) \r\n",
            "* 1 FETCH (BODY[TEXT] \"abc)\r\n", "* 1 FETCH (BODY[TEXT] \"a\\b\")\r\n", "* 1 FETCH (BODY[TEXT \"a\")\r\n",
            "* 1 FETCH (BODY[TEXT]<x> \"a\")\r\n", "* 1 FETCH (BODY[TEXT] {3}\r\nab)\r\n", "* 1 FETCH (RFC822.SIZE 99999999999999999999999)\r\n",
            "* 1 FETCH (FLAGS (\\Seen)(x))\r\n", "* 1 FETCH (ENVELOPE (((((x)))))\r\n", "* 1 FETCH (X )\r\n",
            "* OK [UIDNEXT 0] x\r\n", "* OK [UIDNEXT] x\r\n", "* OK [UIDVALIDITY 4294967296] x\r\n", "* OK [ALERT x\r\n",
            "* OK [COPYUID 1 2] x\r\n", "* FLAGS (\\Seen\r\n", "* FLAGS \\Seen\r\n", "* LIST () \"ab\" x\r\n", "* LIST () \"/\"\r\n",
            "* LIST () \"/\" \"\"\r\n", "* LIST () / INBOX\r\n", "* 4294967296 EXISTS\r\n", "* 1 FETCH (UID 1 \"x\" {2}\r\nab)\r\n",
        ]
        for text in bad {
            #expect(throws: (any Error).self, "\(text.debugDescription)") { try parseOne(text) }
        }
        #expect(throws: IMAPParseError.self) { try IMAPResponseParser.parse(IMAPFrame(lines: [], literals: [])) }
        #expect(throws: IMAPParseError.self) { try IMAPResponseParser.parse(IMAPFrame(lines: [wire("* 1 FETCH (BODY[] {2}")], literals: [])) }
        #expect(throws: IMAPParseError.self) {
            try IMAPResponseParser.parse(IMAPFrame(lines: [wire("* 1 FETCH (BODY[] {2}"), wire(")")], literals: [.bytes([1, 2, 3])]))
        }
    }
}
