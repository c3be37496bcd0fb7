/// The configuration keys (genmon.conf `[GenMon]`) that change how registers are decoded or
/// commands are encoded, with upstream's defaults. `nil` means "key not present in the file".
public struct GeneracSettings: Sendable, Equatable, Hashable {
    /// `nexus_legacy_freq`: NexusLC `0008` holds Hz/2, so it is doubled.
    public var nexusLegacyFrequency: Bool = true
    /// `ignore_unknown`: drop the ASCII-looking status/model values some Evo2 units return.
    public var ignoreUnknown: Bool = true
    /// `enhancedexercise`: allow biweekly/monthly exercise (automatic on Evo2, PowerPact, Synergy, PZ200).
    public var enhancedExercise: Bool = false
    /// `uselegacysetexercise`: always use the indexed (index 6) exercise write.
    public var useLegacySetExercise: Bool = false
    /// `evolutioncontroller`: replaces Evolution-vs-Nexus detection when present.
    public var evolutionControllerOverride: Bool? = nil
    /// `liquidcooled`: replaces liquid-vs-air detection when present.
    public var liquidCooledOverride: Bool? = nil
    /// `nominalfrequency` (Hz).
    public var nominalFrequency: Int? = nil
    /// `nominalRPM`.
    public var nominalRPM: Int? = nil
    /// `nominalKW`.
    public var nominalKW: Double? = nil
    /// `model` (model name, used by the fuel-type rules).
    public var model: String? = nil
    /// `fueltype`.
    public var fuelType: FuelType? = nil
    /// `usenominallinevolts` + `nominallinevolts`: use the configured line voltage instead of the model table.
    public var useNominalLineVolts: Bool = false
    public var nominalLineVolts: Int = 240
    /// `currentdivider` (only used when > 0) and `currentoffset`.
    public var currentDivider: Double? = nil
    public var currentOffset: Double? = nil
    /// `legacy_power`: EvoAC current from the `003a` pair instead of the two CTs.
    public var legacyPower: Bool = false
    /// `disablepowerlog`: no current / power at all.
    public var disablePowerLog: Bool = false
    /// `additionalrunhours`: added to the controller's run hours.
    public var additionalRunHours: Double = 0
    /// `serialnumberifmissing`: reported when the controller was replaced (must be 10 digits).
    public var serialNumberIfMissing: String? = nil
    /// `alternate_date_format`: day first in dates.
    public var alternateDateFormat: Bool = false
    /// `show_hours_activation`: `0054` as "N h" (true) or "Y years, D days, H hours".
    public var showHoursActivation: Bool = true
    /// `threephaseutilitycompensation`: do not halve `0009` on 3-phase air-cooled models.
    public var threePhaseUtilityCompensation: Bool = false
    /// `smart_transfer_switch`: hides exercise and remote start / transfer.
    public var smartTransferSwitch: Bool = false
    /// `metricweather`: Evo2 ambient temperature in °C.
    public var metric: Bool = false

    public init() {}

    /// All defaults, as upstream ships genmon.conf.
    public static let defaults = GeneracSettings()
}
