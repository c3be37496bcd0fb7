import Foundation
import GenmonTesting
import MailProtocol
import MailTransport
import Testing

@Suite("IMAP client against a real Dovecot", .tags(.process), .slowTier, .serialized, .timeLimit(.minutes(2)))
struct IMAPClientTests {
    @Test("STARTTLS on the plain port, with the test CA trusted through additionalCAFile, then AUTHENTICATE PLAIN")
    func startTLSLogin() async throws {
        try await DovecotServer.with { server in
            let client = try await IMAPClient.connect(server.configuration(.startTLS), logger: testLogger)
            #expect(await client.supports("IDLE"))
            #expect(await !client.supports("STARTTLS"))  // capabilities after login, over TLS
            let inbox = try await client.select(.inbox)
            #expect(inbox.uidValidity != nil && inbox.messageCount == 0 && !inbox.readOnly)
            await client.logout()
            #expect(await client.closed)
            let log = try String(contentsOf: server.logFile, encoding: .utf8)
            #expect(log.contains("method=PLAIN") && log.contains("TLS"))
        }
    }

    @Test("implicit TLS on the IMAPS port")
    func implicitTLS() async throws {
        try await DovecotServer.with { server in
            let client = try await IMAPClient.connect(server.configuration(.implicit), logger: testLogger)
            #expect(try await client.examine(.inbox).readOnly)
            await client.logout()
        }
    }

    @Test("LOGIN with the 8-bit password as a synchronising literal, over STARTTLS; refused when the server disables LOGIN")
    func loginCommand() async throws {
        try await DovecotServer.with(idle: false) { server in  // no LITERAL+: the literal waits for the server's "+"
            var configuration = server.configuration(.startTLS)
            configuration.authenticationMethod = .login
            let client = try await IMAPClient.connect(configuration, logger: testLogger)
            #expect(await !client.supports("LITERAL+"))
            _ = try await client.select(.inbox)
            await client.logout()
            // Dovecot implements LOGIN through its PLAIN mechanism: without it, it advertises LOGINDISABLED.
            try await DovecotServer.with(plainMechanism: false) { withoutPlain in
                await #expect(throws: IMAPClientError.setup(.noAuthenticationMethod)) {
                    try await IMAPClient.connect(withoutPlain.configuration(.implicit), logger: testLogger)
                }
            }
        }
    }

    @Test("a wrong password is reported as a refused login and the connection is closed")
    func wrongPassword() async throws {
        try await DovecotServer.with { server in
            await #expect {
                try await IMAPClient.connect(server.configuration(.implicit, password: "wrong"), logger: testLogger)
            } throws: { error in
                if case .authenticationFailed? = error as? IMAPClientError { true } else { false }
            }
        }
    }

    @Test("a certificate from an untrusted CA is refused before any credentials are sent")
    func untrustedCertificate() async throws {
        try await DovecotServer.with { server in
            for mode in [MailTLSConfiguration.Mode.implicit, .startTLS] {
                await #expect {
                    try await IMAPClient.connect(server.configuration(mode, trustCA: false), logger: testLogger)
                } throws: { error in
                    guard case let .transport(text)? = error as? IMAPClientError else { return false }
                    return text.lowercased().contains("certificate") || text.contains("handshake")
                }
            }
            let log = try String(contentsOf: server.logFile, encoding: .utf8)
            #expect(!log.contains("Login: user=<genmon>"))
        }
    }

    @Test("plain IMAP only when asked for, and the connection refused when nobody listens")
    func plainAndRefused() async throws {
        try await DovecotServer.with { server in
            let client = try await IMAPClient.connect(server.configuration(.none), logger: testLogger)
            _ = try await client.select(.inbox)
            await client.logout()
            await server.stop()
            await #expect {
                try await IMAPClient.connect(server.configuration(.none), logger: testLogger)
            } throws: { error in
                if case .transport? = error as? IMAPClientError { true } else { false }
            }
        }
    }

    @Test("folders are created when missing, once, nested ones included")
    func ensureMailboxes() async throws {
        try await DovecotServer.with { server in
            let client = try await IMAPClient.connect(server.configuration(.implicit), logger: testLogger)
            let incoming = try IMAPMailbox("Generator"), processed = try IMAPMailbox("Generator/Processed")
            let unicode = try IMAPMailbox("Générateur & co")
            #expect(try await client.ensureMailbox(processed))  // the parent is only a \Noselect level so far
            #expect(try await client.ensureMailbox(incoming))
            #expect(try await !client.ensureMailbox(incoming))
            #expect(try await !client.ensureMailbox(processed))
            #expect(try await client.ensureMailbox(unicode))
            let names = Set(try await client.list(pattern: "*").map(\.mailbox))
            #expect(names.isSuperset(of: [incoming, processed, unicode, .inbox]))
            _ = try await client.select(incoming)
            _ = try await client.select(unicode)
            await #expect {
                try await client.select(IMAPMailbox("Missing"))
            } throws: { error in
                if case .commandFailed? = error as? IMAPClientError { true } else { false }
            }
            _ = try await client.select(processed)  // NO left the connection usable
            await client.logout()
        }
    }

    @Test("search, fetch headers and a bounded text, flag, copy, move, append; expunge without MOVE")
    func messageOperations() async throws {
        try await DovecotServer.with(idle: false) { server in  // no MOVE either: the COPY + STORE + UID EXPUNGE path
            let client = try await IMAPClient.connect(server.configuration(.implicit), logger: testLogger)
            let incoming = try IMAPMailbox("Generator"), processed = try IMAPMailbox("Generator/Processed")
            try await client.ensureMailbox(incoming)
            try await client.ensureMailbox(processed)
            #expect(await !client.supports("MOVE"))
            #expect(await !client.supports("LITERAL+"))  // APPEND below waits for the server's "+"
            for index in 1...3 {
                try server.deliver(testMessage(subject: "generator: status \(index)", body: String(repeating: "line \(index)\r\n", count: 100)))
            }
            let appended = try await client.append(Array(testMessage(subject: "appended").utf8), to: incoming, flags: [.seen])
            #expect(appended != nil)
            _ = try await client.select(incoming)
            let all = try await client.searchUIDs(.undeleted)
            #expect(all.count == 4)
            #expect(try await client.searchUIDs(.unseen).count == 3)
            let summaries = try await client.fetchSummaries(uids: all, header: .fields(["Subject", "From"]), textBytes: 12)
            #expect(summaries.map(\.uid) == all)
            let expectedHeader = IMAPLiteral.bytes(Array("From: owner@example.com\r\nSubject: generator: status 1\r\n\r\n".utf8))
            let first = try #require(summaries.first { $0.header == expectedHeader })
            #expect(first.text == .bytes(Array("line 1\r\nline".utf8)))
            #expect((first.size ?? 0) > 800 && !first.flags.contains(.seen))  // PEEK left \Seen alone
            try await client.store(uids: [all[0]], .add, flags: [.flagged])
            #expect(try await client.fetchSummaries(uids: [all[0]], header: .none)[0].flags.contains(.flagged))
            try await client.copy(uids: [all[1]], to: .inbox)
            try await client.move(uids: [all[0], all[2]], to: processed)
            #expect(try await client.searchUIDs(.all) == [all[1], all[3]])
            _ = try await client.select(processed)
            #expect(try await client.searchUIDs(.all).count == 2)
            #expect(try await client.fetchSummaries(uids: [99_999]).isEmpty)
            await client.logout()
        }
    }

    @Test("a 20 MB message: header and size fetched without its body; an oversized header is reported, not held")
    func largeMessage() async throws {
        try await DovecotServer.with { server in
            let body = String(repeating: String(repeating: "x", count: 998) + "\r\n", count: 20_000)
            try server.deliver(testMessage(subject: "generator: status", body: body))
            let hugeHeader = "X-Padding: " + String(repeating: "y", count: 900) + "\r\n"
            try server.deliver("Subject: big header\r\n" + String(repeating: hugeHeader, count: 2_400) + "\r\nbody\r\n")
            var configuration = server.configuration(.implicit)
            configuration.limits = .init(maximumLiteralSize: 1 << 20)
            let client = try await IMAPClient.connect(configuration, logger: testLogger)
            try await client.ensureMailbox(IMAPMailbox("Generator"))
            _ = try await client.select(IMAPMailbox("Generator"))
            let summaries = try await client.fetchSummaries(uids: try await client.searchUIDs(.all), header: .whole, textBytes: 64)
            #expect(summaries.count == 2)
            let large = try #require(summaries.first { ($0.size ?? 0) > 20_000_000 })
            guard case let .bytes(header)? = large.header else { Issue.record("no header"); return }
            #expect(String(decoding: header, as: UTF8.self).contains("Subject: generator: status"))
            #expect(large.text == .bytes(Array(String(repeating: "x", count: 64).utf8)))
            let padded = try #require(summaries.first { $0.uid != large.uid })
            guard case let .tooLarge(size)? = padded.header else { Issue.record("the 2 MB header was not reported as too large"); return }
            #expect(size > 2_000_000)
            await client.logout()
            // Dovecot logs how many bytes it sent: far less than the 20 MB body, though it skipped a 2 MB header.
            #expect(await eventually(.seconds(5)) { (try? String(contentsOf: server.logFile, encoding: .utf8))?.contains("Logged out") == true })
            let log = try String(contentsOf: server.logFile, encoding: .utf8)
            let sent = log.split(separator: "\n").filter { $0.contains("Logged out") }.compactMap { line -> Int? in
                guard let range = line.range(of: "out=") else { return nil }
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            #expect(sent.count == 1 && sent[0] < 3_000_000, "bytes sent: \(sent)")
        }
    }

    @Test("an IDLE without news ends at its timeout with DONE and the connection stays usable; news ends it early")
    func idleWaits() async throws {
        try await DovecotServer.with { server in
            let client = try await IMAPClient.connect(server.configuration(.implicit), logger: testLogger)
            try await client.ensureMailbox(IMAPMailbox("Generator"))
            _ = try await client.select(IMAPMailbox("Generator"))
            let idles = await client.willIdle(true), pollsWhenAsked = await !client.willIdle(false)
            #expect(idles && pollsWhenAsked)
            let quiet = ContinuousClock.now
            #expect(try await client.waitForChanges(timeout: .seconds(1), useIdle: true) == .timedOut)
            #expect(ContinuousClock.now - quiet >= .seconds(1))
            #expect(try await client.searchUIDs(.all).isEmpty)  // still in step after DONE
            let delivery = Task {
                try await Task.sleep(for: .milliseconds(300))
                try server.deliver(testMessage(subject: "generator: status"))
            }
            let waiting = ContinuousClock.now
            #expect(try await client.waitForChanges(timeout: .seconds(30), useIdle: true) == .changed)
            #expect(ContinuousClock.now - waiting < .seconds(5))
            try await delivery.value
            #expect(try await client.searchUIDs(.all).count == 1)
            // Polling: sleep, then NOOP reports the second message.
            try server.deliver(testMessage(subject: "generator: maint"))
            #expect(try await client.waitForChanges(timeout: .milliseconds(1200), useIdle: false) == .changed)
            #expect(try await client.waitForChanges(timeout: .milliseconds(200), useIdle: false) == .timedOut)
            await client.logout()
        }
    }
}
