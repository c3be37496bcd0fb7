/// What a controller offers, so the UI, command service and simulator agree (see docs/registers.md#variant-differences).
extension ControllerIdentity {
    /// Biweekly / monthly exercise is switched on automatically for these controllers.
    public var enhancedExerciseIsAutomatic: Bool { isEvolution2 || isPowerPact || isSynergy || isPZ200 }

    /// Whether the exercise frequency register (`002d`) is honoured under these settings.
    public func enhancedExerciseActive(_ settings: GeneracSettings) -> Bool {
        settings.enhancedExercise || enhancedExerciseIsAutomatic
    }

    /// Quiet-mode write (`002f`): Evolution liquid-cooled or Evolution 2.0 only.
    public var supportsQuietModeWrite: Bool { isEvolution && (isLiquidCooled || isEvolution2) }

    /// Reset alarm (index 0x0D) is offered on EvoLC and Evo2.
    public var offersResetAlarm: Bool { isEvolutionLC || isEvolution2 }

    /// Front-panel Auto / Manual / Off (indexes 0x0E–0x10) are offered on EvoLC except the 4.5 L.
    public var offersFrontPanelButtons: Bool { isEvolutionLC && !isEvolution45L }

    /// Remote start / stop / start+transfer are offered unless a smart transfer switch is configured or PZ200.
    public func offersRemoteStartStop(_ settings: GeneracSettings) -> Bool {
        !settings.smartTransferSwitch && !isPZ200
    }

    /// The EvoLC push-button writes (docs/registers.md#evolc-buttons) are loaded for EvoLC.
    public var offersEvoLCButtons: Bool { isEvolutionLC }

    /// Evolution controllers keep a service log and a 5-word alarm log.
    public var hasServiceLog: Bool { isEvolution }

    /// "Power meter" (current and power from controller registers, docs/registers.md#current-and-power).
    public func powerMeterSupported(settings: GeneracSettings, model: ModelInfo) -> Bool {
        guard !settings.disablePowerLog, isEvolution, !isPowerPact else { return false }
        guard let kW = settings.nominalKW ?? model.kilowatts, kW != 0 else { return false }
        // Three-phase air-cooled models: upstream disables the power meter.
        if isAirCooled, model.phase == 3 { return false }
        return true
    }
}
