import Foundation
import Generac

/// One kind of simulated controller: what it reports about itself, its timing and its register
/// layout quirks. Values follow the protocol notes (section 8.5) and real dumps where there are any.
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
            0x0000: 0x0009, 0x0005: 0x0E00, 0x0006: 0x0000, 0x0009: 0x00F0, 0x000A: 0x008F,
            0x0011: 0x009C, 0x0019: 0x000F, 0x001A: 0x00C7, 0x001E: 0x018F,
            0x002A: 0x6A76, 0x002B: 0x0005, 0x002C: 0x0E00, 0x002E: 0x0000, 0x002F: 0x0000,
            0x0032: 0x4000, 0x0037: 0x0F78, 0x0208: 0x03EC, 0x05ED: 0x0064, 0x05EE: 0x00A0,
        ]
        registers[0x001B] = dayNumber(start, plusDays: 400)
        registers[0x001F] = dayNumber(start, plusDays: 1100)
        registers[0x0022] = dayNumber(start, plusDays: 300)
        registers.merge(serialNumber("0007722987")) { $1 }
        return ControllerProfile(
            family: .evolutionAirCooled, filler: 0x0000, nominalRPM: 3600, quietRPM: 2600, nominalHertz: 60, quietHertz: 43,
            frequencyEncoding: .hertz, serviceIntervals: (200, 400), registers: registers)
    }

    /// A 27 kW natural-gas Evolution liquid-cooled unit, 2.4 L (example B).
    static func evolutionLiquidCooled(start: Date) -> ControllerProfile {
        var registers: [UInt16: UInt16] = [
            0x0000: 0x000C, 0x0005: 0x0E00, 0x0006: 0x0100, 0x0009: 0x00F1, 0x000A: 0x008A,
            0x000C: 0x0056, 0x0011: 0x009C, 0x001A: 0x0051, 0x001E: 0x00A8, 0x002A: 0x6A82,
            0x002C: 0x0E00, 0x002D: 0x0000, 0x002E: 0x0001, 0x002F: 0x0000, 0x0052: 0x0240, 0x0053: 0x0010,
            0x0054: 0x2238, 0x0059: 0x00F0, 0x005A: 0x003C, 0x005E: 0x0000, 0x005F: 0x1428,
            0x0208: 0x03F0, 0x020A: 0x000F, 0x020B: 0x0018, 0x020C: 0x0001, 0x0237: 0x00F0,
            0x0238: 0x000A, 0x0239: 0x0005, 0x023B: 0x00DC, 0x023E: 0x000C, 0x05ED: 0x0034, 0x05EE: 0x00A0,
        ]
        registers[0x001B] = dayNumber(start, plusDays: 365)
        registers[0x001F] = dayNumber(start, plusDays: 730)
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
            0x0000: 0x0003, 0x0005: 0x0C00, 0x0006: 0x0300, 0x0009: 0x00F0, 0x000A: 0x0089,
            0x000B: 0x0000, 0x000C: 0x0097, 0x0011: 0x009C, 0x0019: 0x0003,
            0x001A: 0x0031, 0x001C: 0x0031, 0x001E: 0x0031, 0x001F: 0x00C8, 0x0021: 0x00C8,
            0x002A: 0x6474, 0x0208: 0x03F2,
        ]
        for address: UInt16 in [0x001B, 0x001D, 0x0020, 0x0022] { registers[address] = dayNumber(start, plusDays: 365) }
        registers.merge(serialNumber("0006123456")) { $1 }
        return ControllerProfile(
            family: .nexusAirCooled, filler: 0x03FB, nominalRPM: 3600, quietRPM: 3600, nominalHertz: 60, quietHertz: 60,
            frequencyEncoding: .hertz, serviceIntervals: (200, 400), registers: registers)
    }

    /// A QT036 36 kW Nexus liquid-cooled unit (the real dump of example D, at rest).
    static func nexusLiquidCooled(start: Date) -> ControllerProfile {
        var registers: [UInt16: UInt16] = [
            0x0000: 0x0006, 0x0005: 0x0700, 0x0006: 0x0200, 0x0009: 0x00F0, 0x000A: 0x0087,
            0x000B: 0x0000, 0x000C: 0x0036, 0x0011: 0x0090, 0x0019: 0x0000,
            0x001A: 0x0063, 0x001C: 0x0031, 0x001E: 0x00F9, 0x0020: 0x0000, 0x0021: 0x0000,
            0x002A: 0x65D4, 0x0208: 0x03F2, 0x05ED: 0x0018, 0x05FA: 0x01FE,
        ]
        registers[0x001B] = dayNumber(start, plusDays: 200)
        registers[0x001D] = dayNumber(start, plusDays: 150)
        registers[0x001F] = dayNumber(start, plusDays: 550)
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
            registers[0x01F4 + UInt16(index)] = UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1])
        }
        return registers
    }
}
