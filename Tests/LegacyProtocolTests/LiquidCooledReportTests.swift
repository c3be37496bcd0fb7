import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import Simulator
import Testing

/// The fixtures cover Evolution air-cooled and Nexus liquid-cooled; these pin the Evolution
/// liquid-cooled shapes to the original's answers as docs/compatibility.md#reports describes them,
/// using the simulator's 27 kW, 2.4 L unit.
@Suite("Evolution liquid-cooled report shapes")
struct LiquidCooledReportTests {
    static func reports(_ change: (inout RegisterImage) -> Void = { _ in }) throws -> Reports {
        var image = GeneratorModel(profile: .standard(.evolutionLiquidCooled), start: Fixture.now, timeZone: .utc).image
        change(&image)
        let snapshot = GeneratorSnapshot.fromImage(image, timeZone: .utc, siteName: "TestSite", now: Fixture.now)
        return try #require(Reports(snapshot: snapshot, context: fixtureContext()))
    }

    /// Keys of a list of one-key objects, in order.
    static func keys(_ value: ReportValue?) -> [String] {
        guard case let .list(items)? = value else { return [] }
        return items.compactMap { item in if case let .object(pairs) = item { pairs.first?.0 } else { nil } }
    }

    @Test("status lists the Evolution liquid-cooled lines in the original's order")
    func status() throws {
        let status = try Self.reports().status()["Status"]
        #expect(Self.keys(status?["Engine"]) == [
            "Switch State", "Engine State", "Active Relays", "Active Sensors", "Battery Voltage", "Battery Status",
            "Battery Charger Current", "RPM", "Frequency", "Output Voltage", "Output Current", "Output Power (Single Phase)",
            "Active Rotor Poles (Calculated)",
        ])
        #expect(Self.keys(status?["Line"]) == [
            "Transfer Switch State", "Utility Voltage", "Utility Max Voltage", "Utility Min Voltage", "Utility Threshold Voltage",
            "Utility Pickup Voltage", "Set Output Voltage",
        ])
        guard case let .object(logs)? = status?["Last Log Entries"]?["Logs"] else { Issue.record("no Logs object"); return }
        #expect(logs.map(\.0) == ["Alarm Log", "Service Log", "Run Log"])
        #expect(Self.keys(status?["Time"]) == ["Monitor Time", "Generator Time"])
    }

    @Test("maint lists controller settings, exercise duration and both services like the original")
    func maintenance() throws {
        let maintenance = try Self.reports().maintenance()["Maintenance"]
        #expect(Self.keys(maintenance) == [
            "Model", "Generator Serial Number", "Controller Detected", "Nominal RPM", "Rated kW", "Nominal Frequency", "Fuel Type",
            "Generator Phase", "Engine Displacement", "kW Hours in last 30 days", "Fuel Consumption in last 30 days",
            "Run Hours in last 30 days", "Controller Settings", "Exercise", "Service",
        ])
        #expect(Self.keys(maintenance?["Controller Settings"]) == [
            "Calibrate Volts", "Nominal Line Voltage", "Rated Max Power", "Param Group", "Voltage Code", "Phase",
            "Time Since Activation", "Volts Per Hertz", "Gain", "Target Frequency", "Target Voltage",
        ])
        #expect(Self.keys(maintenance?["Exercise"]) == ["Exercise Time", "Exercise Duration"])
        #expect(Self.keys(maintenance?["Service"]) == ["Service A Due", "Service B Due", "Total Run Hours", "Hardware Version", "Firmware Version"])
        #expect(maintenance?["Rated kW"] == .string("27 kW"))
        #expect(maintenance?["Engine Displacement"]?.resolved(numeric: true)
            == .object([("unit", .string("L")), ("type", .string("float")), ("value", .double(2.4))]))
        #expect(maintenance?["Controller Settings"]?["Time Since Activation"]?.resolved(numeric: true)
            == .object([("unit", .string("h")), ("type", .string("int")), ("value", .int(0x2238))]))
        #expect(maintenance?["Exercise"]?["Exercise Duration"] == .string("12 min"))
    }

    @Test("outage adds pickup voltage, warm-up and preheat on a 2.4 L unit")
    func outage() throws {
        let outage = try Self.reports().outage()["Outage"]
        #expect(Self.keys(outage) == [
            "Status", "System In Outage", "Utility Voltage", "Utility Voltage Minimum", "Utility Voltage Maximum",
            "Utility Threshold Voltage", "Utility Pickup Voltage", "Startup Delay", "Warm-up Delay", "Preheat Time", "Outage Log",
        ])
        #expect(outage?["Warm-up Delay"]?.resolved(numeric: true) == .object([("unit", .string("s")), ("type", .string("int")), ("value", .int(10))]))
    }

    @Test("log entries print as the original's lines, newest first, with the alarm code on alarm entries")
    func logs() throws {
        let run = LogEntry(code: 0x2E, sequence: 3, year: 25, month: 11, day: 25, hour: 15, minute: 0, second: 5)
        let stop = LogEntry(code: 0x2A, sequence: 2, year: 25, month: 11, day: 18, hour: 15, minute: 12, second: 7)
        let alarm = LogEntry(code: 0x20, sequence: 1, year: 24, month: 10, day: 3, hour: 8, minute: 10, second: 45, alarmCode: 2770)
        let reports = try Self.reports { image in
            image.store(run.words(), at: 0x012C)
            image.store(stop.words(), at: 0x0130)
            image.store(alarm.words(), at: 0x03E8)
        }
        let text = ReportRendering.text(reports.logs())
        #expect(text.contains("\n    Alarm Log : \n        10/03/24 08:10:45 Charger Warning : Alarm Code: 2770\n"))
        #expect(text.contains("\n    Run Log : \n        11/25/25 15:00:05 Running - Exercise \n        11/18/25 15:12:07 Stopped - Auto \n\n"))
        #expect(JSON.encode(reports.logs()) == #"{"Logs": {"Alarm Log": ["10/03/24 08:10:45 Charger Warning : Alarm Code: 2770"], "#
            + #""Service Log": [], "Run Log": ["11/25/25 15:00:05 Running - Exercise ", "11/18/25 15:12:07 Stopped - Auto "]}}"#)
        let status = reports.status()["Status"]?["Last Log Entries"]?["Logs"]
        #expect(status?["Run Log"] == .string("11/25/25 15:00:05 Running - Exercise "))
        #expect(status?["Service Log"] == .string(""))
    }

    @Test("start_info_json offers the EvoLC buttons and capabilities")
    func startInfo() throws {
        let info = try Self.reports().startInfo()
        #expect(info["RemoteButtons"] == .bool(true))
        #expect(info["ResetAlarms"] == .bool(true))
        #expect(info["WriteQuietMode"] == .bool(true))
        guard case let .list(buttons)? = info["buttons"] else { Issue.record("no buttons"); return }
        #expect(buttons.compactMap { $0["onewordcommand"]?.text } == EvoLCButton.allCases.map(\.rawValue))
    }

    @Test("the original's own example text layout for an empty report list and nested plain objects")
    func textLayout() {
        let tree = ReportValue.object([("Top", .entries([
            ("A", .string("x")), ("Empty", .string("")), ("One", .list([.string("only")])),
            ("Map", .object([("Inner", .string("y"))])),
        ]))])
        #expect(ReportRendering.text(tree) == "\nTop : \n    A : x\n    Empty : \n\n    One : \n        only\n\n    Map : \n        Inner : y\n\n\n")
    }
}
