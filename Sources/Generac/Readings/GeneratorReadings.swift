/// Everything decoded from one register image, grouped the way the reports group it.
///
/// Optionals follow one rule: nil means the original does not show that line for this controller
/// variant (not "zero" and not "unknown").
public struct GeneratorReadings: Sendable, Equatable {
    public var identity: ControllerIdentity
    public var model: ModelInfo
    public var nominal: NominalValues
    public var status: StatusReadings
    public var engine: EngineReadings
    public var line: LineReadings
    public var maintenance: MaintenanceReadings
    public var settings: ControllerSettingsReadings
    /// nil when the exercise registers do not decode (upstream prints an empty exercise time).
    public var exercise: ExerciseSettings?
    /// nil when the clock registers are invalid (upstream prints an empty generator time).
    public var clock: ControllerClock?
    public var logs: ControllerLogs
    /// Power Zone 200 only.
    public var pz200: PZ200Readings?
}

/// State, mode and alarm (docs/registers.md#status-pair and #base-status).
public struct StatusReadings: Sendable, Equatable {
    /// The pair the decoders used (after the Evo2 / PZ200 filters).
    public var statusPair: StatusPair
    public var engineState: EngineState
    public var switchState: SwitchState
    public var alarm: AlarmState
    /// Service A/B index in the status pair (PZ200: `0639` bit 0).
    public var serviceDueAlarm: Bool
    /// An hours-until-service counter is ≤ 1.
    public var serviceHoursDue: Bool
    public var baseStatus: BaseStatus
    /// Evo2 and PowerPact only.
    public var ledState: LEDState?
    /// Evolution only: `05f1`, the binary value of the last ALARMS.txt code (0 after power-up).
    public var lastAlarmCode: UInt16?

    public var isInAlarm: Bool { alarm.isActive }
    /// `<switch state>, <engine state>`, e.g. "Auto, Off - Ready".
    public var oneLine: String { switchState.rawValue + ", " + engineState.description }
}

/// The "Engine" block of the status report.
public struct EngineReadings: Sendable, Equatable {
    public var batteryVolts: Double
    /// EvoLC only.
    public var batteryStatus: BatteryStatus?
    /// Evolution except PowerPact, Synergy and PZ200 (`05ee`, mA).
    public var batteryChargerMilliamps: Int?
    public var rpm: Int
    public var frequencyHz: Double
    /// Not on PreNexus or PowerPact.
    public var outputVolts: Int?
    /// Only when the power meter is supported.
    public var outputCurrent: OutputCurrent?
    /// Only when the power meter is supported (kW, 3 decimals).
    public var outputPowerKW: Double?
    public var activeRotorPoles: Int
    /// EvoLC only.
    public var activeRelays: OutputRelays?
    /// EvoLC only.
    public var activeSensors: SensorInputs?
    /// "Fuel Level Sensor" in percent (`005d`): EvoLC burning diesel only, where the original shows it.
    public var fuelLevelSensorPercent: Int?
    /// Evo2 only ("Ambient Temperature Sensor").
    public var ambientTemperature: AmbientTemperature?
    /// EvoLC only, experimental upstream formula (°C).
    public var experimentalAmbientCelsius: Double?
}

/// The "Line" block of the status report and the voltages of the outage report.
public struct LineReadings: Sendable, Equatable {
    /// EvoLC and PZ200.
    public var transferSwitch: TransferSwitchState?
    public var utilityVolts: Int
    public var thresholdVolts: Int
    /// Generator output voltage (`0012`) on every controller, as the dashboard shows it; the status
    /// report's `engine.outputVolts` is the same value, left out on PreNexus and PowerPact.
    public var outputVolts: Int
    /// EvoLC and Evo2 (`023b`); elsewhere upstream uses a fixed 190 V.
    public var pickupVolts: Int?
    /// EvoLC only (`0237`).
    public var setOutputVolts: Int?

    /// Threshold and pickup as the outage logic uses them (0 → 143 / 190, missing pickup → 190).
    public var effectiveThresholdVolts: Int { thresholdVolts == 0 ? Electrical.defaultThresholdVolts : thresholdVolts }
    public var effectivePickupVolts: Int {
        guard let pickupVolts, pickupVolts != 0 else { return Electrical.defaultPickupVolts }
        return pickupVolts
    }
}

/// Identity and service data of the maintenance report.
public struct MaintenanceReadings: Sendable, Equatable {
    public var serialNumber: String
    public var hardwareVersion: FirmwareVersion
    public var firmwareVersion: FirmwareVersion
    /// Hours including `additionalrunhours`.
    public var totalRunHours: Double
    /// Per-variant counters in report order.
    public var serviceItems: [ServiceItem]
}

/// The "Controller Settings" block and the delays of the outage report.
public struct ControllerSettingsReadings: Sendable, Equatable {
    /// EvoAC (`05f6`, `05f7`).
    public var calibrateCurrent1: Int?
    public var calibrateCurrent2: Int?
    /// Not PreNexus (`0208`).
    public var calibrateVolts: Int?
    /// Liquid-cooled (`020a`, `020b`).
    public var parameterGroup: Int?
    public var voltageCode: Int?
    /// Liquid-cooled, when the model table knows the phase.
    public var liquidCooledPhase: Int?
    /// EvoLC and Evo2 (`0054`).
    public var hoursSinceActivation: Int?
    /// EvoLC (`020e`, `0235`, `005a`, `0059`).
    public var voltsPerHertz: Int?
    public var gain: Int?
    public var targetFrequencyHz: Int?
    public var targetVolts: Int?
    /// Evolution: `002b` air-cooled, `0239` liquid-cooled.
    public var startupDelaySeconds: Int?
    /// EvoLC (`0238`).
    public var warmUpDelaySeconds: Int?
    /// EvoLC with a 2.3 L or 2.4 L engine (`023f`).
    public var preheatSeconds: Int?
    /// EvoLC and PZ200 (`023e`).
    public var exerciseDurationMinutes: Int?
    /// PZ200 (`0255`, `0256`).
    public var returnToUtilityDelaySeconds: Int?
    public var coolDownSeconds: Int?
}
