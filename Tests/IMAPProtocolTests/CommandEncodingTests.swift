import Testing
@testable import MailProtocol

@Suite("IMAP command encoding")
struct CommandEncodingTests {
    @Test("simple commands are the tag, the name and CRLF")
    func simpleCommands() throws {
        #expect(try commandText(.capability) == "a1 CAPABILITY\r\n")
        #expect(try commandText(.noop, tag: "G12") == "G12 NOOP\r\n")
        #expect(try commandText(.logout) == "a1 LOGOUT\r\n")
        #expect(try commandText(.startTLS) == "a1 STARTTLS\r\n")
        #expect(try commandText(.expunge) == "a1 EXPUNGE\r\n")
        #expect(try commandText(.idle) == "a1 IDLE\r\n")
        #expect(IMAPCommandEncoder.done == wire("DONE\r\n"))
    }

    @Test("LOGIN writes atoms bare, quotes what needs quoting and escapes quote and backslash")
    func loginQuoting() throws {
        #expect(try commandText(.login(username: "genmon", password: "s3cret")) == "a1 LOGIN genmon s3cret\r\n")
        #expect(try commandText(.login(username: "me@example.com", password: "pass word")) == "a1 LOGIN me@example.com \"pass word\"\r\n")
        #expect(try commandText(.login(username: "a", password: #"q"u\o"#)) == #"a1 LOGIN a "q\"u\\o""# + "\r\n")
        #expect(try commandText(.login(username: "a", password: "(x)*%{")) == "a1 LOGIN a \"(x)*%{\"\r\n")
        #expect(try commandText(.login(username: "a", password: "")) == "a1 LOGIN a \"\"\r\n")
    }

    @Test("8-bit and CR/LF go in a literal, split at the continuation, or inline with LITERAL+")
    func loginLiterals() throws {
        #expect(try commandText(.login(username: "jörg", password: "x")) == "a1 LOGIN {5}\r\n|jörg x\r\n")
        #expect(try commandText(.login(username: "u", password: "a\r\nb2 DELETE INBOX")) == "a1 LOGIN u {18}\r\n|a\r\nb2 DELETE INBOX\r\n")
        #expect(try commandText(.login(username: "u", password: "a\r\nb"), literalPlus: true) == "a1 LOGIN u {4+}\r\na\r\nb\r\n")
    }

    @Test("NUL is refused everywhere, as is a bad tag")
    func injectionRefused() {
        #expect(throws: IMAPCommandError.containsNUL(field: "password")) { try commandText(.login(username: "u", password: "a\0b")) }
        #expect(throws: IMAPCommandError.containsNUL(field: "password")) {
            try commandText(.authenticatePlain(username: "u", password: "\0", initialResponse: true))
        }
        #expect(throws: IMAPCommandError.invalidTag("a b")) { try commandText(.noop, tag: "a b") }
        #expect(throws: IMAPCommandError.invalidTag("+1")) { try commandText(.noop, tag: "+1") }
        #expect(throws: IMAPCommandError.invalidTag("")) { try commandText(.noop, tag: "") }
        #expect(throws: IMAPCommandError.self) { try IMAPMailbox("Inbox\r\nA2 LOGOUT") }
        #expect(throws: IMAPCommandError.containsNUL(field: "mailbox name")) { try IMAPMailbox("a\0") }
        #expect(throws: IMAPCommandError.empty(field: "mailbox name")) { try IMAPMailbox("") }
        #expect(throws: IMAPCommandError.self) { try IMAPFlag("\\Seen Deleted") }
        #expect(throws: IMAPCommandError.self) { try IMAPFlag("x\r\n") }
        #expect(throws: IMAPCommandError.self) { try IMAPFlag("\\") }
        #expect(throws: IMAPCommandError.containsNUL(field: "message")) {
            try commandText(.append(.inbox, flags: [], message: [0x41, 0]))
        }
        #expect(throws: IMAPCommandError.self) { try commandText(.uidFetch(IMAPSequenceSet([1]), [.bodyPeek(.headerFields(["Sub ject"]))])) }
        #expect(throws: IMAPCommandError.self) { try commandText(.uidFetch(IMAPSequenceSet([1]), [.bodyPeek(.headerFields([]))])) }
        #expect(throws: IMAPCommandError.self) { try commandText(.uidFetch(IMAPSequenceSet([1]), [.bodyPeek(.other("1]\r\n"))])) }
        #expect(throws: IMAPCommandError.self) { try commandText(.uidFetch(IMAPSequenceSet([1]), [])) }
        #expect(throws: IMAPCommandError.self) { try commandText(.list(reference: "", pattern: "")) }
    }

    @Test("AUTHENTICATE PLAIN: initial response inline (SASL-IR) or after the continuation (RFC 4616 example)")
    func authenticatePlain() throws {
        // RFC 4616 section 4: authcid "tim", password "tanstaaftanstaaf".
        #expect(try commandText(.authenticatePlain(username: "tim", password: "tanstaaftanstaaf", initialResponse: true))
            == "a1 AUTHENTICATE PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n")
        #expect(try commandText(.authenticatePlain(username: "tim", password: "tanstaaftanstaaf", initialResponse: false))
            == "a1 AUTHENTICATE PLAIN\r\n|AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n")
        #expect(try commandText(.authenticatePlain(username: "Ursel", password: "kurt", authorizationIdentity: "Kurt", initialResponse: true))
            == "a1 AUTHENTICATE PLAIN S3VydABVcnNlbABrdXJ0\r\n")
    }

    @Test("mailbox commands use modified UTF-7 and quote names with spaces")
    func mailboxes() throws {
        #expect(try commandText(.select(.inbox)) == "a1 SELECT INBOX\r\n")
        #expect(try commandText(.select(IMAPMailbox("Generator/Processed"))) == "a1 SELECT Generator/Processed\r\n")
        #expect(try commandText(.create(IMAPMailbox("My Mail"))) == "a1 CREATE \"My Mail\"\r\n")
        #expect(try commandText(.examine(IMAPMailbox("Générateur"))) == "a1 EXAMINE G&AOk-n&AOk-rateur\r\n")
        #expect(try commandText(.list(reference: "", pattern: "*")) == "a1 LIST \"\" \"*\"\r\n")
        #expect(try commandText(.list(reference: "", pattern: "Generator/%")) == "a1 LIST \"\" \"Generator/%\"\r\n")
    }

    @Test("modified UTF-7 follows RFC 3501 5.1.3 and round-trips")
    func modifiedUTF7() throws {
        // The RFC's example: "~peter/mail/台北/日本語".
        let name = try IMAPMailbox("~peter/mail/\u{53F0}\u{5317}/\u{65E5}\u{672C}\u{8A9E}")
        #expect(name.encoded == "~peter/mail/&U,BTFw-/&ZeVnLIqe-")
        #expect(IMAPMailbox(encoded: "~peter/mail/&U,BTFw-/&ZeVnLIqe-").name == name.name)
        #expect(try IMAPMailbox("R&D").encoded == "R&-D")
        #expect(IMAPMailbox(encoded: "R&-D").name == "R&D")
        #expect(try IMAPMailbox("😀 mail").encoded == "&2D3eAA- mail")
        #expect(IMAPMailbox(encoded: "&2D3eAA- mail").name == "😀 mail")
        #expect(IMAPMailbox(encoded: "broken&AOk").name == "broken&AOk")  // unterminated: kept as sent
        #expect(IMAPMailbox(encoded: "&2D0-").name == "&2D0-")  // lone surrogate
        #expect(try IMAPMailbox("inbox") == .inbox)
        #expect(IMAPMailbox(encoded: "Inbox") == .inbox)
    }

    @Test("UID commands: search keys, fetch items, store, copy, move, expunge")
    func uidCommands() throws {
        let set = try IMAPSequenceSet([7, 3, 4, 5, 9])
        #expect(set.description == "3:5,7,9")
        #expect(try commandText(.uidSearch(.unseen)) == "a1 UID SEARCH UNSEEN\r\n")
        #expect(try commandText(.uidSearch(.all)) == "a1 UID SEARCH ALL\r\n")
        #expect(try commandText(.uidSearch(.and([.uid(IMAPSequenceSet(from: 10, through: nil)), .undeleted]))) == "a1 UID SEARCH UID 10:* UNDELETED\r\n")
        #expect(try commandText(.uidSearch(.or(.unseen, .and([.new, .larger(100)])))) == "a1 UID SEARCH OR UNSEEN (NEW LARGER 100)\r\n")
        #expect(try commandText(.uidSearch(.not(.deleted))) == "a1 UID SEARCH NOT DELETED\r\n")
        #expect(try commandText(.uidSearch(.and([]))) == "a1 UID SEARCH ALL\r\n")
        #expect(try commandText(.uidFetch(set, [.uid, .flags, .rfc822Size, .bodyPeek(.headerFields(["Subject", "From"]))]))
            == "a1 UID FETCH 3:5,7,9 (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])\r\n")
        #expect(try commandText(.uidFetch(set, [.bodyPeek(.header), .bodyPeek(.text, partial: IMAPPartial(count: 2048)), .internalDate]))
            == "a1 UID FETCH 3:5,7,9 (BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.2048> INTERNALDATE)\r\n")
        #expect(try commandText(.uidFetch(set, [.bodyPeek(.full), .bodyPeek(.headerFieldsNot(["X-A"])), .bodyPeek(.other("1.MIME"))]))
            == "a1 UID FETCH 3:5,7,9 (BODY.PEEK[] BODY.PEEK[HEADER.FIELDS.NOT (X-A)] BODY.PEEK[1.MIME])\r\n")
        #expect(try commandText(.uidStore(set, .add, [.deleted], silent: true)) == "a1 UID STORE 3:5,7,9 +FLAGS.SILENT (\\Deleted)\r\n")
        #expect(try commandText(.uidStore(set, .remove, [.seen, IMAPFlag("$Done")], silent: false)) == "a1 UID STORE 3:5,7,9 -FLAGS (\\Seen $Done)\r\n")
        #expect(try commandText(.uidStore(set, .replace, [], silent: false)) == "a1 UID STORE 3:5,7,9 FLAGS ()\r\n")
        #expect(try commandText(.uidCopy(set, IMAPMailbox("Generator/Processed"))) == "a1 UID COPY 3:5,7,9 Generator/Processed\r\n")
        #expect(try commandText(.uidMove(set, IMAPMailbox("Done"))) == "a1 UID MOVE 3:5,7,9 Done\r\n")
        #expect(try commandText(.uidExpunge(set)) == "a1 UID EXPUNGE 3:5,7,9\r\n")
    }

    @Test("APPEND sends the message as a literal")
    func append() throws {
        let message = wire("Subject: hi\r\n\r\nbody\r\n")
        #expect(try commandText(.append(IMAPMailbox("Generator"), flags: [.seen], message: message))
            == "a1 APPEND Generator (\\Seen) {21}\r\n|Subject: hi\r\n\r\nbody\r\n\r\n")
        #expect(try commandText(.append(.inbox, flags: [], message: message), literalPlus: true)
            == "a1 APPEND INBOX {21+}\r\nSubject: hi\r\n\r\nbody\r\n\r\n")
    }

    @Test("sequence sets merge runs, refuse zero and parse their wire form")
    func sequenceSets() throws {
        #expect(try IMAPSequenceSet([1, 2, 3, 10, 11, 4294967295]).description == "1:3,10:11,4294967295")
        #expect(throws: IMAPCommandError.self) { try IMAPSequenceSet([]) }
        #expect(throws: IMAPCommandError.self) { try IMAPSequenceSet([0, 1]) }
        #expect(throws: IMAPCommandError.self) { try IMAPSequenceSet(from: 0, through: 4) }
        #expect(IMAPSequenceSet(parsing: "3:5,7,9:*")?.description == "3:5,7,9:*")
        #expect(IMAPSequenceSet(parsing: "5:3")?.description == "3:5")
        #expect(IMAPSequenceSet(parsing: "*")?.description == "*")
        #expect(IMAPSequenceSet(parsing: "3:5,7")?.numbers() == [3, 4, 5, 7])
        #expect(IMAPSequenceSet(parsing: "1:*")?.numbers() == nil)
        #expect(IMAPSequenceSet(parsing: "1:4294967295")?.numbers(limit: 10) == nil)
        for bad in ["", "0", "1:0", ",", "1,", "a", "1:2:3", "-1", "99999999999"] {
            #expect(IMAPSequenceSet(parsing: bad) == nil, "\(bad)")
        }
        #expect(IMAPSequenceSet(parsing: "2:4")?.contains(3) == true)
        #expect(IMAPSequenceSet(parsing: "9:*")?.contains(12, largest: 20) == true)
    }
}
