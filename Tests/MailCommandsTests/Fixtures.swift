import Foundation
import Generac
import GenmonTesting
import MailCommands
import MailProtocol
import MailTransport
import Monitor
import OneTimeCode
import Simulator

/// Shared values: a secret and its codes, senders, headers written as a mail program would.
enum MailFixture {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2025-11-25 15:07:12 UTC, inside a 30-second step (not at its edge).
    static let now = Date(timeIntervalSince1970: 1_764_083_232)
    static let unixNow = Int64(now.timeIntervalSince1970)
    /// RFC 6238's SHA-1 test secret.
    static let secret = Array("12345678901234567890".utf8)
    static let totp = try! TOTP(secret: secret)
    static let owner = "owner@example.com"
    static let stranger = "mallory@evil.example"

    static func code(offsetSteps: Int64 = 0, at date: Date = now) -> String {
        totp.code(step: Int64(date.timeIntervalSince1970) / 30 + offsetSteps)
    }

    static func policy(senders: [String] = [owner], authentication: SenderAuthenticationRule = .whenPresent, readOnly: Bool = false,
                       enrolled: Bool = true) -> EmailCommandPolicy {
        EmailCommandPolicy(allowedSenders: senders, authentication: authentication, readOnly: readOnly,
                           codes: OneTimeCodeChecker(totp: enrolled ? totp : nil), ownAddresses: ["genmon@example.org"])
    }

    /// A header block as bytes (CRLF line ends, ending in the blank line).
    static func header(from: String = owner, subject: String?, messageID: String? = "<req-1@example.com>", references: String? = nil,
                       authenticationResults: [String] = [], extra: [String] = []) -> [UInt8] {
        var lines = authenticationResults.map { "Authentication-Results: " + $0 }
        lines.append("From: Owner <\(from)>")
        lines.append("To: genmon@example.org")
        if let subject { lines.append("Subject: " + subject) }
        if let messageID { lines.append("Message-ID: " + messageID) }
        if let references { lines.append("References: " + references) }
        lines += extra
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    static func mail(from: String = owner, subject: String?, authenticationResults: [String] = []) -> CommandMail {
        CommandMail.read(header: header(from: from, subject: subject, authenticationResults: authenticationResults))
    }

    /// Authentication-Results a receiving server writes for a sender whose domain passed DMARC.
    static func passing(_ domain: String = "example.com") -> String {
        "mx.example.org; spf=pass smtp.mailfrom=\(domain); dkim=pass header.d=\(domain); dmarc=pass header.from=\(domain)"
    }

    static func failing(_ domain: String = "example.com") -> String {
        "mx.example.org; spf=fail smtp.mailfrom=\(domain); dkim=none; dmarc=fail header.from=\(domain)"
    }

    /// A snapshot of the Evolution liquid-cooled simulator's registers.
    static func snapshot() -> GeneratorSnapshot {
        let model = GeneratorModel(profile: ControllerProfile.standard(.evolutionLiquidCooled, start: now), start: now, timeZone: utc)
        return GeneratorSnapshot.fromImage(model.image, timeZone: utc, siteName: "Cabin", now: now)
    }

    static func incoming(uid: UInt32, header: [UInt8]?, validity: UInt32 = 7) -> IMAPIncomingMessage {
        IMAPIncomingMessage(identity: IMAPMessageIdentity(mailbox: try! IMAPMailbox("Generator"), uidValidity: validity, uid: uid),
                            summary: IMAPMessageSummary(uid: uid, size: header?.count, header: header.map { .bytes($0) }))
    }
}
