import Foundation
import Generac
import GenmonBasics
import GenmonTesting
@testable import Monitor
import Testing

/// The monitor's own decisions on a manual clock against an in-memory controller: hours of
/// polling in milliseconds, no pseudo-terminal, no sleeps.
@Suite("Monitor decisions on a manual clock", .timeLimit(.minutes(1)))
struct ClockedMonitorTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func configuration(_ change: (inout MonitorConfiguration) -> Void = { _ in }) -> MonitorConfiguration {
        var configuration = MonitorConfiguration(siteName: "Test", timeZone: utc, clockDriftThreshold: 1e9)
        change(&configuration)
        return configuration
    }

    /// Times (from `from`) at which `address` was read after the rig reached `from`.
    static func readTimes(_ rig: ClockedMonitorRig, _ address: UInt16, from: ContinuousClock.Instant) -> [Duration] {
        rig.link.reads.filter { $0.address == address && $0.at >= from }.map { from.duration(to: $0.at) }
    }

    /// The time between successive reads of `address` after the rig reached `from`.
    static func readGaps(_ rig: ClockedMonitorRig, _ address: UInt16, from: ContinuousClock.Instant) -> [Duration] {
        let times = readTimes(rig, address, from: from)
        return zip(times.dropFirst(), times).map { $0 - $1 }
    }

    @Test("while the generator stands ready the state is read every 0.5 s, the alarm code every 2 s, the battery every 10 s, settings every minute")
    func schedulerCadence() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized && $0.monitor.logsCompleteAfter != nil })
        let from = rig.clock.now
        await rig.run(for: .seconds(180))
        let gaps = Self.readGaps(rig, 0x0001, from: from)
        #expect(gaps.count >= 350)
        #expect(gaps.allSatisfy { $0 == .milliseconds(500) }, "status read gaps: \(Set(gaps))")
        let batteryGaps = Self.readGaps(rig, 0x000A, from: from)
        // Due after 10 s, read in the next cycle (up to 0.5 s later), early or late in it by the reads ahead
        // of it there (the state, the two that follow it every 2 s, others due at once: 25 ms each here).
        #expect(batteryGaps.allSatisfy { $0 >= .seconds(10) && $0 <= .milliseconds(10_600) }, "battery gaps: \(Set(batteryGaps))")
        let alarmGaps = Self.readGaps(rig, 0x05F1, from: from)
        #expect(alarmGaps.allSatisfy { $0 == .seconds(2) }, "without a change the alarm code is read every 2 s: \(Set(alarmGaps))")
        let threshold = Self.readTimes(rig, 0x0011, from: from)
        #expect((2...4).contains(threshold.count), "utility threshold read \(threshold.count) times in 3 minutes")
        await rig.stop()
    }

    @Test("while the engine stands its speed is read every 10 s; when it starts, at once and then every 2 s, and the state every 0.25 s")
    func engineValuesFollowTheEngine() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized && $0.monitor.logsCompleteAfter != nil })
        let standing = rig.clock.now
        await rig.run(for: .seconds(60))
        let standingGaps = Self.readGaps(rig, 0x0007, from: standing)
        #expect(standingGaps.count >= 4)
        #expect(standingGaps.allSatisfy { $0 >= .seconds(10) && $0 <= .milliseconds(10_600) }, "speed read gaps while standing: \(Set(standingGaps))")
        // Nothing is shown as old: the freshness period follows the slower reads.
        #expect(await rig.monitor.snapshot().freshness.stale.isEmpty)

        await rig.sim("remote start")
        let running = try #require(await rig.run(until: .seconds(30)) { $0.readings?.status.engineState.isRunning == true })
        #expect((running.readings?.engine.rpm ?? 0) > 0, "the speed was read when the engine started")
        let from = rig.clock.now
        await rig.run(for: .seconds(20))
        let runningGaps = Self.readGaps(rig, 0x0007, from: from)
        #expect(runningGaps.allSatisfy { $0 <= .milliseconds(2300) }, "speed read gaps while running: \(Set(runningGaps))")
        #expect(runningGaps.count >= 7)
        let statusGaps = Self.readGaps(rig, 0x0001, from: from)
        #expect(statusGaps.allSatisfy { $0 == .milliseconds(250) }, "status read gaps while running: \(Set(statusGaps))")
        await rig.stop()
    }

    @Test("while nothing changes subscribers hear every 10 s, snapshot() moves every second, and a change is told at once")
    func quietSnapshotsAreNotPushed() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized && $0.monitor.logsCompleteAfter != nil })
        await rig.run(for: .seconds(30))
        let stream = rig.monitor.snapshots()
        let counter = Task {
            var told: [GeneratorSnapshot] = []
            for await snapshot in stream { told.append(snapshot) }
            return told
        }
        let before = rig.monitor.snapshot().communication.statistics.requestsSent
        await rig.run(for: .seconds(60))
        let current = rig.monitor.snapshot()
        #expect(current.communication.statistics.requestsSent > before + 100, "snapshot() carries the counters as they move")
        #expect(rig.clock.date.timeIntervalSince(current.updatedAt) <= 1.1)
        await rig.sim("utility off")
        let outage = try #require(await rig.run(until: .seconds(5)) { $0.outage.inOutage })
        await rig.stop()
        let told = await counter.value
        // The simulated controller's values move now and then (battery, clock): those are told at once.
        // A snapshot that only carries new counters waits for the 10 s republish.
        #expect(told.count < 30, "subscribers were told \(told.count) times in 60 s, not every second")
        for (previous, next) in zip(told, told.dropFirst()) {
            let gap = next.updatedAt.timeIntervalSince(previous.updatedAt)
            #expect(next.differsBeyondCounters(from: previous) || gap >= 9.9, "told after \(gap) s with only new counters")
        }
        #expect(told.last?.outage.inOutage == true && told.last?.updatedAt == outage.updatedAt, "the outage was told at once")
    }

    @Test("the first complete status comes after one pass of the decoded registers, before the logs")
    func startupOrder() async throws {
        let rig = ClockedMonitorRig()
        let snapshot = try #require(await rig.run(until: .seconds(60)) { $0.monitor.logsCompleteAfter != nil })
        let status = try #require(snapshot.monitor.firstCompleteStatusAfter)
        let logs = try #require(snapshot.monitor.logsCompleteAfter)
        #expect(status < logs)
        #expect(status < .seconds(5), "about 100 reads at 25 ms")
        await rig.stop()
    }

    @Test("a silent controller turns health to a warning within seconds, is reported lost after communication_loss_seconds, once, and restored")
    func watchdog() async throws {
        let rig = ClockedMonitorRig(configuration: Self.configuration { $0.communicationLossAfter = .seconds(30) })
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        let events = rig.monitor.events()
        let silentFrom = rig.clock.now, silentSince = rig.clock.date
        rig.link.setSilent(true)
        let warned = try #require(await rig.run(until: .seconds(10)) { !$0.communication.isReceiving })
        let warnedAfter = silentFrom.duration(to: rig.clock.now)
        #expect(warnedAfter >= .seconds(5) && warnedAfter <= .seconds(8), "warned after \(warnedAfter)")
        #expect(warned.healthText.contains("Not receiving data"))
        await rig.run(for: .seconds(90))
        // While silent only the status pair is probed, one timeout at a time.
        let probes = rig.link.reads.filter { $0.at > silentFrom + .seconds(34) }
        #expect(Set(probes.map(\.address)) == [0x0001])
        #expect(probes.count >= 40)
        rig.link.setSilent(false)
        _ = try #require(await rig.run(until: .seconds(5)) { $0.communication.isReceiving })
        await rig.stop()
        var kinds: [String] = []
        for await event in events {
            switch event.kind {
            case .communicationLost:
                kinds.append("lost")
                let after = event.time.timeIntervalSince(silentSince)
                #expect(after >= 30 && after <= 33, "lost after \(after)")
            case .communicationRestored: kinds.append("restored")
            default: break
            }
        }
        #expect(kinds == ["lost", "restored"])
    }

    @Test("an outage is declared only after outage_notice_delay, and ends with its duration when utility returns")
    func outageNoticeDelay() async throws {
        let rig = ClockedMonitorRig(configuration: Self.configuration { $0.outageNoticeDelay = 10 })
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        let events = rig.monitor.events()
        let offAt = rig.clock.date
        await rig.sim("utility off")
        // Nine seconds in, the monitor still does not call it an outage.
        await rig.run(for: .seconds(9))
        #expect(await rig.monitor.snapshot().outage.inOutage == false)
        let started = try #require(await rig.run(until: .seconds(3)) { $0.outage.inOutage })
        let start = try #require(started.outage.currentStart)
        #expect(abs(start.timeIntervalSince(offAt)) < 1, "the outage starts when the utility dropped, not when it was declared")
        await rig.run(for: .seconds(50))
        await rig.sim("utility on")
        let ended = try #require(await rig.run(until: .seconds(5)) { !$0.outage.inOutage })
        let record = try #require(ended.outage.last)
        #expect(abs(record.duration - 59) < 1.5, "duration \(record.duration)")
        await rig.stop()
        #expect(await rig.persistence.outageRecords == [record])
        var kinds: [String] = []
        for await event in events {
            if case .outageStarted = event.kind { kinds.append("started") }
            if case .outageEnded = event.kind { kinds.append("ended") }
        }
        #expect(kinds == ["started", "ended"])
    }

    @Test("a utility dip shorter than outage_notice_delay is no outage at all")
    func shortDipIsNoOutage() async throws {
        let rig = ClockedMonitorRig(configuration: Self.configuration { $0.outageNoticeDelay = 10 })
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        await rig.sim("utility off")
        await rig.run(for: .seconds(5))
        await rig.sim("utility on")
        await rig.run(for: .seconds(30))
        #expect(await rig.monitor.snapshot().outage.inOutage == false)
        await rig.stop()
        #expect(await rig.persistence.outageRecords.isEmpty)
    }

    @Test("utility between the threshold and the pickup voltage keeps an outage going (hysteresis)")
    func pickupHysteresis() async throws {
        let rig = ClockedMonitorRig()
        let ready = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        let line = try #require(ready.readings?.line)
        #expect(line.thresholdVolts < line.effectivePickupVolts)
        await rig.sim("utility off")
        _ = try #require(await rig.run(until: .seconds(5)) { $0.outage.inOutage })
        // Above the threshold but below pickup: still out.
        await rig.sim("utility \((line.thresholdVolts + line.effectivePickupVolts) / 2)")
        await rig.run(for: .seconds(20))
        #expect(await rig.monitor.snapshot().outage.inOutage)
        await rig.sim("utility \(line.effectivePickupVolts + 5)")
        _ = try #require(await rig.run(until: .seconds(5)) { !$0.outage.inOutage })
        await rig.stop()
    }

    @Test("a remote start is confirmed once the controller shows the engine running, and audited with its duration")
    func confirmationConfirmed() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        let origin = CommandOrigin(interface: .cli, principal: "test", mayControl: true)
        let command = Task { await rig.monitor.execute(.generac(.setRemote(.start)), origin: origin) }
        // The confirmation reads back every 0.3 s while the poll loop runs: two sleepers.
        while rig.clock.date.timeIntervalSince(ClockedMonitorRig.start) < 600, await rig.monitor.snapshot().readings?.engine.rpm ?? 0 < 1000 {
            await rig.clock.advanceToNextDeadline()
        }
        await rig.run(for: .seconds(1))
        let outcome = await command.value
        #expect(outcome.result == .confirmed)
        await rig.stop()
        let audit = try #require(await rig.persistence.audits.first { $0.command == "setremote=start" })
        #expect(audit.result == .confirmed)
        #expect(audit.duration > 0 && audit.duration < 30, "confirmation took \(audit.duration) s of clock time")
    }

    @Test("a command the controller never shows is unconfirmed exactly at its deadline")
    func confirmationDeadline() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        await rig.sim("switch off")
        _ = try #require(await rig.run(until: .seconds(5)) { $0.readings?.status.switchState == .off })
        let origin = CommandOrigin(interface: .cli, principal: "test", mayControl: true)
        let sentAt = rig.clock.now
        let command = Task { await rig.monitor.execute(.generac(.setRemote(.start)), origin: origin) }
        var outcome: CommandOutcome?
        let watcher = Task { await command.value }
        while outcome == nil {
            await rig.clock.advanceToNextDeadline()
            if rig.clock.now > sentAt + .seconds(120) { break }
            try await Task.sleep(for: .milliseconds(1))
            if await rig.persistence.audits.contains(where: { $0.command == "setremote=start" }) || rig.clock.now > sentAt + .seconds(40) {
                outcome = await watcher.value
            }
        }
        let result = try #require(outcome)
        #expect(result.result == .unconfirmed)
        let waited = sentAt.duration(to: rig.clock.now)
        #expect(waited >= .seconds(10) && waited <= .seconds(41), "gave up after \(waited)")
        await rig.stop()
    }

    @Test("stopping with a confirmation pending ends it at once and keeps its audit record")
    func shutdownWithPendingConfirmation() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        await rig.sim("switch off")
        _ = try #require(await rig.run(until: .seconds(5)) { $0.readings?.status.switchState == .off })
        let origin = CommandOrigin(interface: .socket, principal: "127.0.0.1", mayControl: true)
        // The write itself takes its time on the wire: step the clock while it goes out.
        let submission = Task { await rig.monitor.submit(.generac(.setRemote(.start)), origin: origin) }
        await rig.run(for: .seconds(1))
        #expect(await submission.value.result == .sent)
        await rig.stop()
        let audit = try #require(await rig.persistence.audits.first { $0.command == "setremote=start" })
        #expect(audit.result == .unconfirmed)
        #expect(audit.message.contains("genmon stopped"))
    }

    @Test("history samples are taken every sample_interval and stored in batches")
    func historySampler() async throws {
        let rig = ClockedMonitorRig(configuration: Self.configuration {
            $0.sampleInterval = .seconds(10)
            $0.sampleFlushInterval = .seconds(60)
        })
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        let before = await rig.persistence.samples.count
        await rig.run(for: .seconds(300))
        let stored = await rig.persistence.samples.count - before
        #expect((24...36).contains(stored), "\(stored) samples stored in 5 minutes")
        let times = await rig.persistence.samples.map(\.time)
        let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
        #expect(gaps.allSatisfy { $0 > 9.99 && $0 < 10.5 }, "sample gaps \(Set(gaps))")
        await rig.stop()
    }
}
