import Foundation
import Generac

/// One kind of simulated controller: what it reports about itself, its timing and its register
/// layout quirks. Values follow docs/registers.md and real dumps where there are any (two are in Tests/Fixtures/dumps).
public struct ControllerProfile: Sendable, Equatable {
    public enum Family: String, Sendable, CaseIterable {
        case evolutionAirCooled = "evolution-ac"
        case evolutionLiquidCooled = "evolution-lc"
        case nexusAirCooled = "nexus-ac"
        case nexusLiquidCooled = "nexus-lc"

        public var variant: ControllerVariant {
            switch self {
            case .evolutionAirCooled: .evolutionAC
            case .evolutionLiquidCooled: .evolutionLC
            case .nexusAirCooled: .nexusAC
            case .nexusLiquidCooled: .nexusLC
            }
        }
    }

    /// How the frequency register encodes hertz on this family.
    public enum FrequencyEncoding: Sendable, Equatable {
        case hertz          // integer Hz (Evolution and Nexus air-cooled)
        case tenthsOfHertz  // Hz × 10 (Evolution liquid-cooled)
        case halfHertz      // Hz / 2 (Nexus liquid-cooled; the monitor doubles it)

        func encode(_ hertz: Double) -> UInt16 {
            switch self {
            case .hertz: UInt16(clamping: Int(hertz.rounded()))
            case .tenthsOfHertz: UInt16(clamping: Int((hertz * 10).rounded()))
            case .halfHertz: UInt16(clamping: Int((hertz / 2).rounded()))
            }
        }
    }

    public var family: Family
    public var identity: ControllerIdentity { ControllerIdentity(variant: family.variant) }
    /// The value read from addresses the controller does not implement.
    public var filler: UInt16
    public var nominalRPM: Int
    public var quietRPM: Int
    public var nominalHertz: Double
    public var quietHertz: Double
    public var frequencyEncoding: FrequencyEncoding
    /// Seconds spent cranking before the engine catches.
    public var crankSeconds: TimeInterval = 3
    /// Warm-up before transferring, when no register defines it.
    public var defaultWarmUpSeconds: TimeInterval = 5
    /// Start-up delay after utility loss, when no register defines it (Nexus).
    public var defaultStartupDelaySeconds: TimeInterval = 5
    /// Utility must be back this long before the load goes back to it.
    public var returnToUtilityDelaySeconds: TimeInterval = 15
    public var coolDownSeconds: TimeInterval = 60
    /// The engine decelerating after its fuel is cut.
    public var stoppingSeconds: TimeInterval = 2
    /// Exercise length when no register defines it.
    public var defaultExerciseMinutes: Int = 12
    /// Service intervals reloaded by "reset maintenance periods" (hours).
    public var serviceIntervals: (a: Int, b: Int) = (200, 400)
    /// The registers a unit of this kind holds while ready, in Auto, before anything happens.
    public var registers: [UInt16: UInt16]

    public static func == (lhs: ControllerProfile, rhs: ControllerProfile) -> Bool {
        lhs.family == rhs.family && lhs.registers == rhs.registers && lhs.filler == rhs.filler
            && lhs.serviceIntervals == rhs.serviceIntervals
    }

    public static func standard(_ family: Family, start: Date = Date()) -> ControllerProfile {
        switch family {
        case .evolutionAirCooled: evolutionAirCooled(start: start)
        case .evolutionLiquidCooled: evolutionLiquidCooled(start: start)
        case .nexusAirCooled: nexusAirCooled(start: start)
        case .nexusLiquidCooled: nexusLiquidCooled(start: start)
        }
    }

    /// Days since 1970 of `date` plus `offset` days: the encoding of the service due dates.
    static func dayNumber(_ date: Date, plusDays offset: Int) -> UInt16 {
        UInt16(clamping: Int(date.timeIntervalSince1970 / 86_400) + offset)
    }

    /// Generac 7033-style 11 kW Evolution air-cooled unit (the real dump of example A).
    static func evolutionAirCooled(start: Date) -> ControllerProfile {
        var registers: [UInt16: UInt16] = [
            Register.productCode: 0x0009, Register.exerciseTime: 0x0E00, Register.exerciseDayAndQuietMode: 0x0000,
            Register.utilityVolts: 0x00F0, Register.batteryVolts: 0x008F, Register.utilityThresholdVolts: 0x009C,
            Register.airCooledModelID: 0x000F, Register.evolutionServiceAHours: 0x00C7,
            Register.evolutionServiceBHours: 0x018F, Register.versions: 0x6A76,
            Register.airCooledStartupDelay: 0x0005, Register.exerciseTimeWrite: 0x0E00, Register.exerciseDay: 0x0000,
            Register.quietModeWrite: 0x0000, Register.unknownRampingSensor: 0x4000,
            Register.currentTransformerSignal: 0x0F78, Register.calibrateVolts: 0x03EC,
            Register.ambientTemperature: 0x0064, Register.batteryChargerCurrent: 0x00A0,
        ]
        registers[Register.evolutionServiceADueDate] = dayNumber(start, plusDays: 400)
        registers[Register.evolutionServiceBDueDate] = dayNumber(start, plusDays: 1100)
        registers[Register.evolutionBatteryCheckDueDate] = dayNumber(start, plusDays: 300)
        registers.merge(serialNumber("0007722987")) { $1 }
        return ControllerProfile(
            family: .evolutionAirCooled, filler: 0x0000, nominalRPM: 3600, quietRPM: 2600, nominalHertz: 60, quietHertz: 43,
            frequencyEncoding: .hertz, serviceIntervals: (200, 400), registers: registers)
    }

    /// A 27 kW natural-gas Evolution liquid-cooled unit, 2.4 L (example B).
    static func evolutionLiquidCooled(start: Date) -> ControllerProfile {
        var registers: [UInt16: UInt16] = [
            Register.productCode: 0x000C, Register.exerciseTime: 0x0E00, Register.exerciseDayAndQuietMode: 0x0100,
            Register.utilityVolts: 0x00F1, Register.batteryVolts: 0x008A, Register.runHoursLowWord: 0x0056,
            Register.utilityThresholdVolts: 0x009C, Register.evolutionServiceAHours: 0x0051,
            Register.evolutionServiceBHours: 0x00A8, Register.versions: 0x6A82, Register.exerciseTimeWrite: 0x0E00,
            Register.exerciseFrequency: 0x0000, Register.exerciseDay: 0x0001, Register.quietModeWrite: 0x0000,
            Register.sensorInputs: 0x0240, Register.relayOutputs: 0x0010, Register.hoursSinceActivation: 0x2238,
            Register.targetVolts: 0x00F0, Register.targetFrequency: 0x003C, Register.runMinutes: 0x0000,
            Register.runMinutesLowWord: 0x1428, Register.calibrateVolts: 0x03F0, Register.parameterGroup: 0x000F,
            Register.voltageCode: 0x0018, Register.fuelTypeCode: 0x0001, Register.setOutputVolts: 0x00F0,
            Register.warmUpDelay: 0x000A, Register.liquidCooledStartupDelay: 0x0005,
            Register.utilityPickupVolts: 0x00DC, Register.exerciseDuration: 0x000C,
            Register.ambientTemperature: 0x0034, Register.batteryChargerCurrent: 0x00A0,
        ]
        registers[Register.evolutionServiceADueDate] = dayNumber(start, plusDays: 365)
        registers[Register.evolutionServiceBDueDate] = dayNumber(start, plusDays: 730)
        registers.merge(serialNumber("0008001234")) { $1 }
        var profile = ControllerProfile(
            family: .evolutionLiquidCooled, filler: 0x0000, nominalRPM: 1800, quietRPM: 1500, nominalHertz: 60, quietHertz: 50,
            frequencyEncoding: .tenthsOfHertz, serviceIntervals: (125, 250), registers: registers)
        profile.crankSeconds = 4
        return profile
    }

    /// A 15 kW Nexus air-cooled unit (example C); unused addresses read 03FB as on a real one.
    static func nexusAirCooled(start: Date) -> ControllerProfile {
        var registers: [UInt16: UInt16] = [
            Register.productCode: 0x0003, Register.exerciseTime: 0x0C00, Register.exerciseDayAndQuietMode: 0x0300,
            Register.utilityVolts: 0x00F0, Register.batteryVolts: 0x0089, Register.runHours: 0x0000,
            Register.runHoursLowWord: 0x0097, Register.utilityThresholdVolts: 0x009C,
            Register.airCooledModelID: 0x0003, Register.nexusACSparkPlugHours: 0x0031,
            Register.nexusAirFilterHours: 0x0031, Register.nexusACOilHours: 0x0031,
            Register.nexusACBatteryHours: 0x00C8, Register.nexusACOtherServiceHours: 0x00C8,
            Register.versions: 0x6474, Register.calibrateVolts: 0x03F2,
        ]
        let dueDates = [Register.nexusACSparkPlugDueDate, Register.nexusACBatteryDueDate, Register.nexusACOilDueDate,
                        Register.nexusACAirFilterDueDate]
        for address in dueDates { registers[address] = dayNumber(start, plusDays: 365) }
        registers.merge(serialNumber("0006123456")) { $1 }
        return ControllerProfile(
            family: .nexusAirCooled, filler: 0x03FB, nominalRPM: 3600, quietRPM: 3600, nominalHertz: 60, quietHertz: 60,
            frequencyEncoding: .hertz, serviceIntervals: (200, 400), registers: registers)
    }

    /// A QT036 36 kW Nexus liquid-cooled unit (the real dump of example D, at rest).
    static func nexusLiquidCooled(start: Date) -> ControllerProfile {
        var registers: [UInt16: UInt16] = [
            Register.productCode: 0x0006, Register.exerciseTime: 0x0700, Register.exerciseDayAndQuietMode: 0x0200,
            Register.utilityVolts: 0x00F0, Register.batteryVolts: 0x0087, Register.runHours: 0x0000,
            Register.runHoursLowWord: 0x0036, Register.utilityThresholdVolts: 0x0090,
            Register.airCooledModelID: 0x0000, Register.nexusLCOilHours: 0x0063, Register.nexusAirFilterHours: 0x0031,
            Register.nexusLCSparkPlugHours: 0x00F9,
            // Air-cooled Nexus service registers; they mean nothing here, but the real dump holds 0 in them.
            Register.nexusACOilDueDate: 0x0000, Register.nexusACOtherServiceHours: 0x0000,
            Register.versions: 0x65D4, Register.calibrateVolts: 0x03F2,
            Register.ambientTemperature: 0x0018, Register.unknownSensor05FA: 0x01FE,
        ]
        registers[Register.nexusLCOilDueDate] = dayNumber(start, plusDays: 200)
        registers[Register.nexusLCAirFilterDueDate] = dayNumber(start, plusDays: 150)
        registers[Register.nexusLCSparkPlugDueDate] = dayNumber(start, plusDays: 550)
        registers.merge(serialNumber("0008565313")) { $1 }
        var profile = ControllerProfile(
            family: .nexusLiquidCooled, filler: 0x01F4, nominalRPM: 1800, quietRPM: 1800, nominalHertz: 60, quietHertz: 60,
            frequencyEncoding: .halfHertz, serviceIntervals: (100, 250), registers: registers)
        profile.crankSeconds = 4
        return profile
    }

    /// Ten ASCII digits packed two per register at 01f4.
    static func serialNumber(_ digits: String) -> [UInt16: UInt16] {
        let bytes = Array(digits.utf8.prefix(10)) + [UInt8](repeating: 0, count: max(0, 10 - digits.utf8.count))
        var registers: [UInt16: UInt16] = [:]
        for index in 0..<5 {
            registers[Register.serialNumber + UInt16(index)] = UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1])
        }
        return registers
    }
}
