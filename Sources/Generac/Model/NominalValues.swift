/// The nominal figures upstream derives once after initialisation (docs/registers.md#model-lookup): config first,
/// then the model tables, then fixed defaults.
public struct NominalValues: Sendable, Equatable, Hashable {
    public var frequency: Int
    public var rpm: Int
    /// nil = "Unknown" (upstream prints "Unknown kW").
    public var kilowatts: Double?
    /// Line volts for display; nil = "Unknown" (printed "Unknown V").
    public var lineVolts: Int?
    public var fuelType: FuelType
    /// Model-table phase; nil = "Unknown".
    public var phase: Int?
    public var engineDisplacement: String?
    /// `model` from the config, "Unknown" when not set.
    public var modelName: String

    /// Line volts for arithmetic (current clamp, load imbalance): 240 when unknown.
    public var effectiveLineVolts: Int { lineVolts ?? 240 }

    public init(frequency: Int, rpm: Int, kilowatts: Double?, lineVolts: Int?, fuelType: FuelType,
                phase: Int?, engineDisplacement: String?, modelName: String) {
        self.frequency = frequency
        self.rpm = rpm
        self.kilowatts = kilowatts
        self.lineVolts = lineVolts
        self.fuelType = fuelType
        self.phase = phase
        self.engineDisplacement = engineDisplacement
        self.modelName = modelName
    }

    public static func compute(identity: ControllerIdentity, model: ModelInfo, settings: GeneracSettings) -> NominalValues {
        let frequency = settings.nominalFrequency ?? model.frequency ?? 60
        let rpm: Int
        if let configured = settings.nominalRPM {
            rpm = configured
        } else if identity.isLiquidCooled {
            rpm = frequency == 50 ? 1500 : 1800
        } else {
            rpm = frequency == 50 ? 3000 : 3600
        }
        return NominalValues(
            frequency: frequency,
            rpm: rpm,
            kilowatts: settings.nominalKW ?? model.kilowatts,
            lineVolts: settings.useNominalLineVolts ? settings.nominalLineVolts : model.nominalLineVolts,
            fuelType: fuelType(identity: identity, model: model, settings: settings),
            phase: model.phase,
            engineDisplacement: model.engineDisplacement,
            modelName: settings.model ?? "Unknown"
        )
    }

    /// Liquid-cooled: the model table wins, then config, then the model-name rules.
    /// Air-cooled: config, else propane.
    public static func fuelType(identity: ControllerIdentity, model: ModelInfo, settings: GeneracSettings) -> FuelType {
        guard identity.isLiquidCooled else { return settings.fuelType ?? .propane }
        if let fromTable = model.fuelType, fromTable != .unknown { return fromTable }
        if let configured = settings.fuelType { return configured }
        if let fromName = fuelType(fromModelName: settings.model ?? "") { return fromName }
        return identity.isEvolution ? .naturalGas : .unknown
    }

    /// Generac model-name conventions: RD… diesel; RG… 9th letter N gas / V propane; QT… propane.
    public static func fuelType(fromModelName name: String) -> FuelType? {
        let upper = Array(name.uppercased())
        if upper.starts(with: ["R", "D"]) { return .diesel }
        if upper.starts(with: ["R", "G"]), upper.count >= 11 {
            switch upper[8] {
            case "N": return .naturalGas
            default: return .propane
            }
        }
        if upper.starts(with: ["Q", "T"]) { return .propane }
        return nil
    }

    /// Upstream's last resort on a new install when neither lookup nor tables give a model.
    public static func genericFallback(identity: ControllerIdentity) -> (model: String, kilowatts: Double) {
        switch (identity.family, identity.cooling) {
        case (.evolution, .liquid): ("Generac Liquid Cooled", 60)
        case (.nexus, .liquid): ("Generac Liquid Cooled", 36)
        case (.evolution, .air): ("Generac Air Cooled", 22)
        case (.nexus, .air): ("Generac Air Cooled", 20)
        }
    }

    /// kW without a needless ".0": 11 → "11", 7.5 → "7.5"; nil → "Unknown".
    public static func kilowattsText(_ kilowatts: Double?) -> String {
        guard let kilowatts else { return "Unknown" }
        if kilowatts.isFinite, kilowatts == kilowatts.rounded(), abs(kilowatts) < 1e15 {
            return String(Int(kilowatts))
        }
        return String(kilowatts)
    }
}
