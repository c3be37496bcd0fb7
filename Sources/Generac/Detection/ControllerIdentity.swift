/// Sub-model flags upstream derives from the product code (only while the family is auto-detected).
public struct ControllerFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let pz200 = ControllerFlags(rawValue: 1 << 0)
    public static let synergy = ControllerFlags(rawValue: 1 << 1)
    public static let evolution2 = ControllerFlags(rawValue: 1 << 2)
    public static let powerPact = ControllerFlags(rawValue: 1 << 3)
    public static let preNexus = ControllerFlags(rawValue: 1 << 4)
    public static let evolution45L = ControllerFlags(rawValue: 1 << 5)
}

/// Something detection had to guess; upstream sends a notification for each.
public enum DetectionWarning: Sendable, Equatable, Hashable {
    /// The product code is not one upstream verified as Evolution or Nexus.
    case unverifiedFamily(productCode: UInt16)
    /// The product code is not one upstream verified as air- or liquid-cooled (includes 0x14).
    case unverifiedCooling(productCode: UInt16)

    public var message: String {
        switch self {
        case .unverifiedFamily(let code):
            "Unverified value in model register (0x\(ProductCode.hex2(code))): Evolution or Nexus was guessed"
        case .unverifiedCooling(let code):
            "Unverified value in model register (0x\(ProductCode.hex2(code))): assumed air cooled"
        }
    }
}

/// What the monitor knows about the controller after detection (docs/registers.md#product-codes).
public struct ControllerIdentity: Sendable, Equatable, Hashable {
    /// Register `0000` as read.
    public let productCode: UInt16
    public let family: ControllerFamily
    public let cooling: Cooling
    public let flags: ControllerFlags
    public let warnings: [DetectionWarning]

    public init(productCode: UInt16, family: ControllerFamily, cooling: Cooling,
                flags: ControllerFlags = [], warnings: [DetectionWarning] = []) {
        self.productCode = productCode
        self.family = family
        self.cooling = cooling
        self.flags = flags
        self.warnings = warnings
    }

    /// The identity a real controller of `variant` produces with default settings.
    public init(variant: ControllerVariant) {
        self = ControllerIdentity.detect(productCode: variant.canonicalProductCode)
    }

    /// Runs detection on the product code an image holds (`Register.productCode`).
    public static func detect(in image: RegisterImage, settings: GeneracSettings = .defaults) -> ControllerIdentity {
        detect(productCode: image[Register.productCode], settings: settings)
    }

    /// Runs upstream's detection on a product code, honouring the two config overrides.
    public static func detect(productCode code: UInt16, settings: GeneracSettings = .defaults) -> ControllerIdentity {
        var warnings: [DetectionWarning] = []
        var flags: ControllerFlags = []
        let family: ControllerFamily
        if let evolution = settings.evolutionControllerOverride {
            family = evolution ? .evolution : .nexus
        } else {
            switch code {
            case 0x19: flags.insert(.pz200)
            case 0x0A: flags.insert(.synergy)
            case 0x15: flags.insert(.evolution2)
            case 0x12, 0x13, 0x14: flags.insert(.powerPact)
            case 0x02: flags.insert(.preNexus)
            case 0x16: flags.insert(.evolution45L)
            default: break
            }
            if ProductCode.nexusCodes.contains(code) {
                family = .nexus
            } else if ProductCode.evolutionCodes.contains(code) {
                family = .evolution
            } else {
                family = code <= 0x06 ? .nexus : .evolution
                warnings.append(.unverifiedFamily(productCode: code))
            }
        }
        let cooling: Cooling
        if let liquid = settings.liquidCooledOverride {
            cooling = liquid ? .liquid : .air
        } else if ProductCode.liquidCooledCodes.contains(code) {
            cooling = .liquid
        } else {
            cooling = .air
            if !ProductCode.airCooledCodes.contains(code) {
                warnings.append(.unverifiedCooling(productCode: code))
            }
        }
        return ControllerIdentity(productCode: code, family: family, cooling: cooling, flags: flags, warnings: warnings)
    }

    // MARK: Basic predicates (named like the families in docs/registers.md#conventions)

    public var isEvolution: Bool { family == .evolution }
    public var isNexus: Bool { family == .nexus }
    public var isLiquidCooled: Bool { cooling == .liquid }
    public var isAirCooled: Bool { cooling == .air }
    public var isPZ200: Bool { flags.contains(.pz200) }
    public var isSynergy: Bool { flags.contains(.synergy) }
    public var isEvolution2: Bool { flags.contains(.evolution2) }
    public var isPowerPact: Bool { flags.contains(.powerPact) }
    public var isPreNexus: Bool { flags.contains(.preNexus) }
    public var isEvolution45L: Bool { flags.contains(.evolution45L) }
    /// "EvoLC": Evolution and liquid-cooled (4.5 L included).
    public var isEvolutionLC: Bool { isEvolution && isLiquidCooled }
    /// "EvoAC": Evolution and air-cooled (Evo2, PowerPact, Synergy and PZ200 included).
    public var isEvolutionAC: Bool { isEvolution && isAirCooled }
    public var isNexusLC: Bool { isNexus && isLiquidCooled }
    public var isNexusAC: Bool { isNexus && isAirCooled }

    /// The single classification derived from family, cooling and flags.
    public var variant: ControllerVariant {
        if isPZ200 { return .pz200 }
        if isSynergy { return .synergy }
        if isPowerPact { return .powerPact }
        if isEvolution2 { return .evolution2 }
        switch (family, cooling) {
        case (.evolution, .liquid): return isEvolution45L ? .evolutionLC45 : .evolutionLC
        case (.evolution, .air): return .evolutionAC
        case (.nexus, .liquid): return .nexusLC
        case (.nexus, .air): return isPreNexus ? .preNexus : .nexusAC
        }
    }

    /// "Controller Detected": the name of the product code itself.
    public var detectedName: String { ProductCode.detectedName(productCode) }

    /// "Controller": family and cooling after overrides, e.g. "Evolution, Air Cooled".
    public var displayName: String {
        let prefix: String
        if isEvolution {
            if isPZ200 { prefix = "Power Zone 200" }
            else if isSynergy { prefix = "Synergy Evolution" }
            else if isPowerPact { prefix = "Power Pact Evolution" }
            else if isEvolution2 { prefix = "Evolution 2.0" }
            else if isEvolution45L { prefix = "Evolution 4.5L" }
            else { prefix = "Evolution" }
        } else {
            prefix = isPreNexus ? "Pre-Nexus" : "Nexus"
        }
        return prefix + ", " + (isLiquidCooled ? "Liquid Cooled" : "Air Cooled")
    }
}
