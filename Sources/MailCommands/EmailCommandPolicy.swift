import Foundation
import LegacyProtocol
import MailProtocol
import Monitor

/// When the receiving server's Authentication-Results must vouch for the sender's domain.
public enum SenderAuthenticationRule: Sendable, Equatable {
    /// Always (`email_require_authenticated_sender = True`): a message without the header is refused.
    case always
    /// When the message carries an Authentication-Results header (the default).
    case whenPresent
    /// Never (`email_require_authenticated_sender = False`).
    case never

    /// From the configured value (nil: not set).
    public init(configured: Bool?) {
        switch configured {
        case true?: self = .always
        case false?: self = .never
        case nil: self = .whenPresent
        }
    }
}

/// What to do with one command e-mail, decided from its header alone.
public struct EmailCommandPlan: Sendable, Equatable {
    /// The sender's address, when the From field names exactly one.
    public var sender: String?
    /// What to hand to the command parser, when anything (a refused write is still handed over, with an
    /// origin that may not control, so the monitor's door refuses and audits it).
    public var request: String?
    /// The origin the request runs with (`email:<sender>`).
    public var origin: CommandOrigin?
    /// Whether the sender gets a reply (never strangers, unauthenticated or automatic mail).
    public var answer: Bool
    /// Why the writes were refused (or the message not obeyed), in plain words; nil when nothing was refused.
    public var refusal: String?
    /// The one-time-code step to record as used before the request runs.
    public var codeStep: Int64?
    /// One line for the log and the records.
    public var summary: String

    public init(sender: String?, request: String? = nil, origin: CommandOrigin? = nil, answer: Bool, refusal: String? = nil,
                codeStep: Int64? = nil, summary: String) {
        self.sender = sender
        self.request = request
        self.origin = origin
        self.answer = answer
        self.refusal = refusal
        self.codeStep = codeStep
        self.summary = summary
    }

    /// The same plan after the code turned out to be used meanwhile: the writes are refused.
    public func refusingReusedCode() -> EmailCommandPlan {
        var plan = self
        let reason = CodeVerdict.reused.refusal ?? "the one-time code was already used"
        plan.codeStep = nil
        plan.refusal = reason
        plan.origin = origin.map { CommandOrigin(interface: .email, principal: $0.principal, mayControl: false, refusalReason: reason) }
        plan.summary = "refused: " + reason
        return plan
    }
}

/// Who may command by e-mail and how they prove it: the allow-list (`email_command_senders`), the
/// receiving server's Authentication-Results for the sender's domain, `readonlyemailcommands`, and a
/// one-time code for every command that changes the generator. Pure: the time is passed in.
public struct EmailCommandPolicy: Sendable {
    /// Lower-case addresses whose commands are obeyed.
    public var allowedSenders: Set<String>
    public var authentication: SenderAuthenticationRule
    /// Authentication-Results fields from these authserv-ids are trusted; empty: only the topmost.
    public var trustedAuthservIDs: [String]
    /// `readonlyemailcommands`: writes are refused whatever the code.
    public var readOnly: Bool
    public var codes: OneTimeCodeChecker
    /// genmon's own addresses: mail from them is never obeyed or answered (no reply loops).
    public var ownAddresses: Set<String>

    public init(allowedSenders: [String], authentication: SenderAuthenticationRule = .whenPresent, trustedAuthservIDs: [String] = [],
                readOnly: Bool = false, codes: OneTimeCodeChecker, ownAddresses: [String] = []) {
        self.allowedSenders = Set(allowedSenders.map { $0.lowercased() })
        self.authentication = authentication
        self.trustedAuthservIDs = trustedAuthservIDs
        self.readOnly = readOnly
        self.codes = codes
        self.ownAddresses = Set(ownAddresses.map { $0.lowercased() })
    }

    /// Decides what to do with `mail` at `now`, given the last one-time-code step used.
    public func plan(_ mail: CommandMail, now: Date, lastUsedStep: Int64?) -> EmailCommandPlan {
        if let unreadable = mail.unreadable {
            return EmailCommandPlan(sender: nil, answer: false, summary: "ignored: the header cannot be read (\(unreadable))")
        }
        guard let sender = mail.sender else {
            return EmailCommandPlan(sender: nil, answer: false, summary: "ignored: the From field does not name exactly one sender")
        }
        if ownAddresses.contains(sender) {
            return EmailCommandPlan(sender: sender, answer: false, summary: "ignored: sent from genmon's own address")
        }
        if mail.isAutomatic {
            return EmailCommandPlan(sender: sender, answer: false, summary: "ignored: automatic mail (Auto-Submitted: \(mail.autoSubmitted ?? ""))")
        }
        let parsed = SubjectRequest.parse(mail.subject)
        guard allowedSenders.contains(sender) else {
            return silentRefusal(sender, parsed, reason: "\(sender) is not in email_command_senders")
        }
        if let reason = authenticationProblem(mail, sender: sender) {
            return silentRefusal(sender, parsed, reason: reason)
        }
        let subject: SubjectRequest
        switch parsed {
        case let .failure(problem):
            return EmailCommandPlan(sender: sender, answer: true, refusal: problem.description, summary: "not a command: \(problem)")
        case let .success(request): subject = request
        }
        let writes = Self.writes(in: subject.request)
        guard !writes.isEmpty else {
            // Reading needs no code; a code sent along is not spent.
            return EmailCommandPlan(sender: sender, request: subject.request,
                                    origin: CommandOrigin(interface: .email, principal: sender, mayControl: false),
                                    answer: true, summary: "read: " + Self.names(subject.request))
        }
        if readOnly {
            return refusedWrites(sender, subject, reason: "e-mail commands may only read on this monitor (readonlyemailcommands = True)")
        }
        let verdict = codes.check(subject.code, at: Int64(now.timeIntervalSince1970.rounded(.down)), lastUsedStep: lastUsedStep)
        guard case let .accepted(step) = verdict else {
            return refusedWrites(sender, subject, reason: verdict.refusal ?? "the one-time code was not accepted")
        }
        return EmailCommandPlan(sender: sender, request: subject.request,
                                origin: CommandOrigin(interface: .email, principal: sender, mayControl: true),
                                answer: true, codeStep: step, summary: "allowed with a one-time code: " + Self.names(subject.request))
    }

    /// Nil when the sender's domain is authenticated as the rule demands, else why not.
    func authenticationProblem(_ mail: CommandMail, sender: String) -> String? {
        switch authentication {
        case .never: return nil
        case .whenPresent where mail.authenticationResults.isEmpty: return nil
        case .always, .whenPresent:
            let verdict = SenderAuthentication.verify(senderAddress: sender, fields: mail.authenticationResults,
                                                      trustedAuthservIDs: trustedAuthservIDs)
            return verdict.isAuthenticated ? nil : "the sender is not authenticated: \(verdict.explanation)"
        }
    }

    /// A sender who gets no answer: nothing runs but the writes, handed over refused so they are audited.
    func silentRefusal(_ sender: String, _ parsed: Result<SubjectRequest, SubjectRequest.Problem>, reason: String) -> EmailCommandPlan {
        guard case let .success(subject) = parsed, !Self.writes(in: subject.request).isEmpty else {
            return EmailCommandPlan(sender: sender, answer: false, refusal: reason, summary: "ignored: " + reason)
        }
        let writesOnly = Self.writesOnly(subject.request)
        return EmailCommandPlan(sender: sender, request: writesOnly,
                                origin: CommandOrigin(interface: .email, principal: sender, mayControl: false, refusalReason: reason),
                                answer: false, refusal: reason, summary: "refused without reply: " + reason)
    }

    func refusedWrites(_ sender: String, _ subject: SubjectRequest, reason: String) -> EmailCommandPlan {
        EmailCommandPlan(sender: sender, request: subject.request,
                         origin: CommandOrigin(interface: .email, principal: sender, mayControl: false, refusalReason: reason),
                         answer: true, refusal: reason, summary: "refused: " + reason)
    }

    /// The commands of `request` that e-mail may send and that change the generator.
    static func writes(in request: String) -> [LegacyCommand] {
        LegacyDispatcher.commands(in: request).filter { $0.allowedByEmail && $0.changesGenerator }
    }

    /// `request` with only its tokens that change the generator (a stranger's reads never run).
    static func writesOnly(_ request: String) -> String {
        let tokens = request.dropFirst("generator:".count).split(separator: " ").filter { token in
            let name = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return LegacyCommand(name: name).map { $0.allowedByEmail && $0.changesGenerator } ?? false
        }
        return "generator: " + tokens.joined(separator: " ")
    }

    /// The command names of a request, for the log.
    static func names(_ request: String) -> String {
        let names = LegacyDispatcher.commands(in: request).map(\.rawValue)
        return names.isEmpty ? "no known command" : names.joined(separator: " ")
    }
}
