import Testing
@testable import Generac

@Suite("Controller logs")
struct LogTests {
    func bytes(_ hex: String) -> [UInt8] {
        hex.split(separator: " ").compactMap { UInt8($0, radix: 16) }
    }

    @Test("Upstream's own examples decode to the documented dates and codes")
    func documentedExamples() throws {
        let nexus = try #require(LogEntry.parse(bytes: bytes("14 07 1B 12 09 0E 12 12")).entry)
        #expect(nexus.code == 0x14 && nexus.sequence == 7)
        #expect(nexus.line(text: LogTable.nexusACAlarm.text(for: nexus.code)) == "09/18/18 18:27:14 Low Battery ")
        let pre = try #require(LogEntry.parse(bytes: bytes("BE 04 0F 2D 0B 03 1D 13"), layout: .preNexus).entry)
        #expect(pre.code == 0x04 && pre.sequence == 0xBE)
        #expect(pre.line(text: LogTable.nexusACAlarm.text(for: pre.code)) == "03/29/19 15:45:11 RPM Sense Loss ")
    }

    @Test("An Evolution LC log image renders exactly like the original's logs answer")
    func evolutionLCOracle() throws {
        var img = image(.evolutionLC, [0x002A: 0x6A88])
        try img.store(hex: "20030a080a2d18030ad2", at: 0x03E8)
        img.store(LogEntry(code: 0x17, sequence: 2, year: 23, month: 5, day: 1, hour: 9, minute: 0, second: 12, alarmCode: 0).words(), at: 0x03ED)
        img.store(LogEntry(code: 0x3D, sequence: 1, year: 24, month: 5, day: 1, hour: 10, minute: 30, second: 0).words(), at: 0x04E2)
        img.store(LogEntry(code: 0x2E, sequence: 9, year: 25, month: 11, day: 25, hour: 15, minute: 0, second: 5).words(), at: 0x012C)
        img.store(LogEntry(code: 0x2A, sequence: 8, year: 25, month: 11, day: 18, hour: 15, minute: 12, second: 7).words(), at: 0x0130)
        img.store(LogEntry(code: 0x2E, sequence: 7, year: 25, month: 11, day: 18, hour: 15, minute: 0, second: 4).words(), at: 0x0134)
        let logs = decode(img).logs
        #expect(logs[.alarm]?.entries.map { $0.line() } == [
            "10/03/24 08:10:45 Charger Warning : Alarm Code: 2770",
            "05/01/23 09:00:12 Service Schedule A : Alarm Code: 0000",
        ])
        #expect(logs[.service]?.entries.map { $0.line() } == ["05/01/24 10:30:00 Schedule A Serviced "])
        #expect(logs[.run]?.entries.map { $0.line() } == [
            "11/25/25 15:00:05 Running - Exercise ", "11/18/25 15:12:07 Stopped - Auto ", "11/18/25 15:00:04 Running - Exercise ",
        ])
        #expect(logs[.run]?.terminator == .empty)
        #expect(logs[.alarm]?.newestLine() == "10/03/24 08:10:45 Charger Warning : Alarm Code: 2770")
    }

    @Test("Air-cooled Evolution alarm line with an alarm code, trailing spaces kept")
    func evolutionAirCooledLines() {
        var img = image(.evolutionAC)
        img.store(LogEntry(code: 0x2D, sequence: 1, year: 17, month: 11, day: 8, hour: 15, minute: 0, second: 31, alarmCode: 1600).words(), at: 0x03E8)
        img.store(LogEntry(code: 0x17, sequence: 0, year: 17, month: 11, day: 7, hour: 1, minute: 2, second: 3, alarmCode: 0).words(), at: 0x03ED)
        img.store(LogEntry(code: 0x3A, sequence: 0, year: 17, month: 11, day: 7, hour: 1, minute: 2, second: 3).words(), at: 0x04E2)
        let logs = decode(img).logs
        #expect(logs[.alarm]?.entries.map { $0.line() } == [
            "11/08/17 15:00:31 Underspeed : Alarm Code: 1600",
            "11/07/17 01:02:03 Service Schedule A  : Alarm Code: 0000",
        ])
        #expect(logs[.service]?.newestLine() == "11/07/17 01:02:03 Loss of Serial Link  ")
        #expect(logs[.alarm]?.entries[0].line(alternateDateFormat: true) == "08/11/17 15:00:31 Underspeed : Alarm Code: 1600")
    }

    @Test("Unknown codes print Unknown 0xNN; the Evolution alarm log falls back to the catalog name")
    func unknownCodes() {
        var img = image(.evolutionAC)
        img.store(LogEntry(code: 0x7E, sequence: 0, year: 20, month: 1, day: 2, hour: 3, minute: 4, second: 5, alarmCode: 1300).words(), at: 0x03E8)
        img.store(LogEntry(code: 0x7E, sequence: 0, year: 20, month: 1, day: 2, hour: 3, minute: 4, second: 5, alarmCode: 0).words(), at: 0x03ED)
        img.store(LogEntry(code: 0x7E, sequence: 0, year: 20, month: 1, day: 2, hour: 3, minute: 4, second: 5, alarmCode: 4904).words(), at: 0x03F2)
        img.store(LogEntry(code: 0x7E, sequence: 0, year: 20, month: 1, day: 2, hour: 3, minute: 4, second: 5).words(), at: 0x04E2)
        let logs = decode(img).logs
        #expect(logs[.alarm]?.entries.map(\.text) == ["Low Oil Pressure (While Running)", "Unknown 0x7E", "Unknown 0x7E"])
        #expect(logs[.alarm]?.entries.map(\.isUnknown) == [false, true, true])
        #expect(logs[.service]?.entries.first?.text == "Unknown 0x7E")
        var nexus = image(.nexusAC)
        nexus.store(LogEntry(code: 0x7E, sequence: 0, year: 20, month: 1, day: 2, hour: 3, minute: 4, second: 5).words(), at: 0x0064)
        #expect(decode(nexus).logs[.alarm]?.newestLine() == "01/02/20 03:04:05 Unknown 0x7E ")
    }

    @Test("Evo2 from firmware 1.14 renames code 0x33")
    func evolution2Rename() {
        let range = LogRange.evolutionAlarm
        #expect(LogTable.table(for: range, identity: ControllerIdentity(variant: .evolution2), firmware: FirmwareVersion(raw: 114)).text(for: 0x33) == "No Rotation Warning")
        #expect(LogTable.table(for: range, identity: ControllerIdentity(variant: .evolution2), firmware: FirmwareVersion(raw: 113)).text(for: 0x33) == "Overload Remove Load")
        #expect(LogTable.table(for: range, identity: ControllerIdentity(variant: .evolutionAC), firmware: FirmwareVersion(raw: 120)).text(for: 0x33) == "Overload Remove Load")
        #expect(LogTable.table(for: .evolutionService, identity: ControllerIdentity(variant: .evolution2), firmware: FirmwareVersion(raw: 120)) == .evolution2Alarm)
    }

    @Test("Each log uses the table docs/registers.md#log-texts names", arguments: [
        (ControllerVariant.evolutionLC, LogKind.alarm, LogTable.evolutionLCAlarm),
        (.evolutionLC, .service, .liquidCooledService),
        (.evolutionLC45, .run, .run),
        (.evolutionAC, .alarm, .evolutionACAlarm),
        (.evolutionAC, .service, .evolutionACAlarm),
        (.nexusLC, .alarm, .nexusLCAlarm),
        (.nexusAC, .alarm, .nexusACAlarm),
        (.preNexus, .alarm, .nexusACAlarm),
        (.pz200, .run, .pz200Run),
    ])
    func tableSelection(variant: ControllerVariant, kind: LogKind, expected: LogTable) {
        let identity = ControllerIdentity(variant: variant)
        let range = LogRange.ranges(for: identity).first { $0.kind == kind }!
        #expect(LogTable.table(for: range, identity: identity, firmware: FirmwareVersion(raw: 100)) == expected)
    }

    @Test("Table texts keep upstream's exact spelling and trailing spaces")
    func tableSpelling() {
        #expect(LogTable.evolutionACAlarm.text(for: 0x17) == "Service Schedule A ")
        #expect(LogTable.evolutionLCAlarm.text(for: 0x17) == "Service Schedule A")
        #expect(LogTable.evolutionLCAlarm.text(for: 0x3A) == "Loss of Serial Link ")
        #expect(LogTable.nexusLCAlarm.text(for: 0x0F) == "Govenor Fault")
        #expect(LogTable.run.text(for: 0x2B) == "Running - Utility Loss")
        #expect(LogTable.pz200Run.text(for: 0x29) == "Running - Manual")
        #expect(LogTable.pz200Run.text(for: 0x00) == "High Temperature")
        #expect(LogTable.run.text(for: 0x05) == "Unknown 0x05")
        #expect(LogTable.run.texts.count == 12 && LogTable.liquidCooledService.texts.count == 7)
        #expect(LogTable.evolutionLCAlarm.texts.count == 96 && LogTable.evolutionACAlarm.texts.count == 42)
        #expect(LogTable.nexusLCAlarm.texts.count == 25 && LogTable.nexusACAlarm.texts.count == 29)
    }

    @Test("Every code of every table survives encode → decode in both layouts", arguments: LogTable.allCases)
    func roundTrip(table: LogTable) throws {
        for (code, text) in table.texts {
            for layout in [LogLayout.standard, .preNexus] {
                let alarmCode: UInt16? = layout == .standard ? UInt16(code) * 7 : nil
                let entry = LogEntry(code: code, sequence: code &+ 1, year: 24, month: 12, day: 31,
                                     hour: 23, minute: 59, second: 59, alarmCode: alarmCode)
                let words = entry.words(layout: layout)
                #expect(words.count == (alarmCode == nil ? 4 : 5))
                let parsed = try #require(LogEntry.parse(words: words, layout: layout).entry)
                #expect(parsed == entry)
                #expect(table.text(for: parsed.code) == text)
                #expect(table.code(forText: text).map { table.text(for: $0) } == text)
            }
        }
    }

    @Test("Slot validation: month decides empty, other fields decide invalid", arguments: [
        ([UInt8](repeating: 0, count: 8), LogSlot.empty),
        ([0x14, 1, 0, 0, 13, 0, 18, 1], .empty),
        ([0x14, 1, 60, 0, 1, 0, 18, 1], .invalid(.minuteOutOfRange(60))),
        ([0x14, 1, 0, 24, 1, 0, 18, 1], .invalid(.hourOutOfRange(24))),
        ([0x14, 1, 0, 0, 1, 60, 18, 1], .invalid(.secondOutOfRange(60))),
        ([0x14, 1, 0, 0, 1, 0, 18, 0], .invalid(.dayOutOfRange(0))),
        ([0x14, 1, 0, 0, 1, 0, 18, 32], .invalid(.dayOutOfRange(32))),
        ([0x14, 1, 0, 0, 1, 0, 18], .invalid(.wrongLength(7))),
        ([UInt8](repeating: 1, count: 11), .invalid(.wrongLength(11))),
        ([0x14, 1, 59, 23, 12, 59, 18, 31], .entry(LogEntry(code: 0x14, sequence: 1, year: 18, month: 12, day: 31, hour: 23, minute: 59, second: 59))),
    ])
    func validation(bytes: [UInt8], expected: LogSlot) {
        #expect(LogEntry.parse(bytes: bytes) == expected)
    }

    @Test("Listing stops at the first empty or invalid slot")
    func stopsAtFirstBadSlot() {
        var img = image(.nexusLC)
        let good = LogEntry(code: 0x14, sequence: 1, year: 18, month: 1, day: 1, hour: 1, minute: 1, second: 1)
        img.store(good.words(), at: 0x0064)
        img.store([0x1401, 0x3C00, 0x0100, 0x1201], at: 0x0068) // minute 60: invalid
        img.store(good.words(), at: 0x006C)
        let alarm = decode(img).logs[.alarm]
        #expect(alarm?.entries.count == 1)
        #expect(alarm?.terminator == .invalid(.minuteOutOfRange(60)))
        for index in 0..<50 { img.store(good.words(), at: LogRange.run.address(ofEntry: index)) }
        let run = decode(img).logs[.run]
        #expect(run?.entries.count == 50 && run?.terminator == nil)
    }
}

@Suite("Alarm catalog")
struct AlarmCatalogTests {
    @Test("All 107 lines are kept in file order; 105 can match")
    func counts() {
        #expect(AlarmCatalog.entries.count == 107)
        #expect(AlarmCatalog.entries.first?.code == 1006)
        #expect(AlarmCatalog.entries.filter(\.isMatchable).count == 105)
    }

    @Test("Upstream matching quirks: first 2601 wins, 4904 and 4101 never match")
    func quirks() {
        #expect(AlarmCatalog.entry(forCode: 2601)?.name == "Ignition (Missing Cam)")
        #expect(AlarmCatalog.allEntries(forCode: 2601).map(\.name) == ["Ignition (Missing Cam)", "Ignition (Crank Circuit)"])
        #expect(AlarmCatalog.entry(forCode: 4904) == nil)
        #expect(AlarmCatalog.entry(forCode: 4101) == nil)
        #expect(AlarmCatalog.allEntries(forCode: 4904).first?.upstreamFieldCount == 4)
        #expect(AlarmCatalog.allEntries(forCode: 4101).first?.upstreamFieldCount == 6)
        #expect(AlarmCatalog.nameText(forCode: 4904) == "Error Code Unknown: 4904")
    }

    @Test("Name texts: known, code 0 and unknown codes", arguments: [
        (UInt16(0x0640), "Underspeed"), (0x05DC, "RPM Sense Loss "), (0x0086, "DTC P0134"), (0, "Warning Code Unknown: 0"),
        (7, "Error Code Unknown: 0007"), (1234, "Error Code Unknown: 1234"), (65535, "Error Code Unknown: 65535"),
    ])
    func nameTexts(code: UInt16, expected: String) {
        #expect(AlarmCatalog.nameText(forCode: code) == expected)
        #expect((AlarmCatalog.knownName(forCode: code) == nil) == expected.contains("Unknown"))
    }

    @Test("Every code has our own description and hint, and its type")
    func ownWording() {
        for entry in AlarmCatalog.entries {
            #expect(!entry.description.isEmpty && !entry.whatToCheck.isEmpty, "\(entry.code)")
            #expect(entry.description != entry.name && entry.whatToCheck != entry.description, "\(entry.code)")
        }
        #expect(AlarmCatalog.entry(forCode: 2750)?.kind == .warning)
        #expect(AlarmCatalog.entry(forCode: 2751)?.kind == .alarm)
        #expect(AlarmCatalog.entry(forCode: 134)?.kind == .warning)
    }

    @Test("Fault correspondence points at codes that exist in every table it names")
    func faultCorrespondence() {
        #expect(FaultCorrespondence.faults.count == 17)
        for fault in FaultCorrespondence.faults {
            #expect(fault.indexText != nil, "\(fault.name)")
            for code in fault.alarmCodes { #expect(AlarmCatalog.entry(forCode: UInt16(code)) != nil, "\(fault.name) \(code)") }
            for variant in ControllerVariant.allCases {
                let identity = ControllerIdentity(variant: variant)
                let range = LogRange.ranges(for: identity).first { $0.kind == fault.logKind(for: identity) }!
                let table = LogTable.table(for: range, identity: identity, firmware: FirmwareVersion(raw: 100))
                for code in fault.logCodes(for: identity) {
                    #expect(!table.text(for: code).hasPrefix("Unknown"), "\(fault.name) on \(variant)")
                }
            }
        }
        #expect(FaultCorrespondence.fault(alarmIndex: 0x0A)?.name == "Low oil pressure")
        #expect(FaultCorrespondence.fault(named: "low battery")?.engineState(engineRunning: true) == .runningInWarning)
        #expect(FaultCorrespondence.fault(named: "Overcrank")?.engineState(engineRunning: true) == .stoppedInAlarm)
        #expect(FaultCorrespondence.fault(named: "Service A due")?.logKind(for: ControllerIdentity(variant: .evolutionLC)) == .service)
        #expect(FaultCorrespondence.fault(named: "Service A due")?.logKind(for: ControllerIdentity(variant: .nexusLC)) == .alarm)
    }
}

@Suite("Writing logs like a controller")
struct LogWriterTests {
    @Test("Pushing shifts older entries down, drops the 50th and counts the sequence up")
    func push() {
        var img = image(.evolutionAC)
        let clock = ControllerClock(hour: 15, minute: 0, month: 11, day: 8, weekday: 3, yearByte: 17)
        #expect(img.nextLogSequence(range: .evolutionAlarm) == 0)
        for code in UInt8(0)..<52 {
            let sequence = img.nextLogSequence(range: .evolutionAlarm)
            img.pushLogEntry(LogEntry(code: 0x2D, sequence: sequence, clock: clock, second: code, alarmCode: 1600), range: .evolutionAlarm)
        }
        let alarm = decode(img).logs[.alarm]
        #expect(alarm?.entries.count == 50)
        #expect(alarm?.entries.first?.entry.sequence == 51 && alarm?.entries.last?.entry.sequence == 2)
        #expect(alarm?.newestLine() == "11/08/17 15:00:51 Underspeed : Alarm Code: 1600")
        #expect(img.words(from: 0x04E2, count: 4) == [0, 0, 0, 0]) // the service log is untouched
        var seq = RegisterImage()
        seq.pushLogEntry(LogEntry(code: 0x2E, sequence: 255, clock: clock), range: .run)
        #expect(seq.nextLogSequence(range: .run) == 0)
    }
}
