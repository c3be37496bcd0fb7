/// A mailbox address (`local@domain`) checked to be safe to put on an SMTP command line or in a header.
///
/// Accepted: a dot-atom local part (RFC 5322 atext plus UTF-8 for SMTPUTF8) of at most 64 bytes, and a
/// domain of LDH or UTF-8 labels (each 1...63 bytes) or an address literal (`[192.0.2.1]`,
/// `[IPv6:...]`), 254 bytes in all. Quoted local parts are refused: no mail service genmon talks to
/// needs them, and refusing them keeps quotes, spaces and backslashes off the wire.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The local part exactly as given (local parts may be case-sensitive on the receiving server).
    public let localPart: String
    /// The domain, lower-cased.
    public let domain: String

    /// Why a string is not an acceptable address.
    public enum ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        case missingAt
        case invalidLocalPart(String)
        case invalidDomain(String)

        public var description: String {
            switch self {
            case .empty: "the address is empty"
            case let .tooLong(length): "the address is \(length) bytes long, at most 254 are allowed"
            case .missingAt: "the address has no '@'"
            case let .invalidLocalPart(why): "the part before '@' \(why)"
            case let .invalidDomain(why): "the domain \(why)"
            }
        }
    }

    /// Validates `text` (surrounding spaces are trimmed, angle brackets are not accepted).
    public init(_ text: String) throws(ValidationError) {
        let trimmed = text.trimmingASCIISpaces()
        let bytes = Array(trimmed.utf8)
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= 254 else { throw .tooLong(bytes.count) }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { throw .missingAt }
        let local = Array(bytes[..<at])
        let domain = Array(bytes[(at + 1)...])
        try Self.checkLocalPart(local)
        try Self.checkDomain(domain)
        self.localPart = String(decoding: local, as: UTF8.self)
        self.domain = String(decoding: domain, as: UTF8.self).asciiLowercased()
    }

    /// `local@domain`.
    public var description: String { "\(localPart)@\(domain)" }

    /// The address lower-cased throughout, for comparing senders and recipients.
    public var normalized: String { description.asciiLowercased() }

    /// True when every byte is ASCII; otherwise sending needs the server's SMTPUTF8 extension.
    public var isASCII: Bool { description.utf8.allSatisfy { $0 < 0x80 } }

    private static func checkLocalPart(_ bytes: [UInt8]) throws(ValidationError) {
        guard !bytes.isEmpty else { throw .invalidLocalPart("is empty") }
        guard bytes.count <= 64 else { throw .invalidLocalPart("is longer than 64 bytes") }
        guard bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".") else {
            throw .invalidLocalPart("starts or ends with a dot")
        }
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { throw .invalidLocalPart("has two dots in a row") }
            guard byte == UInt8(ascii: ".") || ASCII.isAtext(byte) || byte >= 0x80 else {
                throw .invalidLocalPart("contains the character \(ASCII.describe(byte))")
            }
            previous = byte
        }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidLocalPart("is not valid UTF-8") }
    }

    private static func checkDomain(_ bytes: [UInt8]) throws(ValidationError) {
        guard !bytes.isEmpty else { throw .invalidDomain("is empty") }
        if bytes.first == UInt8(ascii: "[") {
            guard AddressLiteral.isValid(bytes) else { throw .invalidDomain("is not a valid address literal") }
            return
        }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidDomain("is not valid UTF-8") }
        if let problem = DomainName.problem(bytes) { throw .invalidDomain(problem) }
    }
}

/// Domain-name syntax shared by addresses and the EHLO argument.
enum DomainName {
    /// Nil when `bytes` are dot-separated labels of letters, digits, hyphens (or UTF-8), else why not.
    static func problem(_ bytes: [UInt8]) -> String? {
        guard bytes.count <= 253 else { return "is longer than 253 bytes" }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { return "has an empty label" }
            guard label.count <= 63 else { return "has a label longer than 63 bytes" }
            guard label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
                return "has a label that starts or ends with '-'"
            }
            for byte in label where !(ASCII.isLetterOrDigit(byte) || byte == UInt8(ascii: "-") || byte >= 0x80) {
                return "contains the character \(ASCII.describe(byte))"
            }
        }
        return nil
    }
}

/// `[192.0.2.1]` and `[IPv6:2001:db8::1]` address literals (RFC 5321 section 4.1.3).
enum AddressLiteral {
    static func isValid(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 3, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return false }
        let inner = String(decoding: bytes[1..<(bytes.count - 1)], as: UTF8.self)
        if inner.hasPrefixIgnoringCase("IPv6:") { return isIPv6(String(inner.dropFirst(5))) }
        return isIPv4(inner)
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            part.count >= 1 && part.count <= 3 && part.utf8.allSatisfy(ASCII.isDigit) && (Int(part) ?? 256) <= 255
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 45, !text.contains(":::") else { return false }
        var groups = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var allowedGroups = 8
        if let last = groups.last, last.contains(".") {
            guard isIPv4(last) else { return false }
            groups.removeLast()
            groups.append("0")  // the IPv4 tail stands for two groups
            allowedGroups = 7
        }
        let compressions = text.occurrences(of: "::")
        guard compressions <= 1 else { return false }
        let nonEmpty = groups.filter { !$0.isEmpty }
        guard nonEmpty.allSatisfy({ $0.count <= 4 && $0.utf8.allSatisfy(ASCII.isHexDigit) }) else { return false }
        if compressions == 1 { return nonEmpty.count < allowedGroups }
        return groups.count == allowedGroups && nonEmpty.count == allowedGroups
    }
}
