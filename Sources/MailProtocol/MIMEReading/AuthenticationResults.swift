/// One `Authentication-Results` header field (RFC 8601): who checked, and each method's result.
public struct AuthenticationResults: Sendable, Equatable {
    /// The server that did the checks (`mx.example.com`), as written.
    public let authservID: String
    /// `authres-version` after the id, when given.
    public let version: Int?
    /// One entry per `method=result` clause; empty for `none`.
    public let results: [AuthenticationResult]

    public init(authservID: String, version: Int? = nil, results: [AuthenticationResult]) {
        self.authservID = authservID
        self.version = version
        self.results = results
    }

    /// At most this many clauses are read from one field.
    public static let maximumResults = 64

    /// Reads a field value; nil when not even the authserv-id can be found. Comments are ignored,
    /// quoted strings are honoured, and a clause that cannot be read is skipped.
    public static func parse(_ value: String) -> AuthenticationResults? {
        let cleaned = ARLexer.removingComments(Array(value.utf8))
        let segments = ARLexer.split(cleaned, at: UInt8(ascii: ";"))
        guard let head = segments.first else { return nil }
        let headWords = ARLexer.words(head)
        guard let id = headWords.first, !id.isEmpty, id != "=", headWords.dropFirst().first != "=" else { return nil }
        let version = headWords.count > 1 ? Int(headWords[1]) : nil
        var results: [AuthenticationResult] = []
        for segment in segments.dropFirst() where results.count < maximumResults {
            if let result = AuthenticationResult(clause: segment) { results.append(result) }
        }
        return AuthenticationResults(authservID: id, version: version, results: results)
    }
}

/// One `method=result` clause with its reason and properties.
public struct AuthenticationResult: Sendable, Equatable {
    /// `spf`, `dkim`, `dmarc`, ... lower-cased.
    public let method: String
    public let methodVersion: Int?
    /// `pass`, `fail`, `none`, ... lower-cased.
    public let result: String
    public let reason: String?
    /// `ptype.property=value` items in order (`smtp.mailfrom`, `header.from`, `header.d`, ...).
    public let properties: [Property]

    /// A property such as `header.from=example.com`; type and name lower-cased, value as written.
    public struct Property: Sendable, Equatable {
        public let type: String
        public let name: String
        public let value: String

        public init(type: String, name: String, value: String) {
            self.type = type
            self.name = name
            self.value = value
        }
    }

    public init(method: String, methodVersion: Int? = nil, result: String, reason: String? = nil, properties: [Property] = []) {
        self.method = method
        self.methodVersion = methodVersion
        self.result = result
        self.reason = reason
        self.properties = properties
    }

    /// The value of `type.name` (e.g. `header.from`), first occurrence.
    public func property(_ key: String) -> String? {
        let lower = key.lowercased()
        return properties.first { "\($0.type).\($0.name)" == lower }?.value
    }

    /// Reads `method[/version]=result [reason=...] [ptype.property=value ...]`.
    init?(clause: [UInt8]) {
        let pairs = ARLexer.pairs(clause)
        guard let first = pairs.first, let resultText = first.value, !resultText.isEmpty else { return nil }
        let methodParts = first.key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let methodName = methodParts.first.map { String($0).lowercased() } ?? ""
        guard !methodName.isEmpty, methodName.utf8.allSatisfy({ ASCII.isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else { return nil }
        method = methodName
        methodVersion = methodParts.count > 1 ? Int(methodParts[1]) : nil
        result = resultText.lowercased()
        var reason: String?
        var properties: [Property] = []
        for pair in pairs.dropFirst() {
            guard let value = pair.value else { continue }
            let key = pair.key.lowercased()
            if key == "reason" {
                reason = value
                continue
            }
            let keyParts = key.split(separator: ".", maxSplits: 1)
            guard keyParts.count == 2 else { continue }
            properties.append(Property(type: String(keyParts[0]), name: String(keyParts[1]), value: value))
        }
        self.reason = reason
        self.properties = properties
    }
}

/// The small lexer Authentication-Results needs: comments out, quoted strings kept, words and pairs.
enum ARLexer {
    /// Comments replaced by a space (nested ones too); quoted strings left as they are.
    static func removingComments(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var depth = 0, inQuotes = false, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), inQuotes || depth > 0 {
                if depth == 0 { output.append(byte); if index + 1 < bytes.count { output.append(bytes[index + 1]) } }
                index += 2
                continue
            }
            if depth == 0, byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes, byte == UInt8(ascii: "(") { depth += 1; index += 1; continue }
            if !inQuotes, depth > 0, byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { output.append(ASCII.space) }
                index += 1
                continue
            }
            if depth == 0 { output.append(byte) }
            index += 1
        }
        return output
    }

    /// Splits at `separator` outside quoted strings.
    static func split(_ bytes: [UInt8], at separator: UInt8) -> [[UInt8]] {
        var parts: [[UInt8]] = [[]]
        var inQuotes = false, escaped = false
        for byte in bytes {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\"), inQuotes { escaped = true } else if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == separator, !inQuotes { parts.append([]) } else { parts[parts.count - 1].append(byte) }
        }
        return parts
    }

    /// White-space separated words, with `=` as a word of its own and quoted strings unquoted.
    static func words(_ bytes: [UInt8]) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var inQuotes = false, hasWord = false, index = 0
        func flush() {
            if hasWord { words.append(MailHeaders.text(current)) }
            current.removeAll()
            hasWord = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count { current.append(bytes[index + 1]); index += 2; continue }
                if byte == UInt8(ascii: "\"") { inQuotes = false } else { current.append(byte) }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
                hasWord = true
            } else if ASCII.isWhitespace(byte) || byte == ASCII.cr || byte == ASCII.lf {
                flush()
            } else if byte == UInt8(ascii: "=") {
                flush()
                words.append("=")
            } else {
                current.append(byte)
                hasWord = true
            }
            index += 1
        }
        flush()
        return words
    }

    /// `key = value` pairs; a key without `=` gets a nil value.
    static func pairs(_ bytes: [UInt8]) -> [(key: String, value: String?)] {
        // CFWS may surround the '/' of a method version and the '.' of a property (RFC 8601 B.6):
        // a lone "/" or "." joins its neighbours.
        var words: [String] = []
        var joinNext = false
        for word in self.words(bytes) {
            if word == "/" || word == ".", let last = words.popLast() {
                words.append(last + word)
                joinNext = true
            } else if joinNext, word != "=", let last = words.popLast() {
                words.append(last + word)
                joinNext = false
            } else {
                words.append(word)
                joinNext = false
            }
        }
        var pairs: [(key: String, value: String?)] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "=" { index += 1; continue }
            if index + 1 < words.count, words[index + 1] == "=" {
                let value = index + 2 < words.count && words[index + 2] != "=" ? words[index + 2] : nil
                pairs.append((word, value))
                index += value == nil ? 2 : 3
            } else {
                pairs.append((word, nil))
                index += 1
            }
        }
        return pairs
    }
}
