/// One entry of the air-cooled model tables, keyed by the model ID in `0019` (docs/registers.md#model-lookup).
public struct AirCooledModel: Sendable, Equatable, Hashable {
    public let id: UInt16
    /// Rating text as upstream stores it, e.g. "11KW", "8KVA", "Trinity".
    public let rated: String
    /// Frequency text: "60", "50", or "VSCF"/"ECOVSCF" on Synergy (those mean unknown).
    public let frequency: String
    public let voltage: String
    public let phase: Int
    /// Engine displacement text, nil where upstream has none.
    public let engine: String?
    public let lineVolts: Int

    init(_ id: UInt16, _ rated: String, _ frequency: String, _ voltage: String, _ phase: Int, _ engine: String?, _ lineVolts: Int) {
        self.id = id
        self.rated = rated
        self.frequency = frequency
        self.voltage = voltage
        self.phase = phase
        self.engine = engine
        self.lineVolts = lineVolts
    }
}

/// Which air-cooled table a controller uses.
public enum AirCooledModelTable: String, Sendable, CaseIterable {
    case nexus, evolution, evolution2, synergy, powerPact, pz200

    /// Upstream's selection order: Evo2, PowerPact, Synergy, PZ200, Evolution, Nexus.
    public init(identity: ControllerIdentity) {
        if identity.isEvolution2 { self = .evolution2 }
        else if identity.isPowerPact { self = .powerPact }
        else if identity.isSynergy { self = .synergy }
        else if identity.isPZ200 { self = .pz200 }
        else if identity.isEvolution { self = .evolution }
        else { self = .nexus }
    }

    public var models: [AirCooledModel] {
        switch self {
        case .nexus: Self.nexusModels
        case .evolution: Self.evolutionModels
        case .evolution2: Self.evolution2Models
        case .synergy: Self.synergyModels
        case .powerPact: Self.powerPactModels
        case .pz200: Self.pz200Models
        }
    }

    public func model(id: UInt16) -> AirCooledModel? { models.first { $0.id == id } }

    static let nexusModels: [AirCooledModel] = [
        .init(0, "8KW", "60", "120/240", 1, "410 cc", 240),
        .init(1, "11KW", "60", "120/240", 1, "530 cc", 240),
        .init(2, "14KW", "60", "120/240", 1, "992 cc", 240),
        .init(3, "15KW", "60", "120/240", 1, "992 cc", 240),
        .init(4, "20KW", "60", "120/240", 1, "999 cc", 240),
    ]

    static let evolutionModels: [AirCooledModel] = [
        .init(1, "10KW", "60", "120/240", 1, "426 cc", 240),
        .init(2, "14KW", "60", "120/240", 1, "992 cc", 240),
        .init(3, "17KW", "60", "120/240", 1, "992 cc", 240),
        .init(4, "20KW", "60", "120/240", 1, "999 cc", 240),
        .init(5, "8KW", "60", "120/240", 1, "410 cc", 240),
        .init(6, "12KW", "60", "120/240", 1, "992 cc", 240),
        .init(7, "13KW", "60", "120/240", 1, "992 cc", 240),
        .init(8, "15KW", "60", "120/240", 1, "999 cc", 240),
        .init(9, "16KW", "60", "120/240", 1, "999 cc", 240),
        .init(10, "20KW", "60", "208 3 Phase", 3, "999 cc", 208),
        .init(11, "Trinity", "50", "380,400,416", 3, nil, 380),
        .init(12, "8KVA", "50", "220,230,240", 1, "530 cc", 240),
        .init(13, "10KVA", "50", "220,230,240", 1, "992 cc", 240),
        .init(14, "13KVA", "50", "220,230,240", 1, "992 cc", 240),
        .init(15, "11KW", "60", "240", 1, "530 cc", 240),
        .init(17, "22KW", "60", "120/240", 1, "999 cc", 240),
        .init(21, "24KW", "60", "120/240", 1, "999 cc", 240),
    ]

    /// Upstream lists ID 11 twice; the later entry (50 Hz 3-phase export) is the effective one.
    static let evolution2Models: [AirCooledModel] = [
        .init(1, "9KW", "60", "120/240", 1, "426 cc", 240),
        .init(2, "20KW", "60", "120/240", 1, "999 cc", 240),
        .init(4, "20KW", "60", "120/240", 1, "999 cc", 240),
        .init(5, "10KW", "60", "120/240", 1, "460 cc", 240),
        .init(7, "13KW", "60", "120/240", 1, "992 cc", 240),
        .init(8, "22KW", "60", "120/240", 1, "999 cc", 240),
        .init(9, "16KW", "60", "120/240", 1, "999 cc", 240),
        .init(10, "20KW", "60", "208 3 Phase", 3, "999 cc", 208),
        .init(11, "20KW", "50", "208 3 Phase", 3, "999 cc", 208),
        .init(12, "8KVA", "50", "220,230,240", 1, "530 cc", 240),
        .init(13, "10KVA", "50", "220,230,240", 1, "992 cc", 240),
        .init(14, "13KVA", "50", "220,230,240", 1, "992 cc", 240),
        .init(15, "11KW", "60", "240", 1, "530 cc", 240),
        .init(17, "22KW", "60", "120/240", 1, "999 cc", 240),
        .init(18, "18KW", "60", "120/240", 1, "816 cc", 240),
        .init(21, "24KW", "60", "120/240", 1, "999 cc", 240),
        .init(22, "16KW", "60", "120/240", 1, "816 cc", 240),
        .init(23, "14KW", "60", "120/240", 1, "816 cc", 240),
        .init(24, "26KW", "60", "120/240", 1, "999 cc", 240),
    ]

    static let synergyModels: [AirCooledModel] = [
        .init(10, "20KW", "VSCF", "120/240", 1, "999 cc", 240),
        .init(11, "15KW", "ECOVSCF", "120/240", 1, "999 cc", 240),
    ]

    static let powerPactModels: [AirCooledModel] = [
        .init(22, "7.5KW", "60", "240", 1, "420 cc", 240),
        .init(23, "5.6KW", "50", "220", 1, "420 cc", 220),
    ]

    static let pz200Models: [AirCooledModel] = [
        .init(6, "22KW", "60", "120/240", 1, "997 cc", 240),
        .init(7, "24KW", "60", "120/240", 1, "997 cc", 240),
        .init(9, "28KW", "60", "120/240", 1, "997 cc", 240),
    ]
}
