/// The name the client gives in EHLO/HELO: a domain name or an address literal such as `[192.0.2.7]`.
public struct SMTPClientName: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    /// Validates a domain (`genmon.example.org`) or an address literal (`[192.0.2.7]`, `[IPv6:::1]`).
    public init(_ text: String) throws(SMTPCommandError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalidArgument("the client name is empty") }
        if bytes.first == UInt8(ascii: "[") {
            guard AddressLiteral.isValid(bytes) else { throw .invalidArgument("\(text) is not a valid address literal") }
        } else {
            guard bytes.allSatisfy({ $0 < 0x80 }), DomainName.problem(bytes) == nil else {
                throw .invalidArgument("\(text) is not a valid host name for EHLO")
            }
        }
        description = text
    }

    /// The address literal for an IP address given as text (`192.0.2.7` or `2001:db8::7`), or nil.
    public static func addressLiteral(forIP ip: String) -> SMTPClientName? {
        let literal = ip.contains(":") ? "[IPv6:\(ip)]" : "[\(ip)]"
        return try? SMTPClientName(literal)
    }
}

/// A user name and password for SMTP AUTH. Never printed: `description` hides the password.
public struct SMTPCredentials: Sendable, Hashable, CustomStringConvertible {
    public let username: String
    public let password: String

    /// Both must be non-empty, at most 1024 bytes, and free of NUL (AUTH PLAIN separates them with NUL).
    public init(username: String, password: String) throws(SMTPCommandError) {
        for (what, value) in [("user name", username), ("password", password)] {
            guard !value.isEmpty else { throw .invalidArgument("the \(what) is empty") }
            guard value.utf8.count <= 1024 else { throw .invalidArgument("the \(what) is longer than 1024 bytes") }
            guard !value.utf8.contains(0) else { throw .invalidArgument("the \(what) contains a NUL character") }
        }
        self.username = username
        self.password = password
    }

    public var description: String { "\(username) (password hidden)" }
}

/// Why a command could not be encoded.
public enum SMTPCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case forbiddenCharacter(UInt8)
    case lineTooLong(Int, limit: Int)

    public var description: String {
        switch self {
        case let .invalidArgument(why): why
        case let .forbiddenCharacter(byte): "a command argument contains the control character \(ASCII.describe(byte))"
        case let .lineTooLong(length, limit): "the command line is \(length) bytes long, the limit is \(limit)"
        }
    }
}

/// One SMTP client command (RFC 5321, RFC 3207 STARTTLS, RFC 4954 AUTH).
public enum SMTPCommand: Sendable, Equatable {
    case ehlo(SMTPClientName)
    case helo(SMTPClientName)
    case startTLS
    /// `AUTH PLAIN <base64(\0user\0password)>` with the initial response on the command line.
    case authPlain(SMTPCredentials)
    /// `AUTH LOGIN`; the server then asks for the user name and the password (see `authLoginResponse`).
    case authLogin
    /// One base64 line answering a 334 challenge of AUTH LOGIN (or of AUTH PLAIN without initial response).
    case authResponse(String)
    /// `*`: abandons an AUTH exchange (RFC 4954 section 4).
    case authCancel
    /// `MAIL FROM:<address>` with ESMTP parameters such as `SIZE=1234`, `BODY=8BITMIME`, `SMTPUTF8`.
    case mailFrom(EmailAddress, parameters: [String])
    case rcptTo(EmailAddress)
    case data
    case rset
    case quit

    /// RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets including CRLF.
    public static let commandLineLimit = 512
    /// RFC 4954 section 4: AUTH lines may be longer (up to 12288 octets).
    public static let authLineLimit = 12_288

    /// The command line, CRLF-terminated, after checking that no argument can break out of it.
    public func encoded() throws(SMTPCommandError) -> [UInt8] {
        let line: String
        var limit = Self.commandLineLimit
        switch self {
        case let .ehlo(name): line = "EHLO \(name)"
        case let .helo(name): line = "HELO \(name)"
        case .startTLS: line = "STARTTLS"
        case let .authPlain(credentials):
            let token = Array([0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8))
            line = "AUTH PLAIN \(Base64.encode(token))"
            limit = Self.authLineLimit
        case .authLogin: line = "AUTH LOGIN"
        case let .authResponse(base64):
            guard base64.utf8.allSatisfy(Base64.isAlphabetOrPadding) else {
                throw .invalidArgument("an AUTH response must be base64")
            }
            line = base64
            limit = Self.authLineLimit
        case .authCancel: line = "*"
        case let .mailFrom(address, parameters):
            for parameter in parameters { try Self.checkParameter(parameter) }
            line = (["MAIL FROM:<\(address)>"] + parameters).joined(separator: " ")
        case let .rcptTo(address): line = "RCPT TO:<\(address)>"
        case .data: line = "DATA"
        case .rset: line = "RSET"
        case .quit: line = "QUIT"
        }
        let bytes = Array(line.utf8)
        // Arguments come from validated types, but the line is checked as a whole once more so no
        // future case can smuggle CR, LF or NUL onto the wire.
        if let bad = bytes.first(where: { $0 == ASCII.cr || $0 == ASCII.lf || $0 == 0 }) { throw .forbiddenCharacter(bad) }
        guard bytes.count + 2 <= limit else { throw .lineTooLong(bytes.count + 2, limit: limit) }
        return bytes + [ASCII.cr, ASCII.lf]
    }

    /// The line as it may appear in a log: AUTH payloads are hidden.
    public var logDescription: String {
        switch self {
        case .authPlain: "AUTH PLAIN <hidden>"
        case .authResponse: "<hidden AUTH response>"
        default: (try? encoded()).map { String(decoding: $0.dropLast(2), as: UTF8.self) } ?? "<invalid command>"
        }
    }

    /// An ESMTP parameter is `keyword[=value]` in visible ASCII without spaces.
    private static func checkParameter(_ parameter: String) throws(SMTPCommandError) {
        let bytes = Array(parameter.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy(ASCII.isVisible), ASCII.isLetterOrDigit(bytes[0]) else {
            throw .invalidArgument("\(parameter) is not a valid MAIL FROM parameter")
        }
    }
}
