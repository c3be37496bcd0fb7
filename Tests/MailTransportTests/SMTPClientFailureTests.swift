import Foundation
import GenmonTesting
import MailProtocol
import MailTransport
import NIOCore
import NIOPosix
import Testing

/// Stalls, refused certificates, missing STARTTLS and unreachable servers.
@Suite("SMTP client failures against a real server", .tags(.process), .slowTier, .timingSensitive)
struct SMTPClientFailureTests {
    let log = CapturedLog()
    var client: SMTPClient { SMTPClient(logger: log.logger) }
    let shortTimeouts = SMTPTimeouts(connect: .seconds(5), tlsHandshake: .seconds(5), command: .seconds(2), endOfMessage: .seconds(2))

    @Test("a server that stalls after the message times out on that step and names it")
    func stallAfterMessage() async throws {
        try await withSMTPTestServer(SMTPTestServerOptions(stall: .message)) { server async throws in
            let start = ContinuousClock.now
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]), to: Fixture.server(port: server.port, mode: .none, timeouts: shortTimeouts))
            let failure = try #require(result.sessionFailure)
            #expect(failure.kind == .timedOut(.endOfMessage, afterSeconds: 2))
            #expect(failure.explanation == "no answer to the end of the message (after DATA) after 2 s")
            #expect(failure.retry == .later)
            #expect(result.recipients.map(\.status) == [.temporaryFailure(failure)])
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test("a server that stops reading in the middle of a large message times out and the connection is closed")
    func stallMidData() async throws {
        try await withSMTPTestServer(SMTPTestServerOptions(mode: .middata)) { server async throws in
            let line = Array(String(repeating: "0123456789", count: 7).utf8) + [0x0D, 0x0A]
            let content = Array("Subject: big\r\n\r\n".utf8) + Array(repeating: line, count: 60_000).flatMap { $0 }
            let mail = OutgoingMail(
                envelope: try SMTPEnvelope(sender: Fixture.address("genmon@example.org"), recipients: [Fixture.address("a@example.com")]),
                content: content)
            let start = ContinuousClock.now
            let result = await client.send(mail, to: Fixture.server(port: server.port, mode: .none, timeouts: shortTimeouts))
            #expect(result.sessionFailure?.kind == .timedOut(.endOfMessage, afterSeconds: 2))
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test("a server that stalls at DATA times out on DATA")
    func stallAtData() async throws {
        try await withSMTPTestServer(SMTPTestServerOptions(stall: .data)) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]), to: Fixture.server(port: server.port, mode: .none, timeouts: shortTimeouts))
            #expect(result.sessionFailure?.kind == .timedOut(.data, afterSeconds: 2))
            #expect(result.sessionFailure?.explanation == "no answer to DATA after 2 s")
        }
    }

    @Test("a certificate for another host is refused before anything is sent")
    func wrongHostCertificate() async throws {
        let certificates = try TestCertificates.shared.get()
        let options = SMTPTestServerOptions(mode: .starttls, certificate: certificates.wrongHost, user: Fixture.user, password: Fixture.password)
        try await withSMTPTestServer(options) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]),
                to: Fixture.server(port: server.port, mode: .startTLS, caFile: certificates.caFile, credentials: Fixture.credentials))
            let failure = try #require(result.sessionFailure)
            #expect(failure.kind == .certificateRejected)
            #expect(failure.description.contains("localhost"))
            #expect(!result.authenticated)
            #expect(try server.receivedMessages().isEmpty)
        }
    }

    @Test("a certificate from an unknown CA is refused, and accepted only with verification off")
    func untrustedCA() async throws {
        let certificates = try TestCertificates.shared.get()
        let options = SMTPTestServerOptions(mode: .implicit, certificate: certificates.untrusted)
        try await withSMTPTestServer(options) { server async throws in
            let refused = await client.send(
                try Fixture.mail(to: ["alice@example.com"]),
                to: Fixture.server(port: server.port, mode: .implicit, caFile: certificates.caFile))
            #expect(refused.sessionFailure?.kind == .certificateRejected)
            #expect(refused.sessionFailure?.retry == .afterSettingsChange)
            #expect(try server.receivedMessages().isEmpty)

            let unchecked = await client.send(
                try Fixture.mail(to: ["alice@example.com"]), to: Fixture.server(port: server.port, mode: .implicit, verify: false))
            #expect(unchecked.succeeded, "\(String(describing: unchecked.sessionFailure))")
            #expect(try server.receivedMessages().count == 1)
        }
    }

    @Test("STARTTLS asked for but not offered: no credentials and no message leave")
    func startTLSNotOffered() async throws {
        let options = SMTPTestServerOptions(user: Fixture.user, password: Fixture.password)
        try await withSMTPTestServer(options) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]),
                to: Fixture.server(port: server.port, mode: .startTLS, credentials: Fixture.credentials))
            #expect(result.sessionFailure?.kind == .startTLSNotOffered)
            #expect(!result.authenticated)
            #expect(try server.receivedMessages().isEmpty)
        }
        #expect(log.text.contains("S: 250 localhost"))
        #expect(!log.text.contains("C: AUTH"))
        #expect(!log.text.contains("<sign-in data hidden>"))
        #expect(!log.text.contains("C: MAIL FROM"))
    }

    @Test("a reply injected behind STARTTLS's 220 ends the session before TLS and before signing in")
    func startTLSInjection() async throws {
        let certificates = try TestCertificates.shared.get()
        try await withSMTPTestServer(SMTPTestServerOptions(mode: .inject)) { server async throws in
            let result = await client.send(
                try Fixture.mail(to: ["alice@example.com"]),
                to: Fixture.server(port: server.port, mode: .startTLS, caFile: certificates.caFile, credentials: Fixture.credentials))
            let failure = try #require(result.sessionFailure)
            // Normally both replies arrive in one read and the client sees the injection; if TCP ever
            // split them, the stray bytes would reach the TLS handshake and break it instead.
            switch failure.kind {
            case .protocolViolation, .tlsHandshakeFailed: break
            default: Issue.record("unexpected failure \(failure)")
            }
            #expect(!result.authenticated && !result.usedTLS)
        }
        #expect(!log.text.contains("TLS established"))
        #expect(!log.text.contains("<sign-in data hidden>"))
    }

    @Test("an unreadable CA file is a settings failure before connecting")
    func missingCAFile() async throws {
        let result = await client.send(
            try Fixture.mail(to: ["alice@example.com"]),
            to: Fixture.server(port: 9, mode: .implicit, caFile: "/nonexistent/genmon-ca.pem"))
        #expect(result.sessionFailure?.kind == .tlsSetupFailed)
        #expect(result.sessionFailure?.retry == .afterSettingsChange)
    }

    @Test("a closed port is a connection failure, retried later")
    func connectionRefused() async throws {
        let port = try await Self.closedPort()
        let result = await client.send(try Fixture.mail(to: ["alice@example.com"]), to: Fixture.server(port: port, mode: .none, host: "127.0.0.1"))
        let failure = try #require(result.sessionFailure)
        #expect(failure.kind == .connectionFailed)
        #expect(failure.retry == .later)
        #expect(failure.explanation == "could not connect to the mail server")
    }

    @Test("test connection reports a working server in plain words")
    func testConnectionSuccess() async throws {
        let certificates = try TestCertificates.shared.get()
        let options = SMTPTestServerOptions(mode: .starttls, certificate: certificates.localhost, user: Fixture.user, password: Fixture.password)
        try await withSMTPTestServer(options) { server async throws in
            let report = await client.testConnection(
                to: Fixture.server(port: server.port, mode: .startTLS, caFile: certificates.caFile, credentials: Fixture.credentials))
            #expect(report.succeeded)
            #expect(report.result.usedTLS && report.result.authenticated)
            #expect(report.summary.hasPrefix("Connected to localhost:\(server.port), secured with TLS (certificate checked), signed in as genmon-user"))
            #expect(try server.receivedMessages().isEmpty)
        }
    }

    @Test("test connection reports a wrong password in plain words")
    func testConnectionWrongPassword() async throws {
        try await withSMTPTestServer(SMTPTestServerOptions(user: Fixture.user, password: "other")) { server async throws in
            let report = await client.testConnection(to: Fixture.server(port: server.port, mode: .none, credentials: Fixture.credentials))
            #expect(!report.succeeded)
            #expect(report.summary.contains("the server refused the user name or password"))
            #expect(report.summary.contains("535"))
        }
    }

    /// A port nothing listens on: bound once to learn a free number, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 9
        try await channel.close()
        return port
    }
}
