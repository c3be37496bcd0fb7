import Foundation
import Generac
import GenmonTesting
import ModbusTransport
@testable import Monitor
import Simulator
import Testing

/// The monitor against the simulator over a real pseudo-terminal, for each controller family.
@Suite("Monitor against the simulator", .serialized, .tags(.pseudoTerminal), .slowTier, .timingSensitive, .timeLimit(.minutes(3)))
struct MonitorIntegrationTests {
    @Test("detects the controller and reaches a complete status", arguments: ControllerProfile.Family.allCases)
    func detection(family: ControllerProfile.Family) async throws {
        let harness = try MonitorHarness(family)
        let snapshot = try await harness.waitFor("initialized") { $0.isInitialized }
        let readings = try #require(snapshot.readings)
        #expect(readings.identity.variant == family.variant)
        #expect(readings.status.oneLine == "Auto, Off - Ready")
        #expect(snapshot.healthText == "OK")
        #expect(snapshot.monitor.firstCompleteStatusAfter != nil)
        // Then every register the original polls is read once, the ones only listed last.
        try await harness.waitFor("every register read") { $0.registers.reads.count >= 120 }
        _ = snapshot
        try await harness.waitForEvent("controller detected") { if case .controllerDetected = $0.kind { true } else { false } }
        await harness.stop()
    }

    @Test("an outage: start, transfer, utility return, cool-down, stop", arguments: ControllerProfile.Family.allCases)
    func outageCycle(family: ControllerProfile.Family) async throws {
        let harness = try MonitorHarness(family)
        try await harness.waitFor("initialized") { $0.isInitialized }
        await harness.sim("utility off")
        try await harness.waitForEvent("outage started") { if case .outageStarted = $0.kind { true } else { false } }
        try await harness.waitForStatus("Auto, Startup Delay Timer Activated")
        harness.advance(6)
        try await harness.waitFor("cranking or running") { ($0.readings?.status.engineState.isCranking ?? false) || ($0.readings?.status.engineState.isRunning ?? false) }
        harness.advance(5)
        try await harness.waitForStatus("Auto, Running")
        harness.advance(11)
        if family == .evolutionLiquidCooled {
            try await harness.waitFor("transfer") { $0.readings?.line.transferSwitch == .generator }
            try await harness.waitForEvent("transfer event") { $0.kind == .transferSwitchChanged(to: "Generator") }
        }
        await harness.sim("utility on")
        let ended = try await harness.waitForEvent("outage ended") { if case .outageEnded = $0.kind { true } else { false } }
        harness.advance(16)
        try await harness.waitForStatus("Auto, Cooling Down")
        harness.advance(61)
        harness.advance(3)
        let last = try await harness.waitFor("stopped and logged") {
            $0.readings?.status.oneLine == "Auto, Off - Ready"
                && $0.readings?.logs[.run]?.entries.first?.text.hasPrefix("Stopped - Auto") == true
        }
        let run = try #require(last.readings?.logs[.run]?.entries.map(\.text))
        #expect(run.count == 2 && run[1].hasPrefix("Running - Utility Loss"))
        #expect(last.outage.history.count == 1 && !last.outage.inOutage)
        if case let .outageEnded(duration) = ended.kind { #expect(duration >= 0) }
        // The snapshot can show the stop a moment before the recorder has the event.
        try await harness.waitForEvent("engine off") { if case .engineStateChanged(_, "Off - Ready") = $0.kind { true } else { false } }
        let engineChanges = harness.recorder.events.compactMap { event -> String? in
            if case let .engineStateChanged(_, to) = event.kind { return to }
            return nil
        }
        #expect(engineChanges.first == "Startup Delay Timer Activated")
        #expect(engineChanges.contains("Running") && engineChanges.contains("Cooling Down") && engineChanges.last == "Off - Ready")
        await harness.stop()
        #expect(await harness.persistence.outageRecords.count == 1)
        #expect(await harness.persistence.events.count >= engineChanges.count)
    }

    @Test("an alarm is raised with its code, and cleared by a confirmed reset", arguments: [
        ControllerProfile.Family.evolutionAirCooled, .evolutionLiquidCooled, .nexusLiquidCooled,
    ])
    func alarmAndReset(family: ControllerProfile.Family) async throws {
        let harness = try MonitorHarness(family)
        try await harness.waitFor("initialized") { $0.isInitialized }
        await harness.sim("alarm overcrank")
        let raised = try await harness.waitForEvent("alarm") { if case .alarmRaised = $0.kind { true } else { false } }
        guard case let .alarmRaised(text, code, isWarning) = raised.kind else { return }
        #expect(text == "Overcrank" && !isWarning)
        #expect(code == (family == .nexusLiquidCooled ? nil : 1100))
        #expect(raised.severity == .critical)
        try await harness.waitFor("alarm status") { $0.readings?.status.baseStatus == .alarm }
        try await harness.waitFor("alarm logged") { $0.readings?.logs[.alarm]?.entries.first?.text.contains("Overcrank") == true }
        let outcome = await harness.monitor.execute(.generac(.setRemote(.resetAlarm)), origin: MonitorHarness.controlOrigin)
        #expect(outcome.result == .confirmed, "\(outcome.message)")
        try await harness.waitForEvent("cleared") { $0.kind == .alarmCleared(text: "Overcrank") }
        try await harness.waitForStatus("Off, Off - Ready")
        await harness.stop()
    }

    @Test("every remote command is confirmed by reading the controller back")
    func remoteCommandsConfirmed() async throws {
        let harness = try MonitorHarness(.evolutionLiquidCooled)
        try await harness.waitFor("initialized") { $0.isInitialized }
        let origin = MonitorHarness.controlOrigin
        func run(_ command: RemoteCommand) async -> CommandOutcome {
            await harness.monitor.execute(.generac(.setRemote(command)), origin: origin)
        }
        #expect(await run(.start).result == .confirmed)
        harness.advance(5)
        try await harness.waitForStatus("Auto, Running")
        #expect(await run(.stop).result == .confirmed)
        harness.advance(70)
        try await harness.waitForStatus("Auto, Off - Ready")
        #expect(await run(.startTransfer).result == .confirmed)
        harness.advance(20)
        try await harness.waitFor("transferred") { $0.readings?.line.transferSwitch == .generator }
        #expect(await run(.stop).result == .confirmed)
        harness.advance(70)
        try await harness.waitForStatus("Auto, Off - Ready")
        #expect(await run(.startExercise).result == .confirmed)
        harness.advance(5)
        try await harness.waitForStatus("Auto, Exercising")
        harness.advance(13 * 60)
        try await harness.waitForStatus("Auto, Off - Ready")
        #expect(await run(.manual).result == .confirmed)
        #expect(await run(.auto).result == .confirmed)
        #expect(await run(.off).result == .confirmed)
        #expect(await run(.auto).result == .confirmed)
        await harness.stop()  // drains the persistence queue
        let audits = await harness.persistence.audits
        #expect(audits.count == 9 && audits.allSatisfy { $0.origin == origin && $0.result == .confirmed }, "\(audits.map { "\($0.command) \($0.result) \($0.message)" })")
    }

    @Test("settings commands: exercise (new and legacy method), quiet mode, clock, buttons, raw writes")
    func settingsCommands() async throws {
        let harness = try MonitorHarness(.evolutionLiquidCooled)
        try await harness.waitFor("initialized") { $0.isInitialized }
        let origin = MonitorHarness.controlOrigin
        let exercise = try ExerciseRequest(weekday: .thursday, hour: 15, minute: 45)
        #expect(await harness.monitor.execute(.generac(.setExercise(exercise)), origin: origin).result == .confirmed)
        #expect(await harness.monitor.execute(.generac(.setQuiet(on: true)), origin: origin).result == .confirmed)
        try await harness.waitFor("exercise text") { $0.readings?.exercise?.text == "Weekly Thursday 15:45 Quiet Mode On" }
        let clock = await harness.monitor.execute(.generac(.setTime), origin: origin)
        #expect(clock.result == .confirmed, "\(clock.message)")
        #expect(clock.legacyReply == "Time Set: Command Sent")
        #expect(await harness.monitor.execute(.button(.thresholdVolts, value: 150), origin: origin).result == .confirmed)
        let bad = await harness.monitor.execute(.button(.thresholdVolts, value: 400), origin: origin)
        #expect(bad.result == .failed)
        #expect(await harness.monitor.execute(.writeRegister(address: 0x0239, value: 7), origin: origin).result == .confirmed)
        try await harness.waitFor("start-up delay") { $0.readings?.settings.startupDelaySeconds == 7 }
        await harness.stop()

        let nexus = try MonitorHarness(.nexusAirCooled)
        try await nexus.waitFor("initialized") { $0.isInitialized }
        let legacy = await nexus.monitor.execute(.generac(.setExercise(try ExerciseRequest(weekday: .friday, hour: 9, minute: 0))), origin: origin)
        #expect(legacy.result == .confirmed, "\(legacy.message)")
        #expect(legacy.legacyReply == "Set Exercise Time Command sent (using legacy write)")
        let quiet = await nexus.monitor.execute(.generac(.setQuiet(on: true)), origin: origin)
        #expect(quiet.result == .failed && quiet.legacyReply == "Not supported on this controller.")
        await nexus.stop()
    }

    @Test("submit returns once the command is written; the confirmation lands in the audit log later")
    func submitConfirmsInBackground() async throws {
        let harness = try MonitorHarness(.evolutionAirCooled)
        try await harness.waitFor("initialized") { $0.isInitialized }
        let outcome = await harness.monitor.submit(.generac(.setRemote(.start)), origin: MonitorHarness.controlOrigin)
        #expect(outcome.result == .sent && outcome.legacyReply == "Remote command sent successfully")
        harness.advance(5)
        try await harness.waitForEvent("confirmed later") {
            if case let .commandCompleted(command, _, result) = $0.kind { command == "setremote=start" && result.hasPrefix("confirmed") } else { false }
        }
        let clock = await harness.monitor.submit(.generac(.setTime), origin: MonitorHarness.controlOrigin)
        #expect(clock.result == .sent && clock.legacyReply == "Time Set: Command Sent")
        await harness.stop()
        #expect(await harness.persistence.audits.first?.result == .confirmed)
    }

    @Test("a command from an origin that may not control is refused, never written, and audited")
    func refusedCommand() async throws {
        let harness = try MonitorHarness(.evolutionAirCooled)
        try await harness.waitFor("initialized") { $0.isInitialized }
        let stranger = CommandOrigin(interface: .socket, principal: "203.0.113.9", mayControl: false)
        let outcome = await harness.monitor.execute(.generac(.setRemote(.start)), origin: stranger)
        #expect(outcome.result == .refused)
        harness.advance(10)
        try await Task.sleep(for: .milliseconds(300))
        #expect(await harness.monitor.snapshot().readings?.status.oneLine == "Auto, Off - Ready")
        await harness.stop()
        let audits = await harness.persistence.audits
        #expect(audits.count == 1 && audits[0].result == .refused && audits[0].origin == stranger)
    }

    @Test("communication lost during a silent period, and restored after it")
    func communicationLostAndRestored() async throws {
        let harness = try MonitorHarness(.evolutionAirCooled, lossAfter: .seconds(1))
        try await harness.waitFor("initialized") { $0.isInitialized }
        harness.controller.faults.silence(for: .seconds(3))
        try await harness.waitForEvent("lost", timeout: .seconds(10)) { if case .communicationLost = $0.kind { true } else { false } }
        let silent = try await harness.waitFor("not receiving") { !$0.communication.isReceiving }
        #expect(silent.healthText.contains("Not receiving data."))
        try await harness.waitForEvent("restored", timeout: .seconds(15)) { if case .communicationRestored = $0.kind { true } else { false } }
        try await harness.waitFor("receiving again") { $0.communication.isReceiving }
        await harness.stop()
    }

    @Test("while the controller is silent no history is sampled: a chart shows a gap, not stale values")
    func noSamplesWhileSilent() async throws {
        let harness = try MonitorHarness(.evolutionAirCooled, lossAfter: .seconds(1), samples: (.milliseconds(100), .milliseconds(200)))
        try await harness.waitFor("initialized") { $0.isInitialized }
        harness.controller.faults.silence(for: .seconds(4))
        let lost = try await harness.waitForEvent("lost", timeout: .seconds(10)) { if case .communicationLost = $0.kind { true } else { false } }
        let restored = try await harness.waitForEvent("restored", timeout: .seconds(15)) { if case .communicationRestored = $0.kind { true } else { false } }
        try await Task.sleep(for: .milliseconds(600))
        await harness.stop()
        let times = await harness.persistence.samples.map(\.time)
        #expect(times.contains { $0 < lost.time }, "sampled before the silence")
        #expect(times.contains { $0 > restored.time }, "sampled again once it answers")
        #expect(!times.contains { $0 > lost.time && $0 < restored.time.addingTimeInterval(-0.05) }, "nothing sampled while it was silent")
    }

    @Test("stopping the monitor stores what was queued and the samples not yet due for storing")
    func shutdownKeepsPendingRecords() async throws {
        let harness = try MonitorHarness(.evolutionAirCooled, samples: (.milliseconds(100), .seconds(3600)))
        try await Task.sleep(for: .milliseconds(500))
        #expect(await harness.persistence.samples.isEmpty, "nothing is due for storing within the hour")
        await harness.stop()
        let stored = await harness.persistence.samples.count
        #expect(stored >= 1, "the samples taken are stored at shutdown, not lost")
        #expect(await harness.persistence.events.contains { if case .controllerDetected = $0.kind { true } else { false } })
    }

    @Test("CRC errors and line noise never turn into a published value")
    func noiseNeverPublished() async throws {
        var faults = FaultSettings()
        faults.crcCorruption = 0.15
        faults.garbage = 0.15
        faults.truncated = 0.05
        faults.seed = 99
        let harness = try MonitorHarness(.evolutionLiquidCooled, faults: faults)
        let expected = await harness.controller.snapshot().model.image
        let stream = harness.monitor.snapshots()
        let watcher = Task { () -> [String] in
            var problems: [String] = []
            for await snapshot in stream {
                for address: UInt16 in [0x0000, 0x002A, 0x0208, 0x020A, 0x020B, 0x01F4, 0x01F5, 0x01F8] {
                    if let word = snapshot.registers.word(at: address), word != expected[address] { problems.append("\(address): \(word)") }
                }
                if let volts = snapshot.readings?.line.utilityVolts, !(239...243).contains(volts) { problems.append("utility \(volts)") }
            }
            return problems
        }
        try await harness.waitFor("initialized", timeout: .seconds(60)) { $0.isInitialized }
        try await Task.sleep(for: .seconds(2))
        let stats = await harness.client.statistics
        await harness.stop()
        let problems = await watcher.value
        #expect(problems.isEmpty, "\(problems)")
        #expect(stats.crcErrors > 0 && stats.discardedBytes > 0, "faults were injected: \(stats)")
    }

    @Test("only new log entries are read after a change, and the logs match the controller's")
    func logsFollowTheController() async throws {
        let harness = try MonitorHarness(.evolutionAirCooled)
        try await harness.waitFor("initialized") { $0.isInitialized }
        for _ in 0..<3 {
            await harness.sim("remote start")
            harness.advance(5)
            try await harness.waitForStatus("Auto, Running")
            await harness.sim("remote stop")
            harness.advance(65)
            try await harness.waitForStatus("Auto, Off - Ready")
        }
        await harness.sim("warning low-battery")
        try await harness.waitFor("warning") { $0.readings?.status.isInAlarm == true }
        let truth = await harness.controller.snapshot().model.image
        let expected = ControllerLogs.decode(image: truth, identity: ControllerIdentity(variant: .evolutionAC))
        let snapshot = try await harness.waitFor("logs equal") { $0.readings?.logs == expected }
        #expect(snapshot.readings?.logs[.run]?.entries.count == 6)
        let reads = await harness.client.statistics.requestsSent
        await harness.stop()
        _ = reads
    }
}
