import Foundation
import Generac
import GenmonBasics
import GenmonTesting
@testable import Monitor
import Testing

/// Every value carries when it was read; an old one is marked stale everywhere, and after a change
/// of state the engine's values are read first. On a manual clock against a noisy in-memory line.
@Suite("Stale values on a noisy line", .timeLimit(.minutes(1)))
struct FreshnessTests {
    static let local = CommandOrigin(interface: .cli, principal: "test", mayControl: true)

    /// The wire the issue saw: 30 % corrupted replies, 5 % lost, 5 % garbled.
    static let noisy = SimulatedLink.Faults(crc: 0.3, drop: 0.05, garbage: 0.05, seed: 42)

    @Test("after a remote start on a noisy line the engine's values follow within seconds, and none is ever shown old without its mark",
          arguments: [(FreshnessTests.noisy, 4), (SimulatedLink.Faults(crc: 0.5, drop: 0.1, garbage: 0.1, seed: 7), 10)])
    func remoteStartOnNoisyLine(faults: SimulatedLink.Faults, withinSeconds: Int) async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized && $0.monitor.logsCompleteAfter != nil })
        rig.link.setFaults(faults)
        let command = Task { await rig.monitor.submit(.generac(.setRemote(.start)), origin: Self.local) }
        var runningSince: ContinuousClock.Instant?
        var rpmSince: ContinuousClock.Instant?
        var problems: [String] = []
        let end = rig.clock.now + .seconds(90)
        while rig.clock.now < end {
            await rig.run(for: .milliseconds(250))
            let snapshot = await rig.monitor.snapshot()
            guard let readings = snapshot.readings else { continue }
            let now = rig.clock.date
            // Judged on what was published: a value older than three refreshes must carry the mark.
            for (reading, time) in snapshot.freshness.readings where time.isStale(at: snapshot.updatedAt) {
                if !snapshot.freshness.stale.contains(reading) { problems.append("\(reading) \(time.age(at: now)) s old, not marked") }
            }
            if !snapshot.freshness.stale.isEmpty, snapshot.communication.isReceiving, !snapshot.healthText.contains("Stale readings") {
                problems.append("health says \(snapshot.healthText) with \(snapshot.freshness.stale)")
            }
            if readings.status.engineState == .running, runningSince == nil { runningSince = rig.clock.now }
            if runningSince != nil, readings.engine.rpm > 1000, rpmSince == nil { rpmSince = rig.clock.now }
        }
        _ = await command.value
        await rig.stop()
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let running = try #require(runningSince, "the engine never read Running")
        let rpm = try #require(rpmSince, "the engine speed never followed")
        #expect(running.duration(to: rpm) <= .seconds(withinSeconds), "engine speed followed \(running.duration(to: rpm)) after Running")
    }

    @Test("a register that stops answering makes its value stale after three refreshes: health degraded, the others fresh")
    func oneRegisterStopsAnswering() async throws {
        let rig = ClockedMonitorRig()
        let ready = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized && $0.monitor.logsCompleteAfter != nil })
        #expect(ready.freshness.stale.isEmpty)
        #expect(ready.healthText == "OK")
        let battery = try #require(ready.freshness.readings[.batteryVoltage])
        #expect(battery.expectedRefresh == 10, "the battery is read every 10 s while the engine stands")
        rig.link.setFailing([Register.batteryVolts])
        let from = rig.clock.date
        let stale = try #require(await rig.run(until: .seconds(60)) { $0.freshness.stale.contains(.batteryVoltage) })
        let after = rig.clock.date.timeIntervalSince(from)
        #expect(after >= 20 && after <= 31, "marked stale after \(after) s (refresh 10 s × 3, from the last good read)")
        #expect(stale.freshness.stale == [.batteryVoltage], "\(Self.trace(rig.link.reads.suffix(120)))")
        #expect(stale.healthText.hasPrefix(" Stale readings: Battery voltage "), "\(stale.healthText)")
        rig.link.setFailing([])
        let fresh = try #require(await rig.run(until: .seconds(10)) { $0.freshness.stale.isEmpty })
        #expect(fresh.healthText == "OK")
        await rig.stop()
    }

    static func trace(_ reads: ArraySlice<(address: UInt16, count: UInt16, at: ContinuousClock.Instant)>) -> String {
        guard let first = reads.first?.at else { return "" }
        return reads.map { String($0.address, radix: 16) + "@" + String(format: "%.2f", first.duration(to: $0.at).seconds) }.joined(separator: " ")
    }

    @Test("freshness is judged from the registers' read times and periods, the oldest register deciding")
    func assess() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let periods: [RegisterAddress: Duration] = [
            Register.statusPair: .milliseconds(250), Register.utilityVolts: .milliseconds(250), Register.engineRPM: .seconds(2),
            Register.batteryVolts: .seconds(2), Register.outputVolts: .seconds(2), Register.hallCurrentSensor: .seconds(2),
            Register.outputFrequency: .seconds(2),
        ]
        let reads: [RegisterAddress: Date] = [
            Register.statusPair: t0 + 99, Register.utilityVolts: t0 + 99, Register.engineRPM: t0 + 93.9,
            Register.batteryVolts: t0 + 95, Register.outputVolts: t0 + 99, Register.hallCurrentSensor: t0 + 90,
        ]
        let freshness = Freshness.assess(readTimes: reads, periods: periods, since: t0, now: t0 + 100)
        #expect(freshness.readings[.status] == ReadingTime(lastRead: t0 + 99, expectedRefresh: 1), "refresh at least a second")
        #expect(freshness.readings[.frequency]?.lastRead == t0, "never read: counted from the start")
        #expect(freshness.readings[.outputPower]?.lastRead == t0 + 90, "power is as old as its oldest register")
        #expect(freshness.stale == [.rpm, .frequency, .outputCurrent, .outputPower])
        #expect(freshness.staleSummary(at: t0 + 100) == "Engine speed 6 s, Frequency 100 s, Output current 10 s, Output power 10 s")
    }

    @Test("after a change of state the scheduler reads the engine's registers before anything routine, and retries them at once")
    func schedulerPriority() throws {
        let identity = ControllerIdentity.detect(productCode: 0x0009, settings: .defaults)
        let start = ContinuousClock.now
        var scheduler = PollScheduler(identity: identity, configuration: MonitorConfiguration(), now: start)
        for item in scheduler.items { scheduler.completed(item.read, outcome: .success, at: start) }
        let later = start + .seconds(30)
        #expect(scheduler.nextUrgent(at: later) == nil)
        scheduler.prioritize([Register.engineRPM, Register.outputFrequency, Register.sensorInputs], at: later)
        let first = try #require(scheduler.nextUrgent(at: later))
        #expect([Register.engineRPM, Register.outputFrequency].contains(first.address))
        scheduler.completed(first, outcome: .transientFailure, at: later)
        #expect(scheduler.nextUrgent(at: later) != nil, "a failed urgent read is due again at once")
        scheduler.completed(RegisterRead(address: Register.engineRPM, words: 1), outcome: .success, at: later)
        scheduler.completed(RegisterRead(address: Register.outputFrequency, words: 1), outcome: .success, at: later)
        #expect(scheduler.nextUrgent(at: later) == nil)
        #expect(!scheduler.hasUrgent)
        // Freshness judges the state by its slower pace, while the generator stands.
        #expect(scheduler.periods[Register.statusPair] == .milliseconds(500))
        #expect(scheduler.periods[Register.engineRPM] == .seconds(2))
    }
}
