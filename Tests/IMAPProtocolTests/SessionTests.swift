import Testing
@testable import MailProtocol

@Suite("IMAP session state machine")
struct SessionTests {
    let start = ContinuousClock.now

    func greeted(_ greeting: String = "* OK [CAPABILITY IMAP4rev1 SASL-IR IDLE LITERAL+ AUTH=PLAIN MOVE UIDPLUS] ready\r\n") throws -> IMAPSession {
        var session = IMAPSession(tagPrefix: "G")
        #expect(try session.receive(parseOne(greeting), now: start) == [])
        return session
    }

    @Test("an OK greeting with capabilities leads to not-authenticated; BYE or a tagged line is refused")
    func greeting() throws {
        let session = try greeted()
        #expect(session.state == .notAuthenticated)
        #expect(session.supports("idle") && session.supports("AUTH=PLAIN") && !session.supports("STARTTLS"))
        var refused = IMAPSession()
        #expect(throws: IMAPSessionError.serverClosed(IMAPStatus(kind: .bye, text: "go away"))) { try refused.receive(parseOne("* BYE go away\r\n"), now: start) }
        var early = IMAPSession()
        #expect(throws: IMAPSessionError.self) { try early.receive(parseOne("a1 OK hi\r\n"), now: start) }
        var preauth = IMAPSession()
        _ = try preauth.receive(parseOne("* PREAUTH welcome\r\n"), now: start)
        #expect(preauth.state == .authenticated && !preauth.capabilitiesKnown)
        var silent = IMAPSession()
        #expect(throws: IMAPSessionError.self) { try silent.send(.noop, now: start) }
    }

    @Test("setup: STARTTLS first, then capabilities again, then PLAIN with SASL-IR, else LOGIN")
    func setupPlan() throws {
        var session = try greeted("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n")
        #expect(try session.nextSetupStep(needsStartTLS: true, username: "u", password: "p") == .startTLS)
        #expect(try session.send(.startTLS, now: start) == wire("G1 STARTTLS\r\n"))
        _ = try session.receive(parseOne("G1 OK Begin TLS negotiation now\r\n"), now: start)
        #expect(session.capabilities.isEmpty && !session.capabilitiesKnown)
        #expect(try session.nextSetupStep(needsStartTLS: false, username: "u", password: "p") == .capability)
        _ = try session.send(.capability, now: start)
        _ = try session.receive(parseOne("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"), now: start)
        let done = try session.receive(parseOne("G2 OK done\r\n"), now: start)
        #expect(done == [.completed(IMAPCompletion(tag: "G2", command: .capability, status: IMAPStatus(kind: .ok, text: "done"), untagged: [.capability(["IMAP4REV1", "AUTH=PLAIN"])]))])
        #expect(try session.nextSetupStep(needsStartTLS: false, username: "u", password: "p")
            == .authenticate(.authenticatePlain(username: "u", password: "p", initialResponse: false)))
        #expect(try self.greeted().nextSetupStep(needsStartTLS: false, username: "u", password: "p")
            == .authenticate(.authenticatePlain(username: "u", password: "p", initialResponse: true)))
        #expect(try self.greeted("* OK [CAPABILITY IMAP4rev1] hi\r\n").nextSetupStep(needsStartTLS: false, username: "u", password: "p")
            == .authenticate(.login(username: "u", password: "p")))
        #expect(throws: IMAPSetupError.noAuthenticationMethod) {
            try self.greeted("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] hi\r\n").nextSetupStep(needsStartTLS: false, username: "u", password: "p")
        }
        #expect(throws: IMAPSetupError.startTLSUnavailable) { try self.greeted().nextSetupStep(needsStartTLS: true, username: "u", password: "p") }
        #expect(try self.greeted().nextSetupStep(needsStartTLS: false, username: "u", password: "p", method: .login)
            == .authenticate(.login(username: "u", password: "p")))
        #expect(throws: IMAPSetupError.noAuthenticationMethod) {
            try self.greeted("* OK [CAPABILITY IMAP4rev1] hi\r\n").nextSetupStep(needsStartTLS: false, username: "u", password: "p", method: .plain)
        }
        #expect(throws: IMAPSetupError.noAuthenticationMethod) {
            try self.greeted("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN LOGINDISABLED] hi\r\n").nextSetupStep(needsStartTLS: false, username: "u", password: "p", method: .login)
        }
        #expect(throws: IMAPSetupError.credentialsRequired) { try self.greeted().nextSetupStep(needsStartTLS: false, username: nil, password: nil) }
        #expect(try self.greeted("* OK hi\r\n").nextSetupStep(needsStartTLS: false, username: "u", password: "p") == .capability)
        var preauth = IMAPSession()
        _ = try preauth.receive(parseOne("* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n"), now: start)
        #expect(throws: IMAPSetupError.startTLSUnavailable) { try preauth.nextSetupStep(needsStartTLS: true, username: nil, password: nil) }
        #expect(try preauth.nextSetupStep(needsStartTLS: false, username: nil, password: nil) == .ready)
    }

    @Test("a literal-carrying LOGIN waits for each continuation; success authenticates")
    func loginWithLiterals() throws {
        var session = try greeted("* OK [CAPABILITY IMAP4rev1] hi\r\n")
        #expect(try session.send(.login(username: "jörg", password: "pw"), now: start) == wire("G1 LOGIN {5}\r\n"))
        #expect(throws: IMAPSessionError.commandInProgress("LOGIN")) { try session.send(.noop, now: start) }
        #expect(try session.receive(.continuation("go"), now: start) == [.write(wire("jörg pw\r\n"))])
        let actions = try session.receive(parseOne("G1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n"), now: start)
        #expect(actions.count == 1)
        #expect(session.state == .authenticated && session.supports("IDLE") && session.capabilitiesKnown)
        #expect(throws: IMAPSessionError.unexpectedContinuation) { try session.receive(.continuation(""), now: start) }
        #expect(throws: IMAPSessionError.unknownTag("G7")) { try session.receive(parseOne("G7 OK x\r\n"), now: start) }
    }

    @Test("AUTHENTICATE PLAIN without SASL-IR answers the first challenge and cancels a second")
    func authenticateExchange() throws {
        var session = try greeted("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n")
        _ = try session.send(.authenticatePlain(username: "tim", password: "tanstaaftanstaaf", initialResponse: false), now: start)
        #expect(try session.receive(.continuation(""), now: start) == [.write(wire("AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n"))])
        #expect(try session.receive(.continuation("again?"), now: start) == [.write(wire("*\r\n"))])
        _ = try session.receive(parseOne("G1 BAD cancelled\r\n"), now: start)
        #expect(session.state == .notAuthenticated)
    }

    @Test("SELECT collects its untagged data; EXAMINE is read-only; a failed SELECT leaves no mailbox selected")
    func select() throws {
        var session = try greeted()
        _ = try session.send(.login(username: "u", password: "p"), now: start)
        _ = try session.receive(parseOne("G1 OK [CAPABILITY IMAP4rev1 MOVE] in\r\n"), now: start)
        #expect(throws: IMAPSessionError.self) { try session.send(.uidSearch(.all), now: start) }
        let box = try IMAPMailbox("Generator")
        #expect(try session.send(.select(box), now: start) == wire("G2 SELECT Generator\r\n"))
        for line in ["* 3 EXISTS\r\n", "* OK [UIDVALIDITY 77] ok\r\n", "* OK [UIDNEXT 9] ok\r\n"] {
            #expect(try session.receive(parseOne(line), now: start) == [])
        }
        let actions = try session.receive(parseOne("G2 OK [READ-WRITE] done\r\n"), now: start)
        guard case let .completed(completion)? = actions.first else { Issue.record("no completion"); return }
        #expect(completion.untagged == [.exists(3), .status(IMAPStatus(kind: .ok, code: .uidValidity(77), text: "ok")), .status(IMAPStatus(kind: .ok, code: .uidNext(9), text: "ok"))])
        #expect(session.state == .selected(box, readOnly: false))
        _ = try session.send(.examine(box), now: start)
        _ = try session.receive(parseOne("G3 OK done\r\n"), now: start)
        #expect(session.state == .selected(box, readOnly: true))
        _ = try session.send(.select(IMAPMailbox("Nope")), now: start)
        _ = try session.receive(parseOne("G4 NO [NONEXISTENT] no\r\n"), now: start)
        #expect(session.state == .authenticated)
        _ = try session.send(.logout, now: start)
        #expect(try session.receive(parseOne("* BYE bye\r\n"), now: start) == [])
        _ = try session.receive(parseOne("G5 OK done\r\n"), now: start)
        #expect(session.state == .loggedOut)
    }

    @Test("IDLE: started on the continuation, pushes new mail at once, renews after 29 minutes, ends with DONE")
    func idle() throws {
        var session = try greeted()
        _ = try session.send(.login(username: "u", password: "p"), now: start)
        _ = try session.receive(parseOne("G1 OK [CAPABILITY IMAP4rev1 IDLE] in\r\n"), now: start)
        _ = try session.send(.select(.inbox), now: start)
        _ = try session.receive(parseOne("G2 OK done\r\n"), now: start)
        #expect(throws: IMAPSessionError.self) { try session.endIdle() }
        #expect(try session.send(.idle, now: start) == wire("G3 IDLE\r\n"))
        #expect(!session.isIdling && !session.idleNeedsRenewal(now: start + .seconds(3600)))
        #expect(try session.receive(parseOne("+ idling\r\n"), now: start) == [.idleStarted])
        #expect(session.isIdling)
        // Nothing else may be sent until DONE has ended the IDLE.
        #expect(throws: IMAPSessionError.commandInProgress("IDLE")) { try session.send(.noop, now: start) }
        #expect(try session.receive(parseOne("* 4 EXISTS\r\n"), now: start) == [.unsolicited(.exists(4))])
        #expect(!session.idleNeedsRenewal(now: start + .seconds(28 * 60 + 59)))
        #expect(session.idleNeedsRenewal(now: start + .seconds(29 * 60)))
        #expect(try session.endIdle() == wire("DONE\r\n"))
        #expect(throws: IMAPSessionError.self) { try session.endIdle() }
        #expect(!session.idleNeedsRenewal(now: start + .seconds(40 * 60)))
        let actions = try session.receive(parseOne("G3 OK Idle completed\r\n"), now: start)
        #expect(actions == [.completed(IMAPCompletion(tag: "G3", command: .idle, status: IMAPStatus(kind: .ok, text: "Idle completed"), untagged: []))])
        #expect(!session.isIdling && !session.isBusy)
        #expect(IMAPSession(idleRenewalInterval: .seconds(3600)).idleRenewalInterval == .seconds(29 * 60))
    }

    @Test("an unsolicited BYE ends the session and is reported")
    func unsolicitedBye() throws {
        var session = try greeted()
        #expect(try session.receive(parseOne("* BYE shutting down\r\n"), now: start) == [.unsolicited(.status(IMAPStatus(kind: .bye, text: "shutting down")))])
        #expect(session.state == .loggedOut)
        #expect(throws: IMAPSessionError.self) { try session.send(.noop, now: start) }
    }
}
