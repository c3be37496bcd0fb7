/// Power Zone 200 registers. genmon polls them on every controller (as the original does) and
/// decodes them only on a PZ200.
extension Register {
    /// `0637`: bit 0 = an alarm is active.
    public static let pz200AlarmActive: RegisterAddress = 0x0637
    /// `0638`: bit 0 = a warning is active.
    public static let pz200WarningActive: RegisterAddress = 0x0638
    /// `0639`: bit 0 = maintenance is due.
    public static let pz200MaintenanceDue: RegisterAddress = 0x0639
    /// `063a`: non-zero = single phase (two legs instead of three).
    public static let pz200SinglePhase: RegisterAddress = 0x063A
    /// `07d0`–`07d9`: identity block, 10 words, read once.
    public static let pz200Identity: RegisterAddress = 0x07D0
    /// `0608`: intake temperature in °F.
    public static let pz200IntakeTemperature: RegisterAddress = 0x0608
    /// `060c`: engine load in percent.
    public static let pz200EngineLoad: RegisterAddress = 0x060C
    /// `0613`: fuel pressure while cranking.
    public static let pz200FuelPressureCranking: RegisterAddress = 0x0613
    /// `0614`: fuel pressure while running.
    public static let pz200FuelPressureRunning: RegisterAddress = 0x0614
    /// `1f72`: output volts, leg 1 (legs 2 and 3 follow).
    public static let pz200OutputVoltsL1: RegisterAddress = 0x1F72
    /// `1f73`: output volts, leg 2.
    public static let pz200OutputVoltsL2: RegisterAddress = 0x1F73
    /// `1f74`: output volts, leg 3 (three-phase only).
    public static let pz200OutputVoltsL3: RegisterAddress = 0x1F74
    /// `1f75`: output amps × 100, leg 1 (legs 2 and 3 follow).
    public static let pz200OutputAmpsL1: RegisterAddress = 0x1F75
    /// `1f76`: output amps × 100, leg 2.
    public static let pz200OutputAmpsL2: RegisterAddress = 0x1F76
    /// `1f77`: output amps × 100, leg 3 (three-phase only).
    public static let pz200OutputAmpsL3: RegisterAddress = 0x1F77
    /// `1f7b`: power factor × 100.
    public static let pz200PowerFactor: RegisterAddress = 0x1F7B
    /// `1f7c`–`1f7d`: total kWh, 32 bits, high word first.
    public static let pz200TotalKWh: RegisterAddress = 0x1F7C
    /// `1fa4`: utility volts, leg 1 (legs 2 and 3 follow).
    public static let pz200UtilityVoltsL1: RegisterAddress = 0x1FA4
    /// `1fa5`: utility volts, leg 2.
    public static let pz200UtilityVoltsL2: RegisterAddress = 0x1FA5
    /// `1fa6`: utility volts, leg 3 (three-phase only).
    public static let pz200UtilityVoltsL3: RegisterAddress = 0x1FA6
    /// `2008`: oil level.
    public static let pz200OilLevel: RegisterAddress = 0x2008
    /// `2134`: real power, kW × 10.
    public static let pz200RealPower: RegisterAddress = 0x2134
    /// `2135`: reactive power, as stored.
    public static let pz200ReactivePower: RegisterAddress = 0x2135
    /// `2136`: apparent power, as stored.
    public static let pz200ApparentPower: RegisterAddress = 0x2136
    /// `2137`: minutes of the current or last run.
    public static let pz200RunMinutes: RegisterAddress = 0x2137
    /// `2138`: kWh of the last run.
    public static let pz200LastRunKWh: RegisterAddress = 0x2138
    /// `2166`: bit 0 = the transfer switch is on the generator.
    public static let pz200TransferSwitch: RegisterAddress = 0x2166
    /// `2198`–`21ac`: 21 warning flag registers, one per condition, non-zero = active.
    public static let pz200WarningFlags: RegisterAddress = 0x2198
    /// `21ca`–`21f1`: 40 alarm flag registers, one per condition, non-zero = active.
    public static let pz200AlarmFlags: RegisterAddress = 0x21CA
}
