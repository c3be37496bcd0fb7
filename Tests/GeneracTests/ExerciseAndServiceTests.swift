import Foundation
import Testing
@testable import Generac

@Suite("Exercise read-back")
struct ExerciseReadTests {
    func text(_ variant: ControllerVariant, _ words: [RegisterAddress: UInt16], enhanced: Bool = false) -> String? {
        var settings = GeneracSettings()
        settings.enhancedExercise = enhanced
        return ExerciseSettings.decode(image: image(variant, words), identity: ControllerIdentity(variant: variant), settings: settings)?.text
    }

    struct Case: Sendable {
        let variant: ControllerVariant
        let words: [RegisterAddress: UInt16]
        let enhanced: Bool
        let expected: String?
        init(_ variant: ControllerVariant, _ words: [RegisterAddress: UInt16], _ enhanced: Bool, _ expected: String?) {
            self.variant = variant
            self.words = words
            self.enhanced = enhanced
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case(.evolutionAC, [0x0005: 0x0E00, 0x0006: 0x0000], false, "Weekly Sunday 14:00 Quiet Mode Off"),
        Case(.nexusLC, [0x0005: 0x0700, 0x0006: 0x0200], false, "Weekly Tuesday 07:00 Quiet Mode Off"),
        Case(.evolutionLC, [0x0005: 0x0F00, 0x0006: 0x0201], false, "Weekly Tuesday 15:00 Quiet Mode On"),
        Case(.evolutionLC, [0x0005: 0x173B, 0x0006: 0x0602], false, "Weekly Saturday 23:59 Quiet Mode Unknown"),
        Case(.evolutionAC, [0x0005: 0x0E00, 0x0006: 0x0700], false, "Weekly  14:00 Quiet Mode Off"),
        Case(.evolutionAC, [0x0005: 0x0E00, 0x0006: 0x0800], false, nil),
        Case(.evolutionAC, [0x0005: 0x1800], false, nil),
        Case(.evolutionAC, [0x0005: 0x0E3C], false, nil),
        // 002d is ignored without enhanced exercise…
        Case(.evolutionAC, [0x0005: 0x0D1E, 0x002D: 0x0002, 0x002E: 0x000F], false, "Weekly Sunday 13:30 Quiet Mode Off"),
        // …and honoured with it (config) or automatically (Evo2).
        Case(.evolutionAC, [0x0005: 0x0D1E, 0x002D: 0x0002, 0x002E: 0x000F, 0x0006: 0x0001], true, "Monthly Day-15 13:30 Quiet Mode On"),
        Case(.evolution2, [0x0005: 0x0D1E, 0x002D: 0x0001, 0x0006: 0x0300], false, "Biweekly Wednesday 13:30 Quiet Mode Off"),
        Case(.evolution2, [0x0005: 0x0D1E, 0x002D: 0x0002, 0x002E: 0x0000], false, "Monthly Day-0 13:30 Quiet Mode Off"),
        Case(.evolution2, [0x0005: 0x0D1E, 0x002D: 0x0002, 0x002E: 0x001C], false, "Monthly Day-28 13:30 Quiet Mode Off"),
        Case(.evolution2, [0x0005: 0x0D1E, 0x002D: 0x0002, 0x002E: 0x001D], false, nil),
        Case(.evolution2, [0x0005: 0x0D1E, 0x002D: 0x0003], false, nil),
        Case(.evolution2, [0x0005: 0x0D1E, 0x002D: 0x0100, 0x0006: 0x0000], false, "Weekly Sunday 13:30 Quiet Mode Off"),
        ]

    @Test("Exercise text edges", arguments: cases)
    func exerciseText(c: Case) {
        #expect(text(c.variant, c.words, enhanced: c.enhanced) == c.expected)
    }

    @Test("Dashboard day field is the weekday name or a two-digit day of month")
    func dayField() {
        let monthly = ExerciseSettings.decode(image: image(.evolution2, [0x002D: 2, 0x002E: 5]),
                                              identity: ControllerIdentity(variant: .evolution2), settings: .defaults)
        #expect(monthly?.dayField == "05")
        #expect(monthly?.enhancedMode == true)
    }
}

@Suite("Service counters")
struct ServiceTests {
    let words: [RegisterAddress: UInt16] = [
        0x001A: 0x0031, 0x001B: 0x4EB7, 0x001C: 0x0031, 0x001D: 0x4EB7, 0x001E: 0x0031,
        0x001F: 0x00C8, 0x0020: 0x4EB7, 0x0021: 0x00C8, 0x0022: 0x4EB7,
    ]

    func items(_ variant: ControllerVariant) -> [String] {
        decode(image(variant, words)).maintenance.serviceItems.map { $0.label + " : " + $0.text() }
    }

    @Test("Nexus AC uses its own registers for each counter")
    func nexusAirCooled() {
        #expect(items(.nexusAC) == [
            "Air Filter Service Due : 49 hrs or 03/05/2025 ",
            "Oil and Oil Filter Service Due : 49 hrs or 03/05/2025 ",
            "Spark Plug Service Due : 49 hrs or 03/05/2025 ",
            "Battery Service Due : 200 hrs or 03/05/2025 ",
        ])
    }

    @Test("Evolution shows A/B (+ battery date on air-cooled); Evo2 dates get no extra day; PowerPact hours only")
    func evolution() {
        #expect(items(.evolutionLC) == ["Service A Due : 49 hrs or 03/05/2025 ", "Service B Due : 49 hrs or 07/21/1970 "])
        #expect(items(.evolutionAC).last == "Battery Check Due : 03/05/2025 ")
        #expect(items(.evolution2) == ["Service A Due : 49 hrs or 03/04/2025 ", "Service B Due : 49 hrs or 07/20/1970 ",
                                       "Battery Check Due : 03/04/2025 "])
        #expect(items(.powerPact) == ["Service A Due : 49 hrs", "Service B Due : 49 hrs"])
    }

    @Test("Alternate date format puts the day first")
    func alternateDate() {
        let item = decode(image(.nexusLC, words)).maintenance.serviceItems[0]
        #expect(item.text(alternateDateFormat: true) == "49 hrs or 05/03/2025 ")
    }

    @Test("Hours counters at or below 1 mean service due, per variant register set")
    func hoursDue() {
        var due = [RegisterAddress: UInt16]()
        for address in [RegisterAddress(0x001A), 0x001C, 0x001E, 0x001F, 0x0021] { due[address] = 100 }
        #expect(decode(image(.nexusAC, due)).status.baseStatus == .ready)
        due[0x0021] = 1
        #expect(decode(image(.nexusAC, due)).status.baseStatus == .serviceDue)
        #expect(decode(image(.nexusLC, due)).status.baseStatus == .ready)
        #expect(decode(image(.evolutionAC, due)).status.baseStatus == .ready)
        due[0x001C] = 0
        #expect(decode(image(.nexusLC, due)).status.baseStatus == .serviceDue)
        #expect(ServiceSchedule.dueCheckRegisters(for: ControllerIdentity(variant: .evolutionLC)) == [0x001A, 0x001E])
    }
}

@Suite("Model information")
struct ModelInfoTests {
    @Test("Air-cooled tables per variant")
    func airCooled() {
        let evo = ModelInfo.lookup(image: image(.evolutionAC, [0x0019: 15]), identity: ControllerIdentity(variant: .evolutionAC))
        #expect(evo.kilowatts == 11 && evo.frequency == 60 && evo.engineDisplacement == "530 cc" && evo.nominalLineVolts == 240)
        let trinity = ModelInfo.airCooled(table: .evolution, id: 11)
        #expect(trinity.kilowatts == nil && trinity.engineDisplacement == nil && trinity.frequency == 50 && trinity.phase == 3)
        #expect(ModelInfo.airCooled(table: .evolution2, id: 11).frequency == 50)
        #expect(ModelInfo.airCooled(table: .evolution2, id: 11).kilowatts == 20)
        #expect(ModelInfo.airCooled(table: .synergy, id: 10).frequency == nil)
        #expect(ModelInfo.airCooled(table: .powerPact, id: 22).kilowatts == 7.5)
        #expect(ModelInfo.airCooled(table: .evolution, id: 12).kilowatts == 8)
        #expect(ModelInfo.airCooled(table: .nexus, id: 0).engineDisplacement == "410 cc")
        #expect(ModelInfo.airCooled(table: .evolution, id: 16) == .unknown)
        #expect(AirCooledModelTable(identity: ControllerIdentity(variant: .pz200)) == .pz200)
        #expect(AirCooledModelTable(identity: ControllerIdentity(variant: .nexusAC)) == .nexus)
    }

    @Test("Evo2 treats ASCII-looking model IDs as unknown unless ignore_unknown is off")
    func evolution2Ignored() {
        let evo2 = ControllerIdentity(variant: .evolution2)
        #expect(ModelInfo.lookup(image: image(.evolution2, [0x0019: 0x2020]), identity: evo2) == .unknown)
        #expect(ModelInfo.lookup(image: image(.evolution2, [0x0019: 24]), identity: evo2).kilowatts == 26)
    }

    @Test("Liquid-cooled rows match group and voltage code; 020c picks the fuel")
    func liquidCooled() {
        let row = ModelInfo.liquidCooled(family: .evolution, parameterGroup: 15, voltageCode: 24, fuelCode: 1)
        #expect(row.kilowatts == 27 && row.engineDisplacement == "2.4 L" && row.nominalLineVolts == 240 && row.phase == 1)
        #expect(row.fuelType == .naturalGas)
        #expect(ModelInfo.liquidCooled(family: .evolution, parameterGroup: 5, voltageCode: 24, fuelCode: 9).fuelType == .diesel)
        #expect(ModelInfo.liquidCooled(family: .evolution, parameterGroup: 15, voltageCode: 24, fuelCode: 9).fuelType == .propane)
        #expect(ModelInfo.liquidCooled(family: .nexus, parameterGroup: 6, voltageCode: 16, fuelCode: 9).fuelType == .unknown)
        #expect(ModelInfo.liquidCooled(family: .nexus, parameterGroup: 6, voltageCode: 16, fuelCode: 0).kilowatts == 36)
        #expect(ModelInfo.liquidCooled(family: .nexus, parameterGroup: 0, voltageCode: 0, fuelCode: 0) == .unknown)
        // First match wins: group 7 / code 32779 appears twice in NexusLCParam.
        #expect(LiquidCooledParam.lookup(family: .nexus, parameterGroup: 7, voltageCode: 32779)?.emission == true)
        #expect(LiquidCooledParam.evolutionRows.count == 76)
        #expect(LiquidCooledParam.nexusRows.count == 93)
    }

    @Test("Nominal values: config, then tables, then defaults")
    func nominal() {
        let lc = ControllerIdentity(variant: .evolutionLC)
        let model50 = ModelInfo.liquidCooled(family: .evolution, parameterGroup: 10, voltageCode: 12312, fuelCode: 2)
        #expect(NominalValues.compute(identity: lc, model: model50, settings: .defaults).rpm == 1500)
        #expect(NominalValues.compute(identity: lc, model: .unknown, settings: .defaults).rpm == 1800)
        #expect(NominalValues.compute(identity: ControllerIdentity(variant: .evolutionAC), model: ModelInfo.airCooled(table: .evolution, id: 12), settings: .defaults).rpm == 3000)
        var settings = GeneracSettings()
        settings.nominalRPM = 3500
        settings.nominalKW = 7.5
        settings.useNominalLineVolts = true
        settings.nominalLineVolts = 208
        let n = NominalValues.compute(identity: ControllerIdentity(variant: .evolutionAC), model: .unknown, settings: settings)
        #expect(n.rpm == 3500 && n.kilowatts == 7.5 && n.lineVolts == 208 && n.frequency == 60 && n.fuelType == .propane)
        #expect(NominalValues.kilowattsText(7.5) == "7.5" && NominalValues.kilowattsText(11) == "11" && NominalValues.kilowattsText(nil) == "Unknown")
        #expect(NominalValues.compute(identity: lc, model: .unknown, settings: .defaults).effectiveLineVolts == 240)
    }

    @Test("Fuel type rules for liquid-cooled units without a table match", arguments: [
        ("RD05034ADAE", ControllerVariant.evolutionLC, FuelType.diesel),
        ("RG02724ANAX", .evolutionLC, .naturalGas),
        ("RG02724AVAX", .nexusLC, .propane),
        ("RG027", .evolutionLC, .naturalGas),
        ("QT036", .nexusLC, .propane),
        ("Unknown", .nexusLC, .unknown),
        ("Unknown", .evolutionLC, .naturalGas),
        ("RG02724ANAX", .evolutionAC, .propane),
    ])
    func fuelRules(model: String, variant: ControllerVariant, expected: FuelType) {
        var settings = GeneracSettings()
        settings.model = model
        #expect(NominalValues.fuelType(identity: ControllerIdentity(variant: variant), model: .unknown, settings: settings) == expected)
    }

    @Test("Liquid-cooled table fuel wins over the configured fuel")
    func tableFuelWins() {
        var settings = GeneracSettings()
        settings.fuelType = .propane
        let model = ModelInfo.liquidCooled(family: .evolution, parameterGroup: 15, voltageCode: 24, fuelCode: 1)
        #expect(NominalValues.fuelType(identity: ControllerIdentity(variant: .evolutionLC), model: model, settings: settings) == .naturalGas)
        #expect(NominalValues.fuelType(identity: ControllerIdentity(variant: .evolutionLC), model: .unknown, settings: settings) == .propane)
        settings.fuelType = .naturalGas
        #expect(NominalValues.fuelType(identity: ControllerIdentity(variant: .evolutionAC), model: .unknown, settings: settings) == .naturalGas)
        #expect(NominalValues.genericFallback(identity: ControllerIdentity(variant: .nexusLC)) == ("Generac Liquid Cooled", 36))
    }

    @Test("Fuel curves come from the right table and follow the straight-line formula")
    func fuelConsumption() throws {
        let lc = try #require(FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .evolutionLC), modelID: 0, nominalKW: 27, fuel: .naturalGas))
        #expect(lc == FuelConsumptionCurve(rateAtHalfLoad: 197, rateAtFullLoad: 359, units: "cubic feet"))
        #expect(lc.consumption(kilowatts: 27, nominalKW: 27, seconds: 3600) == 359)
        #expect(lc.consumption(kilowatts: 13.5, nominalKW: 27, seconds: 1800) == 98.5)
        #expect(lc.consumption(kilowatts: 0, nominalKW: 27, seconds: 3600) == 35)
        #expect(FuelConsumptionCurve(rateAtHalfLoad: 1, rateAtFullLoad: 5, units: "gal").consumption(kilowatts: 0, nominalKW: 10, seconds: 3600) == 0)
        let ac = try #require(FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .evolutionAC), modelID: 15, nominalKW: 11, fuel: .propane))
        #expect(ac.rateAtHalfLoad == 1.22 && ac.rateAtFullLoad == 1.97 && ac.units == "gal")
        #expect(FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .evolution2), modelID: 22, nominalKW: 16, fuel: .propane)?.rateAtFullLoad == 2.99)
        #expect(FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .evolutionAC), modelID: 22, nominalKW: 7.5, fuel: .propane)?.rateAtFullLoad == 1.42)
        #expect(FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .evolutionLC45), modelID: 0, nominalKW: 60, fuel: .propane)?.rateAtHalfLoad == 4.4)
        #expect(FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .nexusLC), modelID: 0, nominalKW: 36, fuel: .propane) == nil)
        #expect(FuelConsumptionCurve.lookup(identity: ControllerIdentity(variant: .evolutionLC), modelID: 0, nominalKW: 27, fuel: .gasoline) == nil)
        let metric = FuelConsumptionCurve.metric(10, fuel: .propane)
        #expect(abs(metric.amount - 37.8541) < 1e-9 && metric.units == "L")
    }
}
