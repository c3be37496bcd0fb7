/// One row of the liquid-cooled model tables (EvoLCParam / NexusLCParam), keyed by
/// parameter group (`020a`) and voltage code (`020b`).
public struct LiquidCooledParam: Sendable, Equatable, Hashable {
    public let kW: Int
    /// Nominal line volts.
    public let volts: Int
    public let frequency: Int
    public let phase: Int
    public let parameterGroup: Int
    public let voltageCode: Int
    /// Emission-certified unit (the `Y`/`N` column).
    public let emission: Bool
    /// Voltage letter: A 120/240 1-ph, G 120/208 3-ph, J 120/240 3-ph, K 277/480 3-ph,
    /// M 110/220 1-ph 50 Hz, R 231/400 3-ph.
    public let unitVoltageCode: String
    /// Engine displacement text, e.g. "2.4 L".
    public let engine: String
    /// "Diesel" or "NG/LPV" (Evolution rows only).
    public let fuelClass: String?

    /// The rows upstream searches for a family (Evolution or Nexus).
    public static func rows(for family: ControllerFamily) -> [LiquidCooledParam] {
        family == .evolution ? evolutionRows : nexusRows
    }

    /// The first row matching both registers, as upstream does.
    public static func lookup(family: ControllerFamily, parameterGroup: UInt16, voltageCode: UInt16) -> LiquidCooledParam? {
        rows(for: family).first { $0.parameterGroup == Int(parameterGroup) && $0.voltageCode == Int(voltageCode) }
    }

    /// The fuel the row's class implies when `020c` holds no known code.
    public var fuelClassType: FuelType {
        switch fuelClass {
        case "NG/LPV": .propane
        case "Diesel": .diesel
        default: .unknown
        }
    }
}
