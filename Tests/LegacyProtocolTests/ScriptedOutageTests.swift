import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import Testing

/// A scripted outage on the simulator, monitored on a manual clock: the power log the monitor
/// writes, and the figures the original would compute from exactly those lines.
@Suite("Scripted outage: power_log_json and the 30-day figures", .timeLimit(.minutes(2)))
struct ScriptedOutageTests {
    static let utc = TimeZone(identifier: "UTC")!

    /// One line of `power_log_json`, read back.
    struct Line: Equatable {
        var time: Date
        var kilowatts: String
    }

    static func parse(_ text: String) throws -> [Line] {
        guard case let .list(items) = try JSONParser.parse(text) else { throw ParseError() }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = utc
        format.dateFormat = "MM/dd/yy HH:mm:ss"
        return try items.map { item in
            guard case let .list(pair) = item, pair.count == 2, let stamp = pair[0].text, let kW = pair[1].text,
                  let time = format.date(from: stamp) else { throw ParseError() }
            return Line(time: time, kilowatts: kW)
        }
    }

    struct ParseError: Error {}

    /// The original's GetAveragePower, written out again from its description: walk the lines
    /// newest first; for each line with non-zero power that has a newer line, add the time to that
    /// newer line and the mean of the two powers; average those means.
    static func originalAverage(_ newestFirst: [Line]) -> (averageKW: Double, seconds: Double) {
        var total = 0.0, seconds = 0.0, entries = 0
        var lastTime: Date?, lastPower = 0.0
        for line in newestFirst {
            let power = Double(line.kilowatts) ?? 0
            if let lastTime, power != 0 {
                seconds += lastTime.timeIntervalSince(line.time)
                total += (power + lastPower) / 2
                entries += 1
            }
            lastTime = line.time
            lastPower = power
        }
        return entries == 0 ? (0, 0) : (total / Double(entries), seconds)
    }

    @Test("an outage's power log follows the original's rules, and kWh, run hours and fuel are the original's arithmetic on it")
    func outage() async throws {
        let rig = ClockedMonitorRig()
        let dispatcher = LegacyDispatcher(service: rig.monitor, configuration: .init(
            context: ReportContext(timeZone: Self.utc), clock: { rig.clock.date }, networkProbe: { "OK" }))
        func ask(_ command: String) async -> String {
            let reply = await dispatcher.reply(to: "generator: " + command, origin: localOrigin)
            return body(reply) ?? "<unterminated>"
        }
        _ = try #require(await rig.run(until: .seconds(90)) { $0.isInitialized && $0.monitor.logsCompleteAfter != nil })
        let maintenance = await ask("maint")
        #expect(maintenance.contains("    Rated kW : 27 kW\n") && maintenance.contains("    Fuel Type : Natural Gas\n"))
        await rig.run(for: .seconds(30))
        await rig.sim("load 20")
        await rig.sim("utility off")
        let running = try #require(await rig.run(until: .seconds(120)) { $0.readings?.line.transferSwitch == .generator })
        let runningSince = rig.clock.date
        _ = running
        await rig.run(for: .seconds(180))
        await rig.sim("utility on")
        _ = try #require(await rig.run(until: .seconds(600)) { $0.readings?.status.engineState.isStoppedOrOff == true })
        let stoppedAt = rig.clock.date
        await rig.run(for: .seconds(60))

        let lines = try Self.parse(await ask("power_log_json=1440"))
        // Newest first, never going back in time.
        #expect(zip(lines, lines.dropFirst()).allSatisfy { $0.time >= $1.time })
        // The log starts with its zero line and ends at zero.
        #expect(lines.last?.kilowatts == "0.0")
        #expect(lines.first?.kilowatts == "0.0")
        // Only the two loads the simulator gives: 0.5 A while warming up or cooling down, and the
        // house's 20 A once transferred, at 240 V: 0.12 kW and 4.8 kW.
        #expect(Set(lines.map(\.kilowatts)).isSubset(of: ["0.0", "0.12", "4.8"]))
        #expect(lines.contains { $0.kilowatts == "4.8" })
        // Every rise from zero has a 0.0 line one second before it.
        let oldestFirst = Array(lines.reversed())
        for (older, newer) in zip(oldestFirst, oldestFirst.dropFirst()) where older.kilowatts == "0.0" && newer.kilowatts != "0.0" {
            #expect(newer.time.timeIntervalSince(older.time) == 1, "rise at \(newer.time)")
        }
        // The log's lines are 10 s samples of what the monitor saw: the power was on from the engine
        // start to its stop, give or take a sample either way.
        let (averageKW, seconds) = Self.originalAverage(lines)
        #expect(seconds > 180 && seconds < stoppedAt.timeIntervalSince(runningSince) + 120, "counted \(seconds) s")

        // kWh = hours × average; run hours; fuel from EvoLC_Fuel.txt's 27 kW natural gas row
        // (197 cubic feet an hour at half load, 359 at full), rounded to four places first.
        let kWh = String(format: "%.2f", seconds / 3600 * averageKW)
        let hours = String(format: "%.2f", seconds / 3600)
        let load = averageKW / 27
        let perHour = 197 + (359 - 197) / (1.0 - 0.5) * (load - 0.5)
        let fuel = String(format: "%.2f", ((max(0, perHour) * seconds / 3600) * 10_000).rounded() / 10_000) + " cubic feet"
        #expect(await ask("power_log_json=43200,kw") == kWh)
        #expect(await ask("power_log_json=43200,time") == hours)
        #expect(await ask("power_log_json=43200,fuel") == fuel)
        #expect(kWh != "0.00" && hours != "0.00")

        let maint = try JSONParser.parse(await ask("maint_json"))
        #expect(maint["Maintenance"]?["kW Hours in last 30 days"] == .string(kWh + " kWh"))
        #expect(maint["Maintenance"]?["Fuel Consumption in last 30 days"] == .string(fuel))
        #expect(maint["Maintenance"]?["Run Hours in last 30 days"] == .string(hours + " h"))
        let numeric = try JSONParser.parse(await ask("maint_num_json"))
        #expect(numeric["Maintenance"]?["kW Hours in last 30 days"]
            == .object([("unit", .string("kWh")), ("type", .string("float")), ("value", .double(Double(kWh)!))]))
        #expect(await ask("maint").contains("    kW Hours in last 30 days : \(kWh) kWh\n    Fuel Consumption in last 30 days : \(fuel)\n"
            + "    Run Hours in last 30 days : \(hours) h\n"))

        // The energy counter holds every 10 s sample's power until the next: at least what the
        // original's averaging says, and it only grows.
        let snapshot = await rig.monitor.snapshot()
        #expect(snapshot.power.totalKilowattHours >= seconds / 3600 * 0.12)
        #expect(snapshot.power.source == .controller && snapshot.power.metered)
        await rig.stop()
    }

    @Test("the 30-day figures of a log kept before the start: the hand vector gives 0.03 kWh, 0.01 h, 0.66 cubic feet")
    func keptLog() async throws {
        // PowerLogTests' hand vector, a day before the rig's start.
        let logs = InMemoryDataLogs()
        let start = ClockedMonitorRig.start.addingTimeInterval(-86_400)
        await logs.append([(0.0, 0.0), (99, 0), (100, 4.8), (110, 5.0), (130, 0)]
            .map { TimedValue(time: start.addingTimeInterval($0.0), value: $0.1) }, to: DataSeries.power)
        await logs.setCounter(DataSeries.energyCounter, to: 12.5)
        let rig = ClockedMonitorRig(dataLogs: logs)
        let dispatcher = LegacyDispatcher(service: rig.monitor, configuration: .init(
            context: ReportContext(timeZone: Self.utc), clock: { rig.clock.date }, networkProbe: { "OK" }))
        _ = try #require(await rig.run(until: .seconds(90)) { $0.isInitialized && $0.power.lastThirtyDays != nil })
        let maint = try JSONParser.parse(try #require(body(await dispatcher.reply(to: "generator: maint_json", origin: localOrigin))))
        #expect(maint["Maintenance"]?["kW Hours in last 30 days"] == .string("0.03 kWh"))
        #expect(maint["Maintenance"]?["Fuel Consumption in last 30 days"] == .string("0.66 cubic feet"))
        #expect(maint["Maintenance"]?["Run Hours in last 30 days"] == .string("0.01 h"))
        #expect(await rig.monitor.snapshot().power.totalKilowattHours == 12.5)
        // The kept lines come back first, oldest last.
        let lines = try Self.parse(try #require(body(await dispatcher.reply(to: "generator: power_log_json", origin: localOrigin))))
        #expect(lines.suffix(5).map(\.kilowatts) == ["0.0", "5.0", "4.8", "0.0", "0.0"])
        await rig.stop()
    }
}
