import GenmonBasics
import Foundation
import GenmonTesting
import Testing
@testable import Generac

/// Malformed input must never trap. Seeds are fixed so any failure replays.
@Suite("Malformed input never traps")
struct RobustnessTests {
    static let interesting: [UInt16] = [0, 1, 2, 0x0F, 0x1F, 0x20, 0x3F, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF]

    func randomWord(_ rng: inout SeededGenerator) -> UInt16 {
        Bool.random(using: &rng) ? Self.interesting.randomElement(using: &rng) ?? 0 : UInt16.random(in: 0...UInt16.max, using: &rng)
    }

    func randomSettings(_ rng: inout SeededGenerator) -> GeneracSettings {
        var s = GeneracSettings()
        s.nexusLegacyFrequency = .random(using: &rng)
        s.ignoreUnknown = .random(using: &rng)
        s.enhancedExercise = .random(using: &rng)
        s.legacyPower = .random(using: &rng)
        s.threePhaseUtilityCompensation = .random(using: &rng)
        s.alternateDateFormat = .random(using: &rng)
        s.evolutionControllerOverride = [nil, true, false].randomElement(using: &rng) ?? nil
        s.liquidCooledOverride = [nil, true, false].randomElement(using: &rng) ?? nil
        s.currentDivider = [nil, 0, -3, 0.001, 7].randomElement(using: &rng) ?? nil
        s.currentOffset = [nil, 0, -1e9, 1e9].randomElement(using: &rng) ?? nil
        s.nominalKW = [nil, 0, -5, 1e-9, 22, .infinity].randomElement(using: &rng) ?? nil
        s.useNominalLineVolts = .random(using: &rng)
        s.nominalLineVolts = [240, 0, -1].randomElement(using: &rng) ?? 240
        s.additionalRunHours = [0, -1e12, 12.5].randomElement(using: &rng) ?? 0
        s.serialNumberIfMissing = [nil, "", "0123456789", "\u{0}\u{0}"].randomElement(using: &rng) ?? nil
        return s
    }

    @Test("Random register images decode on every product code with random settings")
    func randomImages() async {
        var rng = SeededGenerator(seed: 0x6E6E_7A0C)
        let addresses = (RegisterMap.prime + RegisterMap.base).flatMap { spec in (0..<spec.words).map { spec.address + RegisterAddress($0) } }
            + (0..<5).map { 0x01F4 + RegisterAddress($0) }
        let zones = [TimeZone.gmt, TimeZone(identifier: "Pacific/Kiritimati"), TimeZone(identifier: "America/Adak")].compactMap { $0 }
        var pacer = CooperativePacer()
        for round in 0..<600 {
            // Yield now and then: a long synchronous loop would starve the timing-sensitive I/O tests
            // that share the (2-thread, on this machine) cooperative pool.
            await pacer.pace()
            var img = RegisterImage()
            for address in addresses where Bool.random(using: &rng) || round % 3 == 0 { img[address] = randomWord(&rng) }
            for range in [LogRange.run, .evolutionAlarm, .evolutionService, .nexusAlarm] {
                for address in range.entryAddresses.prefix(Int.random(in: 0...3, using: &rng)) {
                    img.store((0..<range.wordsPerEntry).map { _ in randomWord(&rng) }, at: address)
                }
            }
            img[0x0000] = round < 64 ? UInt16(round) : randomWord(&rng)
            let settings = randomSettings(&rng)
            let zone = zones[round % zones.count]
            let readings = GeneracDecoder.decode(image: img, settings: settings, timeZone: zone)
            // Touch every text a renderer would produce.
            _ = readings.status.oneLine + readings.status.alarm.text + readings.identity.detectedName + readings.identity.displayName
            _ = readings.maintenance.serviceItems.map { $0.text(alternateDateFormat: settings.alternateDateFormat) }
            _ = readings.exercise?.text ?? ""
            _ = readings.clock?.text ?? ""
            _ = readings.logs.logs.map { $0.entries.map { $0.line(alternateDateFormat: true) } }
            _ = readings.engine.activeRelays?.activeLabels ?? []
            _ = readings.engine.activeSensors?.activeLabels ?? []
            _ = readings.maintenance.firmwareVersion.text + readings.maintenance.hardwareVersion.text
            #expect(readings.engine.activeRotorPoles >= 0 && readings.engine.activeRotorPoles <= 4)
            if let current = readings.engine.outputCurrent, current.totalAmps.isFinite {
                #expect(current.totalAmps >= 0 || settings.currentOffset != nil || settings.currentDivider != nil)
            }
            // Confirmations and command encoders read the same images.
            let identity = readings.identity
            for command in RemoteCommand.allCases { _ = command.confirmation.isSatisfied(by: img, identity: identity, settings: settings) }
            if let request = try? ExerciseRequest(weekday: .wednesday, hour: 3, minute: 4) {
                _ = try? ExerciseCommand.plan(request, identity: identity, settings: settings, image: img)
            }
        }
    }

    @Test("Random bytes through the log parser: any length, both layouts")
    func randomLogBytes() async {
        var rng = SeededGenerator(seed: 0x10_6E17)
        var entries = 0
        var pacer = CooperativePacer()
        for _ in 0..<20_000 {
            await pacer.pace()
            let count = Int.random(in: 0...14, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for layout in [LogLayout.standard, .preNexus] {
                switch LogEntry.parse(bytes: bytes, layout: layout) {
                case .entry(let entry):
                    entries += 1
                    #expect((8...10).contains(count))
                    #expect(LogEntry.parse(words: entry.words(layout: layout), layout: layout).entry?.code == entry.code)
                    _ = entry.line(text: LogTable.evolutionLCAlarm.text(for: entry.code), alternateDateFormat: Bool.random(using: &rng))
                case .empty, .invalid:
                    break
                }
            }
        }
        #expect(entries > 0)
    }

    @Test("Random text through the image, cache and command parsers")
    func randomText() async {
        var rng = SeededGenerator(seed: 0xC0FFEE)
        let alphabet = Array("0123456789abcdefABCDEFxyz+-=,: \u{0}é🙂mondaysetexercisremotquiMonthlyWeekly")
        func text(_ length: Int) -> String { String((0..<length).compactMap { _ in alphabet.randomElement(using: &rng) }) }
        var pacer = CooperativePacer()
        for _ in 0..<5_000 {
            await pacer.pace()
            _ = try? RegisterImage(hexWords: [text(Int.random(in: 0...6, using: &rng)): text(Int.random(in: 0...6, using: &rng))])
            var img = RegisterImage()
            _ = try? img.store(hex: text(Int.random(in: 0...24, using: &rng)), at: RegisterAddress.random(in: 0...0xFFFF, using: &rng))
            _ = try? RegisterImage(dumpJSON: Data(text(Int.random(in: 0...40, using: &rng)).utf8))
            let prefix = ["setexercise=", "setremote=", "setquiet=", "testcommand=", ""].randomElement(using: &rng) ?? ""
            _ = CommandParser.parse(prefix + text(Int.random(in: 0...30, using: &rng)))
        }
    }
}
