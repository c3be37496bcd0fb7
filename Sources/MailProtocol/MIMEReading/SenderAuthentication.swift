/// Decides whether a message's sender domain was authenticated by a trusted receiving server.
///
/// Which Authentication-Results fields are trusted: when `trustedAuthservIDs` is not empty, only
/// fields whose authserv-id equals one of them (case-insensitively); when it is empty, only the
/// topmost field, which the last receiving server added. Fields further down can be written by
/// anyone who sends the message, so they are never believed on their own (RFC 8601 section 5).
///
/// The domain counts as authenticated when a trusted field has
/// - `dmarc=pass` with `header.from` equal to the domain, or
/// - `spf=pass` with `smtp.mailfrom`'s domain equal to the domain, or
/// - `dkim=pass` with `header.d` equal to the domain.
/// Domains are compared exactly (lower-case, trailing dot ignored); genmon carries no public
/// suffix list, so relaxed alignment between sub-domains is not assumed.
public enum SenderAuthentication {
    /// The outcome and the reason, for logs and the audit record.
    public struct Verdict: Sendable, Equatable {
        public let isAuthenticated: Bool
        /// `dmarc`, `spf` or `dkim` when authenticated.
        public let method: String?
        /// The authserv-id of the field that decided.
        public let authservID: String?
        /// Plain words.
        public let explanation: String
    }

    /// Checks `senderAddress` (`alice@example.org`) against the message's Authentication-Results fields.
    public static func verify(senderAddress: String, headers: MailHeaders, trustedAuthservIDs: [String] = []) -> Verdict {
        verify(senderAddress: senderAddress, fields: headers.values("Authentication-Results"), trustedAuthservIDs: trustedAuthservIDs)
    }

    /// The same, from field values in message order (topmost first).
    public static func verify(senderAddress: String, fields: [String], trustedAuthservIDs: [String] = []) -> Verdict {
        let domain = senderAddress.contains("@") ? normalizedDomain(senderAddress) : ""
        guard !domain.isEmpty else {
            return Verdict(isAuthenticated: false, method: nil, authservID: nil, explanation: "the sender address has no domain")
        }
        let trusted = trustedFields(fields, trustedAuthservIDs: trustedAuthservIDs)
        guard !trusted.isEmpty else {
            let why = trustedAuthservIDs.isEmpty
                ? "the message carries no Authentication-Results"
                : "no Authentication-Results from \(trustedAuthservIDs.joined(separator: ", "))"
            return Verdict(isAuthenticated: false, method: nil, authservID: nil, explanation: why)
        }
        for field in trusted {
            for result in field.results where result.result == "pass" {
                let matches: Bool
                switch result.method {
                case "dmarc": matches = result.property("header.from").map(normalizedDomain) == domain
                case "spf": matches = result.property("smtp.mailfrom").map(normalizedDomain) == domain
                case "dkim": matches = result.property("header.d").map(normalizedDomain) == domain
                default: matches = false
                }
                if matches {
                    return Verdict(
                        isAuthenticated: true, method: result.method, authservID: field.authservID,
                        explanation: "\(result.method)=pass for \(domain) reported by \(field.authservID)")
                }
            }
        }
        return Verdict(
            isAuthenticated: false, method: nil, authservID: trusted.first?.authservID,
            explanation: "no dmarc, spf or dkim pass for \(domain) in the trusted Authentication-Results")
    }

    private static func trustedFields(_ fields: [String], trustedAuthservIDs: [String]) -> [AuthenticationResults] {
        if trustedAuthservIDs.isEmpty {
            return fields.first.flatMap(AuthenticationResults.parse).map { [$0] } ?? []
        }
        let ids = Set(trustedAuthservIDs.map { $0.lowercased() })
        return fields.compactMap(AuthenticationResults.parse).filter { ids.contains($0.authservID.lowercased()) }
    }

    /// The domain of an address or of a bare domain, lower-cased, without a trailing dot.
    static func normalizedDomain(_ text: String) -> String {
        var domain = text.trimmingASCIISpaces()
        if let at = domain.lastIndex(of: "@") { domain = String(domain[domain.index(after: at)...]) }
        if domain.hasPrefix("<") { domain.removeFirst() }
        if domain.hasSuffix(">") { domain.removeLast() }
        if domain.hasSuffix(".") { domain.removeLast() }
        return domain.lowercased()
    }
}
