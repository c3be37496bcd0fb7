/// What one output pin shows: the original's gengpio keys, the alternates its shipped file lists
/// commented out, and genmon's own (`STATUS_OUTAGE`, `ER_COMMUNICATION`), all in their file spelling.
public enum OutputRole: String, Sendable, Equatable, Hashable, CaseIterable, Comparable {
    case ready = "STATUS_READY"
    case alarm = "STATUS_ALARM"
    case serviceDue = "STATUS_SERVICE"
    case running = "STATUS_RUNNING"
    case exercising = "STATUS_EXERCISING"
    case off = "STATUS_OFF"
    case monitorError = "ER_GENMON"
    case internetDown = "ER_INTERNET"
    case speed = "ER_SPEED"
    case lowOil = "ER_LOW_OIL"
    case highTemperature = "ER_HIGH_TEMP"
    case rpmSensor = "ER_RPM_SENSE"
    case voltage = "ER_VOLTAGE"
    case overcrank = "ER_OVERCRANK"
    case overload = "ER_OVERLOAD"
    case governor = "ER_GOVERNOR"
    case warning = "ER_WARNING"
    case controllerFault = "ER_Controller"
    case ignition = "ER_Ignition"
    case lowFuel = "ER_Low_Fuel"
    case lowCoolant = "ER_Low_Coolant"
    case battery = "ER_Battery_Problem"
    case charger = "ER_Charger"
    case cpuTemperature = "ER_PITEMP"
    case externalSignal = "PIN_EXTERNAL_SIGNAL"
    case utilityOut = "STATUS_OUTAGE"
    case communicationLost = "ER_COMMUNICATION"

    /// The key as written in gengpio.conf.
    public var key: String { rawValue }

    /// The BOARD pin the original uses when the key is absent (0 = off).
    public var defaultPin: Int {
        switch self {
        case .ready: 16
        case .alarm: 18
        case .serviceDue: 22
        case .running: 26
        case .exercising: 24
        case .off: 21
        case .monitorError: 3
        case .internetDown: 5
        case .speed: 29
        case .lowOil: 31
        case .highTemperature: 33
        case .rpmSensor: 35
        case .voltage: 37
        case .overcrank: 40
        case .overload: 38
        case .governor: 36
        case .warning: 32
        case .controllerFault, .ignition, .lowFuel, .lowCoolant, .battery, .charger,
             .cpuTemperature, .externalSignal, .utilityOut, .communicationLost: 0
        }
    }

    /// The last alarm codes that light this pin while the generator is in alarm (empty: not an alarm-code pin).
    public var alarmCodes: [ClosedRange<Int>] {
        switch self {
        case .speed: [1200...1299, 1600...1699]
        case .lowOil: [1300...1399]
        case .highTemperature: [1400...1499]
        case .rpmSensor: [1500...1599]
        case .voltage: [1800...1999]
        case .overcrank: [1100...1199]
        case .overload: [2100...2199]
        case .governor: [2500...2599]
        case .warning: [0...0]
        case .controllerFault: [1000...1099]
        case .ignition: [2600...2669]
        case .lowFuel: [2680...2680, 2700...2700]
        case .lowCoolant: [2720...2720]
        case .battery: [2750...2750, 2760...2760]
        case .charger: [2770...2770, 2780...2780]
        default: []
        }
    }

    /// When the pin is active, in words (for `genmon gpio` and the README).
    public var meaning: String {
        switch self {
        case .ready: "the generator is ready (READY)"
        case .alarm: "the generator is in alarm (ALARM)"
        case .serviceDue: "service is due (SERVICEDUE)"
        case .running: "the engine runs (RUNNING or RUNNING-MANUAL)"
        case .exercising: "the generator exercises (EXERCISING)"
        case .off: "the switch is off or manual (OFF or MANUAL)"
        case .monitorError: "genmon's health is not OK (including no data from the controller)"
        case .internetDown: "the internet cannot be reached"
        case .cpuTemperature: "the CPU is at or above CPU_THRESHOLD_TEMP"
        case .externalSignal: "the time of day is between PIN_EXTERNAL_SIGNAL_ON_TIME and PIN_EXTERNAL_SIGNAL_OFF_TIME"
        case .utilityOut: "the utility supply is out"
        case .communicationLost: "genmon has lost communication with the controller"
        case .warning: "in alarm with last alarm code 0 (an Evolution air-cooled warning)"
        default:
            "in alarm with code " + alarmCodes.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }
                .joined(separator: " or ")
        }
    }

    public static func < (left: OutputRole, right: OutputRole) -> Bool {
        (allCases.firstIndex(of: left) ?? 0) < (allCases.firstIndex(of: right) ?? 0)
    }
}
