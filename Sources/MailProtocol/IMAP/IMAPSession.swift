/// What the connection must do after the session took in a response.
public enum IMAPSessionAction: Equatable, Sendable {
    /// Write these bytes (the next part of a literal-carrying command, or `*` to cancel a SASL exchange).
    case write([UInt8])
    /// The command in flight has finished.
    case completed(IMAPCompletion)
    /// Untagged data outside a command, or any untagged data during IDLE (new mail, expunges, BYE).
    case unsolicited(IMAPUntaggedResponse)
    /// The server accepted IDLE; it will now push changes.
    case idleStarted
}

/// A finished command: its status and the untagged data that arrived while it ran.
public struct IMAPCompletion: Equatable, Sendable {
    public var tag: String
    public var command: IMAPCommand
    public var status: IMAPStatus
    public var untagged: [IMAPUntaggedResponse]
}

/// Why the session refuses a response or a command: the connection is out of step and must be closed.
public enum IMAPSessionError: Error, Equatable, Sendable, CustomStringConvertible {
    case unexpectedGreeting(String)
    /// The server refused the connection or closed it (BYE).
    case serverClosed(IMAPStatus)
    case unexpectedContinuation
    case unknownTag(String)
    case commandInProgress(String)
    /// The command cannot be sent in this state (a UID command with no mailbox selected, DONE without IDLE).
    case wrongState(command: String, state: String)
    case encoding(IMAPCommandError)

    public var description: String {
        switch self {
        case let .unexpectedGreeting(what): "the server did not greet with OK or PREAUTH: \(what)"
        case let .serverClosed(status): "the server closed the session: \(status.text)"
        case .unexpectedContinuation: "the server sent a continuation request nothing was waiting for"
        case let .unknownTag(tag): "the server answered a command that was not sent (tag \(tag))"
        case let .commandInProgress(name): "\(name) is still running"
        case let .wrongState(command, state): "\(command) cannot be sent while \(state)"
        case let .encoding(error): error.description
        }
    }
}

/// The client side of one IMAP connection as a pure state machine: it tags commands, feeds literal parts
/// on the server's continuations, matches completions to commands, tracks capabilities and the selected
/// mailbox, and runs IDLE (renewed before the server's 30-minute inactivity limit). Time is passed in.
public struct IMAPSession: Sendable {
    /// The connection states of RFC 3501 section 3.
    public enum State: Equatable, Sendable {
        case awaitingGreeting
        case notAuthenticated
        case authenticated
        case selected(IMAPMailbox, readOnly: Bool)
        case loggedOut
    }

    public private(set) var state: State = .awaitingGreeting
    /// Upper-cased capabilities; empty until the server names them (and again after STARTTLS).
    public private(set) var capabilities: Set<String> = []
    /// Whether the capability list is current (STARTTLS and some logins make it stale).
    public private(set) var capabilitiesKnown = false
    /// When an IDLE must be ended and re-issued; RFC 2177 asks for less than 29 minutes.
    public let idleRenewalInterval: Duration

    private let tagPrefix: String
    private var tagCounter = 0
    private var pending: Pending?
    private var idleSince: ContinuousClock.Instant?
    private var doneSent = false

    private struct Pending: Sendable {
        var tag: String
        var command: IMAPCommand
        var remainingParts: [[UInt8]]
        var untagged: [IMAPUntaggedResponse] = []
    }

    public init(tagPrefix: String = "G", idleRenewalInterval: Duration = .seconds(29 * 60)) {
        self.tagPrefix = tagPrefix
        self.idleRenewalInterval = min(idleRenewalInterval, .seconds(29 * 60))
    }

    /// Whether a command is in flight (the client sends one at a time).
    public var isBusy: Bool { pending != nil }
    /// Whether IDLE is running (accepted by the server, DONE not yet sent).
    public var isIdling: Bool { idleSince != nil && !doneSent }

    /// Whether the server advertises `capability` (for example `IDLE`, `MOVE`, `AUTH=PLAIN`).
    public func supports(_ capability: String) -> Bool { capabilities.contains(capability.uppercased()) }

    /// Starts `command`; returns its first bytes. Later parts go out as `.write` actions on continuations.
    public mutating func send(_ command: IMAPCommand, now: ContinuousClock.Instant) throws(IMAPSessionError) -> [UInt8] {
        if let pending { throw .commandInProgress(pending.command.name) }
        try checkState(for: command)
        tagCounter += 1
        let tag = tagPrefix + String(tagCounter)
        let encoded: IMAPEncodedCommand
        do {
            encoded = try IMAPCommandEncoder(literalPlus: supports("LITERAL+")).encode(command, tag: tag)
        } catch {
            throw .encoding(error)
        }
        pending = Pending(tag: tag, command: command, remainingParts: Array(encoded.parts.dropFirst()))
        if command == .idle {
            idleSince = nil
            doneSent = false
        }
        return encoded.parts.first ?? []
    }

    /// Ends IDLE: the `DONE` to write; the IDLE command then completes with its tagged OK.
    public mutating func endIdle() throws(IMAPSessionError) -> [UInt8] {
        guard let pending, pending.command == .idle, idleSince != nil, !doneSent else {
            throw .wrongState(command: "DONE", state: "not idling")
        }
        doneSent = true
        return IMAPCommandEncoder.done
    }

    /// Whether the running IDLE has lasted long enough that it must be ended and issued again.
    public func idleNeedsRenewal(now: ContinuousClock.Instant) -> Bool {
        guard let idleSince, !doneSent else { return false }
        return now - idleSince >= idleRenewalInterval
    }

    /// Takes in one server response; returns what to do about it.
    public mutating func receive(_ response: IMAPResponse, now: ContinuousClock.Instant) throws(IMAPSessionError) -> [IMAPSessionAction] {
        if state == .awaitingGreeting { return try greeting(response) }
        switch response {
        case let .continuation(text):
            guard var current = pending else { throw .unexpectedContinuation }
            if !current.remainingParts.isEmpty {
                let part = current.remainingParts.removeFirst()
                pending = current
                return [.write(part)]
            }
            if current.command == .idle, idleSince == nil {
                idleSince = now
                return [.idleStarted]
            }
            if case .authenticatePlain = current.command {
                return [.write(Array("*\r\n".utf8))]  // a second challenge: PLAIN has nothing more to say
            }
            _ = text
            throw .unexpectedContinuation
        case let .tagged(tag, status):
            guard let current = pending, current.tag == tag else { throw .unknownTag(tag) }
            pending = nil
            complete(current, status: status)
            return [.completed(IMAPCompletion(tag: tag, command: current.command, status: status, untagged: current.untagged))]
        case let .untagged(untagged):
            note(untagged)
            if case let .status(status) = untagged, status.kind == .bye {
                if pending?.command != .logout { state = .loggedOut }
                if pending == nil || idleSince != nil { return [.unsolicited(untagged)] }
            }
            guard var current = pending, current.command != .idle else { return [.unsolicited(untagged)] }
            current.untagged.append(untagged)
            pending = current
            return []
        }
    }

    private mutating func greeting(_ response: IMAPResponse) throws(IMAPSessionError) -> [IMAPSessionAction] {
        guard case let .untagged(.status(status)) = response else { throw .unexpectedGreeting(String(describing: response)) }
        switch status.kind {
        case .ok: state = .notAuthenticated
        case .preauth: state = .authenticated
        case .bye: state = .loggedOut; throw .serverClosed(status)
        case .no, .bad: throw .unexpectedGreeting(status.text)
        }
        if case let .capability(list)? = status.code { setCapabilities(list) }
        return []
    }

    /// Capabilities may come as untagged data or as a response code on any status.
    private mutating func note(_ untagged: IMAPUntaggedResponse) {
        switch untagged {
        case let .capability(list): setCapabilities(list)
        case let .status(status): if case let .capability(list)? = status.code { setCapabilities(list) }
        default: break
        }
    }

    private mutating func setCapabilities(_ list: [String]) {
        capabilities = Set(list.map { $0.uppercased() })
        capabilitiesKnown = true
    }

    private mutating func complete(_ finished: Pending, status: IMAPStatus) {
        if case let .capability(list)? = status.code { setCapabilities(list) }
        let ok = status.kind == .ok
        switch finished.command {
        case .login, .authenticatePlain:
            if ok {
                state = .authenticated
                if case .capability? = status.code {} else { capabilitiesKnown = false }
            }
        case .startTLS:
            // RFC 3501 6.2.1: what the server said before TLS must be forgotten.
            if ok { capabilities = []; capabilitiesKnown = false }
        case let .select(mailbox), let .examine(mailbox):
            let readOnly = status.code == .readOnly || { if case .examine = finished.command { true } else { false } }()
            state = ok ? .selected(mailbox, readOnly: readOnly) : .authenticated
        case .logout:
            state = .loggedOut
        case .idle:
            idleSince = nil
            doneSent = false
        default:
            break
        }
    }

    private func checkState(for command: IMAPCommand) throws(IMAPSessionError) {
        let allowed: Bool
        switch (command, state) {
        case (_, .awaitingGreeting), (_, .loggedOut): allowed = false
        case (.capability, _), (.noop, _), (.logout, _): allowed = true
        case (.startTLS, .notAuthenticated), (.login, .notAuthenticated), (.authenticatePlain, .notAuthenticated): allowed = true
        case (.startTLS, _), (.login, _), (.authenticatePlain, _): allowed = false
        case (_, .notAuthenticated): allowed = false
        case (.uidSearch, .selected), (.uidFetch, .selected), (.uidStore, .selected), (.uidCopy, .selected),
             (.uidMove, .selected), (.expunge, .selected), (.uidExpunge, .selected):
            allowed = true
        case (.uidSearch, _), (.uidFetch, _), (.uidStore, _), (.uidCopy, _), (.uidMove, _), (.expunge, _), (.uidExpunge, _):
            allowed = false
        default: allowed = true
        }
        guard allowed else { throw .wrongState(command: command.name, state: String(describing: state)) }
    }
}
