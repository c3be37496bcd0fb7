import Foundation
import GenmonConfig
import GenmonTesting
import LegacyProtocol
import Monitor
@testable import Notify
import Store
import Testing

/// The engine with a real monitor on a manual clock (ClockedMonitorRig) against the simulator:
/// what reaches the outbox, for whom, and how often.
@Suite("Notification engine", .timeLimit(.minutes(2)))
struct EngineTests {
    struct Rig {
        let monitor: ClockedMonitorRig
        let database: GenmonDatabase
        let channel: FakeChannel
        let engine: NotificationEngine
        let worker: DeliveryWorker
        let tasks: [Task<Void, Never>]

        init(outageNoticeDelay: TimeInterval = 0, settings: NotificationPlanner.Settings = NotifyFixture.settings()) throws {
            var configuration = MonitorConfiguration(siteName: "Cabin", timeZone: NotifyFixture.utc, clockDriftThreshold: 1e9)
            configuration.outageNoticeDelay = outageNoticeDelay
            monitor = ClockedMonitorRig(configuration: configuration)
            database = try GenmonDatabase.inMemory()
            channel = FakeChannel(clock: monitor.clock)
            let routing = NotificationRouting(["email": [
                ChannelRecipient(id: "alice@example.org", categories: [.outage]),
                ChannelRecipient(id: "bob@example.org"),
                ChannelRecipient(id: "carol@example.org", categories: [.info, .warn]),
            ]])
            let signal = DeliverySignal()
            engine = NotificationEngine(
                service: monitor.monitor, database: database, planner: settings,
                composer: MessageComposer(reportContext: ReportContext(timeZone: NotifyFixture.utc), siteName: "Cabin"),
                routing: routing, channels: [channel], signal: signal, clock: monitor.clock)
            worker = DeliveryWorker(database: database, channels: [channel], signal: signal, clock: monitor.clock)
            let engine = self.engine, worker = self.worker
            tasks = [Task { await engine.run() }, Task { await worker.run() }]
        }

        func stop() async {
            for task in tasks { task.cancel() }
            for task in tasks { await task.value }
            await monitor.stop()
        }

        /// Every notification committed so far, oldest first.
        func notifications() async throws -> [OutboxNotification] {
            try await database.notifications(limit: 10_000).map(\.record).reversed()
        }

        /// Lets the engine commit what it has decided (it works beside the manual clock).
        func drain() async {
            var last = -1
            for _ in 0..<200 {
                let now = engine.committedCount
                if now == last { return }
                last = now
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    @Test("utility off: one outage notice, to the recipients whose categories include outage only")
    func outageRoutedByCategory() async throws {
        let rig = try Rig(outageNoticeDelay: 5)
        _ = try #require(await rig.monitor.run(until: .seconds(60)) { $0.isInitialized })
        await rig.monitor.run(for: .seconds(10))
        await rig.monitor.sim("utility off")
        await rig.monitor.run(for: .seconds(20))
        await rig.drain()
        let outage = try await rig.notifications().filter { $0.subject == "Outage Notice at Cabin" }
        #expect(outage.count == 1)
        let notice = try #require(outage.first)
        #expect(notice.category == "outage")
        #expect(Set(notice.deliveries.map(\.lane.recipient)) == ["alice@example.org", "bob@example.org"])
        #expect(notice.body.hasPrefix("Utility Power Out at "))
        #expect(notice.body.contains("Site : Cabin"))
        #expect(notice.body.contains("Utility : 0 V"))
        #expect(notice.body.contains("Engine State"), "the status summary follows the facts")
        // The start-up notice and the state at start are info: Carol and Bob, not Alice.
        let startup = try #require(try await rig.notifications().first { $0.subject == "Generator Monitor Starting at Cabin" })
        #expect(Set(startup.deliveries.map(\.lane.recipient)) == ["bob@example.org", "carol@example.org"])
        await rig.stop()
    }

    @Test("a flapping utility on the simulator, ten drops of 2 s within a minute, produces at most two outage messages")
    func flappingUtility() async throws {
        let rig = try Rig()
        _ = try #require(await rig.monitor.run(until: .seconds(60)) { $0.isInitialized })
        await rig.monitor.run(for: .seconds(10))
        for _ in 0..<10 {
            await rig.monitor.sim("utility off")
            await rig.monitor.run(for: .seconds(2))
            await rig.monitor.sim("utility on")
            await rig.monitor.run(for: .seconds(4))
        }
        await rig.monitor.run(for: .seconds(900))
        await rig.drain()
        let outageMessages = try await rig.notifications().filter { $0.category == "outage" && $0.subject.contains("Outage") }
        #expect(outageMessages.count >= 1 && outageMessages.count <= 2, "\(outageMessages.map { $0.subject + ": " + $0.body.prefix(120) })")
        await rig.stop()
    }

    @Test("an alarm is one alert with its name and what to check; its reset is one notice; both reach only their categories")
    func alarmAndReset() async throws {
        let rig = try Rig()
        _ = try #require(await rig.monitor.run(until: .seconds(60)) { $0.isInitialized })
        await rig.monitor.run(for: .seconds(10))
        await rig.monitor.sim("alarm overcrank")
        await rig.monitor.run(for: .seconds(30))
        await rig.monitor.sim("reset")
        await rig.monitor.run(for: .seconds(30))
        await rig.drain()
        let all = try await rig.notifications()
        let alerts = all.filter { $0.subject == "Generator Alert at Cabin: CRITICAL " }
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.category == "warn")
        #expect(alert.body.hasPrefix("The generator is in alarm: "))
        #expect(alert.body.contains("What to check"))
        #expect(alert.body.contains("System In Alarm: 0001:"))
        #expect(Set(alert.deliveries.map(\.lane.recipient)) == ["bob@example.org", "carol@example.org"])
        let cleared = all.filter { $0.subject == "Generator Notice: Cabin" && $0.body.hasPrefix("Alarm cleared") }
        #expect(cleared.count == 1)
        await rig.stop()
    }

    @Test("notify_message goes to its category's recipients; onlyonce holds back the second")
    func notifyMessage() async throws {
        let rig = try Rig()
        #expect(await rig.engine.message(title: "Tank low", body: "Refill soon\nsecond line", category: .warn, onlyOnce: true))
        #expect(await rig.engine.message(title: "Tank low", body: "again", category: .warn, onlyOnce: true) == false)
        let message = try #require(try await rig.notifications().first { $0.subject == "Cabin: Tank low" })
        #expect(message.body.hasPrefix("Refill soon\nsecond line\n"))
        #expect(Set(message.deliveries.map(\.lane.recipient)) == ["bob@example.org", "carol@example.org"])
        await rig.stop()
    }
}
