import Foundation
import Generac
@testable import Simulator
import Testing

@Suite("Alarms, warnings and commands")
struct AlarmAndCommandTests {
    @Test("an alarm stops the engine, shows its index and code, logs it, and needs a reset", arguments: ControllerProfile.Family.allCases)
    func alarmAndReset(family: ControllerProfile.Family) throws {
        var bench = try Bench(family)
        bench.run("remote start")
        bench.wait(6)
        #expect(bench.state == 0x0003)
        bench.run("alarm low-oil-pressure")
        #expect(bench.state == 0x0008, "stopped in alarm")
        #expect(bench.mode == 0x000A, "alarm index of low oil pressure")
        #expect(bench.reg(0x0007) == 0)
        let readings = bench.readings
        #expect(readings.status.engineState.description == "Stopped in Alarm")
        #expect(readings.status.switchState.rawValue == "System in Alarm")
        #expect(readings.status.alarm.text == "Low Oil Pressure")
        #expect(readings.status.baseStatus.rawValue == "ALARM")
        #expect(bench.log(.run).first?.hasSuffix("Stopped - Alarm ") == true)

        let alarmLog = bench.log(.alarm)
        switch family {
        case .evolutionLiquidCooled:
            #expect(bench.reg(0x05F1) == 1300 && bench.reg(0x0053) & 0x20 != 0)
            #expect(alarmLog.first?.hasSuffix("Low Oil Pressure : Alarm Code: 1300") == true)
        case .evolutionAirCooled:
            #expect(bench.reg(0x05F1) == 1300)
            #expect(alarmLog.first?.hasSuffix("Low Oil Pressure : Alarm Code: 1300") == true)
        case .nexusAirCooled, .nexusLiquidCooled:
            #expect(alarmLog.first?.hasSuffix("Low Oil Pressure ") == true)
        }

        bench.run("remote start")
        #expect(bench.state == 0x0008, "a controller in alarm ignores remote start")
        bench.write(0x0003, [0x000D])  // reset alarm
        #expect(bench.state == 0x0000 && bench.mode == 0x0007, "alarm cleared, switch left in Off")
        #expect(bench.readings.status.baseStatus.rawValue == "OFF")
        bench.write(0x0003, [0x000F])
        #expect(bench.mode == 0x0000)
    }

    @Test("an alarm by its ALARMS.txt code unknown to the index table is named from 05f1")
    func unlistedAlarm() throws {
        var bench = try Bench(.evolutionAirCooled)
        bench.run("alarm 1505")
        #expect(bench.state == 0x0008 && bench.reg(0x05F1) == 1505)
        #expect(bench.readings.status.alarm.text == "RPM Sensor (Twin Cylinder+Cranking)")
        #expect(bench.log(.alarm).first?.hasSuffix("RPM Sensor (Twin Cylinder+Cranking) : Alarm Code: 1505") == true)
    }

    @Test("faults that do not exist on a family are refused")
    func inapplicableFault() throws {
        var bench = try Bench(.evolutionAirCooled)
        let reply = bench.simulation.perform(.alarm(.named("low-coolant"))).reply
        #expect(reply.hasPrefix("error"))
        #expect(bench.state == 0)
    }

    @Test("a low battery is a warning: the engine keeps its state in the warning flavour")
    func lowBatteryWarning() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        bench.run("battery 11.6")
        #expect(bench.state == 0x000A && bench.mode == 0x0001)
        #expect(bench.readings.status.engineState.description == "Stopped in Warning")
        #expect(bench.log(.alarm).first?.hasSuffix("Low Battery : Alarm Code: 2750") == true)
        bench.run("remote start")
        bench.wait(4)
        #expect(bench.state == 0x0006, "running in warning")
        bench.run("battery 13.2")
        #expect(bench.state == 0x0003 && bench.mode == 0x0000)
    }

    @Test("remote start, start+transfer, exercise and stop through register 0003")
    func remoteCommands() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        bench.write(0x0003, [0x0001])
        #expect(bench.state == 0x0002)
        bench.wait(4)
        #expect(bench.state == 0x0003 && bench.reg(0x0053) == 0x0048, "remote start: no transfer")
        bench.wait(60)
        #expect(bench.reg(0x0053) == 0x0048)
        #expect(bench.log(.run).first?.hasSuffix("Running - Remote Start ") == true)
        bench.write(0x0003, [0x0000])
        #expect(bench.state == 0x0005)
        bench.wait(62.1)
        #expect(bench.state == 0x0000)

        bench.write(0x0003, [0x0002])
        bench.wait(4 + 10.1)
        #expect(bench.state == 0x0003 && bench.reg(0x0053) == 0x0049, "start and transfer")
        bench.write(0x0003, [0x0000])
        #expect(bench.reg(0x0053) == 0x0048)
        bench.wait(63)

        bench.write(0x0003, [0x0003])
        bench.wait(4)
        #expect(bench.state == 0x0004, "exercising")
        #expect(bench.log(.run).first?.hasSuffix("Running - Exercise ") == true)
        bench.wait(12 * 60 + 2.1)
        #expect(bench.state == 0x0000)
    }

    @Test("front panel: manual runs the engine, auto stops it, off stops at once and logs it")
    func frontPanel() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        bench.write(0x0003, [0x000E])
        #expect(bench.mode == 0x0006)
        bench.wait(4)
        #expect(bench.state == 0x0003)
        #expect(bench.readings.status.baseStatus.rawValue == "RUNNING-MANUAL")
        #expect(bench.log(.run).first?.hasSuffix("Running - Manual ") == true)
        bench.write(0x0003, [0x000F])
        #expect(bench.state == 0x0005 && bench.mode == 0x0000)
        bench.write(0x0003, [0x0010])
        #expect(bench.mode == 0x0007 && bench.state == 0x0009)
        #expect(bench.log(.run).first?.hasSuffix("Switched Off ") == true)
        bench.run("utility off")
        bench.wait(30)
        #expect(bench.state == 0x0000, "a controller in Off does not start on an outage")
    }

    @Test("Manual during the cool-down keeps the engine running; Auto during a manual crank stops it")
    func switchDuringTransitions() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        bench.write(0x0003, [0x000E])  // Manual
        bench.wait(4)
        bench.write(0x0003, [0x000F])  // Auto: cool-down
        #expect(bench.state == 0x0005)
        bench.write(0x0003, [0x000E])  // Manual again, before the engine stopped
        #expect(bench.state == 0x0003 && bench.mode == 0x0006)
        bench.wait(600)
        #expect(bench.state == 0x0003, "in Manual the engine runs until the switch moves")

        var cranking = try Bench(.evolutionLiquidCooled)
        cranking.write(0x0003, [0x000E])
        cranking.wait(1)
        let runLogBefore = cranking.log(.run)
        cranking.write(0x0003, [0x000F])
        cranking.wait(60)
        #expect(cranking.state == 0x0000 && cranking.mode == 0x0000, "Auto with the utility present: ready, not running for ever")
        #expect(cranking.log(.run) == runLogBefore, "an engine that never started logs no start and no stop")
    }

    @Test("set time: the controller computes the weekday itself and keeps ticking")
    func setTime() throws {
        var bench = try Bench(.evolutionAirCooled)
        // 14:30, March 5, weekday written as 0, year 24 (the worked frame in docs/wire.md#worked-frames).
        #expect(bench.write(0x000E, [0x0E1E, 0x0305, 0x0018]) == .accepted)
        #expect(bench.reg(0x000E) == 0x0E1E && bench.reg(0x000F) == 0x0305)
        #expect(bench.reg(0x0010) == 0x0218, "Tuesday = 2")
        #expect(bench.reg(0x000D) & 0x0002 != 0)
        bench.wait(120)
        #expect(bench.reg(0x000E) == 0x0E20)
        #expect(bench.readings.clock?.text == "Tuesday March 5, 2024 14:32")
        #expect(bench.write(0x000E, [0x1900, 0x0305, 0x0018]) == .illegalValue, "hour 25")
        #expect(bench.write(0x000E, [0x0E1E, 0x021E, 0x0018]) == .illegalValue, "February 30")
    }

    @Test("set exercise, new method: 002c/002e/002f are mirrored where the monitor reads them")
    func setExerciseNewMethod() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        bench.write(0x002E, [0x0004])  // Thursday
        bench.write(0x002C, [0x0F2D])  // 15:45
        bench.write(0x002F, [0x0001])  // quiet on
        #expect(bench.reg(0x0005) == 0x0F2D && bench.reg(0x0006) == 0x0401)
        #expect(bench.readings.exercise?.text == "Weekly Thursday 15:45 Quiet Mode On")
        #expect(bench.write(0x002C, [0x1800]) == .illegalValue)
        #expect(bench.write(0x002D, [0x0003]) == .illegalValue)
    }

    @Test("set exercise, legacy method: now + value × 128 s, to the minute")
    func setExerciseLegacy() throws {
        var bench = try Bench(.nexusAirCooled)
        // 731 units of 128 s from Tuesday 10:30:00 is Wednesday 12:29:28, stored as 12:29.
        bench.write(0x0004, [731])
        bench.write(0x0003, [0x0006])
        let expected = Calendar.utc.dateComponents([.hour, .minute, .weekday], from: Bench.start.addingTimeInterval(731 * 128))
        #expect(bench.reg(0x0005) == UInt16(expected.hour!) << 8 | UInt16(expected.minute!))
        #expect(bench.reg(0x0006) >> 8 == UInt16(expected.weekday! - 1))
    }

    @Test("a weekly exercise runs at its scheduled time, then stops after its duration")
    func scheduledExercise() throws {
        var bench = try Bench(.evolutionAirCooled)
        // Exercise at 14:00 on Sunday (0005 = 0E00, 0006 = 0000); start is Tuesday 10:30.
        bench.wait(5 * 86_400 + 3 * 3600 + 29 * 60)  // Sunday 13:59
        #expect(bench.state == 0)
        bench.wait(120)  // Sunday 14:01
        #expect(bench.state == 0x0004, "exercising on schedule")
        #expect(bench.readings.status.baseStatus.rawValue == "EXERCISING")
        bench.wait(12 * 60 + 3)
        #expect(bench.state == 0x0000)
        #expect(bench.log(.run).prefix(2).map { $0.hasSuffix("Stopped - Auto ") || $0.hasSuffix("Running - Exercise ") } == [true, true])
    }

    @Test("a monthly exercise runs on its day of the month; a biweekly one skips every other week")
    func monthlyAndBiweeklyExercise() throws {
        var monthly = try Bench(.evolutionAirCooled)
        monthly.write(0x002D, [0x0002])  // monthly
        monthly.write(0x002E, [0x0007])  // on the 7th
        monthly.write(0x002C, [0x0900])  // at 09:00
        monthly.wait(86_400 + 22 * 3600)  // Thursday March 7, 08:30
        #expect(monthly.state == 0)
        monthly.wait(31 * 60)  // 09:01
        #expect(monthly.state == 0x0004)

        var biweekly = try Bench(.evolutionAirCooled)
        biweekly.write(0x002D, [0x0001])
        biweekly.write(0x002E, [0x0003])  // Wednesday
        biweekly.write(0x002C, [0x0800])  // 08:00
        biweekly.wait(28 * 86_400)
        let exercises = biweekly.log(.run).filter { $0.hasSuffix("Running - Exercise ") }
        #expect(exercises.count == 2, "four Wednesdays, two exercises: \(exercises)")
        #expect(exercises.map { String($0.prefix(8)) } == ["03/20/24", "03/06/24"])
    }

    @Test("a scheduled exercise that cannot run sets the failed-to-exercise bit, cleared when read")
    func failedExercise() throws {
        var bench = try Bench(.evolutionAirCooled)
        bench.run("switch off")
        bench.wait(5 * 86_400 + 4 * 3600)  // past Sunday 14:00
        #expect(bench.reg(0x0018) & 1 == 1)
        _ = bench.simulation.modelRead(address: 0x0018, count: 1)
        #expect(bench.reg(0x0018) & 1 == 0)
    }

    @Test("quiet-mode exercise runs slower")
    func quietExercise() throws {
        var bench = try Bench(.evolutionAirCooled)
        bench.write(0x002F, [1])
        bench.write(0x0003, [0x0003])
        bench.wait(3.1)
        #expect(bench.state == 0x0004 && bench.reg(0x0007) == 2600)
    }

    @Test("service due: reminder, then reset of the maintenance periods reloads the counters")
    func serviceDue() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        bench.run("service a")
        #expect(bench.mode == 0x001F && bench.reg(0x001A) == 0)
        #expect(bench.readings.status.baseStatus.rawValue == "SERVICEDUE")
        #expect(bench.log(.service).first?.hasSuffix("Service Schedule A ") == true)
        bench.write(0x0003, [0x0009])
        #expect(bench.mode == 0x0000 && bench.reg(0x001A) == 125 && bench.reg(0x001E) == 250)
        #expect(bench.log(.service).first?.hasSuffix("Maintenance Reset ") == true)
        #expect(bench.readings.status.baseStatus.rawValue == "READY")
    }

    @Test("logs keep 50 entries, newest first, with rising sequence numbers")
    func logDepth() throws {
        var bench = try Bench(.evolutionAirCooled)
        for _ in 0..<30 {
            bench.run("remote start")
            bench.wait(4)
            bench.run("remote stop")
            bench.wait(63)
        }
        let lines = bench.log(.run)
        #expect(lines.count == 50)
        #expect(lines[0].hasSuffix("Stopped - Auto ") && lines[1].hasSuffix("Running - Remote Start "))
        #expect(bench.reg(0x012C) & 0xFF == 60, "sequence number of the 60th entry")
    }

    @Test("unimplemented addresses read as the family's filler")
    func filler() throws {
        var nexusAC = try Bench(.nexusAirCooled)
        #expect(nexusAC.simulation.modelRead(address: 0x2134, count: 1) == [0x03FB])
        var nexusLC = try Bench(.nexusLiquidCooled)
        #expect(nexusLC.simulation.modelRead(address: 0x0234, count: 1) == [0x01F4])
        var evolution = try Bench(.evolutionAirCooled)
        #expect(evolution.simulation.modelRead(address: 0x0234, count: 1) == [0x0000])
        // A block that runs past FFFF (a malformed request) is answered, not trapped on.
        #expect(evolution.simulation.modelRead(address: 0xFFF0, count: 32).count == 32)
    }

    @Test("a scenario step the model refuses is reported with its line")
    func refusedStep() throws {
        var bench = try Bench(.evolutionAirCooled, scenario: "at 1s utility off\nat 2s alarm low-coolant")
        let effects = bench.simulation.advance(to: bench.now.addingTimeInterval(3))
        #expect(effects.contains { if case .stepFailed(line: 2, _) = $0 { true } else { false } })
    }

    @Test("every family decodes as the controller it claims to be", arguments: [
        (ControllerProfile.Family.evolutionAirCooled, "Evolution, Air Cooled", "0007722987"),
        (.evolutionLiquidCooled, "Evolution, Liquid Cooled", "0008001234"),
        (.nexusAirCooled, "Nexus, Air Cooled", "0006123456"),
        (.nexusLiquidCooled, "Nexus, Liquid Cooled", "0008565313"),
    ])
    func identity(family: ControllerProfile.Family, name: String, serial: String) throws {
        let bench = try Bench(family)
        let readings = bench.readings
        #expect(readings.identity.detectedName == name)
        #expect(readings.maintenance.serialNumber == serial)
        #expect(readings.status.oneLine == "Auto, Off - Ready")
        #expect(readings.status.baseStatus.rawValue == "READY", "no service counter may read ≤ 1 at rest")
    }
}

extension Calendar {
    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}

extension GeneratorModel {
    /// Reads without side effects for assertions.
    func read(_ address: UInt16, _ count: Int) -> [UInt16] { (0..<count).map { register(address + UInt16($0)) } }
}
