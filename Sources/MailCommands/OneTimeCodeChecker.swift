import OneTimeCode

/// What a one-time code in a subject turned out to be.
public enum CodeVerdict: Sendable, Equatable {
    /// Right, and its time step is later than any used before: record `step` as used, then run.
    case accepted(step: Int64)
    /// No `code=` in the subject.
    case missing
    /// Not six digits.
    case malformed
    /// Not the code of any step near now.
    case wrong
    /// The code of a step a few minutes ago: right once, but too old now.
    case expired
    /// Right, but already used (or a later one was).
    case reused
    /// No secret is enrolled, so no code can be right.
    case notEnrolled

    /// Why the command was refused, in plain words for the reply; nil when accepted.
    public var refusal: String? {
        switch self {
        case .accepted: nil
        case .missing:
            "this command changes the generator, so it needs a one-time code: add code=<the 6 digits your authenticator app shows> to the subject"
        case .malformed: "the one-time code must be the 6 digits your authenticator app shows"
        case .wrong: "the one-time code is wrong"
        case .expired: "the one-time code has expired (a code lasts 30 seconds; check the clocks of your phone and of genmon's computer)"
        case .reused: "the one-time code was already used; send the command again with the next code"
        case .notEnrolled: "no one-time code is set up on this monitor (run genmon email-commands enroll)"
        }
    }
}

/// Checks one-time codes (TOTP, RFC 6238: 6 digits, 30-second steps, one step of clock drift either
/// way) against the enrolled secret and the last step used, so each code is accepted once. Pure: the
/// time and the last used step are passed in.
public struct OneTimeCodeChecker: Sendable {
    public let totp: TOTP?
    /// Steps either side of now that are accepted.
    public let window: Int
    /// Steps either side that are recognised as an expired code rather than a wrong one.
    public let expiredWindow: Int

    public init(totp: TOTP?, window: Int = 1, expiredWindow: Int = 10) {
        self.totp = totp
        self.window = window
        self.expiredWindow = max(window, expiredWindow)
    }

    public func check(_ code: String?, at unixTime: Int64, lastUsedStep: Int64?) -> CodeVerdict {
        guard let totp else { return .notEnrolled }
        guard let code else { return .missing }
        guard code.utf8.count == totp.digits, code.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return .malformed
        }
        if let step = totp.verify(code, at: unixTime, window: window) {
            if let lastUsedStep, step <= lastUsedStep { return .reused }
            return .accepted(step: step)
        }
        if totp.verify(code, at: unixTime, window: expiredWindow) != nil { return .expired }
        return .wrong
    }
}
