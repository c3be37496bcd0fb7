/// Controller generation as upstream splits it: Evolution or Nexus (pre-Nexus counts as Nexus).
public enum ControllerFamily: String, Sendable, Equatable, Hashable, CaseIterable {
    case evolution = "Evolution"
    case nexus = "Nexus"
}

/// Engine cooling; it selects the model tables, frequency scaling and many report lines.
public enum Cooling: String, Sendable, Equatable, Hashable, CaseIterable {
    case air = "Air"
    case liquid = "Liquid"
}

/// The one classification every other layer switches on.
///
/// Derived from the product code (`0000`) plus config overrides, see `ControllerIdentity.variant`.
public enum ControllerVariant: String, Sendable, Equatable, Hashable, CaseIterable {
    case preNexus
    case nexusAC
    case nexusLC
    case evolutionAC
    case synergy
    case powerPact
    case evolution2
    case evolutionLC
    case evolutionLC45
    case pz200

    /// The product code a real unit of this variant reports (used by simulators and tests).
    public var canonicalProductCode: UInt16 {
        switch self {
        case .preNexus: 0x02
        case .nexusAC: 0x03
        case .nexusLC: 0x06
        case .evolutionAC: 0x09
        case .synergy: 0x0A
        case .evolutionLC: 0x0C
        case .powerPact: 0x12
        case .evolution2: 0x15
        case .evolutionLC45: 0x16
        case .pz200: 0x19
        }
    }

    /// Bit for `VariantSet`.
    var bit: UInt16 {
        switch self {
        case .preNexus: 1 << 0
        case .nexusAC: 1 << 1
        case .nexusLC: 1 << 2
        case .evolutionAC: 1 << 3
        case .synergy: 1 << 4
        case .powerPact: 1 << 5
        case .evolution2: 1 << 6
        case .evolutionLC: 1 << 7
        case .evolutionLC45: 1 << 8
        case .pz200: 1 << 9
        }
    }
}

/// A set of variants, used to say which variants decode a register or offer a command.
public struct VariantSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ variant: ControllerVariant) { self.rawValue = variant.bit }

    public static let preNexus = VariantSet(.preNexus)
    public static let nexusAC = VariantSet(.nexusAC)
    public static let nexusLC = VariantSet(.nexusLC)
    public static let evolutionAC = VariantSet(.evolutionAC)
    public static let synergy = VariantSet(.synergy)
    public static let powerPact = VariantSet(.powerPact)
    public static let evolution2 = VariantSet(.evolution2)
    public static let evolutionLC = VariantSet(.evolutionLC)
    public static let evolutionLC45 = VariantSet(.evolutionLC45)
    public static let pz200 = VariantSet(.pz200)

    /// Every Nexus-generation controller.
    public static let nexus: VariantSet = [.preNexus, .nexusAC, .nexusLC]
    /// "EvoAC" in docs/registers.md#conventions: Evolution air-cooled including Evo2, PowerPact and Synergy.
    public static let evolutionAirCooled: VariantSet = [.evolutionAC, .synergy, .powerPact, .evolution2]
    /// "EvoLC": Evolution liquid-cooled including the 4.5 L.
    public static let evolutionLiquidCooled: VariantSet = [.evolutionLC, .evolutionLC45]
    /// Every Evolution-generation controller, PZ200 included.
    public static let evolution: VariantSet = evolutionAirCooled.union(evolutionLiquidCooled).union(.pz200)
    public static let liquidCooled: VariantSet = [.nexusLC, .evolutionLC, .evolutionLC45]
    public static let airCooled: VariantSet = all.subtracting(liquidCooled)
    public static let all: VariantSet = nexus.union(evolution)

    public func contains(_ variant: ControllerVariant) -> Bool { contains(VariantSet(variant)) }

    /// Members in declaration order.
    public var variants: [ControllerVariant] { ControllerVariant.allCases.filter { contains($0) } }
}
