/// A row of EvoAC_Fuel / EvoAC2_Fuel: rates at 50 % and 100 % load for a model ID and fuel.
public struct AirCooledFuelRate: Sendable, Equatable, Hashable {
    public let modelID: Int
    public let ratedText: String
    public let fuel: String
    public let frequency: Int
    public let rateAtHalfLoad: Double
    public let rateAtFullLoad: Double
    public let units: String
}

/// A row of EvoLC_Fuel / EvoLC45_Fuel: rates at 25/50/75/100 % load for a kW rating and fuel.
public struct LiquidCooledFuelRate: Sendable, Equatable, Hashable {
    public let kW: Double
    public let fuel: String
    public let rateAtQuarterLoad: Double
    public let rateAtHalfLoad: Double
    public let rateAtThreeQuarterLoad: Double
    public let rateAtFullLoad: Double
    public let units: String
}

/// The straight line upstream fits through the 50 % and 100 % load points (docs/registers.md#model-lookup).
public struct FuelConsumptionCurve: Sendable, Equatable, Hashable {
    /// Per hour at half load and at full load, in `units`.
    public let rateAtHalfLoad: Double
    public let rateAtFullLoad: Double
    /// "gal" or "cubic feet".
    public let units: String

    public init(rateAtHalfLoad: Double, rateAtFullLoad: Double, units: String) {
        self.rateAtHalfLoad = rateAtHalfLoad
        self.rateAtFullLoad = rateAtFullLoad
        self.units = units
    }

    /// Finds the curve for a controller. Nexus has no tables (nil); no matching row also gives nil.
    public static func lookup(identity: ControllerIdentity, modelID: UInt16, nominalKW: Double?, fuel: FuelType) -> FuelConsumptionCurve? {
        guard identity.isEvolution else { return nil }
        if identity.isLiquidCooled {
            guard let nominalKW else { return nil }
            let rows = identity.isEvolution45L ? LiquidCooledFuelRate.evolution45Rows : LiquidCooledFuelRate.evolutionRows
            guard let row = rows.first(where: { $0.kW == nominalKW && $0.fuel == fuel.rawValue }) else { return nil }
            return FuelConsumptionCurve(rateAtHalfLoad: row.rateAtHalfLoad, rateAtFullLoad: row.rateAtFullLoad, units: row.units)
        }
        let rows = identity.isEvolution2 ? AirCooledFuelRate.evolution2Rows : AirCooledFuelRate.evolutionRows
        guard let row = rows.first(where: { $0.modelID == Int(modelID) && $0.fuel == fuel.rawValue }) else { return nil }
        return FuelConsumptionCurve(rateAtHalfLoad: row.rateAtHalfLoad, rateAtFullLoad: row.rateAtFullLoad, units: row.units)
    }

    /// Fuel used in `seconds` at `kilowatts` output of a `nominalKW` generator; never negative.
    public func consumption(kilowatts: Double, nominalKW: Double, seconds: Double) -> Double {
        guard nominalKW > 0 else { return 0 }
        let load = kilowatts / nominalKW
        let perHour = rateAtHalfLoad + (rateAtFullLoad - rateAtHalfLoad) / (1.0 - 0.5) * (load - 0.5)
        let amount = perHour * seconds / 3600
        return amount.isFinite && amount > 0 ? amount : 0
    }

    /// Metric conversion upstream applies: natural gas cubic feet → m³, everything else gallons → L.
    public static func metric(_ amount: Double, fuel: FuelType) -> (amount: Double, units: String) {
        fuel == .naturalGas ? (amount * 0.0283168, "m3") : (amount * 3.78541, "L")
    }
}
