/// Power Zone 200 extras (docs/registers.md#power-zone-200). Upstream treats PZ200 as a
/// secondary target; the values are passed on as the register table describes them.
public struct PZ200Readings: Sendable, Equatable {
    /// `063a` non-zero.
    public var singlePhase: Bool
    /// `1f72`…: two legs on single phase, three otherwise.
    public var outputVoltsPerLeg: [Int]
    /// `1f75`… ÷ 100, same leg count.
    public var outputAmpsPerLeg: [Double]
    /// `1fa4`…, same leg count.
    public var utilityVoltsPerLeg: [Int]
    /// `1f7b` ÷ 100.
    public var powerFactor: Double
    /// `1f7c`/`1f7d` (32-bit).
    public var totalKWh: Int
    /// `2135`, `2136` as stored.
    public var reactivePower: Int
    public var apparentPower: Int
    /// `2137`: minutes of the current or last run.
    public var runMinutes: Int
    /// `2138`: kWh of the last run.
    public var lastRunKWh: Int
    /// `0608` °F, `060c` %, `0613`/`0614`, `2008` as stored.
    public var intakeTemperatureF: Int
    public var engineLoadPercent: Int
    public var fuelPressureCranking: Int
    public var fuelPressureRunning: Int
    public var oilLevel: Int
    /// `0639` bit 0.
    public var maintenanceDue: Bool

    public static func decode(_ image: RegisterImage) -> PZ200Readings {
        let singlePhase = image[Register.pz200SinglePhase] != 0
        let legs = singlePhase ? 2 : 3
        func ints(_ start: RegisterAddress) -> [Int] { image.words(from: start, count: legs).map(Int.init) }
        return PZ200Readings(
            singlePhase: singlePhase,
            outputVoltsPerLeg: ints(Register.pz200OutputVoltsL1),
            outputAmpsPerLeg: image.words(from: Register.pz200OutputAmpsL1, count: legs).map { Double($0) / 100 },
            utilityVoltsPerLeg: ints(Register.pz200UtilityVoltsL1),
            powerFactor: Double(image[Register.pz200PowerFactor]) / 100,
            totalKWh: Int(image.pair(at: Register.pz200TotalKWh)),
            reactivePower: Int(image[Register.pz200ReactivePower]),
            apparentPower: Int(image[Register.pz200ApparentPower]),
            runMinutes: Int(image[Register.pz200RunMinutes]),
            lastRunKWh: Int(image[Register.pz200LastRunKWh]),
            intakeTemperatureF: Int(image[Register.pz200IntakeTemperature]),
            engineLoadPercent: Int(image[Register.pz200EngineLoad]),
            fuelPressureCranking: Int(image[Register.pz200FuelPressureCranking]),
            fuelPressureRunning: Int(image[Register.pz200FuelPressureRunning]),
            oilLevel: Int(image[Register.pz200OilLevel]),
            maintenanceDue: image[Register.pz200MaintenanceDue] & 1 != 0
        )
    }
}
