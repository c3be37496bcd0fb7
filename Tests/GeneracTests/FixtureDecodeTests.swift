import Foundation
import Testing
@testable import Generac

/// Both real dumps must decode to exactly what the original printed for them (answers captured
/// with TZ=UTC). Every expected string below is read from the answer files, not retyped.
@Suite("Real dumps decode like the original answered")
struct FixtureDecodeTests {
    let utc = TimeZone(identifier: "UTC")!

    func readings(_ fixture: Fixture) throws -> GeneratorReadings {
        GeneracDecoder.decode(image: try fixture.image(), timeZone: utc)
    }

    func f2(_ value: Double) -> String { String(format: "%.2f", value) }

    func expectStatusLines(_ fixture: Fixture, _ r: GeneratorReadings) throws {
        func status(_ key: String) throws -> String? { try fixture.answerValue("status.txt", key: key) }
        #expect(try status("Switch State") == r.status.switchState.rawValue)
        #expect(try status("Engine State") == r.status.engineState.description)
        #expect(try status("Battery Voltage") == f2(r.engine.batteryVolts) + " V")
        #expect(try status("RPM") == "\(r.engine.rpm) ")
        #expect(try status("Frequency") == f2(r.engine.frequencyHz) + " Hz")
        #expect(try status("Output Voltage") == r.engine.outputVolts.map { "\($0) V" })
        #expect(try status("Battery Charger Current") == r.engine.batteryChargerMilliamps.map { "\($0) mA" })
        #expect(try status("Output Current") == r.engine.outputCurrent.map { f2($0.totalAmps) + " A" })
        #expect(try status("Current L1") == r.engine.outputCurrent?.leg1Amps.map { f2($0) + " A" })
        #expect(try status("Current L2") == r.engine.outputCurrent?.leg2Amps.map { f2($0) + " A" })
        #expect(try status("Output Power (Single Phase)") == r.engine.outputPowerKW.map { f2($0) + " kW" })
        #expect(try status("Active Rotor Poles (Calculated)") == "\(r.engine.activeRotorPoles) ")
        #expect(try status("Utility Voltage") == "\(r.line.utilityVolts) V")
        #expect(try status("Utility Threshold Voltage") == "\(r.line.thresholdVolts) V")
        #expect(try status("Generator Time") == r.clock?.text)
        #expect(try status("Transfer Switch State") == nil)
        #expect(r.line.transferSwitch == nil)
        #expect(try status("System In Alarm") == nil)
        #expect(!r.status.isInAlarm)
        #expect(try fixture.answer("getbase.txt") == r.status.baseStatus.rawValue)
        #expect(try fixture.answer("_greeting.txt") == "OK : " + r.status.oneLine)
        for log in r.logs.logs {
            #expect(try status(log.range.kind.title) == log.newestLine())
        }
    }

    func expectMaintenanceLines(_ fixture: Fixture, _ r: GeneratorReadings) throws {
        func maint(_ key: String) throws -> String? { try fixture.answerValue("maint.txt", key: key) }
        #expect(try maint("Generator Serial Number") == r.maintenance.serialNumber)
        #expect(try maint("Controller Detected") == r.identity.detectedName)
        #expect(try maint("Nominal RPM") == "\(r.nominal.rpm)")
        #expect(try maint("Rated kW") == NominalValues.kilowattsText(r.nominal.kilowatts) + " kW")
        #expect(try maint("Nominal Frequency") == "\(r.nominal.frequency) Hz")
        #expect(try maint("Fuel Type") == r.nominal.fuelType.rawValue)
        #expect(try maint("Generator Phase") == r.nominal.phase.map(String.init) ?? "Unknown")
        #expect(try maint("Engine Displacement") == r.nominal.engineDisplacement)
        #expect(try maint("Calibrate Volts") == r.settings.calibrateVolts.map { "\($0) " })
        #expect(try maint("Calibrate Current 1") == r.settings.calibrateCurrent1.map { "\($0) " })
        #expect(try maint("Calibrate Current 2") == r.settings.calibrateCurrent2.map { "\($0) " })
        #expect(try maint("Nominal Line Voltage") == (r.nominal.lineVolts.map(String.init) ?? "Unknown") + " V")
        #expect(try maint("Param Group") == r.settings.parameterGroup.map { "\($0) " })
        #expect(try maint("Voltage Code") == r.settings.voltageCode.map { "\($0) " })
        #expect(try maint("Phase") == r.settings.liquidCooledPhase.map { "\($0) " })
        #expect(try maint("Time Since Activation") == nil)
        #expect(r.settings.hoursSinceActivation == nil)
        #expect(try maint("Exercise Time") == r.exercise?.text)
        #expect(try maint("Exercise Duration") == r.settings.exerciseDurationMinutes.map { "\($0) min" })
        #expect(try maint("Total Run Hours") == f2(r.maintenance.totalRunHours) + " h")
        #expect(try maint("Hardware Version") == r.maintenance.hardwareVersion.text)
        #expect(try maint("Firmware Version") == r.maintenance.firmwareVersion.text)
        for item in r.maintenance.serviceItems {
            #expect(try maint(item.label) == item.text(), "\(item.label)")
        }
        #expect(try fixture.answerValue("outage.txt", key: "Startup Delay") == r.settings.startupDelaySeconds.map { "\($0) s" })
    }

    @Test("Evolution AC 7033 dump: every status and maintenance value matches")
    func evolutionAirCooled() throws {
        let r = try readings(.evolutionAC)
        #expect(r.identity.variant == .evolutionAC)
        #expect(r.identity.displayName == "Evolution, Air Cooled")
        #expect(r.status.engineState == .offReady)
        #expect(r.status.switchState == .auto)
        #expect(r.status.baseStatus == .ready)
        #expect(r.engine.batteryVolts == 14.3)
        #expect(r.engine.outputCurrent == OutputCurrent(totalAmps: 0, leg1Amps: 0, leg2Amps: 0))
        #expect(r.engine.outputPowerKW == 0)
        #expect(r.nominal.kilowatts == 11)
        #expect(r.nominal.rpm == 3600)
        #expect(r.nominal.engineDisplacement == "530 cc")
        #expect(r.maintenance.serialNumber == "")
        #expect(r.maintenance.hardwareVersion.text == "V1.06")
        #expect(r.maintenance.firmwareVersion.text == "V1.18")
        #expect(r.exercise?.text == "Weekly Sunday 14:00 Quiet Mode Off")
        #expect(r.maintenance.serviceItems.map { $0.text() } == ["199 hrs or 10/14/2019 ", "399 hrs or 10/13/2021 ", "01/02/1970 "])
        #expect(r.settings.startupDelaySeconds == 5)
        #expect(r.logs.logs.map(\.range.kind) == [.alarm, .service, .run])
        #expect(r.logs.logs.allSatisfy { $0.entries.isEmpty && $0.terminator == .empty })
        try expectStatusLines(.evolutionAC, r)
        try expectMaintenanceLines(.evolutionAC, r)
    }

    @Test("Nexus LC QT036 dump: every status and maintenance value matches")
    func nexusLiquidCooled() throws {
        let r = try readings(.nexusLC)
        #expect(r.identity.variant == .nexusLC)
        #expect(r.status.engineState == .running)
        #expect(r.status.baseStatus == .running)
        #expect(r.engine.rpm == 1796)
        #expect(r.engine.frequencyHz == 58.0)
        #expect(r.engine.activeRotorPoles == 4)
        #expect(r.engine.outputCurrent == nil)
        #expect(r.engine.batteryChargerMilliamps == nil)
        #expect(r.nominal.kilowatts == nil)
        #expect(r.nominal.lineVolts == nil)
        #expect(r.nominal.fuelType == .unknown)
        #expect(r.maintenance.serialNumber == "0008565313")
        #expect(r.maintenance.totalRunHours == 54)
        #expect(r.maintenance.serviceItems.map(\.label) == ["Air Filter Service Due", "Oil Change and Filter Due", "Spark Plug Change Due"])
        #expect(r.maintenance.serviceItems[1].text() == "99 hrs or 08/01/2018 ")
        #expect(r.clock?.text == "Monday August 14, 2017 12:07")
        #expect(r.logs.logs.map(\.range.kind) == [.alarm, .run])
        try expectStatusLines(.nexusLC, r)
        try expectMaintenanceLines(.nexusLC, r)
    }

    @Test("The web dashboard's exercise fields come from the same decode")
    func exerciseFieldsForDashboard() throws {
        for fixture in Fixture.allCases {
            let r = try readings(fixture)
            let gui = try JSONSerialization.jsonObject(with: Data(try fixture.answer("gui_status_json.json").utf8)) as? [String: Any]
            let info = try #require(gui?["ExerciseInfo"] as? [String: Any])
            let exercise = try #require(r.exercise)
            #expect(info["Frequency"] as? String == exercise.frequency.name)
            #expect(info["Hour"] as? String == pad2(exercise.hour))
            #expect(info["Minute"] as? String == pad2(exercise.minute))
            #expect(info["QuietMode"] as? String == exercise.quietMode.description)
            #expect(info["Day"] as? String == exercise.dayField)
            #expect(info["EnhancedExerciseMode"] as? String == (exercise.enhancedMode ? "True" : "False"))
            #expect(gui?["RPM"] as? Int == r.engine.rpm)
            #expect(gui?["basestatus"] as? String == r.status.baseStatus.rawValue)
        }
    }

    @Test("A time zone west of UTC moves service dates one day earlier")
    func serviceDatesFollowTheTimeZone() throws {
        let image = try Fixture.evolutionAC.image()
        let chicago = try #require(TimeZone(identifier: "America/Chicago"))
        let r = GeneracDecoder.decode(image: image, timeZone: chicago)
        #expect(r.maintenance.serviceItems[0].text() == "199 hrs or 10/13/2019 ")
        #expect(r.maintenance.serviceItems[2].text() == "01/01/1970 ")
    }
}
