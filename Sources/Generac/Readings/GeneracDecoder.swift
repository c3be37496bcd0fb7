import Foundation

/// The single entry point from a register image to typed readings.
public enum GeneracDecoder {
    /// Decodes an image.
    /// - Parameters:
    ///   - identity: from `ControllerIdentity.detect` (usually once, after reading `0000`).
    ///   - timeZone: the monitor's zone; service due dates are local dates (docs/registers.md#clock-and-dates).
    ///   - statusPair: the pair the monitor's `StatusTracker` accepted; nil filters the image's
    ///     own pair against upstream's initial value (what a fresh monitor would show).
    public static func decode(image: RegisterImage, identity: ControllerIdentity,
                              settings: GeneracSettings = .defaults, timeZone: TimeZone,
                              statusPair: StatusPair? = nil) -> GeneratorReadings {
        let pair = statusPair ?? StatusPair.effective(StatusPair(image: image), identity: identity, settings: settings)
        let model = ModelInfo.lookup(image: image, identity: identity, settings: settings)
        let nominal = NominalValues.compute(identity: identity, model: model, settings: settings)
        let status = decodeStatus(image: image, pair: pair, identity: identity)
        let engine = decodeEngine(image: image, identity: identity, settings: settings, model: model,
                                  nominal: nominal, engineState: status.engineState)
        return GeneratorReadings(
            identity: identity,
            model: model,
            nominal: nominal,
            status: status,
            engine: engine,
            line: decodeLine(image: image, identity: identity, settings: settings, model: model),
            maintenance: MaintenanceReadings(
                serialNumber: IdentityDecoders.serialNumber(image, identity: identity, settings: settings),
                hardwareVersion: .hardware(image),
                firmwareVersion: .firmware(image),
                totalRunHours: IdentityDecoders.runHours(image, identity: identity, settings: settings),
                serviceItems: ServiceSchedule.items(image: image, identity: identity, timeZone: timeZone)
            ),
            settings: decodeSettings(image: image, identity: identity, nominal: nominal),
            exercise: ExerciseSettings.decode(image: image, identity: identity, settings: settings),
            clock: ControllerClock.decode(image),
            logs: ControllerLogs.decode(image: image, identity: identity),
            pz200: identity.isPZ200 ? PZ200Readings.decode(image) : nil
        )
    }

    /// Detects the controller from `0000` and decodes.
    public static func decode(image: RegisterImage, settings: GeneracSettings = .defaults, timeZone: TimeZone) -> GeneratorReadings {
        decode(image: image, identity: .detect(in: image, settings: settings),
               settings: settings, timeZone: timeZone)
    }

    static func decodeStatus(image: RegisterImage, pair: StatusPair, identity: ControllerIdentity) -> StatusReadings {
        let switchState = identity.isPZ200 ? (SwitchState.decodePZ200(pair) ?? .auto) : SwitchState.decode(pair)
        let alarm = identity.isPZ200
            ? AlarmState.decodePZ200(pair: pair, image: image)
            : AlarmState.decode(pair: pair, switchState: switchState, identity: identity, lastAlarmCode: image[Register.lastAlarmCode])
        let engineState = EngineState.decode(pair, systemInAlarm: alarm.isActive)
        let serviceDueAlarm = identity.isPZ200 ? image[Register.pz200MaintenanceDue] & 1 != 0 : pair.serviceDue != nil
        let serviceHoursDue = ServiceSchedule.hoursDue(image: image, identity: identity)
        return StatusReadings(
            statusPair: pair,
            engineState: engineState,
            switchState: switchState,
            alarm: alarm,
            serviceDueAlarm: serviceDueAlarm,
            serviceHoursDue: serviceHoursDue,
            baseStatus: .evaluate(inAlarm: alarm.isActive, serviceDueAlarm: serviceDueAlarm,
                                  serviceHoursDue: serviceHoursDue, engineText: engineState.description,
                                  switchText: switchState.rawValue),
            ledState: identity.isEvolution2 || identity.isPowerPact ? LEDState(byte: image.lowByte(Register.statusLED)) : nil,
            lastAlarmCode: identity.isEvolution ? image[Register.lastAlarmCode] : nil
        )
    }

    static func decodeEngine(image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings,
                             model: ModelInfo, nominal: NominalValues, engineState: EngineState) -> EngineReadings {
        let rpm = Electrical.rpm(image, identity: identity, engine: engineState)
        let frequency = Electrical.frequencyHz(image, identity: identity, settings: settings)
        let outputVolts = identity.isPreNexus || identity.isPowerPact ? nil : Int(image[Register.outputVolts])
        var current: OutputCurrent?
        var power: Double?
        if identity.powerMeterSupported(settings: settings, model: model) {
            let volts = Int(image[Register.outputVolts])
            let amps = Electrical.outputCurrent(image, identity: identity, settings: settings, nominal: nominal,
                                                engine: engineState, outputVolts: volts)
            current = amps
            power = Electrical.outputPowerKW(image, identity: identity, current: amps, outputVolts: volts, engine: engineState)
        }
        let chargerShown = identity.isEvolution && !identity.isPowerPact && !identity.isSynergy && !identity.isPZ200
        // The original shows its fuel level sensor only on a liquid-cooled Evolution burning diesel.
        let fuelSensorShown = identity.isEvolutionLC && nominal.fuelType == .diesel
        return EngineReadings(
            batteryVolts: Electrical.batteryVolts(image),
            batteryStatus: identity.isEvolutionLC ? (image[Register.relayOutputs] & 0x10 != 0 ? .charging : .notCharging) : nil,
            batteryChargerMilliamps: chargerShown ? Int(image[Register.batteryChargerCurrent]) : nil,
            rpm: rpm,
            frequencyHz: frequency,
            outputVolts: outputVolts,
            outputCurrent: current,
            outputPowerKW: power,
            activeRotorPoles: Electrical.activeRotorPoles(frequencyHz: frequency, rpm: rpm),
            activeRelays: identity.isEvolutionLC ? OutputRelays(rawValue: image[Register.relayOutputs]) : nil,
            activeSensors: identity.isEvolutionLC ? SensorInputs(raw: image[Register.sensorInputs], isDiesel: nominal.fuelType == .diesel) : nil,
            fuelLevelSensorPercent: fuelSensorShown ? Int(image[Register.fuelLevelSensor]) : nil,
            ambientTemperature: identity.isEvolution2 ? .evolution2(raw: image[Register.ambientTemperature], metric: settings.metric) : nil,
            experimentalAmbientCelsius: identity.isEvolutionLC ? IdentityDecoders.experimentalAmbientCelsius(raw: image[Register.ambientTemperature]) : nil
        )
    }

    static func decodeLine(image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings,
                           model: ModelInfo) -> LineReadings {
        var transfer: TransferSwitchState?
        if identity.isEvolutionLC {
            transfer = image[Register.relayOutputs] & 1 != 0 ? .generator : .utility
        } else if identity.isPZ200 {
            transfer = image[Register.pz200TransferSwitch] & 1 != 0 ? .generator : .utility
        }
        return LineReadings(
            transferSwitch: transfer,
            utilityVolts: Electrical.utilityVolts(image, identity: identity, model: model, settings: settings),
            thresholdVolts: Int(image[Register.utilityThresholdVolts]),
            outputVolts: Int(image[Register.outputVolts]),
            pickupVolts: Electrical.pickupVolts(image, identity: identity),
            setOutputVolts: identity.isEvolutionLC ? Int(image[Register.setOutputVolts]) : nil
        )
    }

    static func decodeSettings(image: RegisterImage, identity: ControllerIdentity, nominal: NominalValues) -> ControllerSettingsReadings {
        let evoLC = identity.isEvolutionLC
        let evoAC = identity.isEvolutionAC && !identity.isPZ200
        func value(_ address: RegisterAddress, when condition: Bool) -> Int? { condition ? Int(image[address]) : nil }
        let preheatEngine = nominal.engineDisplacement == "2.3 L" || nominal.engineDisplacement == "2.4 L"
        return ControllerSettingsReadings(
            calibrateCurrent1: value(Register.currentCalibration1, when: evoAC),
            calibrateCurrent2: value(Register.currentCalibration2, when: evoAC),
            calibrateVolts: value(Register.calibrateVolts, when: !identity.isPreNexus),
            parameterGroup: value(Register.parameterGroup, when: identity.isLiquidCooled),
            voltageCode: value(Register.voltageCode, when: identity.isLiquidCooled),
            liquidCooledPhase: identity.isLiquidCooled ? nominal.phase : nil,
            hoursSinceActivation: value(Register.hoursSinceActivation, when: evoLC || identity.isEvolution2),
            voltsPerHertz: value(Register.voltsPerHertz, when: evoLC),
            gain: value(Register.gain, when: evoLC),
            targetFrequencyHz: value(Register.targetFrequency, when: evoLC),
            targetVolts: value(Register.targetVolts, when: evoLC),
            startupDelaySeconds: identity.isEvolution ? Int(image[evoLC ? Register.liquidCooledStartupDelay : Register.airCooledStartupDelay]) : nil,
            warmUpDelaySeconds: value(Register.warmUpDelay, when: evoLC),
            preheatSeconds: value(Register.preheatTime, when: evoLC && preheatEngine),
            exerciseDurationMinutes: value(Register.exerciseDuration, when: evoLC || identity.isPZ200),
            returnToUtilityDelaySeconds: value(Register.returnToUtilityDelay, when: identity.isPZ200),
            coolDownSeconds: value(Register.coolDownTime, when: identity.isPZ200)
        )
    }
}
