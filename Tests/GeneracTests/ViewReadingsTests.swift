import Foundation
import Testing
@testable import Generac

/// The values views used to read from the raw image, decoded into the readings instead.
@Suite("Readings views show")
struct ViewReadingsTests {
    @Test("Output voltage comes from 0012 on every controller", arguments: ControllerVariant.allCases)
    func outputVoltsOnEveryVariant(variant: ControllerVariant) {
        let readings = decode(image(variant, [0x0012: 241]))
        #expect(readings.line.outputVolts == 241)
        // The status report's copy keeps its own rule: absent on PreNexus and PowerPact.
        let shownInStatus = variant != .preNexus && variant != .powerPact
        #expect(readings.engine.outputVolts == (shownInStatus ? 241 : nil))
    }

    @Test("Output voltage reads 0 before the register is read, and carries the full word")
    func outputVoltsEdges() {
        #expect(decode(image(.evolutionAC)).line.outputVolts == 0)
        #expect(decode(image(.evolutionAC, [0x0012: 0xFFFF])).line.outputVolts == 65535)
    }

    @Test("Fuel level sensor on a liquid-cooled Evolution burning diesel (020c = 2)", arguments: [
        ControllerVariant.evolutionLC, .evolutionLC45,
    ])
    func fuelSensorOnDieselEvoLC(variant: ControllerVariant) {
        let readings = decode(image(variant, [0x020A: 15, 0x020B: 24, 0x020C: 2, 0x005D: 63]))
        #expect(readings.nominal.fuelType == .diesel)
        #expect(readings.engine.fuelLevelSensorPercent == 63)
    }

    @Test("Fuel level sensor follows the configured fuel type too")
    func fuelSensorFromSettings() {
        var settings = GeneracSettings.defaults
        settings.fuelType = .diesel
        #expect(decode(image(.evolutionLC, [0x020C: 1, 0x005D: 40]), settings: settings).engine.fuelLevelSensorPercent == 40)
        settings.fuelType = .propane
        #expect(decode(image(.evolutionLC, [0x020C: 2, 0x005D: 40]), settings: settings).engine.fuelLevelSensorPercent == nil)
    }

    @Test("No fuel level sensor on gaseous fuel or on other controllers", arguments: ControllerVariant.allCases)
    func noFuelSensorElsewhere(variant: ControllerVariant) {
        // Natural gas on every controller: never shown.
        #expect(decode(image(variant, [0x020A: 15, 0x020B: 24, 0x020C: 1, 0x005D: 55])).engine.fuelLevelSensorPercent == nil)
        guard variant != .evolutionLC, variant != .evolutionLC45 else { return }
        // Diesel configured, but not a liquid-cooled Evolution: not shown either.
        var settings = GeneracSettings.defaults
        settings.fuelType = .diesel
        #expect(decode(image(variant, [0x005D: 55]), settings: settings).engine.fuelLevelSensorPercent == nil)
    }

    @Test("Detection from an image reads the product code register")
    func detectsFromImage() {
        for variant in ControllerVariant.allCases {
            #expect(ControllerIdentity.detect(in: image(variant)) == ControllerIdentity(variant: variant))
        }
        var settings = GeneracSettings.defaults
        settings.liquidCooledOverride = true
        #expect(ControllerIdentity.detect(in: image(.evolutionAC), settings: settings).isLiquidCooled)
    }
}
