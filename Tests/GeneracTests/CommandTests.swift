import Foundation
import Testing
@testable import Generac

@Suite("Command encoders")
struct CommandTests {
    func writes(_ plan: CommandPlan) -> [String] { plan.writes.map(\.description) }

    @Test("setremote sends the indexed command of the table", arguments: [
        (RemoteCommand.stop, ["0003=0000"]), (.start, ["0003=0001"]), (.startTransfer, ["0003=0002"]),
        (.startExercise, ["0003=0003"]), (.resetAlarm, ["0003=000d"]), (.manual, ["0003=000e"]),
        (.auto, ["0003=000f"]), (.off, ["0003=0010"]),
        // Fixed on purpose: upstream sends 0 (remote stop) for these two.
        (.resetMaintenanceTimer, ["0003=0009"]), (.resetMaintenanceAlarm, ["0003=0008"]),
    ])
    func remoteCommands(command: RemoteCommand, expected: [String]) {
        let plan = command.plan(for: ControllerIdentity(variant: .evolutionLC))
        #expect(writes(plan) == expected)
        #expect(plan.reply == "Remote command sent successfully")
    }

    @Test("PZ200 start commands carry a 300 s run time in 0004, written first")
    func pz200Commands() {
        let pz = ControllerIdentity(variant: .pz200)
        #expect(writes(RemoteCommand.start.plan(for: pz)) == ["0004=012c", "0003=0019"])
        #expect(writes(RemoteCommand.stop.plan(for: pz)) == ["0003=001a"])
        #expect(writes(RemoteCommand.startExercise.plan(for: pz)) == ["0003=001b"])
        #expect(writes(RemoteCommand.startTransfer.plan(for: pz)) == ["0004=012c", "0003=0028"])
        #expect(writes(RemoteCommand.resetAlarm.plan(for: pz)) == ["0003=000d"])
    }

    @Test("Which remote commands a UI offers")
    func offered() {
        let lc = ControllerIdentity(variant: .evolutionLC), ac = ControllerIdentity(variant: .evolutionAC)
        #expect(RemoteCommand.allCases.allSatisfy { $0.isOffered(identity: lc, settings: .defaults) })
        #expect(RemoteCommand.allCases.filter { $0.isOffered(identity: ac, settings: .defaults) } == [.start, .stop, .startTransfer, .startExercise])
        var smart = GeneracSettings()
        smart.smartTransferSwitch = true
        #expect(!RemoteCommand.start.isOffered(identity: ac, settings: smart))
        #expect(!RemoteCommand.start.isOffered(identity: ControllerIdentity(variant: .pz200), settings: .defaults))
    }

    @Test("Test command writes 0 to 0004 then the index; only 0–16")
    func testCommand() throws {
        #expect(writes(try IndexedCommand.testCommand(16)) == ["0004=0000", "0003=0010"])
        #expect(throws: GeneracCommandError.testCommandOutOfRange(17)) { try IndexedCommand.testCommand(17) }
        #expect(GeneracCommandError.testCommandOutOfRange(17).message == "Testcommand supports commands 0 - 16")
    }

    @Test("Set time 14:30 03/05 year 24 writes 0E1E 0305 0018 at 000e (weekday 0)")
    func setTime() throws {
        let command = try SetTimeCommand(hour: 14, minute: 30, month: 3, day: 5, year: 2024)
        #expect(command.write.address == 0x000E)
        #expect(command.write.values == [0x0E1E, 0x0305, 0x0018])
        // The data bytes of the worked frame (docs/wire.md#worked-frames) 9D 10 00 0E 00 03 06 | 0E 1E 03 05 00 18 | EE 8B.
        #expect(command.write.values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } == [0x0E, 0x1E, 0x03, 0x05, 0x00, 0x18])
        let fromDate = try SetTimeCommand(date: Date(timeIntervalSince1970: 1_709_649_000), timeZone: .gmt)
        #expect(fromDate == command)
        #expect(command.plan.reply == "Time Set: Command Sent")
        #expect(throws: GeneracCommandError.yearOutOfRange(1999)) { try SetTimeCommand(hour: 0, minute: 0, month: 1, day: 1, year: 1999) }
        #expect(throws: GeneracCommandError.monthOutOfRange(13)) { try SetTimeCommand(hour: 0, minute: 0, month: 13, day: 1, year: 2024) }
        #expect([0, 1, 59, 60, -1].map(SetTimeCommand.secondsToWait(currentSecond:)) == [0, 59, 1, 0, 1])
    }

    @Test("Set time is confirmed by a clock at the written minute or up to two later")
    func setTimeConfirmation() throws {
        let confirmation = try SetTimeCommand(hour: 14, minute: 30, month: 3, day: 5, year: 2024).confirmation
        #expect(confirmation.readBack == [RegisterSpan(0x000E, words: 3)])
        func clock(_ minute: UInt16) -> RegisterImage {
            RegisterImage(words: [0x000E: 0x0E00 | minute, 0x000F: 0x0305, 0x0010: 0x0218])
        }
        let identity = ControllerIdentity(variant: .evolutionAC)
        #expect(confirmation.isSatisfied(by: clock(30), identity: identity))
        #expect(confirmation.isSatisfied(by: clock(32), identity: identity))
        #expect(!confirmation.isSatisfied(by: clock(33), identity: identity))
        #expect(!confirmation.isSatisfied(by: clock(29), identity: identity))
        #expect(!confirmation.isSatisfied(by: RegisterImage(), identity: identity))
    }

    @Test("Quiet mode: 002f on EvoLC and Evo2, refused elsewhere")
    func quietMode() throws {
        #expect(writes(try QuietModeCommand.plan(on: true, identity: ControllerIdentity(variant: .evolutionLC))) == ["002f=0001"])
        #expect(writes(try QuietModeCommand.plan(on: false, identity: ControllerIdentity(variant: .evolution2))) == ["002f=0000"])
        #expect(throws: GeneracCommandError.notSupportedOnThisController) {
            try QuietModeCommand.plan(on: true, identity: ControllerIdentity(variant: .evolutionAC))
        }
        #expect(GeneracCommandError.notSupportedOnThisController.message == "Not supported on this controller.")
        let plan = try QuietModeCommand.plan(on: true, identity: ControllerIdentity(variant: .evolutionLC))
        #expect(plan.confirmation.isSatisfied(by: RegisterImage(words: [0x0006: 0x0201]), identity: ControllerIdentity(variant: .evolutionLC)))
        #expect(!plan.confirmation.isSatisfied(by: RegisterImage(words: [0x0006: 0x0200]), identity: ControllerIdentity(variant: .evolutionLC)))
    }

    @Test("EvoLC buttons write one register within bounds")
    func evoLCButtons() throws {
        #expect(writes(try EvoLCButton.resetMaintenanceWarnings.plan()) == ["0003=0008"])
        #expect(writes(try EvoLCButton.resetMaintenancePeriods.plan()) == ["0003=0009"])
        #expect(writes(try EvoLCButton.pickupVolts.plan(value: 220)) == ["023b=00dc"])
        #expect(writes(try EvoLCButton.thresholdVolts.plan(value: 0)) == ["0011=0000"])
        #expect(writes(try EvoLCButton.exerciseDuration.plan(value: 60)) == ["023e=003c"])
        #expect(throws: GeneracCommandError.valueOutOfRange(value: 174, allowed: 175...342)) { try EvoLCButton.pickupVolts.plan(value: 174) }
        #expect(throws: GeneracCommandError.valueOutOfRange(value: 1501, allowed: 5...1500)) { try EvoLCButton.startupDelay.plan(value: 1501) }
        #expect(throws: GeneracCommandError.valueOutOfRange(value: 1, allowed: 2...1500)) { try EvoLCButton.warmupDelay.plan(value: 1) }
        #expect(throws: GeneracCommandError.valueRequired) { try EvoLCButton.warmupDelay.plan() }
        #expect(throws: GeneracCommandError.unexpectedValue) { try EvoLCButton.resetMaintenancePeriods.plan(value: 1) }
        let plan = try EvoLCButton.warmupDelay.plan(value: 10)
        #expect(plan.confirmation.isSatisfied(by: RegisterImage(words: [0x0238: 10]), identity: ControllerIdentity(variant: .evolutionLC)))
    }

    @Test("Status confirmations follow the engine and the mode", arguments: [
        (RemoteCommand.start, UInt32(0x0002_0000), true), (.start, 0x0003_0000, true), (.start, 0x0001_0000, true),
        (.start, 0x0000_0000, false), (.start, 0x0005_0000, false),
        (.startTransfer, 0x0003_0000, true), (.startExercise, 0x0004_0000, true), (.startExercise, 0x0003_0000, false),
        (.stop, 0x0005_0000, true), (.stop, 0x0000_0000, true), (.stop, 0x0003_0000, false), (.stop, 0x0002_0000, false),
        (.off, 0x0000_0007, true), (.off, 0x0000_0000, false), (.auto, 0x0000_0000, true), (.manual, 0x0003_0006, true),
        (.manual, 0x0003_0024, false), (.resetAlarm, 0x0000_0007, true), (.resetAlarm, 0x0008_0024, false),
        (.resetMaintenanceAlarm, 0x0000_001F, false), (.resetMaintenanceAlarm, 0x0000_0000, true),
    ])
    func statusConfirmations(command: RemoteCommand, pair: UInt32, satisfied: Bool) {
        var img = image(.evolutionLC, [0x001A: 100, 0x001E: 100])
        img.store([UInt16(pair >> 16), UInt16(pair & 0xFFFF)], at: 0x0001)
        #expect(command.confirmation.isSatisfied(by: img, identity: ControllerIdentity(variant: .evolutionLC)) == satisfied)
        #expect(command.confirmation.readBack.first == RegisterSpan(0x0001, words: 2))
    }

    @Test("Resetting maintenance periods also expects the hours to be reloaded")
    func maintenanceReload() {
        let confirmation = RemoteCommand.resetMaintenanceTimer.confirmation
        let identity = ControllerIdentity(variant: .evolutionAC)
        #expect(!confirmation.isSatisfied(by: image(.evolutionAC, [0x001A: 0, 0x001E: 400]), identity: identity))
        #expect(confirmation.isSatisfied(by: image(.evolutionAC, [0x001A: 200, 0x001E: 400]), identity: identity))
    }
}

@Suite("Exercise commands")
struct ExerciseCommandTests {
    func writes(_ plan: CommandPlan) -> [String] { plan.writes.map(\.description) }

    @Test("Request validation refuses impossible schedules")
    func validation() {
        #expect(throws: GeneracCommandError.hourOutOfRange(24)) { try ExerciseRequest(weekday: .monday, hour: 24, minute: 0) }
        #expect(throws: GeneracCommandError.minuteOutOfRange(60)) { try ExerciseRequest(weekday: .monday, hour: 0, minute: 60) }
        #expect(throws: GeneracCommandError.weekdayOutOfRange(7)) { try ExerciseRequest(frequency: .weekly, day: .weekday(7), hour: 0, minute: 0) }
        #expect(throws: GeneracCommandError.dayOfMonthOutOfRange(0)) { try ExerciseRequest(frequency: .monthly, day: .dayOfMonth(0), hour: 0, minute: 0) }
        #expect(throws: GeneracCommandError.dayOfMonthOutOfRange(29)) { try ExerciseRequest(frequency: .monthly, day: .dayOfMonth(29), hour: 0, minute: 0) }
        #expect(throws: GeneracCommandError.dayDoesNotMatchFrequency) { try ExerciseRequest(frequency: .monthly, day: .weekday(1), hour: 0, minute: 0) }
        #expect(throws: GeneracCommandError.dayDoesNotMatchFrequency) { try ExerciseRequest(frequency: .biweekly, day: .dayOfMonth(1), hour: 0, minute: 0) }
    }

    @Test("Standard method writes 002d (enhanced only), 002e, then 002c")
    func standardMethod() throws {
        let monday = try ExerciseRequest(weekday: .monday, hour: 13, minute: 30)
        #expect(writes(try ExerciseCommand.standardPlan(monday, enhanced: true)) == ["002d=0000", "002e=0001", "002c=0d1e"])
        #expect(writes(try ExerciseCommand.standardPlan(monday, enhanced: false)) == ["002e=0001", "002c=0d1e"])
        let monthly = try ExerciseRequest(frequency: .monthly, day: .dayOfMonth(15), hour: 13, minute: 30)
        #expect(writes(try ExerciseCommand.standardPlan(monthly, enhanced: true)) == ["002d=0002", "002e=000f", "002c=0d1e"])
        #expect(throws: GeneracCommandError.frequencyNeedsEnhancedExercise(.monthly)) { try ExerciseCommand.standardPlan(monthly, enhanced: false) }
        let sunday = try ExerciseRequest(weekday: .sunday, hour: 0, minute: 0, frequency: .biweekly)
        #expect(writes(try ExerciseCommand.standardPlan(sunday, enhanced: true)) == ["002d=0001", "002e=0000", "002c=0000"])
        #expect(try ExerciseCommand.standardPlan(sunday, enhanced: true).reply == "Set Exercise Time Command sent")
    }

    @Test("Method selection: config, Nexus, and old Evolution firmware use the legacy write", arguments: [
        (ControllerVariant.nexusAC, UInt8(200), false, ExerciseWriteMethod.legacy),
        (.nexusLC, 200, false, .legacy),
        (.evolutionAC, 109, false, .legacy),
        (.evolutionAC, 110, false, .standard),
        (.evolutionLC, 100, false, .legacy),
        (.evolution2, 100, false, .standard),
        (.pz200, 100, false, .standard),
        (.evolution2, 200, true, .legacy),
    ])
    func methodSelection(variant: ControllerVariant, firmware: UInt8, forceLegacy: Bool, expected: ExerciseWriteMethod) {
        var settings = GeneracSettings()
        settings.useLegacySetExercise = forceLegacy
        #expect(ExerciseWriteMethod.select(identity: ControllerIdentity(variant: variant), settings: settings,
                                           firmware: FirmwareVersion(raw: firmware)) == expected)
    }

    let mondayNoon = ControllerClock(hour: 12, minute: 7, month: 8, day: 14, weekday: 1, yearByte: 17)

    @Test("Legacy value counts 128-second units to the next requested weekday and time", arguments: [
        (Weekday.tuesday, 7, 0, UInt16(531)),   // 18 h 53 min
        (.monday, 12, 10, 1),                   // 3 minutes later today
        (.monday, 12, 7, 0),                    // right now
        (.monday, 12, 0, 4721),                 // earlier today → next week (upstream cannot send this)
        (.monday, 12, 6, 4724),                 // one minute ago → almost a week
        (.sunday, 12, 7, 4050),                 // six days ahead
        (.friday, 0, 0, 2359),                 // 3 days 11 h 53 min
    ])
    func legacyValue(weekday: Weekday, hour: Int, minute: Int, expected: UInt16) {
        #expect(ExerciseCommand.legacyValue(weekday: weekday, hour: hour, minute: minute, now: mondayNoon) == expected)
    }

    @Test("The controller's weekday byte does not matter, only its date")
    func legacyIgnoresWeekdayByte() {
        let wrongByte = ControllerClock(hour: 12, minute: 7, month: 8, day: 14, weekday: 5, yearByte: 17)
        #expect(ExerciseCommand.legacyValue(weekday: .tuesday, hour: 7, minute: 0, now: wrongByte) == 531)
    }

    @Test("Legacy plan writes 0004 then index 6, weekly only, needs the clock")
    func legacyPlan() throws {
        let tuesday = try ExerciseRequest(weekday: .tuesday, hour: 7, minute: 0)
        let plan = try ExerciseCommand.legacyPlan(tuesday, controllerTime: mondayNoon)
        #expect(writes(plan) == ["0004=0213", "0003=0006"])
        #expect(plan.reply == "Set Exercise Time Command sent (using legacy write)")
        let biweekly = try ExerciseRequest(weekday: .tuesday, hour: 7, minute: 0, frequency: .biweekly)
        #expect(throws: GeneracCommandError.legacyMethodIsWeeklyOnly(.biweekly)) { try ExerciseCommand.legacyPlan(biweekly, controllerTime: mondayNoon) }
        #expect(throws: GeneracCommandError.controllerClockUnavailable) {
            try ExerciseCommand.plan(tuesday, identity: ControllerIdentity(variant: .nexusAC), settings: .defaults, image: image(.nexusAC))
        }
    }

    @Test("Method follows the fixture controllers: Evo AC V1.18 standard, Nexus LC legacy from its clock")
    func fixturePlans() throws {
        let tuesday = try ExerciseRequest(weekday: .tuesday, hour: 7, minute: 0)
        let evo = try Fixture.evolutionAC.image()
        #expect(writes(try ExerciseCommand.plan(tuesday, identity: .detect(productCode: evo[0]), settings: .defaults, image: evo))
                == ["002e=0002", "002c=0700"])
        let nexus = try Fixture.nexusLC.image()
        #expect(writes(try ExerciseCommand.plan(tuesday, identity: .detect(productCode: nexus[0]), settings: .defaults, image: nexus))
                == ["0004=0213", "0003=0006"])
    }

    @Test("Exercise confirmations read back 0005/0006/002d/002e")
    func confirmations() throws {
        let identity = ControllerIdentity(variant: .evolution2)
        let monday = try ExerciseRequest(weekday: .monday, hour: 13, minute: 30, frequency: .biweekly)
        let standard = try ExerciseCommand.standardPlan(monday, enhanced: true).confirmation
        #expect(standard.readBack.map(\.address) == [0x0005, 0x0006, 0x002D, 0x002E])
        #expect(standard.isSatisfied(by: RegisterImage(words: [0x0005: 0x0D1E, 0x0006: 0x0100, 0x002D: 1]), identity: identity))
        #expect(!standard.isSatisfied(by: RegisterImage(words: [0x0005: 0x0D1E, 0x0006: 0x0100, 0x002D: 0]), identity: identity))
        #expect(!standard.isSatisfied(by: RegisterImage(words: [0x0005: 0x0D1F, 0x0006: 0x0100, 0x002D: 1]), identity: identity))
        let monthly = try ExerciseCommand.standardPlan(try ExerciseRequest(frequency: .monthly, day: .dayOfMonth(15), hour: 1, minute: 2), enhanced: true)
        #expect(monthly.confirmation.isSatisfied(by: RegisterImage(words: [0x0005: 0x0102, 0x002D: 2, 0x002E: 15]), identity: identity))

        let saturday = try ExerciseRequest(weekday: .saturday, hour: 23, minute: 59)
        let legacy = try ExerciseCommand.legacyPlan(saturday, controllerTime: mondayNoon).confirmation
        #expect(legacy.isSatisfied(by: RegisterImage(words: [0x0005: 0x0001, 0x0006: 0x0000]), identity: identity)) // Sunday 00:01
        #expect(legacy.isSatisfied(by: RegisterImage(words: [0x0005: 0x1738, 0x0006: 0x0600]), identity: identity))
        #expect(!legacy.isSatisfied(by: RegisterImage(words: [0x0005: 0x1734, 0x0006: 0x0600]), identity: identity))
        #expect(!legacy.isSatisfied(by: RegisterImage(words: [0x0005: 0x173B, 0x0006: 0x0500]), identity: identity))
    }
}

@Suite("Confirmation edge cases")
struct ConfirmationEdgeTests {
    @Test("An ignored Evo2 status value never confirms a command")
    func ignoredValueDoesNotConfirm() {
        let evo2 = ControllerIdentity(variant: .evolution2)
        let noise = image(.evolution2, [0x0001: 0x6F67, 0x0002: 0x0000])
        #expect(!RemoteCommand.stop.confirmation.isSatisfied(by: noise, identity: evo2))
        #expect(RemoteCommand.stop.confirmation.isSatisfied(by: image(.evolution2), identity: evo2))
        #expect(Confirmation.unconfirmable.isSatisfied(by: noise, identity: evo2))
    }
}
