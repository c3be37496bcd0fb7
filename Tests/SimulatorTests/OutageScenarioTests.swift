import Foundation
import Generac
@testable import Simulator
import Testing

/// The utility-outage sequence, step by step, against the register meanings of docs/registers.md#status-pair and #relays-and-sensors.
@Suite("Utility outage sequence")
struct OutageScenarioTests {
    @Test("Evolution liquid-cooled: delay, crank, warm up, transfer, return, cool down, stop")
    func evolutionLiquidCooledOutage() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        #expect(bench.state == 0x0000 && bench.mode == 0x0000)
        #expect(bench.reg(0x0053) == 0x0010, "ready: battery charger on")
        #expect(bench.reg(0x0052) == 0x0240, "gaseous unit inputs at rest")
        #expect(bench.readings.status.oneLine == "Auto, Off - Ready")

        bench.run("utility off")
        #expect(bench.state == 0x0001, "start-up delay timer")
        #expect(bench.reg(0x0009) == 0)
        bench.wait(4.9)
        #expect(bench.state == 0x0001)
        bench.wait(0.2)  // 0239 = 5 s
        #expect(bench.state == 0x0002, "cranking")
        #expect(bench.reg(0x0053) == 0x000C, "starter + fuel")
        #expect(bench.reg(0x0007) > 0 && bench.reg(0x0008) == 0)
        #expect(bench.reg(0x000A) < 0x008A, "battery dips while cranking")

        bench.wait(4)
        #expect(bench.state == 0x0003, "running, warming up")
        #expect(bench.reg(0x0007) == 0x0708 && bench.reg(0x0008) == 0x0258 && bench.reg(0x0012) == 0x00F0)
        #expect(bench.reg(0x0053) == 0x0048, "fuel + governor, not yet transferred")
        #expect(bench.reg(0x003C) == 300)
        #expect(bench.log(.run).first?.hasSuffix("Running - Utility Loss ") == true)
        #expect(bench.readings.line.transferSwitch == .utility)

        bench.wait(10)  // 0238 = 10 s warm-up
        #expect(bench.reg(0x0053) == 0x0049, "transfer switch activated")
        #expect(bench.readings.line.transferSwitch == .generator)
        #expect(bench.reg(0x0058) == 2000, "20 A load × 100 on the Hall sensor")
        #expect(bench.readings.engine.outputPowerKW == 4.8)

        bench.run("utility on")
        #expect(bench.state == 0x0003 && bench.reg(0x0053) == 0x0049, "load stays on the generator during the return delay")
        bench.wait(15.1)
        #expect(bench.state == 0x0005, "cooling down")
        #expect(bench.reg(0x0053) == 0x0048, "transferred back")
        bench.wait(60)
        #expect(bench.state == 0x0009, "stopping")
        bench.wait(2.1)
        #expect(bench.state == 0x0000 && bench.reg(0x0007) == 0 && bench.reg(0x0053) == 0x0010)
        #expect(bench.log(.run).count == 2)
        #expect(bench.log(.run)[0].hasSuffix("Stopped - Auto ") && bench.log(.run)[1].hasSuffix("Running - Utility Loss "))
    }

    @Test("run-log entries carry the controller clock in the controller's byte layout")
    func runLogEncoding() throws {
        var bench = try Bench(.evolutionAirCooled)
        bench.run("utility off")
        bench.wait(5 + 3)  // 002b = 5 s, then 3 s cranking
        // 2024-03-05 10:30:08: code 2B, sequence 1; minute 30, hour 10; month 3, second 8; year 24, day 5.
        #expect(bench.model.read(0x012C, 4) == [0x2B01, 0x1E0A, 0x0308, 0x1805])
        #expect(bench.log(.run) == ["03/05/24 10:30:08 Running - Utility Loss "])
    }

    @Test("an outage shorter than the start-up delay never starts the engine")
    func shortOutage() throws {
        var bench = try Bench(.evolutionAirCooled)
        bench.run("utility off")
        bench.wait(2)
        bench.run("utility on")
        #expect(bench.state == 0)
        bench.wait(30)
        #expect(bench.state == 0 && bench.log(.run).isEmpty)
    }

    @Test("Nexus liquid-cooled encodes frequency as half hertz and Nexus air-cooled as hertz", arguments: [
        (ControllerProfile.Family.nexusLiquidCooled, UInt16(30), 58.0...62.0),
        (.nexusAirCooled, 60, 59.0...61.0),
        (.evolutionAirCooled, 60, 59.0...61.0),
    ])
    func frequencyEncoding(family: ControllerProfile.Family, raw: UInt16, decoded: ClosedRange<Double>) throws {
        var bench = try Bench(family)
        bench.run("utility off")
        bench.wait(20)
        #expect(bench.state == 0x0003)
        #expect(bench.reg(0x0008) == raw)
        #expect(decoded.contains(bench.readings.engine.frequencyHz))
    }

    @Test("hour meter and service counters follow running time")
    func hourMeters() throws {
        var bench = try Bench(.evolutionAirCooled)
        let serviceA = bench.reg(0x001A)
        bench.run("remote start")
        bench.wait(3 * 3600 + 10)
        #expect(bench.reg(0x000C) == 3, "run hours (000b/000c)")
        #expect(bench.reg(0x001A) == serviceA - 3)
        var liquid = try Bench(.evolutionLiquidCooled)
        let minutes = liquid.reg(0x005F)
        liquid.run("remote start")
        liquid.wait(3600 + 4)
        #expect(liquid.reg(0x005F) == minutes + 60, "EvoLC counts minutes in 005e/005f")
        #expect(liquid.reg(0x0054) == 0x2238 + 1, "hours since activation tick with wall time")
    }
}
