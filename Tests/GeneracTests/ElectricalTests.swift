import Testing
@testable import Generac

@Suite("Electrical decoders")
struct ElectricalTests {
    @Test("Frequency scaling per variant", arguments: [
        (ControllerVariant.evolutionLC, UInt16(600), true, 60.0),
        (.evolutionLC45, 599, true, 59.9),
        (.synergy, 600, true, 60.0),
        (.pz200, 605, true, 60.5),
        (.evolutionAC, 60, true, 60.0),
        (.evolution2, 59, true, 59.0),
        (.powerPact, 50, true, 50.0),
        (.nexusAC, 60, true, 60.0),
        (.preNexus, 60, true, 60.0),
        (.nexusLC, 29, true, 58.0),
        (.nexusLC, 29, false, 29.0),
    ])
    func frequency(variant: ControllerVariant, raw: UInt16, legacyNexus: Bool, expected: Double) {
        var settings = GeneracSettings()
        settings.nexusLegacyFrequency = legacyNexus
        #expect(Electrical.frequencyHz(image(variant, [0x0008: raw]), identity: ControllerIdentity(variant: variant), settings: settings) == expected)
    }

    @Test("Active rotor poles round half to even and drop impossible results", arguments: [
        (60.0, 3600, 2), (60.0, 1800, 4), (58.0, 1796, 4), (60.0, 0, 0), (60.0, 1000, 0),
        (50.0, 2400, 2), (35.0, 1200, 4), (0.0, 1800, 0),
    ])
    func rotorPoles(frequency: Double, rpm: Int, expected: Int) {
        #expect(Electrical.activeRotorPoles(frequencyHz: frequency, rpm: rpm) == expected)
    }

    @Test("Air-cooled 3-phase utility voltage is halved unless compensated")
    func threePhaseUtility() {
        let threePhase = image(.evolutionAC, [0x0019: 10, 0x0009: 416])
        #expect(decode(threePhase).line.utilityVolts == 208)
        var settings = GeneracSettings()
        settings.threePhaseUtilityCompensation = true
        #expect(decode(threePhase, settings: settings).line.utilityVolts == 416)
        #expect(decode(image(.evolutionAC, [0x0019: 15, 0x0009: 241])).line.utilityVolts == 241)
        // Liquid-cooled 3-phase rows are not halved.
        #expect(decode(image(.evolutionLC, [0x020A: 15, 0x020B: 2072, 0x0009: 208])).line.utilityVolts == 208)
    }

    @Test("The 4.5 L reports 0 rpm while stopped or off")
    func evolution45Rpm() {
        #expect(decode(image(.evolutionLC45, [0x0007: 1800])).engine.rpm == 0)
        #expect(decode(image(.evolutionLC45, [0x0001: 3, 0x0007: 1800])).engine.rpm == 1800)
        #expect(decode(image(.evolutionLC, [0x0007: 1800])).engine.rpm == 1800)
    }

    static let evoACRunning: [RegisterAddress: UInt16] = [
        0x0001: 3, 0x0007: 0x0E10, 0x0008: 0x3C, 0x0012: 0xF0, 0x05F4: 0x190, 0x05F5: 0x190, 0x0019: 15,
    ]

    @Test("EvoAC: legs are CT / 10, total is their average, power is V × I")
    func evolutionAirCooledCurrent() {
        let r = decode(image(.evolutionAC, Self.evoACRunning))
        #expect(r.engine.outputCurrent == OutputCurrent(totalAmps: 40, leg1Amps: 40, leg2Amps: 40))
        #expect(r.engine.outputPowerKW == 9.6)
        var words = Self.evoACRunning
        words[0x05F4] = 0x0123
        words[0x05F5] = 0x0045
        let uneven = decode(image(.evolutionAC, words))
        #expect(uneven.engine.outputCurrent == OutputCurrent(totalAmps: 18, leg1Amps: 29.1, leg2Amps: 6.9))
        #expect(uneven.engine.outputPowerKW == 4.32)
    }

    @Test("Current and power are zero while stopped, and absent without a power meter")
    func stoppedAndUnsupported() {
        var words = Self.evoACRunning
        words[0x0001] = 0x0009
        let stopped = decode(image(.evolutionAC, words))
        #expect(stopped.engine.outputCurrent == OutputCurrent(totalAmps: 0, leg1Amps: 0, leg2Amps: 0))
        #expect(stopped.engine.outputPowerKW == 0)
        words[0x0019] = 99 // unknown model → no kW → no power meter
        #expect(decode(image(.evolutionAC, words)).engine.outputCurrent == nil)
        #expect(decode(image(.nexusAC, Self.evoACRunning)).engine.outputCurrent == nil)
        #expect(decode(image(.powerPact, Self.evoACRunning)).engine.outputPowerKW == nil)
    }

    @Test("EvoAC divider and offset settings replace the divisor and shift the raw value")
    func dividerAndOffset() {
        var settings = GeneracSettings()
        settings.currentDivider = 40
        settings.currentOffset = 10
        let r = decode(image(.evolutionAC, Self.evoACRunning), settings: settings)
        #expect(r.engine.outputCurrent == OutputCurrent(totalAmps: 20.25, leg1Amps: 10.25, leg2Amps: 10.25))
        settings.currentDivider = 0 // ignored when not > 0
        settings.currentOffset = nil
        #expect(decode(image(.evolutionAC, Self.evoACRunning), settings: settings).engine.outputCurrent?.totalAmps == 40)
    }

    @Test("EvoAC clamp: above rated + 2 A becomes rated current, only above 100 V output")
    func clamp() {
        var words = Self.evoACRunning
        words[0x05F4] = 0x1000
        words[0x05F5] = 0x1000
        let clamped = decode(image(.evolutionAC, words))
        #expect(clamped.engine.outputCurrent?.totalAmps == 45.83) // 11 kW / 240 V
        words[0x0012] = 100
        #expect(decode(image(.evolutionAC, words)).engine.outputCurrent?.totalAmps == 409.6)
    }

    @Test("EvoAC legacy power reads the signed 003a pair with a kW-based divisor")
    func legacyPower() {
        var settings = GeneracSettings()
        settings.legacyPower = true
        var words = Self.evoACRunning
        words[0x003A] = 0xFFFF
        words[0x003B] = 0xFFF0 // −16
        let r = decode(image(.evolutionAC, words), settings: settings)
        #expect(r.engine.outputCurrent == OutputCurrent(totalAmps: 0.36, leg1Amps: 0.36, leg2Amps: 0.36))
    }

    static let evoLCRunning: [RegisterAddress: UInt16] = [
        0x0001: 3, 0x0007: 0x0708, 0x0008: 0x0258, 0x0012: 0xF0, 0x0058: 0x0FA0,
        0x020A: 15, 0x020B: 24, 0x020C: 1, 0x002A: 0x6A82,
    ]

    @Test("EvoLC: Hall sensor ÷ 100 before firmware 1.43, ÷ 1000 from it")
    func evolutionLiquidCooledCurrent() {
        let old = decode(image(.evolutionLC, Self.evoLCRunning))
        #expect(old.engine.outputCurrent == OutputCurrent(totalAmps: 40))
        #expect(old.engine.outputPowerKW == 9.6)
        var words = Self.evoLCRunning
        words[0x002A] = 0x6A8F
        #expect(decode(image(.evolutionLC, words)).engine.outputCurrent?.totalAmps == 4)
        words[0x0058] = 0xFFFF
        words[0x002A] = 0x6A82
        #expect(decode(image(.evolutionLC, words)).engine.outputCurrent?.totalAmps == 112.5) // 27 kW / 240 V
        var settings = GeneracSettings()
        settings.currentOffset = -700
        #expect(decode(image(.evolutionLC, Self.evoLCRunning), settings: settings).engine.outputCurrent?.totalAmps == 112.5)
    }

    @Test("PZ200: legs ÷ 100, total is their sum, power from 2134 ÷ 10")
    func pz200Current() {
        let r = decode(image(.pz200, [0x0001: 3, 0x0019: 6, 0x0012: 240, 0x1F75: 1234, 0x1F76: 100, 0x2134: 95]))
        #expect(r.engine.outputCurrent == OutputCurrent(totalAmps: 13.34, leg1Amps: 12.34, leg2Amps: 1))
        #expect(r.engine.outputPowerKW == 9.5)
        #expect(r.pz200?.outputAmpsPerLeg == [12.34, 1, 0])
        let single = decode(image(.pz200, [0x063A: 1, 0x1F72: 240, 0x1F73: 241, 0x1F7B: 98, 0x1F7C: 1, 0x1F7D: 2, 0x0639: 1]))
        #expect(single.pz200?.outputVoltsPerLeg == [240, 241])
        #expect(single.pz200?.powerFactor == 0.98 && single.pz200?.totalKWh == 65538 && single.pz200?.maintenanceDue == true)
        #expect(decode(image(.evolutionAC)).pz200 == nil)
    }

    @Test("Battery, charger current, output voltage presence and pickup volts per variant")
    func variantPresence() {
        let words: [RegisterAddress: UInt16] = [0x000A: 0x0087, 0x05EE: 160, 0x0012: 241, 0x023B: 220]
        #expect(decode(image(.evolutionLC, words)).engine.batteryVolts == 13.5)
        #expect(decode(image(.evolutionLC, words)).engine.batteryChargerMilliamps == 160)
        #expect(decode(image(.evolutionAC, words)).engine.batteryChargerMilliamps == 160)
        #expect(decode(image(.powerPact, words)).engine.batteryChargerMilliamps == nil)
        #expect(decode(image(.synergy, words)).engine.batteryChargerMilliamps == nil)
        #expect(decode(image(.pz200, words)).engine.batteryChargerMilliamps == nil)
        #expect(decode(image(.nexusAC, words)).engine.batteryChargerMilliamps == nil)
        #expect(decode(image(.powerPact, words)).engine.outputVolts == nil)
        #expect(decode(image(.preNexus, words)).engine.outputVolts == nil)
        #expect(decode(image(.nexusAC, words)).engine.outputVolts == 241)
        #expect(decode(image(.evolutionLC, words)).line.pickupVolts == 220)
        #expect(decode(image(.evolution2, words)).line.pickupVolts == 220)
        #expect(decode(image(.evolutionAC, words)).line.pickupVolts == nil)
        #expect(decode(image(.evolutionAC, words)).line.effectivePickupVolts == 190)
        #expect(decode(image(.evolutionLC, [0x023B: 0])).line.effectivePickupVolts == 190)
        #expect(decode(image(.evolutionLC, [0x0011: 0])).line.effectiveThresholdVolts == 143)
    }
}
