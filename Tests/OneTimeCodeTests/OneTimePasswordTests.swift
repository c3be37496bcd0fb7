import GenmonBasics
import Testing
@testable import OneTimeCode


@Suite("HOTP and TOTP")
struct OneTimePasswordTests {
    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test("HOTP matches RFC 4226 appendix D for counters 0 to 9")
    func hotpVectors() throws {
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (counter, code) in expected.enumerated() {
            #expect(try HOTP.code(secret: Self.rfcSecret, counter: UInt64(counter)) == code)
        }
        // The truncated decimal values of the same appendix.
        let truncated: [UInt32] = [1_284_755_224, 1_094_287_082, 137_359_152, 1_726_969_429, 1_640_338_314,
                                   868_254_676, 1_918_287_922, 82_162_583, 673_399_871, 645_520_489]
        for (counter, value) in truncated.enumerated() {
            #expect(HOTP.truncatedValue(secret: Self.rfcSecret, counter: UInt64(counter)) == value)
        }
    }

    @Test("TOTP matches the RFC 6238 appendix B SHA-1 vectors (8 digits)")
    func totpVectors() throws {
        let totp = try TOTP(secret: Self.rfcSecret, digits: 8)
        let vectors: [(Int64, Int64, String)] = [
            (59, 0x1, "94287082"), (1_111_111_109, 0x23523EC, "07081804"), (1_111_111_111, 0x23523ED, "14050471"),
            (1_234_567_890, 0x273EF07, "89005924"), (2_000_000_000, 0x3F940AA, "69279037"), (20_000_000_000, 0x27BC86AA, "65353130"),
        ]
        for (time, step, code) in vectors {
            #expect(totp.step(at: time) == step)
            #expect(totp.code(at: time) == code)
            #expect(totp.verify(code, at: time, window: 0) == step)
        }
        #expect(try TOTP(secret: Self.rfcSecret).code(at: 59) == "287082")
    }

    @Test("verification accepts one step either side, no further, and returns the matched step")
    func window() throws {
        let totp = try TOTP(secret: Self.rfcSecret)
        let now: Int64 = 1_700_000_015, step = now / 30
        let previous = totp.code(step: step - 1), current = totp.code(step: step), next = totp.code(step: step + 1)
        #expect(totp.verify(current, at: now) == step)
        #expect(totp.verify(previous, at: now) == step - 1)
        #expect(totp.verify(next, at: now) == step + 1)
        #expect(totp.verify(totp.code(step: step - 2), at: now) == nil)
        #expect(totp.verify(totp.code(step: step + 2), at: now) == nil)
        #expect(totp.verify(totp.code(step: step - 2), at: now, window: 2) == step - 2)
        #expect(totp.verify(previous, at: now, window: 0) == nil)
    }

    @Test("a code is refused once its step (or a later one) has been accepted")
    func reuseRefused() throws {
        let totp = try TOTP(secret: Self.rfcSecret)
        let now: Int64 = 1_700_000_015, step = now / 30
        let code = totp.code(step: step)
        let accepted = try #require(totp.verify(code, at: now))
        #expect(totp.verify(code, at: now, after: accepted) == nil)
        #expect(totp.verify(code, at: now + 20, after: accepted) == nil)
        #expect(totp.verify(totp.code(step: step - 1), at: now, after: accepted) == nil)
        #expect(totp.verify(totp.code(step: step + 1), at: now + 30, after: accepted) == step + 1)
    }

    @Test("malformed candidates and impossible settings are refused")
    func refused() throws {
        let totp = try TOTP(secret: Self.rfcSecret)
        let code = try #require(totp.code(at: 1_000_000))
        for bad in ["", "12345", "1234567", " " + code.dropFirst(), code + " ", "12a456", "１２３４５６", "-12345"] {
            #expect(totp.verify(bad, at: 1_000_000) == nil, "\(bad)")
        }
        #expect(totp.verify(code, at: -5) == nil && totp.code(at: -1) == nil)
        #expect(totp.verify(code, at: Int64.max) == nil)
        #expect(throws: OneTimePasswordError.unsupportedDigits(5)) { try TOTP(secret: Self.rfcSecret, digits: 5) }
        #expect(throws: OneTimePasswordError.unsupportedDigits(9)) { try HOTP.code(secret: Self.rfcSecret, counter: 0, digits: 9) }
        #expect(throws: OneTimePasswordError.invalidPeriod(0)) { try TOTP(secret: Self.rfcSecret, period: 0) }
        #expect(throws: OneTimePasswordError.secretTooShort(bits: 120)) { try TOTP(secret: Array(repeating: 1, count: 15)) }
        #expect(TOTP.constantTimeEqual([1, 2], [1, 2]) && !TOTP.constantTimeEqual([1, 2], [1, 3]) && !TOTP.constantTimeEqual([1], [1, 1]))
    }

    @Test("secrets are 160 bits from the injected generator")
    func secrets() throws {
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42), other = SeededGenerator(seed: 43)
        let secret = TOTP.generateSecret(using: &first)
        #expect(secret.count == 20)
        #expect(secret == TOTP.generateSecret(using: &second))
        #expect(secret != TOTP.generateSecret(using: &other))
        #expect(try TOTP(secret: secret).code(at: 0)?.count == 6)
    }

    @Test("the otpauth URI percent-encodes issuer and account and names every parameter")
    func uri() {
        let secret = Array("12345678901234567890".utf8)
        #expect(OTPAuthURI.totp(secret: secret, issuer: "genmon", account: "owner@example.com")
            == "otpauth://totp/genmon:owner%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=genmon&algorithm=SHA1&digits=6&period=30")
        #expect(OTPAuthURI.totp(secret: secret, issuer: "genmon: Cabin A&B", account: "Jörg Müller")
            == "otpauth://totp/genmon%3A%20Cabin%20A%26B:J%C3%B6rg%20M%C3%BCller?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=genmon%3A%20Cabin%20A%26B&algorithm=SHA1&digits=6&period=30")
        #expect(OTPAuthURI.percentEncoded("a-b_c.d~e/f?g=h#i+j") == "a-b_c.d~e%2Ff%3Fg%3Dh%23i%2Bj")
    }
}
