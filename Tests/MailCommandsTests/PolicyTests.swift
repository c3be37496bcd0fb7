import Foundation
import MailCommands
import MailProtocol
import Monitor
import OneTimeCode
import Testing

@Suite("One-time codes: RFC 6238, one step of drift, each code once, wrong and expired told apart")
struct OneTimeCodeCheckerTests {
    let checker = OneTimeCodeChecker(totp: MailFixture.totp)
    let now = MailFixture.unixNow
    var step: Int64 { now / 30 }

    @Test("RFC 6238's SHA-1 vector: at T = 59 s the 8-digit code is 94287082, so the 6-digit one is 287082")
    func specVector() throws {
        #expect(try TOTP(secret: MailFixture.secret, digits: 8).code(at: 59) == "94287082")
        #expect(OneTimeCodeChecker(totp: MailFixture.totp).check("287082", at: 59, lastUsedStep: nil) == .accepted(step: 1))
    }

    @Test("now, one step before and one after are accepted; two steps away is expired; a used step is refused")
    func window() {
        #expect(checker.check(MailFixture.code(), at: now, lastUsedStep: nil) == .accepted(step: step))
        #expect(checker.check(MailFixture.code(offsetSteps: -1), at: now, lastUsedStep: nil) == .accepted(step: step - 1))
        #expect(checker.check(MailFixture.code(offsetSteps: 1), at: now, lastUsedStep: nil) == .accepted(step: step + 1))
        #expect(checker.check(MailFixture.code(offsetSteps: -2), at: now, lastUsedStep: nil) == .expired)
        #expect(checker.check(MailFixture.code(offsetSteps: -10), at: now, lastUsedStep: nil) == .expired)
        #expect(checker.check(MailFixture.code(), at: now, lastUsedStep: step) == .reused)
        #expect(checker.check(MailFixture.code(offsetSteps: -1), at: now, lastUsedStep: step) == .reused)
        #expect(checker.check(MailFixture.code(offsetSteps: 1), at: now, lastUsedStep: step) == .accepted(step: step + 1))
    }

    @Test("missing, malformed, wrong and not enrolled each have their own plain reason")
    func refusals() {
        var wrong = MailFixture.code()
        wrong = String(wrong.prefix(5)) + (wrong.last == "0" ? "1" : "0")
        #expect(checker.check(nil, at: now, lastUsedStep: nil) == .missing)
        #expect(checker.check("12345", at: now, lastUsedStep: nil) == .malformed)
        #expect(checker.check("12345a", at: now, lastUsedStep: nil) == .malformed)
        #expect(checker.check("１２３４５６", at: now, lastUsedStep: nil) == .malformed)
        #expect(checker.check(wrong, at: now, lastUsedStep: nil) == .wrong || checker.check(wrong, at: now, lastUsedStep: nil) == .expired)
        #expect(OneTimeCodeChecker(totp: nil).check(MailFixture.code(), at: now, lastUsedStep: nil) == .notEnrolled)
        let reasons = [CodeVerdict.missing, .malformed, .wrong, .expired, .reused, .notEnrolled].compactMap(\.refusal)
        #expect(Set(reasons).count == 6)
        #expect(CodeVerdict.accepted(step: 1).refusal == nil)
    }
}

@Suite("Policy: who may command, authenticated senders, read-only e-mail, codes for writes")
struct EmailCommandPolicyTests {
    let policy = MailFixture.policy()
    let now = MailFixture.now

    @Test("an allowed sender reads without a code; the code is not spent")
    func readsNeedNoCode() {
        let plan = policy.plan(MailFixture.mail(subject: "generator: status maint code=\(MailFixture.code())"), now: now, lastUsedStep: nil)
        #expect(plan.answer && plan.refusal == nil && plan.codeStep == nil)
        #expect(plan.request == "generator: status maint")
        #expect(plan.origin == CommandOrigin(interface: .email, principal: MailFixture.owner, mayControl: false))
        #expect(plan.origin?.description == "email:owner@example.com")
    }

    @Test("a write with a valid code may control, and names the step to record")
    func writeWithCode() {
        let plan = policy.plan(MailFixture.mail(subject: "generator: setremote=start code=\(MailFixture.code())"), now: now, lastUsedStep: nil)
        #expect(plan.origin?.mayControl == true && plan.codeStep == MailFixture.unixNow / 30)
        #expect(plan.request == "generator: setremote=start" && plan.answer && plan.refusal == nil)
        let reused = plan.refusingReusedCode()
        #expect(reused.origin?.mayControl == false && reused.codeStep == nil && reused.refusal == CodeVerdict.reused.refusal)
    }

    @Test("writes without, with a wrong, expired or used code are handed over refused, with the reason, and answered")
    func writesRefused() {
        let cases: [(String, Int64?, CodeVerdict)] = [
            ("generator: setremote=start", nil, .missing),
            ("generator: setremote=start code=12", nil, .malformed),
            ("generator: setremote=start code=\(MailFixture.code(offsetSteps: -4))", nil, .expired),
            ("generator: setremote=start code=\(MailFixture.code())", MailFixture.unixNow / 30, .reused),
        ]
        for (subject, last, verdict) in cases {
            let plan = policy.plan(MailFixture.mail(subject: subject), now: now, lastUsedStep: last)
            #expect(plan.answer, "\(subject)")
            #expect(plan.request == "generator: setremote=start", "\(subject)")
            #expect(plan.origin?.mayControl == false && plan.origin?.refusalReason == verdict.refusal, "\(subject)")
            #expect(plan.refusal == verdict.refusal && plan.codeStep == nil, "\(subject)")
        }
        let unenrolled = MailFixture.policy(enrolled: false).plan(MailFixture.mail(subject: "generator: settime code=123456"), now: now, lastUsedStep: nil)
        #expect(unenrolled.refusal == CodeVerdict.notEnrolled.refusal)
    }

    @Test("a stranger gets no answer: reads never run, writes are handed over refused (audited) without the reads")
    func strangers() {
        let read = policy.plan(MailFixture.mail(from: MailFixture.stranger, subject: "generator: status"), now: now, lastUsedStep: nil)
        #expect(!read.answer && read.request == nil && read.origin == nil)
        let write = policy.plan(MailFixture.mail(from: MailFixture.stranger, subject: "generator: status SETREMOTE=start code=\(MailFixture.code())"),
                                now: now, lastUsedStep: nil)
        #expect(!write.answer && write.codeStep == nil)
        #expect(write.request == "generator: SETREMOTE=start")
        #expect(write.origin?.mayControl == false && write.origin?.refusalReason?.contains("email_command_senders") == true)
        let noise = policy.plan(MailFixture.mail(from: MailFixture.stranger, subject: "hello"), now: now, lastUsedStep: nil)
        #expect(!noise.answer && noise.request == nil)
    }

    @Test("Authentication-Results: a failing one is a stranger's mail; none is fine by default, refused when always required")
    func authentication() {
        let subject = "generator: setremote=start code=\(MailFixture.code())"
        let failing = policy.plan(MailFixture.mail(subject: subject, authenticationResults: [MailFixture.failing()]), now: now, lastUsedStep: nil)
        #expect(!failing.answer && failing.origin?.mayControl == false && failing.codeStep == nil)
        #expect(failing.origin?.refusalReason?.contains("not authenticated") == true)
        let passing = policy.plan(MailFixture.mail(subject: subject, authenticationResults: [MailFixture.passing()]), now: now, lastUsedStep: nil)
        #expect(passing.origin?.mayControl == true)
        // Another domain's pass does not vouch for this sender.
        let otherDomain = policy.plan(MailFixture.mail(subject: subject, authenticationResults: [MailFixture.passing("evil.example")]),
                                      now: now, lastUsedStep: nil)
        #expect(otherDomain.origin?.mayControl == false && !otherDomain.answer)
        // A pass below the receiving server's own field was written by the sender: not believed.
        let forged = policy.plan(MailFixture.mail(subject: subject, authenticationResults: [MailFixture.failing(), MailFixture.passing()]),
                                 now: now, lastUsedStep: nil)
        #expect(forged.origin?.mayControl == false)
        let strict = MailFixture.policy(authentication: .always).plan(MailFixture.mail(subject: subject), now: now, lastUsedStep: nil)
        #expect(!strict.answer && strict.origin?.mayControl == false)
        let lax = MailFixture.policy(authentication: .never)
            .plan(MailFixture.mail(subject: subject, authenticationResults: [MailFixture.failing()]), now: now, lastUsedStep: nil)
        #expect(lax.origin?.mayControl == true)
        #expect(SenderAuthenticationRule(configured: nil) == .whenPresent && SenderAuthenticationRule(configured: true) == .always)
    }

    @Test("readonlyemailcommands refuses every write, in any case, with the reason; reads still run")
    func readOnly() {
        let plan = MailFixture.policy(readOnly: true)
            .plan(MailFixture.mail(subject: "generator: status SETREMOTE=stop code=\(MailFixture.code())"), now: now, lastUsedStep: nil)
        #expect(plan.answer && plan.origin?.mayControl == false && plan.codeStep == nil)
        #expect(plan.refusal?.contains("readonlyemailcommands") == true)
        #expect(plan.request == "generator: status SETREMOTE=stop")
    }

    @Test("own address, automatic mail, unreadable headers and subjects that are not commands")
    func ignored() {
        #expect(!policy.plan(MailFixture.mail(from: "genmon@example.org", subject: "generator: status"), now: now, lastUsedStep: nil).answer)
        let automatic = CommandMail.read(header: MailFixture.header(subject: "generator: status", extra: ["Auto-Submitted: auto-replied"]))
        #expect(policy.plan(automatic, now: now, lastUsedStep: nil).request == nil)
        #expect(!policy.plan(.unreadable("broken"), now: now, lastUsedStep: nil).answer)
        let notCommand = policy.plan(MailFixture.mail(subject: "hello there"), now: now, lastUsedStep: nil)
        #expect(notCommand.answer && notCommand.request == nil && notCommand.refusal?.contains("generator:") == true)
        // Socket-only commands are not writes: they go to the parser, which skips them for e-mail.
        let socketOnly = policy.plan(MailFixture.mail(subject: "generator: writeregvalue=0001,0002 status_json"), now: now, lastUsedStep: nil)
        #expect(socketOnly.origin?.mayControl == false && socketOnly.refusal == nil)
    }
}
