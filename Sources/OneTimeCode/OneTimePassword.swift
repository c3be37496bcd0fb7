import Crypto

/// Why a one-time password cannot be computed or checked as asked.
public enum OneTimePasswordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// RFC 4226 allows 6 to 8 digits (more would not be backed by the 31-bit truncated value).
    case unsupportedDigits(Int)
    /// The step length must be at least one second.
    case invalidPeriod(Int)
    /// A shared secret shorter than RFC 4226's minimum of 128 bits.
    case secretTooShort(bits: Int)

    public var description: String {
        switch self {
        case let .unsupportedDigits(digits): "\(digits) digits: one-time passwords have 6 to 8"
        case let .invalidPeriod(period): "a time step of \(period) s is not allowed"
        case let .secretTooShort(bits): "a \(bits)-bit secret is shorter than the 128 bits RFC 4226 requires"
        }
    }
}

/// HOTP (RFC 4226): HMAC-SHA-1 of a counter, dynamically truncated to a few decimal digits.
public enum HOTP {
    /// The code for `counter`, zero-padded to `digits`.
    public static func code(secret: [UInt8], counter: UInt64, digits: Int = 6) throws(OneTimePasswordError) -> String {
        guard (6...8).contains(digits) else { throw .unsupportedDigits(digits) }
        let value = truncatedValue(secret: secret, counter: counter) % powersOfTen[digits]
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    static let powersOfTen: [UInt32] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// The 31-bit number RFC 4226 section 5.3 takes from the HMAC at the offset its last nibble names.
    static func truncatedValue(secret: [UInt8], counter: UInt64) -> UInt32 {
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * $0)) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[19] & 0x0F)
        return (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
    }
}

/// TOTP (RFC 6238) with SHA-1: the HOTP of the number of `period`-second steps since the Unix epoch.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public let digits: Int
    public let period: Int

    /// A generator for `secret` (at least 128 bits; genmon makes 160), 6 digits and 30-second steps by default.
    public init(secret: [UInt8], digits: Int = 6, period: Int = 30) throws(OneTimePasswordError) {
        guard (6...8).contains(digits) else { throw .unsupportedDigits(digits) }
        guard period >= 1 else { throw .invalidPeriod(period) }
        guard secret.count >= 16 else { throw .secretTooShort(bits: secret.count * 8) }
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// The time step containing `unixTime` (seconds since 1970; times before it belong to no step).
    public func step(at unixTime: Int64) -> Int64? {
        unixTime >= 0 ? unixTime / Int64(period) : nil
    }

    /// The code valid during step `step`.
    public func code(step: Int64) -> String {
        // `digits` was checked in init, so this cannot throw.
        (try? HOTP.code(secret: secret, counter: UInt64(max(0, step)), digits: digits)) ?? ""
    }

    /// The code valid at `unixTime`, nil before 1970.
    public func code(at unixTime: Int64) -> String? {
        step(at: unixTime).map { code(step: $0) }
    }

    /// The step whose code `candidate` is, looking `window` steps either side of `unixTime`'s (clock drift),
    /// or nil. Steps at or before `lastAcceptedStep` never match, so a caller that stores the returned step
    /// refuses the reuse of a code. Every candidate step is compared in constant time and none is skipped
    /// early, so timing reveals nothing about how close a guess came.
    public func verify(_ candidate: String, at unixTime: Int64, window: Int = 1, after lastAcceptedStep: Int64? = nil) -> Int64? {
        let typed = Array(candidate.utf8)
        guard typed.count == digits, typed.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let current = step(at: unixTime) else { return nil }
        let window = max(0, min(window, 10))
        var matched: Int64?
        for offset in -window...window {
            let (step, overflow) = current.addingReportingOverflow(Int64(offset))
            guard !overflow, step >= 0 else { continue }
            let equal = Self.constantTimeEqual(Array(code(step: step).utf8), typed)
            if equal, step > (lastAcceptedStep ?? -1), matched == nil { matched = step }
        }
        return matched
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// A new random 160-bit secret (RFC 4226 recommends 160 bits) from `generator`.
    public static func generateSecret(using generator: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
