/// Every controller register genmon knows, by name: the one place an address is written down.
///
/// The register tables (`RegisterMap`), the decoders, the commands, the log ranges and the
/// simulator all refer to these names. Where one address means different things on different
/// controller families, each meaning has its own name (they share the address); the service
/// counters are the main case. docs/registers.md describes each one: words, scaling, which
/// families decode it and how often genmon reads it.
public enum Register {
    // MARK: Identity and status

    /// `0000`: product code, the controller family (see docs/registers.md#product-codes).
    public static let productCode: RegisterAddress = 0x0000
    /// `0001`–`0002`: the status pair, read as one 2-word value (`StatusPair`).
    public static let statusPair: RegisterAddress = 0x0001
    /// `0001`: engine state code in the low five bits (first word of the status pair).
    public static let engineState: RegisterAddress = 0x0001
    /// `0002`: front-panel mode, or the alarm / warning index while one is active.
    public static let modeOrAlarmIndex: RegisterAddress = 0x0002
    /// `000d`: change flags (powered up, clock changed, exercise changed); read, not decoded.
    public static let changeFlags: RegisterAddress = 0x000D
    /// `0018`: bit 0 = the controller missed an exercise; cleared when read.
    public static let missedExerciseFlag: RegisterAddress = 0x0018
    /// `0019`: air-cooled model ID, the key into the air-cooled model tables.
    public static let airCooledModelID: RegisterAddress = 0x0019
    /// `002a`: hardware version (hi byte) and firmware version (lo byte), each × 100.
    public static let versions: RegisterAddress = 0x002A
    /// `0051`: boot-code version; listed, not decoded.
    public static let bootCodeVersion: RegisterAddress = 0x0051
    /// `0062`: status LED, an ASCII letter in the lo byte (Evolution 2.0, PowerPact).
    public static let statusLED: RegisterAddress = 0x0062
    /// `01f4`–`01f8`: serial number, 10 ASCII characters in 5 words.
    public static let serialNumber: RegisterAddress = 0x01F4
    /// `05f1`: last alarm code, the binary value of the decimal alarm-catalog code (Evolution).
    public static let lastAlarmCode: RegisterAddress = 0x05F1
    /// `07e6`: firmware build, major; listed, not decoded.
    public static let firmwareBuildMajor: RegisterAddress = 0x07E6
    /// `07e7`: firmware build, minor; listed, not decoded.
    public static let firmwareBuildMinor: RegisterAddress = 0x07E7

    // MARK: Engine and line

    /// `0007`: engine speed in rpm.
    public static let engineRPM: RegisterAddress = 0x0007
    /// `0008`: output frequency; Hz × 10, Hz / 2 or whole Hz depending on the family.
    public static let outputFrequency: RegisterAddress = 0x0008
    /// `0009`: utility (mains) voltage in volts.
    public static let utilityVolts: RegisterAddress = 0x0009
    /// `000a`: battery voltage × 10.
    public static let batteryVolts: RegisterAddress = 0x000A
    /// `000b`–`000c`: engine run hours, 32 bits, high word first (Nexus, air-cooled Evolution).
    public static let runHours: RegisterAddress = 0x000B
    /// `000c`: low word of `runHours`.
    public static let runHoursLowWord: RegisterAddress = 0x000C
    /// `0011`: utility threshold voltage; below it the controller sees an outage.
    public static let utilityThresholdVolts: RegisterAddress = 0x0011
    /// `0012`: generator output voltage in volts.
    public static let outputVolts: RegisterAddress = 0x0012
    /// `003a`–`003b`: legacy current sensor, 32 bits (air-cooled Evolution with `legacy_power`).
    public static let legacyCurrentSensor: RegisterAddress = 0x003A
    /// `003c`: raw speed sensor, about rpm / 6; listed, not decoded.
    public static let rawSpeedSensor: RegisterAddress = 0x003C
    /// `0052`: digital inputs (buttons, E-stop, oil, coolant, fuel), liquid-cooled Evolution.
    public static let sensorInputs: RegisterAddress = 0x0052
    /// `0053`: relay outputs (transfer, starter, fuel, charger …), liquid-cooled Evolution.
    public static let relayOutputs: RegisterAddress = 0x0053
    /// `0054`: hours since activation.
    public static let hoursSinceActivation: RegisterAddress = 0x0054
    /// `0058`: Hall-effect output current sensor (liquid-cooled Evolution).
    public static let hallCurrentSensor: RegisterAddress = 0x0058
    /// `005d`: fuel level sensor in percent (liquid-cooled Evolution burning diesel).
    public static let fuelLevelSensor: RegisterAddress = 0x005D
    /// `005e`–`005f`: total engine run minutes, 32 bits, high word first (liquid-cooled Evolution, PZ200).
    public static let runMinutes: RegisterAddress = 0x005E
    /// `005f`: low word of `runMinutes`.
    public static let runMinutesLowWord: RegisterAddress = 0x005F
    /// `05ed`: ambient temperature: whole °F on Evolution 2.0, a raw thermistor value on liquid-cooled Evolution.
    public static let ambientTemperature: RegisterAddress = 0x05ED
    /// `05ee`: battery charger current in mA.
    public static let batteryChargerCurrent: RegisterAddress = 0x05EE
    /// `05f4`: current transformer 1, A × 10 (air-cooled Evolution).
    public static let currentTransformer1: RegisterAddress = 0x05F4
    /// `05f5`: current transformer 2, A × 10 (air-cooled Evolution).
    public static let currentTransformer2: RegisterAddress = 0x05F5
    /// `05f6`: current calibration 1 (air-cooled Evolution).
    public static let currentCalibration1: RegisterAddress = 0x05F6
    /// `05f7`: current calibration 2 (air-cooled Evolution).
    public static let currentCalibration2: RegisterAddress = 0x05F7

    // MARK: Clock

    /// `000e`: controller clock, hour (hi) / minute (lo); the 3-word clock write starts here.
    public static let clockTime: RegisterAddress = 0x000E
    /// `000f`: controller clock, month (hi) / day (lo).
    public static let clockDate: RegisterAddress = 0x000F
    /// `0010`: controller clock, weekday (hi, 0 = Sunday) / year − 2000 (lo).
    public static let clockWeekdayAndYear: RegisterAddress = 0x0010

    // MARK: Commands (written)

    /// `0003`: indexed command register; writing an index runs that command.
    public static let commandIndex: RegisterAddress = 0x0003
    /// `0004`: value for the next indexed command, written before `0003`.
    public static let commandValue: RegisterAddress = 0x0004
    /// `ea60`–`ea70`: where the Evolution 2.0 unlock frames are written (17 words each).
    public static let evolution2Unlock: RegisterAddress = 0xEA60
    /// The 17 registers one unlock frame covers.
    public static let evolution2UnlockBlock: ClosedRange<RegisterAddress> = 0xEA60...0xEA70

    // MARK: Logs (first, newest entry of each)

    /// `012c`: run (start/stop) log, all controllers; 50 entries of 4 words.
    public static let runLog: RegisterAddress = 0x012C
    /// `03e8`: Evolution alarm log; 50 entries of 5 words (the fifth is the alarm code).
    public static let evolutionAlarmLog: RegisterAddress = 0x03E8
    /// `04e2`: Evolution service log; 50 entries of 4 words.
    public static let evolutionServiceLog: RegisterAddress = 0x04E2
    /// `0064`: Nexus (and pre-Nexus) alarm log; 50 entries of 4 words.
    public static let nexusAlarmLog: RegisterAddress = 0x0064
}
