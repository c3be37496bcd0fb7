/// What the model tables say about the generator (docs/registers.md#model-lookup). nil = "Unknown".
public struct ModelInfo: Sendable, Equatable, Hashable {
    /// Where the information came from.
    public enum Source: Sendable, Equatable, Hashable {
        case airCooled(table: AirCooledModelTable, id: UInt16)
        case liquidCooled(parameterGroup: UInt16, voltageCode: UInt16)
        case none
    }

    public var source: Source
    /// Rating text for air-cooled models ("11KW", "Trinity"); LC rows give the kW number as text.
    public var ratedText: String?
    public var kilowatts: Double?
    /// Only 50 or 60; anything else in the tables counts as unknown.
    public var frequency: Int?
    public var voltageText: String?
    public var phase: Int?
    public var engineDisplacement: String?
    public var nominalLineVolts: Int?
    /// Liquid-cooled only: from `020c`, else the row's fuel class.
    public var fuelType: FuelType?

    public static let unknown = ModelInfo(source: .none)

    public init(source: Source, ratedText: String? = nil, kilowatts: Double? = nil, frequency: Int? = nil,
                voltageText: String? = nil, phase: Int? = nil, engineDisplacement: String? = nil,
                nominalLineVolts: Int? = nil, fuelType: FuelType? = nil) {
        self.source = source
        self.ratedText = ratedText
        self.kilowatts = kilowatts
        self.frequency = frequency
        self.voltageText = voltageText
        self.phase = phase
        self.engineDisplacement = engineDisplacement
        self.nominalLineVolts = nominalLineVolts
        self.fuelType = fuelType
    }

    /// Looks the model up from the image: `0019` for air-cooled, `020a`/`020b`/`020c` for liquid-cooled.
    public static func lookup(image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings = .defaults) -> ModelInfo {
        if identity.isLiquidCooled {
            return liquidCooled(family: identity.family, parameterGroup: image[Register.parameterGroup],
                                voltageCode: image[Register.voltageCode], fuelCode: image[Register.fuelTypeCode])
        }
        let id = image[Register.airCooledModelID]
        if identity.isEvolution2, settings.ignoreUnknown, StatusPair.evolution2IgnoredValues.contains(UInt32(id)) {
            return .unknown
        }
        return airCooled(table: AirCooledModelTable(identity: identity), id: id)
    }

    public static func airCooled(table: AirCooledModelTable, id: UInt16) -> ModelInfo {
        guard let model = table.model(id: id) else { return .unknown }
        return ModelInfo(
            source: .airCooled(table: table, id: id),
            ratedText: model.rated,
            kilowatts: kilowatts(fromRated: model.rated),
            frequency: Int(model.frequency).flatMap { $0 == 50 || $0 == 60 ? $0 : nil },
            voltageText: model.voltage,
            phase: model.phase,
            engineDisplacement: model.engine,
            nominalLineVolts: model.lineVolts
        )
    }

    public static func liquidCooled(family: ControllerFamily, parameterGroup: UInt16, voltageCode: UInt16, fuelCode: UInt16) -> ModelInfo {
        guard let row = LiquidCooledParam.lookup(family: family, parameterGroup: parameterGroup, voltageCode: voltageCode) else {
            return .unknown
        }
        return ModelInfo(
            source: .liquidCooled(parameterGroup: parameterGroup, voltageCode: voltageCode),
            ratedText: String(row.kW),
            kilowatts: Double(row.kW),
            frequency: row.frequency == 50 || row.frequency == 60 ? row.frequency : nil,
            voltageText: row.unitVoltageCode,
            phase: row.phase,
            engineDisplacement: row.engine,
            nominalLineVolts: row.volts,
            fuelType: FuelType(liquidCooledCode: fuelCode) ?? row.fuelClassType
        )
    }

    /// "22KW" → 22, "8KVA" → 8, "7.5KW" → 7.5; texts without KW/KVA have no kW.
    public static func kilowatts(fromRated rated: String) -> Double? {
        let upper = rated.uppercased()
        guard upper.contains("KW") || upper.contains("KVA") else { return nil }
        return Double(String(upper.filter { $0.isNumber || $0 == "." }))
    }
}
