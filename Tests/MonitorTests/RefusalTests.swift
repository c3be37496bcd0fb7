import Foundation
import Generac
import GenmonBasics
import GenmonTesting
@testable import Monitor
import Testing

/// What must never be lost under a flood of commands a stranger may not send: refusals are
/// counted instead of stored one by one. On a manual clock against the in-memory controller.
@Suite("Refusals under a flood", .timeLimit(.minutes(1)))
struct RefusalTests {
    static let stranger = CommandOrigin(interface: .socket, principal: "192.0.2.2", mayControl: false)
    static let local = CommandOrigin(interface: .socket, principal: "127.0.0.1", mayControl: true)




    @Test("a flood of refused commands is counted in one audit row per origin and minute, and the outage, its events and a real command's audit are all kept")
    func floodLosesNothing() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
        let monitor = rig.monitor
        let events = monitor.events()
        // 100 000 attempts in bursts while the clock runs through an outage and a real command.
        var attempts = 0
        func flood(_ count: Int) async {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { for _ in 0..<(count / 4) { _ = await monitor.submit(.generac(.setRemote(.start)), origin: Self.stranger) } }
                }
            }
            attempts += count
        }
        await flood(25_000)
        await rig.sim("utility off")
        _ = try #require(await rig.run(until: .seconds(5)) { $0.outage.inOutage })
        await flood(25_000)
        await rig.run(for: .seconds(40))
        await flood(25_000)
        let quiet = Task { await monitor.execute(.generac(.setQuiet(on: true)), origin: Self.local) }
        await rig.run(for: .seconds(20))
        _ = await quiet.value
        await rig.sim("utility on")
        _ = try #require(await rig.run(until: .seconds(5)) { !$0.outage.inOutage })
        await flood(25_000)
        await rig.run(for: .seconds(70))
        await rig.stop()

        let audits = await rig.persistence.audits
        let refused = audits.filter { $0.result == .refused }
        #expect(refused.count >= 2 && refused.count <= 4, "one row per minute of flooding: \(refused.count) rows")
        let counted = refused.map { Self.count(in: $0.message) }.reduce(0, +)
        #expect(counted == attempts, "every attempt counted once: \(counted) of \(attempts)")
        #expect(refused.allSatisfy { $0.origin == Self.stranger && $0.command == "setremote=start" })
        #expect(refused.contains { $0.message.hasPrefix("refused ") && $0.message.contains(" × setremote=start from 192.0.2.2") })
        #expect(audits.contains { $0.command == "setquiet=on" && $0.origin == Self.local && $0.result != .refused })
        #expect(await rig.persistence.outageRecords.count == 1)
        let stored = await rig.persistence.events.map(\.name)
        #expect(stored.contains("outage_started") && stored.contains("outage_ended"))
        // The event stream told the refusals once per window, not once per attempt.
        var refusalEvents = 0
        for await event in events where event.name == "command_completed" && event.summary.contains("192.0.2.2") { refusalEvents += 1 }
        #expect(refusalEvents == refused.count)
    }

    /// "refused 4,812 × …" → 4812; a single refusal's row counts one.
    static func count(in message: String) -> Int {
        guard message.hasPrefix("refused "), let end = message.firstIndex(of: "×") else { return 1 }
        return Int(message.dropFirst("refused ".count)[..<end].filter(\.isNumber)) ?? 0
    }

    @Test("the refusal ledger counts per origin and command, closes windows after a minute, and stays bounded")
    func ledger() {
        var ledger = RefusalLedger(window: 60, maximumKeys: 3)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let a = Self.stranger, b = CommandOrigin(interface: .socket, principal: "192.0.2.3", mayControl: false)
        #expect(ledger.count("setremote=start", from: a, reason: "no", at: t0) == true)
        #expect(ledger.count("setremote=start", from: a, reason: "no", at: t0 + 1) == false)
        #expect(ledger.count("setremote=stop", from: a, reason: "no", at: t0 + 2) == true)
        // The third key would fill the ledger: it goes to "other origins".
        #expect(ledger.count("setremote=start", from: b, reason: "no", at: t0 + 3) == true)
        #expect(ledger.count("settime", from: b, reason: "no", at: t0 + 4) == false)
        #expect(ledger.closed(at: t0 + 59).count == 0)
        let closed = ledger.closed(at: t0 + 62)
        #expect(closed.count == 2)
        #expect(closed[0].tally.count == 2 && closed[0].key.command == "setremote=start")
        let row = RefusalLedger.audit(closed[0].key, closed[0].tally)
        #expect(row.message == "refused 2 × setremote=start from 192.0.2.2 in 1 s: no")
        #expect(row.time == t0 && row.result == .refused)
        #expect(RefusalLedger.audit(closed[1].key, closed[1].tally).message == "no")
        let rest = ledger.closed(at: t0 + 62, all: true)
        #expect(rest.count == 1 && rest[0].key.origin.principal == "other origins" && rest[0].tally.count == 2)
        #expect(RefusalLedger.grouped(4812) == "4,812" && RefusalLedger.grouped(1_234_567) == "1,234,567" && RefusalLedger.grouped(12) == "12")
    }

}
