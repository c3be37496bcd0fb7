import Foundation
import GenmonBasics
import GenmonTesting
import MailCommands
import MailProtocol
import Monitor
import OneTimeCode
import Testing

@Suite("Hostile mail: nothing traps, nothing runs that should not, intake keeps up")
struct HostileMailTests {
    @Test("a 20 MB header, no header, a 100 KB subject, broken MIME and encoded words with CR/LF/NUL: handled, a valid code controls once")
    func hostileHeaders() async throws {
        let rig = try ServiceRig()
        let code = MailFixture.code()
        var headers: [[UInt8]?] = [
            nil,
            MailFixture.header(subject: "generator: setremote=start code=\(code) " + String(repeating: "A", count: 100_000)),
            Array("From: \u{0}\r\nSubject: =?UTF-8?B?////?= generator: setremote=start\r\n\r\n".utf8),
            Array("\r\n\r\n".utf8),
            Array(repeating: UInt8(ascii: ":"), count: 70_000),
            MailFixture.header(subject: "=?UTF-8?Q?generator:_setremote=3Dstart=0D=0Acode=3D\(code)=00?="),
            MailFixture.header(subject: "generator: setremote=start\u{0}code=\(code)"),
            MailFixture.header(subject: "=?x-unknown?B?Z2VuZXJhdG9yOiBzdGF0dXM=?= =?UTF-8?B?not base64!?="),
            Array("From: <\(MailFixture.owner)>\r\nSubject: generator: setremote=start\r\n code=\(code)\r\n\r\n".utf8),
        ]
        // Header bytes as a 20 MB message's header literal would arrive when over the client's limit.
        let large = MailFixture.incoming(uid: 99, header: nil)
        var tooLarge = large
        tooLarge.summary.header = .tooLarge(size: 20 * 1024 * 1024)
        #expect(try await rig.commands.claim(tooLarge.identity) == .handle)
        let handledLarge = await rig.commands.handle(tooLarge)
        #expect(handledLarge.summary.contains("ignored") && handledLarge.replyID == nil)
        headers.append(Array(("From: <\(MailFixture.owner)>\r\nSubject: generator: status\r\n" + String(repeating: "X-Filler: y\r\n", count: 2000)
            + "\r\n").utf8))
        for (index, header) in headers.enumerated() {
            _ = try await rig.deliver(uid: UInt32(index + 1), header)
        }
        let recorded = await rig.recorded
        // The owner's valid code is in three of them (inside a Q-encoded word whose CR/LF/NUL became blanks, after a raw NUL,
        // and in a folded Subject line): it controls once, the first time, and is refused as used after.
        let controlling = recorded.filter { $0.1.mayControl }
        #expect(controlling.count == 1, "\(recorded)")
        #expect(recorded.filter { $0.1.refusalReason == CodeVerdict.reused.refusal }.count == 2, "\(recorded)")
        for (_, origin) in recorded where !origin.mayControl { #expect(origin.interface == .email) }
        // Every reply went to the owner.
        for reply in try await rig.replies() {
            #expect(reply.record.deliveries.map(\.lane.recipient) == [MailFixture.owner])
            #expect(!reply.record.subject.contains("\r") && !reply.record.subject.contains("\n") && !reply.record.subject.contains("\u{0}"))
        }
    }

    @Test("500 messages at once: every one claimed, handled and answered once, within seconds")
    func fiveHundred() async throws {
        let rig = try ServiceRig()
        let started = ContinuousClock.now
        var pacer = CooperativePacer()
        for uid in 1...500 {
            let from = uid % 5 == 0 ? MailFixture.stranger : MailFixture.owner
            let subject = uid % 2 == 0 ? "generator: setremote=start code=000000" : "generator: help"
            _ = try await rig.deliver(uid: UInt32(uid), MailFixture.header(from: from, subject: subject, messageID: "<m\(uid)@example.com>"))
            await pacer.pace()
        }
        pacer.finish()
        let took = started.duration(to: .now)
        let replies = try await rig.replies()
        #expect(replies.count == 400, "strangers (every fifth) get no reply")
        let recorded = await rig.recorded
        #expect(recorded.allSatisfy { !$0.1.mayControl })
        #expect(recorded.count == 250)
        // About a second alone; the bound leaves room for a machine busy with the whole suite and other builds.
        #expect(took < .seconds(240), "500 messages took \(took)")
        print("500 command e-mails handled in \(took)")
    }

    @Test("seeded random headers (200,000): nothing traps; control only with the right code of the step it names, only for the owner")
    func randomHeaders() async throws {
        var random = SeededGenerator(seed: 0x6D61_696C)
        let policy = MailFixture.policy()
        let pieces = ["From: ", "Subject: ", "generator:", " setremote=start", " status", " code=", MailFixture.code(), "123456",
                      MailFixture.owner, MailFixture.stranger, "<", ">", "=?UTF-8?B?", "?=", "=?UTF-8?Q?", "=0D=0A", "\r\n", "\r\n ",
                      "\u{0}", "Authentication-Results: ", MailFixture.passing(), MailFixture.failing(), ";", ",", " ", "é", "\u{FF}",
                      "Auto-Submitted: ", "no", "Message-ID: ", "References: ",
                      // Whole lines, so that well-formed commands (some with the valid code) come up often.
                      "\r\nFrom: <\(MailFixture.owner)>\r\n", "\r\nSubject: generator: setremote=start code=\(MailFixture.code())\r\n",
                      "\r\nSubject: generator: status setremote=stop code=\(MailFixture.code(offsetSteps: 1))\r\n",
                      "\r\nSubject: generator: settime code=\(MailFixture.code(offsetSteps: 3))\r\n"]
        var pacer = CooperativePacer()
        var controlled = 0
        for _ in 0..<200_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...24, using: &random) { text += pieces[Int.random(in: 0..<pieces.count, using: &random)] }
            var bytes = Array(text.utf8)
            if random.chance(0.2), !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            let mail = CommandMail.read(header: bytes)
            let plan = policy.plan(mail, now: MailFixture.now, lastUsedStep: nil)
            if plan.origin?.mayControl == true {
                controlled += 1
                let step = try #require(plan.codeStep)
                #expect(plan.sender == MailFixture.owner)
                let code = try SubjectRequest.parse(mail.subject).get().code
                #expect(code == MailFixture.totp.code(step: step))
            }
            if plan.answer { #expect(plan.sender == MailFixture.owner) }
            await pacer.pace()
        }
        pacer.finish()
        print("random headers: \(controlled) of 200,000 carried the owner's valid code")
        #expect(controlled > 100, "the run must reach the allowed path, or it proves nothing")
    }
}
