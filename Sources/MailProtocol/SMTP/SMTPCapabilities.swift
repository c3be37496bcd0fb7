/// What a server announced in its EHLO reply (RFC 5321 section 4.1.1.1 and the extensions' RFCs).
public struct SMTPCapabilities: Sendable, Equatable {
    /// Every keyword, upper-cased, with its parameters (`AUTH` -> `["PLAIN", "LOGIN"]`).
    public let keywords: [String: [String]]

    /// No extensions at all (the server answered HELO, or EHLO with a single line).
    public static let none = SMTPCapabilities(keywords: [:])

    public init(keywords: [String: [String]]) { self.keywords = keywords }

    /// Reads the lines after the first of a 250 EHLO reply; malformed lines are ignored.
    public init(ehloReply reply: SMTPReply) {
        var keywords: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard var keyword = words.first?.asciiUppercased() else { continue }
            var parameters = Array(words.dropFirst())
            // Old servers announce `AUTH=PLAIN LOGIN` beside (or instead of) `AUTH PLAIN LOGIN`.
            if keyword.hasPrefix("AUTH=") {
                parameters.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            guard keyword.utf8.allSatisfy({ ASCII.isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }) else { continue }
            let upper = keyword == "AUTH" ? parameters.map { $0.asciiUppercased() } : parameters
            keywords[keyword, default: []].append(contentsOf: upper.filter { !(keywords[keyword]?.contains($0) ?? false) })
        }
        self.keywords = keywords
    }

    public func supports(_ keyword: String) -> Bool { keywords[keyword.asciiUppercased()] != nil }

    /// RFC 3207.
    public var startTLS: Bool { supports("STARTTLS") }
    /// RFC 4954: the SASL mechanisms offered, upper-cased.
    public var authMechanisms: [String] { keywords["AUTH"] ?? [] }
    /// RFC 1870: the announced maximum message size; nil when not announced or 0 (no fixed limit).
    public var maximumMessageSize: Int? {
        guard let value = keywords["SIZE"]?.first, let size = Int(value), size > 0 else { return nil }
        return size
    }
    /// RFC 1870: the server takes a SIZE parameter on MAIL FROM.
    public var size: Bool { supports("SIZE") }
    /// RFC 6152.
    public var eightBitMIME: Bool { supports("8BITMIME") }
    /// RFC 6531.
    public var smtpUTF8: Bool { supports("SMTPUTF8") }
    /// RFC 2920.
    public var pipelining: Bool { supports("PIPELINING") }
    /// RFC 2034.
    public var enhancedStatusCodes: Bool { supports("ENHANCEDSTATUSCODES") }
}
