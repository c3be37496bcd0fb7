import Testing
@testable import Generac

@Suite("Controller detection")
struct DetectionTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let code: UInt16
        let name: String
        let family: ControllerFamily
        let cooling: Cooling
        let variant: ControllerVariant
        let display: String
        let familyWarning: Bool
        let coolingWarning: Bool
        var testDescription: String { "0x" + String(code, radix: 16) }
    }

    static let rows: [Row] = [
        Row(code: 0x00, name: "Unknown 0x00", family: .nexus, cooling: .air, variant: .nexusAC, display: "Nexus, Air Cooled", familyWarning: true, coolingWarning: true),
        Row(code: 0x02, name: "Pre-Nexus, Air Cooled", family: .nexus, cooling: .air, variant: .preNexus, display: "Pre-Nexus, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x03, name: "Nexus, Air Cooled", family: .nexus, cooling: .air, variant: .nexusAC, display: "Nexus, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x04, name: "Nexus, Air Cooled (4)", family: .nexus, cooling: .air, variant: .nexusAC, display: "Nexus, Air Cooled", familyWarning: true, coolingWarning: false),
        Row(code: 0x05, name: "Nexus, Air Cooled (5)", family: .nexus, cooling: .air, variant: .nexusAC, display: "Nexus, Air Cooled", familyWarning: true, coolingWarning: false),
        Row(code: 0x06, name: "Nexus, Liquid Cooled", family: .nexus, cooling: .liquid, variant: .nexusLC, display: "Nexus, Liquid Cooled", familyWarning: false, coolingWarning: false),
        // Upstream quirk: 0x07/0x08 are named Nexus but detected as Evolution, air-cooled, with warnings.
        Row(code: 0x07, name: "Nexus, Liquid Cooled (7)", family: .evolution, cooling: .air, variant: .evolutionAC, display: "Evolution, Air Cooled", familyWarning: true, coolingWarning: true),
        Row(code: 0x08, name: "Nexus, Liquid Cooled (8)", family: .evolution, cooling: .air, variant: .evolutionAC, display: "Evolution, Air Cooled", familyWarning: true, coolingWarning: true),
        Row(code: 0x09, name: "Evolution, Air Cooled", family: .evolution, cooling: .air, variant: .evolutionAC, display: "Evolution, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x0A, name: "Synergy Evolution, Air Cooled", family: .evolution, cooling: .air, variant: .synergy, display: "Synergy Evolution, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x0B, name: "Evolution, Air Cooled (11)", family: .evolution, cooling: .air, variant: .evolutionAC, display: "Evolution, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x0C, name: "Evolution, Liquid Cooled", family: .evolution, cooling: .liquid, variant: .evolutionLC, display: "Evolution, Liquid Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x0D, name: "Unknown 0x0D", family: .evolution, cooling: .air, variant: .evolutionAC, display: "Evolution, Air Cooled", familyWarning: true, coolingWarning: true),
        Row(code: 0x12, name: "Power Pact Evolution, Air Cooled", family: .evolution, cooling: .air, variant: .powerPact, display: "Power Pact Evolution, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x13, name: "Power Pact Evolution, Air Cooled (19)", family: .evolution, cooling: .air, variant: .powerPact, display: "Power Pact Evolution, Air Cooled", familyWarning: false, coolingWarning: false),
        // Upstream quirk: 0x14 is missing from the air-cooled list, so it is air-cooled with a warning.
        Row(code: 0x14, name: "Power Pact Evolution, Air Cooled (20)", family: .evolution, cooling: .air, variant: .powerPact, display: "Power Pact Evolution, Air Cooled", familyWarning: false, coolingWarning: true),
        Row(code: 0x15, name: "Evolution 2.0, Air Cooled", family: .evolution, cooling: .air, variant: .evolution2, display: "Evolution 2.0, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x16, name: "Evolution 4.5L, Liquid Cooled", family: .evolution, cooling: .liquid, variant: .evolutionLC45, display: "Evolution 4.5L, Liquid Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x19, name: "Power Zone 200, Air Cooled", family: .evolution, cooling: .air, variant: .pz200, display: "Power Zone 200, Air Cooled", familyWarning: false, coolingWarning: false),
        Row(code: 0x1A, name: "Unknown 0x1A", family: .evolution, cooling: .air, variant: .evolutionAC, display: "Evolution, Air Cooled", familyWarning: true, coolingWarning: true),
        Row(code: 0x123, name: "Unknown 0x123", family: .evolution, cooling: .air, variant: .evolutionAC, display: "Evolution, Air Cooled", familyWarning: true, coolingWarning: true),
    ]

    @Test("Product codes detect like upstream, quirks included", arguments: rows)
    func detectsProductCode(row: Row) {
        let identity = ControllerIdentity.detect(productCode: row.code)
        #expect(identity.detectedName == row.name)
        #expect(identity.family == row.family)
        #expect(identity.cooling == row.cooling)
        #expect(identity.variant == row.variant)
        #expect(identity.displayName == row.display)
        #expect(identity.warnings.contains(.unverifiedFamily(productCode: row.code)) == row.familyWarning)
        #expect(identity.warnings.contains(.unverifiedCooling(productCode: row.code)) == row.coolingWarning)
    }

    @Test("All 256 byte-sized codes follow the general rules: named or Unknown, guessed with warnings")
    func everyByteCode() {
        let verifiedFamily: Set<UInt16> = [0x02, 0x03, 0x06, 0x09, 0x0A, 0x0B, 0x0C, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19]
        let verifiedCooling: Set<UInt16> = [0x02, 0x03, 0x04, 0x05, 0x06, 0x09, 0x0A, 0x0B, 0x0C, 0x12, 0x13, 0x15, 0x16, 0x19]
        for code in UInt16(0)...0xFF {
            let identity = ControllerIdentity.detect(productCode: code)
            let hex = String(code, radix: 16, uppercase: true)
            #expect(identity.detectedName == (ProductCode.names[code] ?? "Unknown 0x" + (hex.count < 2 ? "0" + hex : hex)))
            #expect(identity.warnings.contains(.unverifiedFamily(productCode: code)) == !verifiedFamily.contains(code))
            #expect(identity.warnings.contains(.unverifiedCooling(productCode: code)) == !verifiedCooling.contains(code))
            if !verifiedFamily.contains(code) { #expect(identity.family == (code <= 6 ? .nexus : .evolution)) }
            #expect(identity.isLiquidCooled == [0x06, 0x0C, 0x16].contains(code))
        }
    }

    @Test("Every variant round-trips through its canonical product code", arguments: ControllerVariant.allCases)
    func canonicalCodes(variant: ControllerVariant) {
        let identity = ControllerIdentity(variant: variant)
        #expect(identity.variant == variant)
        #expect(identity.warnings.isEmpty)
    }

    @Test("Config overrides replace detection and suppress the sub-model flags")
    func overrides() {
        var settings = GeneracSettings()
        settings.liquidCooledOverride = true
        let liquid = ControllerIdentity.detect(productCode: 0x09, settings: settings)
        #expect(liquid.variant == .evolutionLC)
        #expect(liquid.detectedName == "Evolution, Air Cooled")
        #expect(liquid.displayName == "Evolution, Liquid Cooled")

        settings = GeneracSettings()
        settings.evolutionControllerOverride = false
        let forcedNexus = ControllerIdentity.detect(productCode: 0x15, settings: settings)
        #expect(forcedNexus.family == .nexus)
        #expect(!forcedNexus.isEvolution2)
        #expect(forcedNexus.variant == .nexusAC)

        settings.evolutionControllerOverride = true
        let unknownCode = ControllerIdentity.detect(productCode: 0x0D, settings: settings)
        #expect(unknownCode.warnings == [.unverifiedCooling(productCode: 0x0D)])
        #expect(!unknownCode.warnings.isEmpty && unknownCode.warnings[0].message.contains("0x0D"))
    }

    @Test("Capabilities per variant match the variant table")
    func capabilities() {
        let lc = ControllerIdentity(variant: .evolutionLC)
        let lc45 = ControllerIdentity(variant: .evolutionLC45)
        let evo2 = ControllerIdentity(variant: .evolution2)
        let evoAC = ControllerIdentity(variant: .evolutionAC)
        let nexus = ControllerIdentity(variant: .nexusAC)
        #expect(lc.supportsQuietModeWrite && evo2.supportsQuietModeWrite && !evoAC.supportsQuietModeWrite && !nexus.supportsQuietModeWrite)
        #expect(lc.offersResetAlarm && evo2.offersResetAlarm && !evoAC.offersResetAlarm)
        #expect(lc.offersFrontPanelButtons && !lc45.offersFrontPanelButtons && !evo2.offersFrontPanelButtons)
        #expect(evo2.enhancedExerciseIsAutomatic && !evoAC.enhancedExerciseIsAutomatic)
        #expect(ControllerIdentity(variant: .synergy).enhancedExerciseIsAutomatic)
        #expect(ControllerIdentity(variant: .powerPact).enhancedExerciseIsAutomatic)
        var settings = GeneracSettings()
        settings.enhancedExercise = true
        #expect(evoAC.enhancedExerciseActive(settings))
        settings.smartTransferSwitch = true
        #expect(!evoAC.offersRemoteStartStop(settings))
    }

    @Test("Power metering: Evolution with known kW, not PowerPact, not 3-phase air, not disabled")
    func powerMeter() {
        let kW11 = ModelInfo(source: .none, kilowatts: 11, phase: 1)
        let threePhase = ModelInfo(source: .none, kilowatts: 20, phase: 3)
        let evoAC = ControllerIdentity(variant: .evolutionAC)
        #expect(evoAC.powerMeterSupported(settings: .defaults, model: kW11))
        #expect(!evoAC.powerMeterSupported(settings: .defaults, model: .unknown))
        #expect(!evoAC.powerMeterSupported(settings: .defaults, model: threePhase))
        #expect(!evoAC.powerMeterSupported(settings: .defaults, model: ModelInfo(source: .none, kilowatts: 0)))
        #expect(!ControllerIdentity(variant: .powerPact).powerMeterSupported(settings: .defaults, model: kW11))
        #expect(!ControllerIdentity(variant: .nexusAC).powerMeterSupported(settings: .defaults, model: kW11))
        var settings = GeneracSettings()
        settings.disablePowerLog = true
        #expect(!evoAC.powerMeterSupported(settings: settings, model: kW11))
        settings = GeneracSettings()
        settings.nominalKW = 22
        #expect(evoAC.powerMeterSupported(settings: settings, model: .unknown))
    }
}
