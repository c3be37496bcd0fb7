import Foundation
import Generac
import GenmonBasics
import ModbusTransport

/// The one door for commands: authorise, plan, write (never retried blindly), confirm by reading
/// the controller back, audit, and tell everyone.
extension GeneratorMonitor {
    /// Refusals are decided here, outside the actor: a flood of commands from an origin that may
    /// not send them is counted (`RefusalLedger`) and never waits for, or slows, the monitor.
    public nonisolated func execute(_ command: MonitorCommand, origin: CommandOrigin) async -> CommandOutcome {
        if let refused = refuse(command, origin: origin) { return refused }
        return await executeAllowed(command, origin: origin)
    }

    /// Like `execute`, but returns as soon as the command is written (as the original's socket does);
    /// the confirmation goes on in the monitor's own task group and ends up in the audit log and the
    /// event stream. A clock setting, which waits for the next whole minute, returns at once.
    public nonisolated func submit(_ command: MonitorCommand, origin: CommandOrigin) async -> CommandOutcome {
        if let refused = refuse(command, origin: origin) { return refused }
        return await submitAllowed(command, origin: origin)
    }

    /// The refusal of a command from an origin that may not control the generator, counted; nil
    /// when the origin may. The first refusal of a window is logged and told as an event at once;
    /// the window's count is stored as one audit row when it closes (`flushRefusals`).
    nonisolated func refuse(_ command: MonitorCommand, origin: CommandOrigin) -> CommandOutcome? {
        guard !origin.mayControl else { return nil }
        let outcome = CommandOutcome(result: .refused, message: origin.refusalMessage,
                                     legacyReply: "Command refused: not allowed from this connection")
        let now = clock.date
        let first = refusals.withLock { $0.count(command.text, from: origin, reason: outcome.message, at: now) }
        if first {
            logger.notice("command \(command.text) from \(origin): refused: \(outcome.message) (more from it are counted and stored once a minute)")
            let event = MonitorEvent(time: now, kind: .commandCompleted(command: command.text, origin: origin.description,
                                                                         result: outcome.result.rawValue + ": " + outcome.message))
            eventHub.publish(event)
            persistenceQueue.yield(.event(event))
        }
        return outcome
    }

    /// Stores one audit row per refusal window that has closed (every open one when `all`), and
    /// says in the log how many a window counted.
    nonisolated func flushRefusals(all: Bool = false) {
        let closed = refusals.withLock { $0.closed(at: clock.date, all: all) }
        for (key, tally) in closed {
            persistenceQueue.yield(.audit(RefusalLedger.audit(key, tally)))
            if tally.count > 1 {
                logger.notice("refused \(RefusalLedger.grouped(tally.count)) × \(key.command) from \(key.origin) in the last \(Int(tally.last.timeIntervalSince(tally.first).rounded())) s")
            }
        }
    }

    func executeAllowed(_ command: MonitorCommand, origin: CommandOrigin) async -> CommandOutcome {
        let started = clock.date
        let outcome: CommandOutcome
        switch await write(command, origin: origin) {
        case let .finished(done): outcome = done
        case let .written(plan, identity): outcome = await confirmWritten(plan, identity: identity)
        }
        record(command, origin: origin, outcome: outcome, started: started)
        return outcome
    }

    func submitAllowed(_ command: MonitorCommand, origin: CommandOrigin) async -> CommandOutcome {
        if case .generac(.setTime) = command, origin.mayControl, identity != nil, !stopping {
            confirmationQueue.yield { _ = await self.executeAllowed(command, origin: origin) }
            return CommandOutcome(result: .sent, message: "the clock will be set at the next whole minute",
                                  legacyReply: SetTimeCommand.reply)
        }
        let started = clock.date
        switch await write(command, origin: origin) {
        case let .finished(outcome):
            record(command, origin: origin, outcome: outcome, started: started)
            return outcome
        case let .written(plan, identity):
            let queued = confirmationQueue.yield {
                let outcome = await self.confirmWritten(plan, identity: identity)
                await self.record(command, origin: origin, outcome: outcome, started: started)
            }
            if case .terminated = queued {
                // Shutdown began between the write and here: confirm now, so the audit is not lost.
                let outcome = await confirmWritten(plan, identity: identity)
                record(command, origin: origin, outcome: outcome, started: started)
            }
            return CommandOutcome(result: .sent, message: "written; confirmation follows in the audit log", legacyReply: plan.reply)
        }
    }

    func record(_ command: MonitorCommand, origin: CommandOrigin, outcome: CommandOutcome, started: Date) {
        let audit = AuditRecord(time: started, origin: origin, command: command.text, result: outcome.result,
                                message: outcome.message, duration: clock.date.timeIntervalSince(started))
        let line = "command \(command.text) from \(origin): \(outcome.result.rawValue): \(outcome.message)"
        if outcome.result == .refused { logger.notice("\(line)") } else { logger.info("\(line)") }
        persistenceQueue.yield(.audit(audit))
        emit(.commandCompleted(command: command.text, origin: origin.description, result: outcome.result.rawValue + ": " + outcome.message))
    }

    enum WriteStage {
        /// Refused, failed, or nothing to confirm: the outcome is known.
        case finished(CommandOutcome)
        /// Written; the controller has still to show it.
        case written(CommandPlan, ControllerIdentity)
    }

    /// Authorises, plans and writes a command; never retries a write.
    private func write(_ command: MonitorCommand, origin: CommandOrigin) async -> WriteStage {
        guard origin.mayControl else {
            return .finished(CommandOutcome(result: .refused, message: origin.refusalMessage,
                                            legacyReply: "Command refused: not allowed from this connection"))
        }
        guard !stopping else {
            return .finished(CommandOutcome(result: .failed, message: "genmon is stopping", legacyReply: "Retry, genmon is stopping"))
        }
        guard let identity else {
            return .finished(CommandOutcome(result: .failed, message: "the controller has not been detected yet",
                                            legacyReply: "Retry, System Initializing"))
        }
        if case .generac(.setTime) = command, configuration.alignSetTimeToMinute { await waitForMinuteBoundary() }
        let plan: CommandPlan
        do {
            plan = try self.plan(command, identity: identity)
        } catch {
            return .finished(CommandOutcome(result: .failed, message: error.message, legacyReply: error.message))
        }

        // All writes in one hold of the wire, so no poll lands between "value" and "index".
        var failure: ModbusClientError?
        do {
            try await link.writeRegisters(plan.writes.map { (address: $0.address, values: $0.values) })
        } catch {
            failure = error
        }
        if let failure {
            return .finished(CommandOutcome(result: .failed, message: "the controller did not take the command: \(failure)",
                                            legacyReply: plan.reply))
        }
        // Whatever the command touched is read again by the poll loop soon.
        scheduler?.refresh(Set(plan.confirmation.readBack.map(\.address)), at: clock.now)
        if case .generac(.setRemote) = command { queueLogHeadChecks() }
        guard plan.confirmation.expectation != .none, !plan.confirmation.readBack.isEmpty else {
            return .finished(CommandOutcome(result: .sent, message: "sent (the controller shows nothing to confirm it by)",
                                            legacyReply: plan.reply))
        }
        return .written(plan, identity)
    }

    private func confirmWritten(_ plan: CommandPlan, identity: ControllerIdentity) async -> CommandOutcome {
        if await confirm(plan.confirmation, identity: identity) {
            return CommandOutcome(result: .confirmed, message: "confirmed by the controller", legacyReply: plan.reply)
        }
        if stopping {
            return CommandOutcome(result: .unconfirmed, message: "sent, but genmon stopped before the controller showed the change",
                                  legacyReply: plan.reply)
        }
        return CommandOutcome(result: .unconfirmed,
                              message: "sent, but the controller did not show the change within \(Int(plan.confirmation.timeoutSeconds)) s",
                              legacyReply: plan.reply)
    }

    func plan(_ command: MonitorCommand, identity: ControllerIdentity) throws(GeneracCommandError) -> CommandPlan {
        let settings = configuration.settings
        switch command {
        case let .generac(.setRemote(remote)):
            return remote.plan(for: identity)
        case let .generac(.setExercise(request)):
            return try ExerciseCommand.plan(request, identity: identity, settings: settings, image: image)
        case let .generac(.setQuiet(on)):
            return try QuietModeCommand.plan(on: on, identity: identity)
        case .generac(.setTime):
            return try SetTimeCommand(date: clock.date, timeZone: configuration.timeZone).plan
        case let .generac(.testCommand(index)):
            return try IndexedCommand.testCommand(index)
        case let .writeRegister(address, value):
            let writeOnly: Set<RegisterAddress> = [IndexedCommand.indexRegister, IndexedCommand.valueRegister]
            let confirmation = writeOnly.contains(address) || address >= 0xEA60
                ? Confirmation.unconfirmable
                : Confirmation(.registerEquals(address, value), readBack: [RegisterSpan(address)], timeoutSeconds: 5)
            return CommandPlan(writes: [RegisterWrite(address, value)], confirmation: confirmation, reply: "OK")
        case let .button(button, value):
            return try button.plan(value: value)
        }
    }

    /// Reads the confirmation registers until the expectation holds or the deadline passes; once
    /// shutdown has begun, the read under way is the last.
    func confirm(_ confirmation: Confirmation, identity: ControllerIdentity) async -> Bool {
        let deadline = clock.now + .seconds(double: confirmation.timeoutSeconds)
        while true {
            for span in confirmation.readBack {
                if let words = try? await link.readRegisters(address: span.address, count: UInt16(span.words), urgent: true) {
                    store(words, for: RegisterRead(address: span.address, words: span.words))
                }
            }
            if confirmation.isSatisfied(by: image, identity: identity, settings: configuration.settings) { return true }
            guard clock.now < deadline, !stopping, !Task.isCancelled else { return false }
            // The controller needs time (cranking takes seconds); ask again shortly.
            try? await clock.sleep(for: .milliseconds(300))
        }
    }

    /// The original writes the clock at second 0 of a minute so that the controller, which keeps
    /// only minutes, is as close as it can be.
    func waitForMinuteBoundary() async {
        let now = clock.date.timeIntervalSince1970
        let wait = 60 - now.truncatingRemainder(dividingBy: 60)
        guard wait < 59.9 else { return }
        try? await clock.sleep(for: .seconds(double: wait))
    }
}
