/// Power Zone 200 extras (section 3.3, "Power Zone 200 only"). Upstream treats PZ200 as a
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
        let singlePhase = image[0x063A] != 0
        let legs = singlePhase ? 2 : 3
        func ints(_ start: RegisterAddress) -> [Int] { image.words(from: start, count: legs).map(Int.init) }
        return PZ200Readings(
            singlePhase: singlePhase,
            outputVoltsPerLeg: ints(0x1F72),
            outputAmpsPerLeg: image.words(from: 0x1F75, count: legs).map { Double($0) / 100 },
            utilityVoltsPerLeg: ints(0x1FA4),
            powerFactor: Double(image[0x1F7B]) / 100,
            totalKWh: Int(image.pair(at: 0x1F7C)),
            reactivePower: Int(image[0x2135]),
            apparentPower: Int(image[0x2136]),
            runMinutes: Int(image[0x2137]),
            lastRunKWh: Int(image[0x2138]),
            intakeTemperatureF: Int(image[0x0608]),
            engineLoadPercent: Int(image[0x060C]),
            fuelPressureCranking: Int(image[0x0613]),
            fuelPressureRunning: Int(image[0x0614]),
            oilLevel: Int(image[0x2008]),
            maintenanceDue: image[0x0639] & 1 != 0
        )
    }
}
