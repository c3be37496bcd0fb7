import Generac

/// What the outputs show, independent of how the monitor keeps its snapshot: the monitor fills one of
/// these on every change and hands it to `OutputRules` / `GPIOOutputs`.
public struct GeneratorFacts: Sendable, Equatable, Hashable {
    /// The `getbase` state; nil before the controller has been read (no status pin is active then).
    public var baseState: BaseStatus?
    /// The last alarm code while in alarm, as a decimal number (Evolution register 05f1, e.g. 1400);
    /// nil when the controller does not report one (the original lights alarm-code pins on Evolution only).
    public var alarmCode: Int?
    /// The utility supply is out.
    public var utilityOut: Bool
    /// No usable answers from the controller.
    public var communicationLost: Bool
    /// genmon's own health is OK (the original's `gethealth` = `OK`).
    public var monitorHealthy: Bool
    /// Whether the internet can be reached; nil when not checked (the pin stays inactive).
    public var internetReachable: Bool?
    /// The computer's CPU temperature in °C; nil when unknown.
    public var cpuTemperatureCelsius: Double?
    /// Local time of day, for `PIN_EXTERNAL_SIGNAL`; nil leaves that pin inactive.
    public var localTime: TimeOfDay?

    public init(baseState: BaseStatus? = nil, alarmCode: Int? = nil, utilityOut: Bool = false, communicationLost: Bool = false,
                monitorHealthy: Bool = true, internetReachable: Bool? = nil, cpuTemperatureCelsius: Double? = nil, localTime: TimeOfDay? = nil) {
        self.baseState = baseState
        self.alarmCode = alarmCode
        self.utilityOut = utilityOut
        self.communicationLost = communicationLost
        self.monitorHealthy = monitorHealthy
        self.internetReachable = internetReachable
        self.cpuTemperatureCelsius = cpuTemperatureCelsius
        self.localTime = localTime
    }
}

/// One output pin's state: whether its condition holds, and the electrical level that means.
public struct OutputDrive: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var role: OutputRole
    /// BOARD pin number.
    public var pin: Int
    public var activeLow: Bool
    /// The role's condition holds.
    public var active: Bool

    public init(role: OutputRole, pin: Int, activeLow: Bool, active: Bool) {
        self.role = role
        self.pin = pin
        self.activeLow = activeLow
        self.active = active
    }

    /// The electrical level on the pin: true = high (3.3 V).
    public var level: Bool { active != activeLow }

    public var description: String {
        "\(RaspberryPiHeader.describe(pin: pin)) \(role.key) \(active ? "on" : "off") (\(level ? "high" : "low"))"
    }
}

/// Decides every configured output from the generator's facts, as the original's gengpio does:
/// a pure function, so the monitor can drive pins on each change instead of polling.
public struct OutputRules: Sendable, Equatable {
    public let configuration: OutputConfiguration
    /// Whether `CPU_THRESHOLD_TEMP` is in °C (genmon's metric setting) rather than °F.
    public let metric: Bool

    public init(configuration: OutputConfiguration, metric: Bool = false) {
        self.configuration = configuration
        self.metric = metric
    }

    /// Every configured pin for `facts`, in role order.
    public func drive(for facts: GeneratorFacts) -> [OutputDrive] {
        configuration.pins.map { OutputDrive(role: $0.role, pin: $0.pin, activeLow: $0.activeLow, active: isActive($0.role, facts)) }
    }

    /// Every configured pin inactive: the state at start, and at a clean shutdown with `shutdown_state = off`.
    public var idle: [OutputDrive] {
        configuration.pins.map { OutputDrive(role: $0.role, pin: $0.pin, activeLow: $0.activeLow, active: false) }
    }

    /// Whether `role`'s condition holds. Status pins follow the base state given, which while
    /// communication is lost is the last one known: a relay does not drop because a cable did;
    /// `ER_GENMON` and `ER_COMMUNICATION` say that the state is stale.
    public func isActive(_ role: OutputRole, _ facts: GeneratorFacts) -> Bool {
        let base = facts.baseState
        switch role {
        case .ready: return base == .ready
        case .alarm: return base == .alarm
        case .serviceDue: return base == .serviceDue
        case .running: return base == .running || base == .runningManual
        case .exercising: return base == .exercising
        case .off: return base == .off || base == .manual
        case .monitorError: return !facts.monitorHealthy || facts.communicationLost
        case .internetDown: return facts.internetReachable == false
        case .utilityOut: return facts.utilityOut
        case .communicationLost: return facts.communicationLost
        case .cpuTemperature:
            guard let celsius = facts.cpuTemperatureCelsius, celsius.isFinite else { return false }
            return (metric ? celsius : celsius * 9 / 5 + 32) >= configuration.cpuThreshold
        case .externalSignal:
            guard let now = facts.localTime else { return false }
            return Self.within(now, from: configuration.externalSignalOn, to: configuration.externalSignalOff)
        case .speed, .lowOil, .highTemperature, .rpmSensor, .voltage, .overcrank, .overload, .governor, .warning,
             .controllerFault, .ignition, .lowFuel, .lowCoolant, .battery, .charger:
            guard base == .alarm, let code = facts.alarmCode else { return false }
            return role.alarmCodes.contains { $0.contains(code) }
        }
    }

    /// `now` in [on, off), wrapping past midnight when off is earlier than on; empty when they are equal.
    static func within(_ now: TimeOfDay, from on: TimeOfDay, to off: TimeOfDay) -> Bool {
        if on < off { return on <= now && now < off }
        if off < on { return now >= on || now < off }
        return false
    }
}
