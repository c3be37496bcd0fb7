import Foundation

/// A message written as bytes, with the Message-ID it was given (kept for retries and replies).
public struct RenderedMail: Sendable, Equatable {
    public let messageID: MessageID
    /// The complete RFC 5322 message, CRLF line ends, 7-bit unless an address needs SMTPUTF8.
    public let bytes: [UInt8]
}

/// Why a message could not be written.
public enum MIMEWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidMessageIDDomain(String)
    case noRecipients

    public var description: String {
        switch self {
        case let .invalidMessageIDDomain(domain): "\(domain) cannot be used as the domain of a Message-ID"
        case .noRecipients: "the message has no recipients"
        }
    }
}

/// Writes a `MailMessage` as MIME (RFC 5322, 2045-2047, 2231).
///
/// Layout: a single text/plain part; multipart/alternative when there is HTML; all of that inside
/// multipart/mixed when there are attachments. Text is UTF-8 quoted-printable, attachments base64.
/// Every header line is at most 78 characters and no header value can add a header.
public enum MIMEWriter {
    /// Writes `message` dated `date` in `timeZone`, with a Message-ID at `messageIDDomain`; ids and
    /// boundaries come from `generator`, so a seeded generator gives reproducible bytes.
    public static func render(
        _ message: MailMessage, date: Date, timeZone: TimeZone, messageIDDomain: String,
        using generator: inout some RandomNumberGenerator
    ) throws(MIMEWriteError) -> RenderedMail {
        guard !message.recipients.isEmpty else { throw .noRecipients }
        guard let messageID = MessageID.random(domain: messageIDDomain, using: &generator) else {
            throw .invalidMessageIDDomain(messageIDDomain)
        }
        var output: [UInt8] = []
        output += HeaderWriter.field("Date", tokens: RFC5322Date.format(date, in: timeZone).split(separator: " ").map(String.init))
        var fromTokens = HeaderWriter.phrase(message.from.displayName ?? "", firstWidth: HeaderWriter.lineLimit - 6)
        fromTokens.append("<\(message.from.address)>")
        output += HeaderWriter.field("From", tokens: fromTokens)
        switch message.recipientHeader {
        case .to:
            let addresses = message.recipients.map { "<\($0)>" }
            output += HeaderWriter.field("To", tokens: addresses.enumerated().map { $0 < addresses.count - 1 ? $1 + "," : $1 })
        case .bcc:
            output += HeaderWriter.field("To", tokens: ["undisclosed-recipients:;"])
        }
        output += HeaderWriter.unstructured("Subject", message.subject)
        output += HeaderWriter.field("Message-ID", tokens: [messageID.description])
        if let inReplyTo = message.inReplyTo { output += HeaderWriter.field("In-Reply-To", tokens: [inReplyTo.description]) }
        if !message.references.isEmpty { output += HeaderWriter.field("References", tokens: message.references.map(\.description)) }
        if message.autoSubmitted { output += HeaderWriter.field("Auto-Submitted", tokens: ["auto-generated"]) }
        output += HeaderWriter.field("MIME-Version", tokens: ["1.0"])
        output += body(of: message, using: &generator)
        return RenderedMail(messageID: messageID, bytes: output)
    }

    /// One entity: its Content-* headers, a blank line, and its content.
    struct Entity {
        var headers: [UInt8]
        var content: [UInt8]
        var bytes: [UInt8] { headers + [ASCII.cr, ASCII.lf] + content }
    }

    private static func body(of message: MailMessage, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        var main = textEntity(message.textBody, subtype: "plain")
        if let html = message.htmlBody {
            main = multipart("alternative", [main, textEntity(html, subtype: "html")], using: &generator)
        }
        if !message.attachments.isEmpty {
            main = multipart("mixed", [main] + message.attachments.map(attachmentEntity), using: &generator)
        }
        return main.bytes
    }

    private static func textEntity(_ text: String, subtype: String) -> Entity {
        let headers = HeaderWriter.field("Content-Type", tokens: ["text/\(subtype);", "charset=utf-8"])
            + HeaderWriter.field("Content-Transfer-Encoding", tokens: ["quoted-printable"])
        return Entity(headers: headers, content: QuotedPrintable.encode(text: text))
    }

    private static func attachmentEntity(_ attachment: MailAttachment) -> Entity {
        let filename = safeFilename(attachment.filename)
        let type = isMIMEType(attachment.contentType) ? attachment.contentType.asciiLowercased() : "application/octet-stream"
        let nameParameters = HeaderWriter.parameter("name", filename)
        let fileParameters = HeaderWriter.parameter("filename", filename)
        let headers = HeaderWriter.field("Content-Type", tokens: ["\(type);"] + joinedParameters(nameParameters))
            + HeaderWriter.field("Content-Disposition", tokens: ["attachment;"] + joinedParameters(fileParameters))
            + HeaderWriter.field("Content-Transfer-Encoding", tokens: ["base64"])
        return Entity(headers: headers, content: Base64.encodeLines(attachment.data))
    }

    private static func joinedParameters(_ parameters: [String]) -> [String] {
        parameters.enumerated().map { $0 < parameters.count - 1 ? $1 + ";" : $1 }
    }

    /// A multipart entity whose boundary does not occur in any of its parts.
    private static func multipart(_ subtype: String, _ parts: [Entity], using generator: inout some RandomNumberGenerator) -> Entity {
        let encodedParts = parts.map(\.bytes)
        var boundary = ""
        // "=_" cannot occur in quoted-printable or base64 output, so the first try always works;
        // the check stays so a future encoding cannot silently break the rule.
        repeat {
            boundary = "=_genmon_" + String(generator.next(), radix: 36) + String(generator.next(), radix: 36)
        } while encodedParts.contains(where: { $0.containsSequence(Array(boundary.utf8)) })
        // The CRLF before a delimiter belongs to the delimiter (RFC 2046 section 5.1.1), so each
        // part keeps its own final line break.
        var content: [UInt8] = []
        for part in encodedParts {
            content += Array("--\(boundary)\r\n".utf8) + part
            if content.last != ASCII.lf { content += [ASCII.cr, ASCII.lf] }
            content += [ASCII.cr, ASCII.lf]
        }
        content += Array("--\(boundary)--\r\n".utf8)
        let headers = HeaderWriter.field("Content-Type", tokens: ["multipart/\(subtype);", "boundary=\"\(boundary)\""])
        return Entity(headers: headers, content: content)
    }

    /// The last path component, sanitised, at most 200 characters, never empty.
    static func safeFilename(_ name: String) -> String {
        let clean = HeaderWriter.sanitize(name)
        let last = clean.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let trimmed = String(last.prefix(200))
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "attachment" : trimmed
    }

    private static func isMIMEType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let tokenByte: (UInt8) -> Bool = { ASCII.isLetterOrDigit($0) || "!#$&^_.+-".utf8.contains($0) }
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.count <= 64 && $0.utf8.allSatisfy(tokenByte) }
    }
}
