import Foundation
import Testing
@testable import Generac

@Suite("Relays, sensors, LED, transfer switch")
struct RelaysAndSensorsTests {
    @Test("Relay labels appear for set bits in upstream order")
    func relays() {
        #expect(OutputRelays(rawValue: 0x0049).activeLabels == ["Transfer Switch Activated", "Fuel Relay On", "Bosch Governor On"])
        #expect(OutputRelays(rawValue: 0x00D8).activeLabels == ["Fuel Relay On", "Battery Charger On", "Bosch Governor On", "Air/Fuel Relay On"])
        #expect(OutputRelays(rawValue: 0xFF00).activeLabels.isEmpty)
        #expect(OutputRelays(rawValue: 0x00FF).activeLabels.count == 8)
    }

    @Test("Sensor polarity depends on the bit and on diesel vs gaseous fuel", arguments: [
        (UInt16(0x0240), false, [String]()),
        (0x0040, true, []),
        (0x0000, false, ["E-Stop Activated", "Fuel below 5 inch"]),
        (0x0000, true, ["E-Stop Activated"]),
        (0x0260, true, ["Ruptured Basin", "Fuel Pressure / Level Low"]),
        (0x0260, false, []),
        (0x03FF, false, ["Manual Button", "Auto Button", "Off Button", "2 Wire Start", "Wiring Error", "Oil below 8 psi", "Low Coolant"]),
        (0x03FF, true, ["Manual Button", "Auto Button", "Off Button", "2 Wire Start", "Wiring Error", "Ruptured Basin",
                        "Oil below 8 psi", "Low Coolant", "Fuel Pressure / Level Low"]),
    ])
    func sensors(raw: UInt16, diesel: Bool, expected: [String]) {
        #expect(SensorInputs(raw: raw, isDiesel: diesel).activeLabels == expected)
        #expect(SensorInputs(raw: SensorInputs.idleValue(isDiesel: diesel), isDiesel: diesel).activeLabels.isEmpty)
    }

    @Test("EvoLC decodes relays, sensors, transfer switch and battery status; others do not")
    func evoLCOnlyFields() {
        // 020c = 2: diesel, so the diesel polarity applies.
        let lc = decode(image(.evolutionLC, [0x0053: 0x0011, 0x0052: 0x0040, 0x020A: 5, 0x020B: 24, 0x020C: 2]))
        #expect(lc.line.transferSwitch == .generator)
        #expect(lc.engine.batteryStatus == .charging)
        #expect(lc.engine.activeRelays?.activeLabels == ["Transfer Switch Activated", "Battery Charger On"])
        #expect(lc.engine.activeSensors?.activeLabels == [])
        let idle = decode(image(.evolutionLC, [0x0052: 0x0240]))
        #expect(idle.line.transferSwitch == .utility)
        #expect(idle.engine.batteryStatus == .notCharging)
        let ac = decode(image(.evolutionAC, [0x0053: 0x0011]))
        #expect(ac.line.transferSwitch == nil && ac.engine.batteryStatus == nil && ac.engine.activeRelays == nil)
        #expect(decode(image(.pz200, [0x2166: 1])).line.transferSwitch == .generator)
    }

    @Test("Charger-current battery status only says Charging while stopped")
    func alternateBatteryStatus() {
        #expect(BatteryStatus.fromChargerCurrent(milliamps: 100, liquidCooled: true, engine: .offReady) == .charging)
        #expect(BatteryStatus.fromChargerCurrent(milliamps: 90, liquidCooled: true, engine: .offReady) == .notCharging)
        #expect(BatteryStatus.fromChargerCurrent(milliamps: 1, liquidCooled: false, engine: .stopped) == .charging)
        #expect(BatteryStatus.fromChargerCurrent(milliamps: 500, liquidCooled: false, engine: .running) == .notCharging)
    }

    @Test("LED letters on Evo2 and PowerPact only")
    func led() {
        #expect(decode(image(.evolution2, [0x0062: 0x0147])).status.ledState?.description == "Ready to Run")
        #expect(decode(image(.powerPact, [0x0062: 0x0055])).status.ledState?.description == "Running, no Alarms")
        #expect(decode(image(.evolution2, [0x0062: 0x0058])).status.ledState?.description == "Unknown")
        #expect(decode(image(.evolutionAC, [0x0062: 0x0047])).status.ledState == nil)
        #expect(["G", "Y", "R", "U", "N"].map { LEDState(byte: Character($0).asciiValue ?? 0).description } ==
                ["Ready to Run", "Not Running with Alarms or Warnings Active", "Switch Off or Alarms Active",
                 "Running, no Alarms", "Running with Warnings"])
    }
}

@Suite("Controller clock")
struct ControllerClockTests {
    func clock(_ hour: UInt16, _ minute: UInt16, _ month: UInt16, _ day: UInt16, _ weekday: UInt16, _ year: UInt16) -> ControllerClock? {
        ControllerClock.decode(RegisterImage(words: [0x000E: hour << 8 | minute, 0x000F: month << 8 | day, 0x0010: weekday << 8 | year]))
    }

    @Test("Valid clocks print like upstream")
    func text() {
        #expect(clock(12, 7, 8, 14, 1, 17)?.text == "Monday August 14, 2017 12:07")
        #expect(clock(0, 0, 1, 1, 0, 16)?.text == "Sunday January 1, 2016 00:00")
        #expect(clock(23, 59, 12, 31, 6, 99)?.text == "Saturday December 31, 2099 23:59")
        #expect(clock(10, 30, 3, 5, 7, 24)?.text == "INVALID March 5, 2024 10:30")
        #expect(clock(10, 30, 3, 5, 2, 100)?.text == "Tuesday March 5, 20100 10:30")
    }

    @Test("Any field out of range empties the clock", arguments: [
        (UInt16(24), UInt16(0), UInt16(1), UInt16(1), UInt16(0), UInt16(17)),
        (0, 60, 1, 1, 0, 17), (0, 0, 0, 1, 0, 17), (0, 0, 13, 1, 0, 17),
        (0, 0, 1, 0, 0, 17), (0, 0, 1, 32, 0, 17), (0, 0, 1, 1, 8, 17), (0, 0, 1, 1, 0, 15),
    ])
    func invalid(hour: UInt16, minute: UInt16, month: UInt16, day: UInt16, weekday: UInt16, year: UInt16) {
        #expect(clock(hour, minute, month, day, weekday, year) == nil)
    }

    @Test("Words round-trip and civil-date arithmetic agrees with known dates")
    func arithmetic() {
        let c = ControllerClock(hour: 14, minute: 30, month: 3, day: 5, weekday: 2, yearByte: 24)
        #expect(c.words == [0x0E1E, 0x0305, 0x0218])
        #expect(ControllerClock.decode(RegisterImage(words: [0x000E: 0x0E1E, 0x000F: 0x0305, 0x0010: 0x0218])) == c)
        #expect(CalendarDate(year: 2024, month: 3, day: 5).weekday == Weekday.tuesday.rawValue)
        #expect(CalendarDate(daysSinceEpoch: 17_743) == CalendarDate(year: 2018, month: 7, day: 31))
        #expect(CalendarDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CalendarDate(year: 2000, month: 2, day: 29).daysSinceEpoch == 11_016)
    }
}

@Suite("Identity decoders")
struct IdentityDecoderTests {
    func serial(_ words: [UInt16], variant: ControllerVariant = .evolutionAC, replacement: String? = nil) -> String {
        var settings = GeneracSettings()
        settings.serialNumberIfMissing = replacement
        var img = image(variant)
        img.store(words, at: 0x01F4)
        return IdentityDecoders.serialNumber(img, identity: ControllerIdentity(variant: variant), settings: settings)
    }

    @Test("Serial number rules: ASCII to the first NUL, replaced controller, pre-Nexus")
    func serialNumbers() {
        #expect(serial([0x3030, 0x3037, 0x3732, 0x3239, 0x3837]) == "0007722987")
        #expect(serial([0x0030, 0x3037, 0x3732, 0x3239, 0x3837]) == "")
        #expect(serial([0x3031, 0x0000, 0x3732, 0x3239, 0x3837]) == "01")
        #expect(serial([0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF]) == "None - Controller has been replaced")
        #expect(serial([0xFF30, 0, 0, 0, 0], replacement: "0123456789") == "0123456789")
        #expect(serial([0xFF30, 0, 0, 0, 0], replacement: "012345678") == "None - Controller has been replaced")
        #expect(serial([0xFF30, 0, 0, 0, 0], replacement: "01234567ab") == "None - Controller has been replaced")
        #expect(serial([0x3030, 0x3037, 0x3732, 0x3239, 0x3837], replacement: "0123456789") == "0007722987")
        #expect(serial([0x3030, 0x3037, 0x3732, 0x3239, 0x3837], variant: .preNexus) == "Unknown")
        #expect(serial([], variant: .preNexus, replacement: "0123456789") == "0123456789")
        #expect(serial([0x80FE, 0x4100, 0, 0, 0]).unicodeScalars.map(\.value) == [0x80, 0xFE, 0x41])
    }

    @Test("Versions print V%.2f of the bytes")
    func versions() {
        #expect(FirmwareVersion(raw: 0x76).text == "V1.18")
        #expect(FirmwareVersion(raw: 0x65).text == "V1.01")
        #expect(FirmwareVersion(raw: 0xD4).text == "V2.12")
        #expect(FirmwareVersion(raw: 0).text == "V0.00")
        #expect(FirmwareVersion(raw: 255).text == "V2.55")
        #expect(FirmwareVersion(raw: 109).requiresLegacyExerciseWrite && !FirmwareVersion(raw: 110).requiresLegacyExerciseWrite)
        #expect(FirmwareVersion(raw: 143).reportsHallCurrentInMilliamps && !FirmwareVersion(raw: 142).reportsHallCurrentInMilliamps)
        #expect(FirmwareVersion(raw: 114).renamesNoRotationWarning && !FirmwareVersion(raw: 113).renamesNoRotationWarning)
    }

    @Test("Run hours: 000b hours or 005e minutes, plus configured extra hours")
    func runHours() {
        var settings = GeneracSettings()
        settings.additionalRunHours = 1.5
        let words: [RegisterAddress: UInt16] = [0x000B: 0x0001, 0x000C: 0x0002, 0x005E: 0, 0x005F: 5160]
        #expect(decode(image(.evolutionAC, words)).maintenance.totalRunHours == 65538)
        #expect(decode(image(.evolutionLC, words)).maintenance.totalRunHours == 86)
        #expect(decode(image(.pz200, words)).maintenance.totalRunHours == 86)
        #expect(decode(image(.nexusLC, words), settings: settings).maintenance.totalRunHours == 65539.5)
    }

    @Test("Hours since activation as hours or years/days/hours")
    func hoursSinceActivation() {
        #expect(IdentityDecoders.hoursSinceActivationText(2604, showHours: true) == "2604 h")
        #expect(IdentityDecoders.hoursSinceActivationText(8760 + 49, showHours: false) == "1 years, 2 days, 1 hours")
        #expect(decode(image(.evolution2, [0x0054: 12])).settings.hoursSinceActivation == 12)
        #expect(decode(image(.evolutionAC, [0x0054: 12])).settings.hoursSinceActivation == nil)
    }

    @Test("Ambient temperature: Evo2 °F (°C when metric), EvoLC experimental formula")
    func ambient() {
        #expect(decode(image(.evolution2, [0x05ED: 50])).engine.ambientTemperature == AmbientTemperature(value: 50, unit: "F"))
        var metric = GeneracSettings()
        metric.metric = true
        #expect(decode(image(.evolution2, [0x05ED: 50]), settings: metric).engine.ambientTemperature == AmbientTemperature(value: 10, unit: "C"))
        let celsius = decode(image(.evolutionLC, [0x05ED: 0x34])).engine.experimentalAmbientCelsius ?? 0
        #expect(abs(celsius - 14.4324) < 0.001)
        #expect(decode(image(.evolutionAC, [0x05ED: 0x34])).engine.ambientTemperature == nil)
    }

    @Test("EvoLC settings, pre-heat only for 2.3/2.4 L engines, start-up delay per variant")
    func liquidCooledSettings() {
        let words: [RegisterAddress: UInt16] = [
            0x020A: 15, 0x020B: 24, 0x020E: 16, 0x0235: 200, 0x005A: 60, 0x0059: 240, 0x0237: 240,
            0x0238: 10, 0x0239: 5, 0x023F: 7, 0x023E: 12, 0x002B: 9,
        ]
        let s = decode(image(.evolutionLC, words)).settings
        #expect(s.voltsPerHertz == 16 && s.gain == 200 && s.targetFrequencyHz == 60 && s.targetVolts == 240)
        #expect(s.warmUpDelaySeconds == 10 && s.startupDelaySeconds == 5 && s.preheatSeconds == 7 && s.exerciseDurationMinutes == 12)
        #expect(s.parameterGroup == 15 && s.voltageCode == 24 && s.liquidCooledPhase == 1)
        var other = words
        other[0x020A] = 14 // 1.5 L engine
        other[0x020B] = 16
        #expect(decode(image(.evolutionLC, other)).settings.preheatSeconds == nil)
        #expect(decode(image(.evolutionAC, words)).settings.startupDelaySeconds == 9)
        #expect(decode(image(.nexusAC, words)).settings.startupDelaySeconds == nil)
        #expect(decode(image(.evolutionLC, words)).line.setOutputVolts == 240)
    }
}
