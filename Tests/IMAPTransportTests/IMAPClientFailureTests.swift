import Foundation
import GenmonTesting
import MailProtocol
import MailTransport
import Testing

@Suite("IMAP client failure modes", .timingSensitive, .timeLimit(.minutes(1)))
struct IMAPClientFailureTests {
    func configuration(_ server: ScriptedServer, tls: MailTLSConfiguration.Mode = .none) -> IMAPClientConfiguration {
        IMAPClientConfiguration(
            host: "127.0.0.1", port: server.port, tls: MailTLSConfiguration(mode: tls),
            credentials: .init(username: "u", password: "p"), connectTimeout: .seconds(2), commandTimeout: .milliseconds(500))
    }

    @Test("a server that never greets times out")
    func silentServer() async throws {
        let server = try ScriptedServer(nil)
        defer { server.stop() }
        await #expect(throws: IMAPClientError.timeout("the greeting")) {
            try await IMAPClient.connect(configuration(server), logger: testLogger)
        }
    }

    @Test("garbage instead of a greeting is a protocol violation")
    func garbage() async throws {
        let server = try ScriptedServer { $0.send("HTTP/1.1 400 Bad Request\r\n\r\n") }
        defer { server.stop() }
        await #expect {
            try await IMAPClient.connect(configuration(server), logger: testLogger)
        } throws: { error in
            if case .protocolViolation? = error as? IMAPClientError { true } else { false }
        }
    }

    @Test("a BYE greeting or a cut connection ends the attempt")
    func byeAndCut() async throws {
        let bye = try ScriptedServer { $0.send("* BYE Too many connections\r\n") }
        defer { bye.stop() }
        await #expect(throws: IMAPClientError.self) { try await IMAPClient.connect(configuration(bye), logger: testLogger) }
        let cut = try ScriptedServer { connection in
            connection.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n")
            _ = connection.readLine()
        }
        defer { cut.stop() }
        await #expect(throws: IMAPClientError.connectionClosed) { try await IMAPClient.connect(configuration(cut), logger: testLogger) }
    }

    @Test("data injected in the clear right after STARTTLS's OK is refused before any TLS or login")
    func startTLSInjection() async throws {
        let server = try ScriptedServer { connection in
            connection.send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n")
            guard connection.readLine()?.hasSuffix("STARTTLS\r\n") == true else { return }
            connection.send("G1 OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n")
            _ = connection.readLine()
        }
        defer { server.stop() }
        await #expect(throws: IMAPClientError.protocolViolation("data sent in the clear after STARTTLS")) {
            try await IMAPClient.connect(configuration(server, tls: .startTLS), logger: testLogger)
        }
    }

    @Test("STARTTLS required but not offered: no credentials go out in the clear")
    func startTLSMissing() async throws {
        let server = try ScriptedServer { connection in
            connection.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n")
            if let line = connection.readLine() { connection.send("unexpected \(line)") }
        }
        defer { server.stop() }
        await #expect(throws: IMAPClientError.setup(.startTLSUnavailable)) {
            try await IMAPClient.connect(configuration(server, tls: .startTLS), logger: testLogger)
        }
    }

    @Test("a command the server never answers times out and closes the connection")
    func commandTimeout() async throws {
        let server = try ScriptedServer { connection in
            connection.send("* PREAUTH [CAPABILITY IMAP4rev1] welcome\r\n")
            _ = connection.readLine()  // SELECT: no answer
            _ = connection.readLine()
        }
        defer { server.stop() }
        let client = try await IMAPClient.connect(configuration(server), logger: testLogger)
        // Commands go one at a time: a second task's command is refused while the first waits.
        let first = Task { try await client.select(.inbox) }
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: IMAPClientError.busy) { try await client.noop() }
        await #expect(throws: IMAPClientError.timeout("SELECT")) { try await first.value }
        #expect(await client.closed)
        await #expect(throws: IMAPClientError.connectionClosed) { try await client.noop() }
    }

    @Test("a NO answer leaves the connection usable; an oversize literal is reported by size")
    func noAndOversize() async throws {
        let server = try ScriptedServer { connection in
            connection.send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] welcome\r\n")
            guard let select = connection.readLine(), let tag = select.split(separator: " ").first else { return }
            connection.send("\(tag) NO [NONEXISTENT] no such mailbox\r\n")
            guard let examine = connection.readLine(), let tag2 = examine.split(separator: " ").first else { return }
            connection.send("* 1 EXISTS\r\n* OK [UIDVALIDITY 9] ok\r\n\(tag2) OK [READ-ONLY] done\r\n")
            guard let fetch = connection.readLine(), let tag3 = fetch.split(separator: " ").first else { return }
            let big = String(repeating: "h", count: 5_000)
            connection.send("* 1 FETCH (UID 4 RFC822.SIZE 99999 BODY[HEADER] {5000}\r\n\(big))\r\n\(tag3) OK done\r\n")
            _ = connection.readLine()
        }
        defer { server.stop() }
        var configuration = configuration(server)
        configuration.limits = .init(maximumLiteralSize: 1_000)
        let client = try await IMAPClient.connect(configuration, logger: testLogger)
        await #expect {
            try await client.select(IMAPMailbox("Nope"))
        } throws: { error in
            if case let .commandFailed(command, status)? = error as? IMAPClientError { command == "SELECT" && status.code == .nonexistent } else { false }
        }
        let status = try await client.examine(.inbox)
        #expect(status.readOnly && status.uidValidity == 9 && status.messageCount == 1)
        let summaries = try await client.fetchSummaries(uids: [4])
        #expect(summaries == [IMAPMessageSummary(uid: 4, flags: [], size: 99_999, header: .tooLarge(size: 5_000), text: nil)])
        await client.close()
    }
}
