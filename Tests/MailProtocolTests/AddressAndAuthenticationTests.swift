import Testing
@testable import MailProtocol

@Suite("Address lists and Authentication-Results")
struct AddressAndAuthenticationTests {
    @Test("RFC 5322 appendix A address examples")
    func rfc5322Examples() {
        let cases: [(String, [ParsedMailbox])] = [
            ("John Doe <jdoe@machine.example>", [.init(displayName: "John Doe", address: "jdoe@machine.example")]),
            ("\"Joe Q. Public\" <john.q.public@example.com>", [.init(displayName: "Joe Q. Public", address: "john.q.public@example.com")]),
            ("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>", [
                .init(displayName: "Mary Smith", address: "mary@x.test"), .init(displayName: nil, address: "jdoe@example.org"),
                .init(displayName: "Who?", address: "one@y.test"),
            ]),
            ("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>", [
                .init(displayName: nil, address: "boss@nil.test"), .init(displayName: "Giant; \"Big\" Box", address: "sysservices@example.net"),
            ]),
            ("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;", [
                .init(displayName: "Ed Jones", address: "c@a.test"), .init(displayName: nil, address: "joe@where.test"),
                .init(displayName: "John", address: "jdoe@one.test"),
            ]),
            ("Undisclosed recipients:;", []),
            ("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", [.init(displayName: "Pete", address: "pete@silly.test")]),
            ("John Q. Public <JQP@Example.COM>", [.init(displayName: "John Q. Public", address: "jqp@example.com")]),
        ]
        for (text, expected) in cases {
            #expect(AddressParser.parseList(text) == expected, "\(text)")
        }
    }

    @Test("comments as names, routes, encoded names, and junk skipped")
    func variants() {
        #expect(AddressParser.parseMailbox("alice@example.com (Alice Smith)") == .init(displayName: "Alice Smith", address: "alice@example.com"))
        #expect(AddressParser.parseMailbox("<@relay.example:Bob@Example.org>")?.address == "bob@example.org")
        #expect(AddressParser.parseMailbox("=?UTF-8?B?R8OpbsOpcmF0ZXVy?= <gen@example.org>")?.displayName == "Générateur")
        #expect(AddressParser.parseMailbox("=?ISO-8859-1?Q?Andr=E9?= Pirard <a@b.c>")?.displayName == "André Pirard")
        #expect(AddressParser.parseMailbox("x@[192.0.2.1]")?.address == "x@[192.0.2.1]")
        #expect(AddressParser.parseList("not an address, <also not>, a@b, @, <@>, a@, \"x y\"@example.org").map(\.address)
                == ["a@b", "\"x y\"@example.org"])
        #expect(AddressParser.parseList("").isEmpty)
        #expect(AddressParser.parseList("Name <a@b.c").map(\.address) == ["a@b.c"], "an unterminated bracket ends at the end")
        #expect(AddressParser.parseList(String(repeating: "a@b.c,", count: 1500)).count == AddressParser.maximumMailboxes)
        #expect(AddressParser.parseMailbox("Ünïcode <JÖRG@Bücher.DE>")?.address == "jörg@bücher.de")
        #expect(AddressParser.parseMailbox("evil@exa mple.com") == nil)
    }

    @Test("RFC 8601 appendix B examples")
    func rfc8601Examples() throws {
        let none = try #require(AuthenticationResults.parse("example.org 1; none"))
        #expect(none.authservID == "example.org" && none.version == 1 && none.results.isEmpty)

        let spf = try #require(AuthenticationResults.parse("example.com; spf=pass smtp.mailfrom=example.net"))
        #expect(spf.results == [AuthenticationResult(method: "spf", result: "pass", properties: [.init(type: "smtp", name: "mailfrom", value: "example.net")])])

        let several = try #require(AuthenticationResults.parse(
            "example.com;\r\n  auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n  spf=pass smtp.mailfrom=example.net"))
        #expect(several.results.map(\.method) == ["auth", "spf"])
        #expect(several.results[0].property("smtp.auth") == "sender@example.net")

        let dkim = try #require(AuthenticationResults.parse(
            "example.com; dkim=pass (good signature) header.d=mail-router.example.net; dkim=fail (bad signature) header.d=newyork.example.com"))
        #expect(dkim.results.map(\.result) == ["pass", "fail"])
        #expect(dkim.results[1].property("HEADER.D") == "newyork.example.com")

        let comments = try #require(AuthenticationResults.parse(
            "foo.example.net (foobar) 1 (baz); dkim (Because I like it) / 1 (One yay) = (wait for it) fail policy (A dot can go here) . (like that) expired (this surprised me) = (as I wasn't expecting it) 1362471462"))
        #expect(comments.authservID == "foo.example.net" && comments.version == 1)
        #expect(comments.results == [AuthenticationResult(
            method: "dkim", methodVersion: 1, result: "fail", properties: [.init(type: "policy", name: "expired", value: "1362471462")])])
    }

    @Test("reasons, quoted values, upper case, broken clauses skipped, unreadable fields refused")
    func parserDetails() throws {
        let value = "MX.Example.COM; DMARC=PASS reason=\"aligned; ok\" header.from=Example.org; garbage; =x; spf=; dkim=pass header.d=\"example.org\""
        let parsed = try #require(AuthenticationResults.parse(value))
        #expect(parsed.authservID == "MX.Example.COM")
        #expect(parsed.results.map(\.method) == ["dmarc", "dkim"])
        #expect(parsed.results[0].reason == "aligned; ok")
        #expect(parsed.results[0].property("header.from") == "Example.org")
        #expect(parsed.results[1].property("header.d") == "example.org")
        for bad in ["", "   ", "; spf=pass", "(only a comment)", "spf=pass smtp.mailfrom=x"] {
            #expect(AuthenticationResults.parse(bad) == nil, "\(bad)")
        }
        #expect(AuthenticationResults.parse("x; " + String(repeating: "spf=pass;", count: 100))?.results.count == AuthenticationResults.maximumResults)
    }

    @Test("a sender domain is authenticated by an aligned dmarc, spf or dkim pass")
    func senderAuthenticated() {
        let cases: [(String, String?)] = [
            ("mx.example.com; dmarc=pass header.from=example.org", "dmarc"),
            ("mx.example.com; spf=pass smtp.mailfrom=owner@Example.ORG", "spf"),
            ("mx.example.com; spf=pass smtp.mailfrom=example.org.", "spf"),
            ("mx.example.com; dkim=pass header.d=example.org header.i=@example.org", "dkim"),
            ("mx.example.com; dmarc=fail header.from=example.org; spf=softfail smtp.mailfrom=example.org", nil),
            ("mx.example.com; dmarc=pass header.from=other.org", nil),
            ("mx.example.com; spf=pass smtp.mailfrom=mail.example.org", nil),
            ("mx.example.com; dkim=pass header.d=example.org.evil.test", nil),
            ("mx.example.com; none", nil),
        ]
        for (field, method) in cases {
            let verdict = SenderAuthentication.verify(senderAddress: "Owner@Example.org", fields: [field])
            #expect(verdict.isAuthenticated == (method != nil), "\(field)")
            #expect(verdict.method == method, "\(field)")
        }
        #expect(!SenderAuthentication.verify(senderAddress: "owner@example.org", fields: []).isAuthenticated)
        #expect(!SenderAuthentication.verify(senderAddress: "no-domain", fields: ["mx; spf=pass smtp.mailfrom=no-domain"]).isAuthenticated)
    }

    @Test("only the topmost field is trusted without an id; with ids, only those servers")
    func trustedFields() throws {
        let forged = "evil.test; dmarc=pass header.from=example.org"
        let real = "mx.example.com; dmarc=fail header.from=example.org"
        // The receiving server adds its field on top; one written by the sender sits below it.
        #expect(!SenderAuthentication.verify(senderAddress: "a@example.org", fields: [real, forged]).isAuthenticated)
        #expect(!SenderAuthentication.verify(senderAddress: "a@example.org", fields: [real, forged], trustedAuthservIDs: ["mx.example.com"]).isAuthenticated)
        #expect(!SenderAuthentication.verify(senderAddress: "a@example.org", fields: [forged], trustedAuthservIDs: ["mx.example.com"]).isAuthenticated)
        let good = "MX.example.com; spf=pass smtp.mailfrom=example.org"
        let verdict = SenderAuthentication.verify(senderAddress: "a@example.org", fields: ["other.host; none", good], trustedAuthservIDs: ["mx.example.com"])
        #expect(verdict.isAuthenticated && verdict.method == "spf" && verdict.authservID == "MX.example.com")
        #expect(verdict.explanation == "spf=pass for example.org reported by MX.example.com")

        let headers = try MailHeaders.parse(bytes("Authentication-Results: \(good)\r\nAuthentication-Results: \(forged)\r\nFrom: a@example.org\r\n\r\n"))
        #expect(headers.authenticationResults.map(\.authservID) == ["MX.example.com", "evil.test"])
        let sender = try #require(headers.from.first?.address)
        #expect(SenderAuthentication.verify(senderAddress: sender, headers: headers).isAuthenticated)
    }
}
