/// EvoLC relay outputs, register `0053` (docs/registers.md#relays-and-sensors). A label shows when its bit is set.
public struct OutputRelays: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let transferSwitch = OutputRelays(rawValue: 0x01)
    public static let fuelEnrichment = OutputRelays(rawValue: 0x02)
    public static let starter = OutputRelays(rawValue: 0x04)
    public static let fuelRelay = OutputRelays(rawValue: 0x08)
    public static let batteryCharger = OutputRelays(rawValue: 0x10)
    public static let alarm = OutputRelays(rawValue: 0x20)
    public static let boschGovernor = OutputRelays(rawValue: 0x40)
    public static let airFuelRelay = OutputRelays(rawValue: 0x80)

    static let labelled: [(OutputRelays, String)] = [
        (.transferSwitch, "Transfer Switch Activated"), (.fuelEnrichment, "Fuel Enrichment On"),
        (.starter, "Starter On"), (.fuelRelay, "Fuel Relay On"), (.batteryCharger, "Battery Charger On"),
        (.alarm, "Alarm Active"), (.boschGovernor, "Bosch Governor On"), (.airFuelRelay, "Air/Fuel Relay On"),
    ]

    /// Labels of the set bits, in upstream's order ("Active Relays" joins them with ", ").
    public var activeLabels: [String] { Self.labelled.filter { contains($0.0) }.map(\.1) }
}

/// EvoLC digital inputs, register `0052` (docs/registers.md#relays-and-sensors). Some inputs are active-low and two
/// depend on whether the unit burns diesel.
public struct SensorInputs: Sendable, Equatable, Hashable {
    public let raw: UInt16
    public let isDiesel: Bool

    public init(raw: UInt16, isDiesel: Bool) {
        self.raw = raw
        self.isDiesel = isDiesel
    }

    /// The value a healthy, idle unit reads (what a simulator should serve).
    public static func idleValue(isDiesel: Bool) -> UInt16 { isDiesel ? 0x0040 : 0x0240 }

    /// Labels of the active inputs, in upstream's order ("Active Sensors").
    public var activeLabels: [String] {
        var labels: [String] = []
        func set(_ bit: UInt16) -> Bool { raw & bit != 0 }
        if set(0x0001) { labels.append("Manual Button") }
        if set(0x0002) { labels.append("Auto Button") }
        if set(0x0004) { labels.append("Off Button") }
        if set(0x0008) { labels.append("2 Wire Start") }
        if set(0x0010) { labels.append("Wiring Error") }
        if isDiesel, set(0x0020) { labels.append("Ruptured Basin") }
        if !set(0x0040) { labels.append("E-Stop Activated") }
        if set(0x0080) { labels.append("Oil below 8 psi") }
        if set(0x0100) { labels.append("Low Coolant") }
        if isDiesel {
            if set(0x0200) { labels.append("Fuel Pressure / Level Low") }
        } else if !set(0x0200) {
            labels.append("Fuel below 5 inch")
        }
        return labels
    }
}

/// Which source feeds the load (EvoLC `0053` bit 0, PZ200 `2166` bit 0).
public enum TransferSwitchState: String, Sendable, Equatable, Hashable, CustomStringConvertible {
    case utility = "Utility"
    case generator = "Generator"
    public var description: String { rawValue }
}

/// Battery charging status (EvoLC `0053` bit 0x10; other controllers do not report it).
public enum BatteryStatus: String, Sendable, Equatable, Hashable, CustomStringConvertible {
    case charging = "Charging"
    case notCharging = "Not Charging"
    case notAvailable = "Not Available"
    public var description: String { rawValue }

    /// Upstream's experimental alternative from the charger current `05ee` (Evolution):
    /// only while stopped or off, above 0.09 A on LC / above 0 A on AC.
    public static func fromChargerCurrent(milliamps: Int, liquidCooled: Bool, engine: EngineState) -> BatteryStatus {
        guard engine.isStoppedOrOff else { return .notCharging }
        let amps = Double(milliamps) / 1000
        return amps > (liquidCooled ? 0.09 : 0) ? .charging : .notCharging
    }
}

/// Evo2 / PowerPact status LED, `0062` lo byte (an ASCII letter).
public enum LEDState: Sendable, Equatable, Hashable, CustomStringConvertible {
    case readyToRun, notRunningWithAlarms, switchOffOrAlarms, runningNoAlarms, runningWithWarnings
    case unknown(UInt8)

    public init(byte: UInt8) {
        switch byte {
        case UInt8(ascii: "G"): self = .readyToRun
        case UInt8(ascii: "Y"): self = .notRunningWithAlarms
        case UInt8(ascii: "R"): self = .switchOffOrAlarms
        case UInt8(ascii: "U"): self = .runningNoAlarms
        case UInt8(ascii: "N"): self = .runningWithWarnings
        default: self = .unknown(byte)
        }
    }

    public var description: String {
        switch self {
        case .readyToRun: "Ready to Run"
        case .notRunningWithAlarms: "Not Running with Alarms or Warnings Active"
        case .switchOffOrAlarms: "Switch Off or Alarms Active"
        case .runningNoAlarms: "Running, no Alarms"
        case .runningWithWarnings: "Running with Warnings"
        case .unknown: "Unknown"
        }
    }
}
