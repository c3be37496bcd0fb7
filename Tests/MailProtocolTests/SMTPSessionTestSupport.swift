@testable import MailProtocol

/// Drives an `SMTPSession` with scripted server replies and records what the client sends.
struct Conversation {
    var session: SMTPSession
    /// Command lines sent (without CRLF); the message payload is recorded as `<message N bytes>`.
    var sent: [String] = []
    var startTLSRequested = 0
    var closed = 0
    var results: [SMTPDeliveryResult] = []
    /// Lines sent before TLS was established (for the never-credentials-before-TLS checks).
    var sentBeforeTLS: [String] = []
    private var tls = false

    static let sender = address("genmon@example.org")
    static let message = bytes("Subject: test\r\n\r\nhello\r\n")

    init(
        security: SMTPSecurity = .plain, credentials: SMTPCredentials? = nil,
        recipients: [String] = ["alice@example.com"], message: [UInt8] = Conversation.message, checkOnly: Bool = false
    ) {
        let purpose: SMTPSessionPurpose
        if checkOnly {
            purpose = .checkConnection
        } else {
            let envelope = (try? SMTPEnvelope(sender: Self.sender, recipients: recipients.map(address)))
            guard let envelope else { fatalError("bad test envelope") }
            purpose = .deliver(envelope, message: message)
        }
        session = SMTPSession(configuration: SMTPSessionConfiguration(
            clientName: try? SMTPClientName("genmon.test"), security: security, credentials: credentials, purpose: purpose))
    }

    var result: SMTPDeliveryResult? { results.last }
    var failure: SMTPFailure? { result?.sessionFailure }
    var lastSent: String? { sent.last }

    mutating func event(_ event: SMTPSessionEvent) {
        // Only a handshake the session asked for counts as TLS.
        if event == .tlsEstablished, session.waitingFor == .tlsHandshake { tls = true }
        for action in session.handle(event) {
            switch action {
            case let .send(data):
                let line = data.count > 600 || data.suffix(5) == [0x0D, 0x0A, 0x2E, 0x0D, 0x0A] || data == [0x2E, 0x0D, 0x0A]
                    ? "<message \(data.count) bytes>"
                    : String(decoding: data.dropLast(2), as: UTF8.self)
                sent.append(line)
                if !tls { sentBeforeTLS.append(line) }
            case .startTLS: startTLSRequested += 1
            case .close: closed += 1
            case let .finished(result): results.append(result)
            }
        }
    }

    /// Feeds the server text (one or more reply lines, `\n` separated) as one reply.
    mutating func reply(_ text: String) {
        var parser = SMTPReplyParser()
        let replies = (try? parser.feed(bytes(text.split(separator: "\n").map { $0 + "\r\n" }.joined()))) ?? []
        guard replies.count == 1 else { fatalError("test reply \(text) is not one reply") }
        event(.reply(replies[0]))
    }

    /// connected + 220 greeting (+ the TLS handshake first for implicit TLS).
    mutating func greet(implicitTLS: Bool = false) {
        event(.connected(localAddress: nil))
        if implicitTLS { event(.tlsEstablished) }
        reply("220 mx.example.com ESMTP ready")
    }
}

extension SMTPFailure.Kind {
    /// Shorthand in expectations.
    static func rcpt(_ text: String) -> SMTPFailure.Kind { .recipientRefused(address(text)) }
}
