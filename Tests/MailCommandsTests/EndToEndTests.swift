import Foundation
import GenmonTesting
import Monitor
import OneTimeCode
import Simulator
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `genmon run` with the simulator, a real Dovecot (IDLE, TLS with its own CA) and the SMTP test
/// server: commands by e-mail, their replies, and every refusal in the audit log.
@Suite("E-mail commands end to end", .enabled(if: GenmonExecutable.isBuilt && DovecotServer.isInstalled,
                                              "needs the genmon executable and dovecot-imapd (.ci/run installs it)"),
       .tags(.process), .slowTier, .timeLimit(.minutes(5)), .serialized)
struct EmailCommandsEndToEndTests {
    static let owner = "owner@example.com"
    static let stranger = "mallory@evil.example"

    static func simulator() throws -> (SimulatedController, RunningSimulator) {
        let start = Date()
        let profile = ControllerProfile.standard(.evolutionLiquidCooled, start: start)
        let controller = SimulatedController(simulation: Simulation(model: GeneratorModel(profile: profile, start: start)),
                                             clock: ScaledClock(start: start), faults: FaultInjector(pacing: .off))
        return (controller, try SimulatorHost.serve(controller, on: .rtuOverTCP(host: "127.0.0.1", port: 0), shaper: controller.faults))
    }

    /// genmon.conf and mymail.conf for the Dovecot and SMTP servers of the test.
    static func configFolder(imap: DovecotServer, smtpPort: Int, startTLS: Bool = false, extraGenmon: String = "",
                             extraMail: String = "") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-email-commands-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
            [GenMon]
            sitename = Cabin
            datadirectory = \(folder)/data
            ssl_ca_file = \(imap.caFile)
            incoming_mail_folder = Generator
            processed_mail_folder = Generator/Processed
            \(extraGenmon)
            """.write(toFile: folder + "/genmon.conf", atomically: true, encoding: .utf8)
        try """
            [MyMail]
            disableemail = False
            disablesmtp = False
            disableimap = False
            email_account = \(DovecotServer.username)
            email_pw = \(DovecotServer.password)
            sender_account = genmon@example.org
            sender_name = Genmon Cabin
            smtp_server = 127.0.0.1
            smtp_port = \(smtpPort)
            ssl_enabled = False
            tls_disable = True
            imap_server = 127.0.0.1
            imap_port = \(startTLS ? imap.imapPort : imap.imapsPort)
            imap_starttls = \(startTLS ? "True" : "False")
            email_command_senders = \(owner)
            \(extraMail)
            """.write(toFile: folder + "/mymail.conf", atomically: true, encoding: .utf8)
        return folder
    }

    static func message(from: String, subject: String, id: String, authenticationResults: String? = nil) -> String {
        let results = authenticationResults.map { "Authentication-Results: mx.example.org; \($0)\r\n" } ?? ""
        return results + "From: <\(from)>\r\nTo: genmon@example.org\r\nSubject: \(subject)\r\nMessage-ID: <\(id)@example.com>\r\n"
            + "Date: Tue, 25 Nov 2025 15:07:12 +0000\r\n\r\nsent from a phone\r\n"
    }

    /// The message's text with quoted-printable soft line breaks and `=3D` undone (long body lines are wrapped).
    static func text(_ received: MailTestServer.Received?) -> String {
        (received?.content ?? "no reply").replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
    }

    static let pass = "spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com"
    static let fail = "spf=fail smtp.mailfrom=example.com; dmarc=fail header.from=example.com"

    /// The reply to the message `<id@example.com>`, waited for up to `timeout`.
    static func reply(to id: String, at smtp: MailTestServer, timeout: Duration) async -> MailTestServer.Received? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = smtp.received().first(where: { $0.content.contains("In-Reply-To: <\(id)@example.com>") }) { return found }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    static func code(_ secret: [UInt8]) throws -> String {
        try #require(try TOTP(secret: secret).code(at: Int64(Date().timeIntervalSince1970)))
    }

    @Test("status by reply within 10 s (IDLE); refusals leave the engine off and are audited; a valid code starts it once")
    func commandsByMail() async throws {
        let smtp = try await MailTestServer.start(.init(user: DovecotServer.username, password: DovecotServer.password))
        defer { smtp.stop() }
        try await DovecotServer.with { imap in
            let (controller, simulator) = try Self.simulator()
            let folder = try Self.configFolder(imap: imap, smtpPort: smtp.port)
            defer { try? FileManager.default.removeItem(atPath: folder) }

            // Enrolment: the secret as text, as a URI, and in a private file.
            let enrolled = try await GenmonExecutable.run(["email-commands", "enroll", "--config", folder + "/genmon.conf",
                                                           "--data-dir", folder + "/data"])
            #expect(enrolled.status == 0, "\(enrolled.output)")
            #expect(enrolled.output.contains("\u{1B}[30;107m") && enrolled.output.contains("\u{2588}"), "a QR code for the terminal")
            let secretLine = try #require(enrolled.output.split(separator: "\n").first { $0.hasPrefix("Secret: ") })
            let secret = try Base32.decode(String(secretLine.dropFirst("Secret: ".count)))
            #expect(enrolled.output.contains("otpauth://totp/genmon:Cabin?secret=\(Base32.encode(secret, padded: false))"))
            let mode = try FileManager.default.attributesOfItem(atPath: folder + "/data/email-commands.secret")[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let again = try await GenmonExecutable.run(["email-commands", "enroll", "--config", folder + "/genmon.conf", "--qr", "none"])
            #expect(again.status != 0 && again.output.contains("--force"), "\(again.output)")

            let genmon = try await GenmonExecutable.start(["run", "--config", folder + "/genmon.conf", "--tcp", simulator.address,
                                                           "--web-port", "0", "--socket-port", "0", "--log-level", "info"])
            defer { genmon.signal(SIGKILL) }
            _ = try await genmon.waitForOutput("complete status after", timeout: .seconds(90))
            _ = try await genmon.waitForOutput("e-mail commands: watching Generator", timeout: .seconds(30))
            try await Task.sleep(for: .milliseconds(500))  // let it settle into IDLE

            // An allowed sender's status: the reply, threaded, within 10 s.
            let sent = ContinuousClock.now
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: status", id: "status-1", authenticationResults: Self.pass))
            let status = await Self.reply(to: "status-1", at: smtp, timeout: .seconds(10))
            let took = sent.duration(to: .now)
            print("status reply after \(took)")
            #expect(status?.subject == "Re: generator: status", "genmon printed:\n\(genmon.output.suffix(3000))")
            #expect(status?.recipients == [Self.owner])
            #expect(Self.text(status).contains("References: <status-1@example.com>"))
            #expect(Self.text(status).contains("Engine"))

            // Refusals: a stranger (with a valid code), no code, a wrong code, a failing Authentication-Results.
            let valid = try Self.code(secret)
            var wrong = Array(valid)
            wrong[0] = wrong[0] == "9" ? "0" : "9"
            try imap.deliver(Self.message(from: Self.stranger, subject: "generator: setremote=start code=\(valid)", id: "stranger"))
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: setremote=start", id: "no-code", authenticationResults: Self.pass))
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: setremote=start code=\(String(wrong))", id: "wrong-code",
                                          authenticationResults: Self.pass))
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: setremote=start code=\(valid)", id: "forged",
                                          authenticationResults: Self.fail))
            let noCode = await Self.reply(to: "no-code", at: smtp, timeout: .seconds(60))
            let wrongCode = await Self.reply(to: "wrong-code", at: smtp, timeout: .seconds(60))
            #expect(Self.text(noCode).contains("needs a one-time code"), "\(noCode?.content ?? "no reply")")
            #expect(Self.text(wrongCode).contains("one-time code is wrong") || Self.text(wrongCode).contains("expired"),
                    "\(wrongCode?.content ?? "no reply")")
            #expect(await eventually(.seconds(60)) { imap.messageCount(in: "Generator") == 0 && imap.messageCount(in: "Generator/Processed") == 5 })
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.received().count == 3, "strangers and forged senders get no reply: \(smtp.received().map(\.subject))")
            let afterRefusals = await controller.perform(line: "status")
            #expect(afterRefusals.contains("engine ready"), "\(afterRefusals)")

            // A valid code starts the engine, and the reply says the controller confirmed it; the same code again is refused.
            let fresh = try Self.code(secret)
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: setremote=start code=\(fresh)", id: "start",
                                          authenticationResults: Self.pass))
            let started = await Self.reply(to: "start", at: smtp, timeout: .seconds(60))
            #expect(Self.text(started).contains("confirmed by the controller"), "\(started?.content ?? "no reply")\n\(genmon.output.suffix(3000))")
            let afterStart = await controller.perform(line: "status")
            #expect(!afterStart.contains("engine ready"), "\(afterStart)")
            // Not in the same second as the move of the last one: the fixture writes into the Maildir behind
            // Dovecot's back, and a change within the second Dovecot last looked may go unnoticed until it looks again.
            try await Task.sleep(for: .milliseconds(1100))
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: setremote=start code=\(fresh)", id: "reuse",
                                          authenticationResults: Self.pass))
            let reused = await Self.reply(to: "reuse", at: smtp, timeout: .seconds(60))
            #expect(Self.text(reused).contains("already used"), """
                \(reused?.content ?? "no reply"); in Generator: \(imap.messageCount(in: "Generator")), processed: \(imap.messageCount(in: "Generator/Processed"))
                dovecot: \((try? String(contentsOf: imap.logFile, encoding: .utf8))?.suffix(3000) ?? "")
                genmon: \(genmon.output.suffix(6000))
                """)

            genmon.signal(SIGTERM)
            #expect(await genmon.waitForExit(timeout: .seconds(20))?.status == 0)
            await simulator.shutdown()

            // The audit log: the start confirmed, and each refusal with who and why.
            let audits = try await GenmonDatabase(path: folder + "/data/genmon.sqlite").audits(AuditFilter(interfaces: [.email]))
            let lines = audits.map { "\($0.record.origin) \($0.record.command) \($0.record.result.rawValue): \($0.record.message)" }
            let explain = lines.joined(separator: "\n")
            #expect(audits.contains { $0.record.result == .confirmed && $0.record.origin.principal == Self.owner }, "\(explain)")
            for (principal, reason) in [(Self.stranger, "email_command_senders"), (Self.owner, "needs a one-time code"),
                                        (Self.owner, "not authenticated"), (Self.owner, "already used")] {
                #expect(audits.contains { $0.record.result == .refused && $0.record.origin.principal == principal && $0.record.message.contains(reason) },
                        "\(principal): \(reason)\n\(explain)")
            }
            #expect(audits.contains { $0.record.result == .refused && ($0.record.message.contains("is wrong") || $0.record.message.contains("expired")) },
                    "\(explain)")
        }
    }
}

extension EmailCommandsEndToEndTests {
    @Test("a server without IDLE over STARTTLS: polled every imap_poll_seconds; readonlyemailcommands refuses a start even with a valid code")
    func pollingAndReadOnly() async throws {
        let smtp = try await MailTestServer.start(.init(user: DovecotServer.username, password: DovecotServer.password))
        defer { smtp.stop() }
        try await DovecotServer.with(idle: false) { imap in
            let (controller, simulator) = try Self.simulator()
            let folder = try Self.configFolder(imap: imap, smtpPort: smtp.port, startTLS: true, extraGenmon: "readonlyemailcommands = True",
                                               extraMail: "imap_poll_seconds = 2")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let enrolled = try await GenmonExecutable.run(["email-commands", "enroll", "--config", folder + "/genmon.conf", "--qr", "none"])
            let secretLine = try #require(enrolled.output.split(separator: "\n").first { $0.hasPrefix("Secret: ") }, "\(enrolled.output)")
            let secret = try Base32.decode(String(secretLine.dropFirst("Secret: ".count)))
            let genmon = try await GenmonExecutable.start(["run", "--config", folder + "/genmon.conf", "--tcp", simulator.address,
                                                           "--web-port", "0", "--socket-port", "0", "--log-level", "info"])
            defer { genmon.signal(SIGKILL) }
            _ = try await genmon.waitForOutput("complete status after", timeout: .seconds(90))
            let ready = try await genmon.waitForOutput("e-mail commands: watching Generator", timeout: .seconds(30))
            #expect(ready.contains("(polling)"), "\(ready.suffix(2000))")
            let sent = ContinuousClock.now
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: outage", id: "poll-1"))
            let outage = await Self.reply(to: "poll-1", at: smtp, timeout: .seconds(30))
            let took = sent.duration(to: .now)
            print("polled reply after \(took) (imap_poll_seconds = 2)")
            #expect(outage?.subject == "Re: generator: outage", "\(genmon.output.suffix(3000))")
            #expect(took < .seconds(15))
            try imap.deliver(Self.message(from: Self.owner, subject: "generator: setremote=start code=\(try Self.code(secret))", id: "read-only"))
            let refused = await Self.reply(to: "read-only", at: smtp, timeout: .seconds(30))
            #expect(Self.text(refused).contains("readonlyemailcommands"), "\(refused?.content ?? "no reply")")
            let status = await controller.perform(line: "status")
            #expect(status.contains("engine ready"), "\(status)")
            #expect(try await GenmonDatabase(path: folder + "/data/genmon.sqlite").lastOneTimeCodeStep() == nil, "a refused code is not spent")
            genmon.signal(SIGTERM)
            #expect(await genmon.waitForExit(timeout: .seconds(20))?.status == 0)
            await simulator.shutdown()
        }
    }
}

/// Waits (polling every 50 ms) until `condition` holds or `timeout` passes.
func eventually(_ timeout: Duration = .seconds(20), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
