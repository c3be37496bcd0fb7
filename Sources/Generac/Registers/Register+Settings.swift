/// Settings, exercise schedule and service counters.
extension Register {
    // MARK: Exercise

    /// `0005`: exercise time as the controller reports it, hour (hi) / minute (lo).
    public static let exerciseTime: RegisterAddress = 0x0005
    /// `0006`: exercise weekday (hi, 0 = Sunday) and quiet mode (lo) as the controller reports them.
    public static let exerciseDayAndQuietMode: RegisterAddress = 0x0006
    /// `002c`: exercise time write target, hour (hi) / minute (lo); read back through `0005`.
    public static let exerciseTimeWrite: RegisterAddress = 0x002C
    /// `002d`: exercise frequency in the lo byte: 0 weekly, 1 biweekly, 2 monthly.
    public static let exerciseFrequency: RegisterAddress = 0x002D
    /// `002e`: exercise day write target: weekday, or day of month when monthly (read back here then).
    public static let exerciseDay: RegisterAddress = 0x002E
    /// `002f`: quiet-mode exercise write target (lo byte 0 / 1); read back through `0006`.
    public static let quietModeWrite: RegisterAddress = 0x002F
    /// `023e`: exercise duration in minutes (liquid-cooled Evolution, PZ200).
    public static let exerciseDuration: RegisterAddress = 0x023E

    // MARK: Delays and voltages

    /// `002b`: start-up delay in seconds, air-cooled Evolution.
    public static let airCooledStartupDelay: RegisterAddress = 0x002B
    /// `0239`: start-up delay in seconds, liquid-cooled Evolution.
    public static let liquidCooledStartupDelay: RegisterAddress = 0x0239
    /// `0238`: warm-up delay in seconds (liquid-cooled Evolution).
    public static let warmUpDelay: RegisterAddress = 0x0238
    /// `023f`: diesel pre-heat time in seconds (liquid-cooled Evolution).
    public static let preheatTime: RegisterAddress = 0x023F
    /// `023b`: utility pickup (recovery) voltage (liquid-cooled Evolution, Evolution 2.0).
    public static let utilityPickupVolts: RegisterAddress = 0x023B
    /// `0237`: set output voltage (liquid-cooled Evolution).
    public static let setOutputVolts: RegisterAddress = 0x0237
    /// `0059`: target (rated) volts (liquid-cooled Evolution).
    public static let targetVolts: RegisterAddress = 0x0059
    /// `005a`: target (rated) frequency in Hz (liquid-cooled Evolution).
    public static let targetFrequency: RegisterAddress = 0x005A
    /// `0255`: return-to-utility delay in seconds (PZ200).
    public static let returnToUtilityDelay: RegisterAddress = 0x0255
    /// `0256`: cool-down time in seconds (PZ200).
    public static let coolDownTime: RegisterAddress = 0x0256

    // MARK: Calibration and liquid-cooled model

    /// `0208`: calibrate volts (all but pre-Nexus).
    public static let calibrateVolts: RegisterAddress = 0x0208
    /// `0209`: utility calibrate volts; listed, not decoded.
    public static let utilityCalibrateVolts: RegisterAddress = 0x0209
    /// `020a`: liquid-cooled parameter group, a key of the liquid-cooled model lookup.
    public static let parameterGroup: RegisterAddress = 0x020A
    /// `020b`: liquid-cooled voltage code, a key of the liquid-cooled model lookup.
    public static let voltageCode: RegisterAddress = 0x020B
    /// `020c`: liquid-cooled fuel type: 0 propane, 1 natural gas, 2 diesel.
    public static let fuelTypeCode: RegisterAddress = 0x020C
    /// `020e`: volts per hertz (liquid-cooled Evolution).
    public static let voltsPerHertz: RegisterAddress = 0x020E
    /// `0235`: gain (liquid-cooled Evolution).
    public static let gain: RegisterAddress = 0x0235

    // MARK: Service counters (the meaning of an address depends on the family)

    /// `001a` on Evolution: hours until service A.
    public static let evolutionServiceAHours: RegisterAddress = 0x001A
    /// `001b` on Evolution: service A due date (days since 1970).
    public static let evolutionServiceADueDate: RegisterAddress = 0x001B
    /// `001e` on Evolution: hours until service B.
    public static let evolutionServiceBHours: RegisterAddress = 0x001E
    /// `001f` on Evolution: service B due date (days since 1970).
    public static let evolutionServiceBDueDate: RegisterAddress = 0x001F
    /// `0022` on air-cooled Evolution: battery check due date (no hours).
    public static let evolutionBatteryCheckDueDate: RegisterAddress = 0x0022

    /// `001a` on Nexus liquid-cooled: hours until the oil and filter change.
    public static let nexusLCOilHours: RegisterAddress = 0x001A
    /// `001b` on Nexus liquid-cooled: oil and filter change due date.
    public static let nexusLCOilDueDate: RegisterAddress = 0x001B
    /// `001c` on Nexus (both coolings): hours until the air-filter service.
    public static let nexusAirFilterHours: RegisterAddress = 0x001C
    /// `001d` on Nexus liquid-cooled: air-filter service due date.
    public static let nexusLCAirFilterDueDate: RegisterAddress = 0x001D
    /// `001e` on Nexus liquid-cooled: hours until the spark-plug change.
    public static let nexusLCSparkPlugHours: RegisterAddress = 0x001E
    /// `001f` on Nexus liquid-cooled: spark-plug change due date.
    public static let nexusLCSparkPlugDueDate: RegisterAddress = 0x001F

    /// `001a` on Nexus air-cooled: hours until the spark-plug service.
    public static let nexusACSparkPlugHours: RegisterAddress = 0x001A
    /// `001b` on Nexus air-cooled: spark-plug service due date.
    public static let nexusACSparkPlugDueDate: RegisterAddress = 0x001B
    /// `001d` on Nexus air-cooled: battery service due date.
    public static let nexusACBatteryDueDate: RegisterAddress = 0x001D
    /// `001e` on Nexus air-cooled: hours until the oil and oil-filter service.
    public static let nexusACOilHours: RegisterAddress = 0x001E
    /// `001f` on Nexus air-cooled: hours until the battery service.
    public static let nexusACBatteryHours: RegisterAddress = 0x001F
    /// `0020` on Nexus air-cooled: oil service due date.
    public static let nexusACOilDueDate: RegisterAddress = 0x0020
    /// `0021` on Nexus air-cooled: hours until "other" service (checked for service due, never shown).
    public static let nexusACOtherServiceHours: RegisterAddress = 0x0021
    /// `0022` on Nexus air-cooled: air-filter service due date.
    public static let nexusACAirFilterDueDate: RegisterAddress = 0x0022

    // MARK: Polled and listed, meaning unknown or not decoded

    /// `0032`: unknown sensor; ramps from 0x4000 down after a start.
    public static let unknownRampingSensor: RegisterAddress = 0x0032
    /// `0033`: unknown sensor.
    public static let unknownSensor0033: RegisterAddress = 0x0033
    /// `0034`: unknown sensor.
    public static let unknownSensor0034: RegisterAddress = 0x0034
    /// `0035`: unknown sensor.
    public static let unknownSensor0035: RegisterAddress = 0x0035
    /// `0036`: unknown sensor.
    public static let unknownSensor0036: RegisterAddress = 0x0036
    /// `0037`: a current-transformer signal, not decoded.
    public static let currentTransformerSignal: RegisterAddress = 0x0037
    /// `0038`: unknown sensor.
    public static let unknownSensor0038: RegisterAddress = 0x0038
    /// `0039`: unknown sensor.
    public static let unknownSensor0039: RegisterAddress = 0x0039
    /// `004c`: unknown.
    public static let unknown004C: RegisterAddress = 0x004C
    /// `0055`: unknown.
    public static let unknown0055: RegisterAddress = 0x0055
    /// `0056`: status bits of unknown meaning that change while running.
    public static let runningStatusBits: RegisterAddress = 0x0056
    /// `0057`: status bits of unknown meaning that change when the engine starts.
    public static let startStatusBits: RegisterAddress = 0x0057
    /// `005c`: unknown, possibly a model code.
    public static let unknown005C: RegisterAddress = 0x005C
    /// `020d`: unknown setting.
    public static let unknownSetting020D: RegisterAddress = 0x020D
    /// `020f`: unknown setting.
    public static let unknownSetting020F: RegisterAddress = 0x020F
    /// `0212`: unknown status.
    public static let unknownStatus0212: RegisterAddress = 0x0212
    /// `0213`: Wi-Fi signal strength (Evolution 2.0), not decoded.
    public static let wifiSignalStrength: RegisterAddress = 0x0213
    /// `0234`: unknown.
    public static let unknown0234: RegisterAddress = 0x0234
    /// `0236`: two-wire start setting, not decoded.
    public static let twoWireStartSetting: RegisterAddress = 0x0236
    /// `023a`: activation flag, not decoded.
    public static let activationFlag: RegisterAddress = 0x023A
    /// `023d`: EEPROM version, not decoded.
    public static let eepromVersion: RegisterAddress = 0x023D
    /// `0241`: unknown setting.
    public static let unknownSetting0241: RegisterAddress = 0x0241
    /// `0242`: unknown setting.
    public static let unknownSetting0242: RegisterAddress = 0x0242
    /// `0243`: unknown setting.
    public static let unknownSetting0243: RegisterAddress = 0x0243
    /// `0244`: unknown setting.
    public static let unknownSetting0244: RegisterAddress = 0x0244
    /// `0245`: unknown setting.
    public static let unknownSetting0245: RegisterAddress = 0x0245
    /// `0246`: unknown setting.
    public static let unknownSetting0246: RegisterAddress = 0x0246
    /// `0247`: unknown setting.
    public static let unknownSetting0247: RegisterAddress = 0x0247
    /// `0248`: unknown setting.
    public static let unknownSetting0248: RegisterAddress = 0x0248
    /// `0249`: unknown setting.
    public static let unknownSetting0249: RegisterAddress = 0x0249
    /// `024a`: unknown setting.
    public static let unknownSetting024A: RegisterAddress = 0x024A
    /// `0258`: unknown setting.
    public static let unknownSetting0258: RegisterAddress = 0x0258
    /// `025a`: unknown setting.
    public static let unknownSetting025A: RegisterAddress = 0x025A
    /// `05f2`: unknown.
    public static let unknown05F2: RegisterAddress = 0x05F2
    /// `05f3`: a counter of unknown meaning.
    public static let unknownCounter05F3: RegisterAddress = 0x05F3
    /// `05fa`: unknown sensor.
    public static let unknownSensor05FA: RegisterAddress = 0x05FA
}
