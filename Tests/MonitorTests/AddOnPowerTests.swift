import Foundation
import Generac
import GenmonTesting
@testable import Monitor
import Testing

/// An add-on's current transformers on a controller that measures no power itself (Nexus).
@Suite("Add-on power data on a manual clock", .timeLimit(.minutes(1)))
struct AddOnPowerTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let addOn = CommandOrigin(interface: .socket, principal: "127.0.0.1", mayControl: true)

    @Test("add-on power meters a Nexus: the power log, history and energy counter follow it; stale or strict data stops counting")
    func addOnPower() async throws {
        var configuration = MonitorConfiguration(siteName: "Test", timeZone: Self.utc, clockDriftThreshold: 1e9)
        configuration.data.externalDataTimeout = 120
        let rig = ClockedMonitorRig(.nexusAirCooled, configuration: configuration)
        let ready = try #require(await rig.run(until: .seconds(90)) { $0.isInitialized })
        #expect(!ready.power.metered && ready.power.source == .none)
        await rig.run(for: .seconds(30))
        #expect(await rig.monitor.powerLog(lastMinutes: nil) == [])

        let accepted = await rig.monitor.submitExternalData(.power(ExternalPowerInput(power: 6.5, source: "genmqttin")), origin: Self.addOn)
        #expect((try? accepted.get()) != nil)
        let metered = await rig.monitor.snapshot()
        #expect(metered.power.metered && metered.power.source == .addOn && metered.power.outputKilowatts == 6.5)
        await rig.run(for: .seconds(70))
        // The new log's zero line, then the rise with its zero line a second before.
        let lines = try #require(await rig.monitor.powerLog(lastMinutes: 60))
        #expect(lines.map(\.kilowatts) == [0, 0, 6.5])
        #expect(lines[2].time.timeIntervalSince(lines[1].time) == 1)
        #expect(lines[1].time.timeIntervalSince(lines[0].time) >= 9)
        let energy = await rig.monitor.snapshot().power.totalKilowattHours
        #expect(energy > 6.5 * 40 / 3600 && energy < 6.5 * 80 / 3600, "\(energy) kWh")
        #expect(await rig.persistence.samples.contains { $0.powerKW == 6.5 })

        // The add-on goes quiet: after external_data_timeout its power no longer counts.
        await rig.run(for: .seconds(130))
        let stale = await rig.monitor.snapshot()
        #expect(stale.external.power?.stale == true && stale.power.source == .addOn && stale.power.outputKilowatts == 0)
        #expect(try #require(await rig.monitor.powerLog(lastMinutes: 60)).last?.kilowatts == 0)
        let stopped = stale.power.totalKilowattHours
        await rig.run(for: .seconds(30))
        #expect(await rig.monitor.snapshot().power.totalKilowattHours == stopped)

        // Strict data counts only while the engine runs; it is stopped here.
        _ = await rig.monitor.submitExternalData(.power(ExternalPowerInput(power: 3, strict: true)), origin: Self.addOn)
        #expect(await rig.monitor.snapshot().power.outputKilowatts == 0)
        await rig.stop()
        // The counter was stored on the way out.
        #expect(try await rig.dataLogs.counter(DataSeries.energyCounter) == stopped)
    }

    @Test("clearing the power log leaves a zero line, keeps the energy counter, and answers what was done")
    func clearing() async throws {
        let rig = ClockedMonitorRig()
        _ = try #require(await rig.run(until: .seconds(90)) { $0.isInitialized })
        await rig.run(for: .seconds(20))
        #expect(try #require(await rig.monitor.powerLog(lastMinutes: nil)).count == 1)
        #expect(await rig.monitor.clearDataLog(.power) == .cleared)
        let lines = try #require(await rig.monitor.powerLog(lastMinutes: nil))
        #expect(lines.map(\.kilowatts) == [0])
        #expect(await rig.monitor.clearDataLog(.fuel) == .wasEmpty)
        #expect(await rig.monitor.clearDataLog(.sensors) == .wasEmpty)
        await rig.stop()

        var off = MonitorConfiguration(siteName: "Test", timeZone: Self.utc, clockDriftThreshold: 1e9)
        off.data.powerLogEnabled = false
        let quiet = ClockedMonitorRig(configuration: off)
        _ = try #require(await quiet.run(until: .seconds(90)) { $0.isInitialized })
        #expect(await quiet.monitor.powerLog(lastMinutes: nil) == nil)
        #expect(await quiet.monitor.clearDataLog(.power) == .notKept)
        await quiet.stop()
    }
}
