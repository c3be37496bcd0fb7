/// Output current as upstream computes it (docs/registers.md#current-and-power). Legs exist on EvoAC and PZ200 only.
public struct OutputCurrent: Sendable, Equatable, Hashable {
    /// "Output Current" in A (on EvoAC the average of the two legs).
    public let totalAmps: Double
    public let leg1Amps: Double?
    public let leg2Amps: Double?

    public init(totalAmps: Double, leg1Amps: Double? = nil, leg2Amps: Double? = nil) {
        self.totalAmps = totalAmps
        self.leg1Amps = leg1Amps
        self.leg2Amps = leg2Amps
    }
}

/// Scalar electrical decoders shared by the monitor and the simulator.
public enum Electrical {
    /// `000a` is volts × 10.
    public static func batteryVolts(_ image: RegisterImage) -> Double { Double(image[Register.batteryVolts]) / 10 }

    /// `0007`; the Evolution 4.5 L reports 0 whenever the engine is stopped or off.
    public static func rpm(_ image: RegisterImage, identity: ControllerIdentity, engine: EngineState) -> Int {
        if identity.isEvolution45L, engine.isStoppedOrOff { return 0 }
        return Int(image[Register.engineRPM])
    }

    /// `0008`: Hz × 10 on EvoLC, Synergy and PZ200; Hz/2 on NexusLC (doubled by default); Hz elsewhere.
    public static func frequencyHz(_ image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings) -> Double {
        let raw = Double(image[Register.outputFrequency])
        if identity.isEvolutionLC || identity.isSynergy || identity.isPZ200 { return raw / 10 }
        if identity.isNexusLC { return settings.nexusLegacyFrequency ? raw * 2 : raw }
        return raw
    }

    /// `0009`, halved (integer) on 3-phase air-cooled models unless compensation is configured.
    public static func utilityVolts(_ image: RegisterImage, identity: ControllerIdentity, model: ModelInfo,
                                    settings: GeneracSettings) -> Int {
        let raw = Int(image[Register.utilityVolts])
        if identity.isAirCooled, model.phase == 3, !settings.threePhaseUtilityCompensation { return raw / 2 }
        return raw
    }

    /// Utility pickup (recovery) volts: `023b` on EvoLC and Evo2; nil elsewhere (fixed 190 V).
    public static func pickupVolts(_ image: RegisterImage, identity: ControllerIdentity) -> Int? {
        identity.isEvolutionLC || identity.isEvolution2 ? Int(image[Register.utilityPickupVolts]) : nil
    }

    /// Upstream's defaults when a controller reports 0 (or has no register).
    public static let defaultPickupVolts = 190
    public static let defaultThresholdVolts = 143

    /// `round(120 · f / rpm)` (ties to even, like Python), 0 without rpm or when above 4.
    public static func activeRotorPoles(frequencyHz: Double, rpm: Int) -> Int {
        guard rpm > 0 else { return 0 }
        let poles = (120 * frequencyHz / Double(rpm)).rounded(.toNearestOrEven)
        guard poles.isFinite, poles >= 0, poles <= 4 else { return 0 }
        return Int(poles)
    }

    /// Experimental "calculated frequency": rpm · poles / 120.
    public static func calculatedFrequency(rpm: Int, poles: Int) -> Double { Double(rpm * poles) / 120 }

    /// Current per variant. Call only when the power meter is supported; zero while the engine is
    /// stopped or off.
    public static func outputCurrent(_ image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings,
                                     nominal: NominalValues, engine: EngineState, outputVolts: Int) -> OutputCurrent {
        let hasLegs = identity.isPZ200 || (identity.isEvolutionAC)
        guard !engine.isStoppedOrOff else {
            return hasLegs ? OutputCurrent(totalAmps: 0, leg1Amps: 0, leg2Amps: 0) : OutputCurrent(totalAmps: 0)
        }
        let divider = settings.currentDivider.flatMap { $0 > 0 ? $0 : nil }
        let offset = settings.currentOffset ?? 0
        let clamp = { (amps: Double) in clampCurrent(amps, outputVolts: outputVolts, nominal: nominal) }

        if identity.isPZ200 {
            let leg1 = Double(image[Register.pz200OutputAmpsL1]) / 100, leg2 = Double(image[Register.pz200OutputAmpsL2]) / 100
            return OutputCurrent(totalAmps: round2(leg1 + leg2), leg1Amps: round2(leg1), leg2Amps: round2(leg2))
        }
        if identity.isEvolutionLC {
            let divisor = divider ?? (FirmwareVersion.firmware(image).reportsHallCurrentInMilliamps ? 1000 : 100)
            return OutputCurrent(totalAmps: clamp(abs(round2(Double(image[Register.hallCurrentSensor]) / divisor + offset))))
        }
        if identity.isEvolutionAC {
            if settings.legacyPower {
                let raw = Double(abs(Int64(Int32(bitPattern: image.pair(at: Register.legacyCurrentSensor)))))
                let kW = nominal.kilowatts ?? 0
                let divisor = divider ?? (kW > 0 ? 22 / kW * 22 : 0)
                guard divisor > 0 else { return OutputCurrent(totalAmps: 0, leg1Amps: 0, leg2Amps: 0) }
                let amps = clamp(round2((raw + offset) / divisor))
                return OutputCurrent(totalAmps: amps, leg1Amps: amps, leg2Amps: amps)
            }
            let c1 = Double(image[Register.currentTransformer1]), c2 = Double(image[Register.currentTransformer2])
            return OutputCurrent(
                totalAmps: clamp(round2((c1 + c2 + offset) / (divider ?? 20))),
                leg1Amps: clamp(round2((c1 + offset) / (divider ?? 10))),
                leg2Amps: clamp(round2((c2 + offset) / (divider ?? 10)))
            )
        }
        return OutputCurrent(totalAmps: 0)
    }

    /// Output power in kW: volts × amps / 1000 rounded to 3 places (PZ200: `2134` / 10).
    public static func outputPowerKW(_ image: RegisterImage, identity: ControllerIdentity, current: OutputCurrent,
                                     outputVolts: Int, engine: EngineState) -> Double {
        guard !engine.isStoppedOrOff else { return 0 }
        if identity.isPZ200 { return Double(image[Register.pz200RealPower]) / 10 }
        return round3(Double(outputVolts) * current.totalAmps / 1000)
    }

    /// Upstream's sanity clamp: only above 100 V output; too high → rated current, negative → 0.
    static func clampCurrent(_ amps: Double, outputVolts: Int, nominal: NominalValues) -> Double {
        guard outputVolts > 100, let kW = nominal.kilowatts, nominal.effectiveLineVolts > 0 else { return amps }
        let rated = kW * 1000 / Double(nominal.effectiveLineVolts)
        // A nonsensical configured kW (negative, infinite) would make the clamp itself wrong.
        guard rated.isFinite, rated > 0 else { return amps < 0 ? 0 : amps }
        if amps > rated + 2 { return round2(rated) }
        if amps < 0 { return 0 }
        return amps
    }

    static func round2(_ value: Double) -> Double { (value * 100).rounded(.toNearestOrEven) / 100 }
    static func round3(_ value: Double) -> Double { (value * 1000).rounded(.toNearestOrEven) / 1000 }
}
