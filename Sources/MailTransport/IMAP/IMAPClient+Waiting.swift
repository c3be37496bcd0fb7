import MailProtocol

/// How a wait for new mail ended.
public enum IMAPWaitOutcome: Equatable, Sendable {
    /// The server reported a change (new mail, expunge, flags): search again.
    case changed
    /// The time ran out with nothing reported (with polling: nothing seen by the NOOP).
    case timedOut
}

extension IMAPClient {
    /// Waits up to `timeout` for the selected mailbox to change: with IDLE when `useIdle` and the server offers
    /// it (returns as soon as the server pushes news; one IDLE never lasts past 29 minutes), else by sleeping
    /// `timeout` and sending NOOP.
    public func waitForChanges(timeout: Duration, useIdle: Bool) async throws -> IMAPWaitOutcome {
        if changesPending {
            changesPending = false
            return .changed
        }
        guard useIdle, supports("IDLE") else {
            try await Task.sleep(for: timeout)
            try await noop()
            defer { changesPending = false }
            return changesPending ? .changed : .timedOut
        }
        return try await idle(timeout: min(timeout, session.idleRenewalInterval))
    }

    /// Whether waits will use IDLE (offered by the server and asked for).
    public func willIdle(_ useIdle: Bool) -> Bool { useIdle && supports("IDLE") }

    private func idle(timeout: Duration) async throws -> IMAPWaitOutcome {
        try send(.idle)
        let acceptDeadline = ContinuousClock.now + configuration.commandTimeout
        started: while true {
            for action in try await receive(try await nextResponse(until: acceptDeadline, waitingFor: "IDLE")) {
                switch action {
                case .idleStarted: break started
                case let .completed(completion):
                    throw IMAPClientError.commandFailed(command: "IDLE", status: completion.status)
                default: continue
                }
            }
        }
        logger.debug("IMAP idling", metadata: ["for": "\(timeout)"])
        let idleDeadline = ContinuousClock.now + timeout
        var changed = false
        do {
            while !changed, !changesPending, !session.idleNeedsRenewal(now: .now) {
                guard let response = try await nextResponse(orNilAt: idleDeadline) else { break }
                for case let .unsolicited(untagged) in try await receive(response) where Self.isChange(untagged) {
                    changed = true
                }
            }
        } catch is CancellationError {
            // Stopping: leave IDLE politely so a logout can follow, but do not wait long for it.
            await close()
            throw CancellationError()
        }
        write(try endIdle())
        let doneDeadline = ContinuousClock.now + configuration.commandTimeout
        while true {
            for action in try await receive(try await nextResponse(until: doneDeadline, waitingFor: "the end of IDLE")) {
                switch action {
                case let .unsolicited(untagged) where Self.isChange(untagged):
                    changed = true  // news that crossed the DONE
                case let .completed(completion):
                    guard completion.status.kind == .ok else {
                        throw IMAPClientError.commandFailed(command: "IDLE", status: completion.status)
                    }
                    // Everything seen up to here is reported by this return; the caller searches next.
                    changesPending = false
                    return changed || completion.untagged.contains(where: Self.isChange) ? .changed : .timedOut
                default:
                    continue
                }
            }
        }
    }

    private func endIdle() throws -> [UInt8] {
        do {
            return try session.endIdle()
        } catch {
            throw IMAPClientError.protocolViolation("\(error)")
        }
    }
}
