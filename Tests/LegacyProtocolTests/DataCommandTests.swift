import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import Testing

/// `power_log_json` and friends, the add-ons' `set_*_data`, and what the reports show of them,
/// against a fixed snapshot and a power log written out by hand.
@Suite("Data commands: power log, sensor logs, add-on data")
struct DataCommandTests {
    static let now = Fixture.now // Thursday 2026-11-26 22:58:26 UTC
    static let base = now.addingTimeInterval(-3600)

    /// The log of PowerLogTests' hand vector, an hour ago: created at 21:58:26, the engine gave
    /// 4.8 kW from 22:00:06 and 5.0 kW from 22:00:16, and stopped at 22:00:36.
    static let handLog = [(0.0, 0.0), (99, 0), (100, 4.8), (110, 5.0), (130, 0)]
        .map { PowerLogEntry(time: base.addingTimeInterval($0.0), kilowatts: $0.1) }

    static func service(log: [PowerLogEntry]? = handLog) async throws -> FixedGeneratorService {
        let service = FixedGeneratorService(snapshot: try Fixture.evolutionAC.snapshot())
        await service.setDate(now)
        await service.setPowerLog(log)
        return service
    }

    static func ask(_ dispatcher: LegacyDispatcher, _ command: String, origin: CommandOrigin = localOrigin) async -> String {
        let reply = await dispatcher.reply(to: "generator: " + command, origin: origin)
        return body(reply) ?? "<unterminated: \(reply)>"
    }

    @Test("power_log_json lists the log newest first as [\"MM/DD/YY HH:MM:SS\", \"kW\"]; =MIN keeps lines younger than MIN minutes")
    func powerLogLines() async throws {
        let dispatcher = makeDispatcher(try await Self.service())
        let all = #"[["11/26/26 22:00:36", "0.0"], ["11/26/26 22:00:16", "5.0"], ["11/26/26 22:00:06", "4.8"], "#
            + #"["11/26/26 22:00:05", "0.0"], ["11/26/26 21:58:26", "0.0"]]"#
        #expect(await Self.ask(dispatcher, "power_log_json") == all)
        #expect(await Self.ask(dispatcher, "power_log_json=0") == all)
        // The first line is exactly 60 minutes old: not younger than 60 minutes.
        #expect(await Self.ask(dispatcher, "power_log_json=60") == #"[["11/26/26 22:00:36", "0.0"], ["11/26/26 22:00:16", "5.0"], "#
            + #"["11/26/26 22:00:06", "4.8"], ["11/26/26 22:00:05", "0.0"]]"#)
        #expect(await Self.ask(dispatcher, "power_log_json=2") == "[]")
        #expect(await Self.ask(dispatcher, "power_log_json=-5") == "[]")
    }

    /// The hand vector's figures (PowerLogTests): 3.7 kW average over 30 s. The fixture is an 11 kW
    /// propane Evolution AC, model 15: EvoAC_Fuel.txt gives 1.22 gal/h at half load, 1.97 at full.
    /// Load 3.7 / 11 = 0.336364 → 1.22 + (1.97 − 1.22) / 0.5 × (0.336364 − 0.5) = 0.974545 gal/h;
    /// × 30 / 3600 = 0.0081 gal → "0.01 gal".
    @Test("=MIN,kw / =MIN,time / =MIN,fuel give the original's kWh, run hours and fuel for the period")
    func powerLogFigures() async throws {
        let dispatcher = makeDispatcher(try await Self.service())
        #expect(await Self.ask(dispatcher, "power_log_json=60,kw") == "0.03")
        #expect(await Self.ask(dispatcher, "power_log_json=60,time") == "0.01")
        #expect(await Self.ask(dispatcher, "power_log_json=60,fuel") == "0.01 gal")
        #expect(await Self.ask(dispatcher, "power_log_json=43200,KW") == "0.03")
        // Nothing ran in the last minute: no hours, and fuel "Unknown".
        #expect(await Self.ask(dispatcher, "power_log_json=1,kw") == "0.00")
        #expect(await Self.ask(dispatcher, "power_log_json=1,fuel") == "Unknown")
    }

    @Test("bad arguments get the original's syntax error", arguments: [
        "power_log_json=60,watts", "power_log_json=abc", "power_log_json=1=2", "power_log_json=1,kw,x", "power_log_json=",
    ])
    func powerLogSyntax(request: String) async throws {
        #expect(await Self.ask(makeDispatcher(try await Self.service()), request) == "Invalid command syntax for command power_log_json")
    }

    @Test("long lists are thinned to max_powerlog_entries, zero lines first")
    func powerLogThinned() async throws {
        let service = try await Self.service()
        let dispatcher = LegacyDispatcher(service: service, configuration: .init(context: fixtureContext(now: Self.now), clock: { Self.now },
                                                                              networkProbe: { "OK" }, maximumPowerLogEntries: 3))
        let list = try JSONParser.parse(await Self.ask(dispatcher, "power_log_json"))
        guard case let .list(lines) = list else { Issue.record("not a list"); return }
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0 == .list([$0.listItem(0), .string("0.0")]) })
    }

    @Test("power_log_clear and fuel_log_clear answer as the original does")
    func clearing() async throws {
        let service = try await Self.service()
        let dispatcher = makeDispatcher(service)
        #expect(await Self.ask(dispatcher, "power_log_clear") == "Power Log cleared")
        // A cleared log starts again with a zero line.
        #expect(await Self.ask(dispatcher, "power_log_json") == #"[["11/26/26 22:58:26", "0.0"]]"#)
        await service.setPowerLog([])
        #expect(await Self.ask(dispatcher, "power_log_clear") == "Power Log is empty")
        await service.setPowerLog(nil)
        #expect(await Self.ask(dispatcher, "power_log_clear") == "Power Log Disabled")
        #expect(await Self.ask(dispatcher, "power_log_json") == "[]")
        #expect(await Self.ask(dispatcher, "fuel_log_clear") == "Power Log is empty")
        await service.dataLogs.append([TimedValue(time: Self.now, value: 57)], to: DataSeries.fuel)
        #expect(await Self.ask(dispatcher, "fuel_log_clear") == "Fuel Log cleared")
        // Hosts that may not change the monitor's records cannot clear them.
        #expect(await Self.ask(dispatcher, "power_log_clear", origin: remoteOrigin) == LegacyDispatcher.accessDenied)
    }

    /// genmqttin's start-up: gauges first, then each MQTT value as it arrives.
    static let gauges = #"set_external_gauge_data=[{"title": "Shed Temp", "type": "temperature", "units": "F", "nominal": 70, "max": 120, "#
        + #""exclude_gauge": false, "from": "genmqttin", "strict": false}, {"title": "Propane", "type": "fuel", "units": "%", "#
        + #""nominal": 100, "max": 100, "exclude_gauge": false, "from": "genmqttin", "strict": false}]"#

    @Test("the add-ons' messages show in status, status_json, status_num_json, gui_status_json and the sensor commands")
    func addOnData() async throws {
        let service = try await Self.service()
        let dispatcher = makeDispatcher(service)
        #expect(await Self.ask(dispatcher, Self.gauges) == "OK")
        #expect(await Self.ask(dispatcher, #"set_sensor_data=[{"Shed Temp": "65 F"}]"#) == "OK")
        #expect(await Self.ask(dispatcher, #"set_sensor_data=[{"Propane": "57.0 %"}]"#) == "OK")
        #expect(await Self.ask(dispatcher, #"set_tank_data={"Tank Name": "Propane", "Percentage": 57.0}"#) == "OK")

        let status = await Self.ask(dispatcher, "status")
        #expect(status.contains("\n    External Sensors : \n        Shed Temp : 65 F\n        Propane : 57.0 %\n\n\n    Last Log Entries : \n"))
        let json = try JSONParser.parse(await Self.ask(dispatcher, "status_json"))
        #expect(json["Status"]?["External Sensors"] == .list([.object([("Shed Temp", .string("65 F"))]), .object([("Propane", .string("57.0 %"))])]))
        #expect(Self.keys(json["Status"]) == ["Engine", "Line", "External Sensors", "Last Log Entries", "Time"])
        let numeric = try JSONParser.parse(await Self.ask(dispatcher, "status_num_json"))
        #expect(numeric["Status"]?["External Sensors"]?["Shed Temp"]
            == .object([("unit", .string("F")), ("type", .string("float")), ("value", .double(65))]))

        let gui = try JSONParser.parse(await Self.ask(dispatcher, "gui_status_json"))
        guard case let .list(tiles)? = gui["tiles"] else { Issue.record("no tiles"); return }
        #expect(tiles.contains(.object([("text", .string("65 F")), ("value", .string("65")), ("title", .string("Shed Temp")),
                                         ("type", .string("gauge")), ("subtype", .string("temperature"))])))
        #expect(tiles.contains(.object([("text", .string("57 %")), ("value", .string("57")), ("title", .string("Propane")),
                                         ("type", .string("gauge")), ("subtype", .string("fuel"))])))
        let start = try JSONParser.parse(await Self.ask(dispatcher, "start_info_json"))
        #expect(start["Sensors"] == .list([.string("Shed Temp"), .string("Propane")]))
        #expect(start["FuelSensor"] == .bool(true))

        let maint = try JSONParser.parse(await Self.ask(dispatcher, "maint_json"))
        #expect(maint["Maintenance"]?["Fuel Level Sensor"] == .string("57 %"))

        #expect(await Self.ask(dispatcher, "sensor_names_json") == #"["Propane", "Shed Temp"]"#)
        // Names match without case; the web server's "+" for a space works too.
        #expect(await Self.ask(dispatcher, "sensor_log_json=60&sensor=shed temp") == #"[["11/26/26 22:58:26", "65.0"]]"#)
        #expect(await Self.ask(dispatcher, "sensor_log_json=60&sensor=Shed+Temp") == #"[["11/26/26 22:58:26", "65.0"]]"#)
        #expect(await Self.ask(dispatcher, "sensor_log_json=60&sensor=nothing") == "[]")
        #expect(await Self.ask(dispatcher, "sensor_log_json=soon&sensor=x") == "Invalid command syntax for command sensor_log_json")
        #expect(await Self.ask(dispatcher, "sensor_log_clear") == "Sensor Log cleared")
        #expect(await Self.ask(dispatcher, "sensor_log_json=60&sensor=Shed Temp") == "[]")
    }

    @Test("a value not refreshed in time is marked stale in status and on its gauge")
    func staleInReports() async throws {
        let service = try await Self.service()
        await service.setExternalDataTimeout(60)
        let dispatcher = makeDispatcher(service)
        #expect(await Self.ask(dispatcher, #"set_sensor_data=[{"Shed Temp": "65 F"}]"#) == "OK")
        await service.setDate(Self.now.addingTimeInterval(61))
        await service.refreshStaleness()
        #expect(await Self.ask(dispatcher, "status").contains("        Shed Temp : 65 F (stale)\n"))
        let numeric = try JSONParser.parse(await Self.ask(dispatcher, "status_num_json"))
        #expect(numeric["Status"]?["External Sensors"]?["Shed Temp"] == .string("65 F (stale)"))
    }

    @Test("bad add-on payloads get the original's Error and change nothing", arguments: [
        #"set_sensor_data={"Shed Temp": "65 F"}"#,
        #"set_sensor_data=[{"Shed Temp": [65]}]"#,
        #"set_sensor_data=[{"Shed Temp": "65 = F"}]"#,
        #"set_sensor_data=[]"#,
        #"set_sensor_data=[{"": "1"}]"#,
        #"set_sensor_data=not json"#,
        #"set_sensor_data"#,
        #"set_tank_data={"Tank Name": "Main", "Percentage": 150}"#,
        #"set_tank_data={"Tank Name": "Main"}"#,
        #"set_tank_data=[57]"#,
        #"set_power_data={"current": "lots"}"#,
        #"set_power_data={"ctdata": [1, 2, 3, 4]}"#,
        #"set_external_gauge_data=[{"title": "X", "type": "banana", "units": "", "nominal": 1, "max": 2}]"#,
        #"set_external_gauge_data=[{"title": "X", "type": "fuel", "units": "%"}]"#,
        #"set_external_gauge_data={"title": "X"}"#,
    ])
    func badPayloads(request: String) async throws {
        let service = try await Self.service()
        let dispatcher = makeDispatcher(service)
        #expect(await Self.ask(dispatcher, #"set_sensor_data=[{"Shed Temp": "65 F"}]"#) == "OK")
        let before = await service.snapshot().external
        #expect(await Self.ask(dispatcher, request) == "Error")
        #expect(await service.snapshot().external == before)
    }

    @Test("add-on data from a host that may not change the monitor is refused")
    func remoteAddOn() async throws {
        let service = try await Self.service()
        #expect(await Self.ask(makeDispatcher(service), #"set_sensor_data=[{"Shed Temp": "65 F"}]"#, origin: remoteOrigin)
            == LegacyDispatcher.accessDenied)
        #expect(await service.snapshot().external.isEmpty)
    }

    static func keys(_ value: ReportValue?) -> [String] {
        guard case let .list(items)? = value else { return [] }
        return items.compactMap { if case let .object(pairs) = $0 { pairs.first?.0 } else { nil } }
    }
}

extension ReportValue {
    func listItem(_ index: Int) -> ReportValue {
        if case let .list(items) = self, items.indices.contains(index) { return items[index] }
        return .null
    }
}
