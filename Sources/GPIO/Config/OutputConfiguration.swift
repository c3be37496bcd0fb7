import GenmonConfig

/// One configured output: which role, on which BOARD pin, and whether it is wired active-low.
public struct OutputPin: Sendable, Equatable, Hashable {
    public var role: OutputRole
    /// BOARD (physical header) pin number.
    public var pin: Int
    /// Active (the condition holds) drives the pin low: for relay boards that switch on a low input.
    public var activeLow: Bool
    /// The line of gengpio.conf that set the pin, nil for a default.
    public var line: Int?

    public init(role: OutputRole, pin: Int, activeLow: Bool = false, line: Int? = nil) {
        self.role = role
        self.pin = pin
        self.activeLow = activeLow
        self.line = line
    }
}

/// What genmon does with its output pins when it stops cleanly.
public enum ShutdownState: String, Sendable, Equatable, Hashable, CaseIterable {
    /// Every output inactive, then released (the default; the original's cleanup also turned them off).
    case off
    /// Released as they are; the kernel leaves most lines at their last level, though it does not promise to.
    case keep
}

/// gengpio.conf (`[gengpio]`): which pin shows what. Keys as the original ships them; pin 0 turns an
/// output off. genmon's own keys: `STATUS_OUTAGE`, `ER_COMMUNICATION` (pins, default 0),
/// `active_low` (pins or keys), `shutdown_state` (`off` or `keep`).
public struct OutputConfiguration: Sendable, Equatable {
    public static let section = "gengpio"

    /// The enabled outputs, in role order.
    public var pins: [OutputPin]
    /// `CPU_THRESHOLD_TEMP`, in the unit of genmon's metric setting (the original's code default is 70).
    public var cpuThreshold: Double = 70
    public var externalSignalOn = TimeOfDay(validHour: 22, minute: 0)
    public var externalSignalOff = TimeOfDay(validHour: 8, minute: 0)
    public var shutdownState = ShutdownState.off
    public var debug = false
    /// Keys in the file that nothing reads, reported so a misspelling is noticed.
    public var warnings: [ConfigError] = []

    public init(pins: [OutputPin]) {
        self.pins = pins.sorted { $0.role < $1.role }
    }

    /// The original's defaults, as when gengpio.conf sets nothing.
    public static let defaults = OutputConfiguration(pins: OutputRole.allCases.filter { $0.defaultPin != 0 }.map {
        OutputPin(role: $0, pin: $0.defaultPin)
    })

    /// The configured pin for `role`, nil when off.
    public func pin(for role: OutputRole) -> OutputPin? { pins.first { $0.role == role } }

    /// Reads `[gengpio]`; keys not present keep the original's defaults.
    public init(file: IniFile) throws(ConfigError) {
        let section = try AddOnSection(file, Self.section)
        var pins: [OutputPin] = []
        for role in OutputRole.allCases {
            let pin = try section.pin(role.key) ?? role.defaultPin
            guard pin != 0 else { continue }
            if let earlier = pins.first(where: { $0.pin == pin }) {
                throw section.error(role.key, "pin \(pin) is already used by \(earlier.role.key)"
                    + (earlier.line.map { " (line \($0))" } ?? " (its default)") + "; each output needs a pin of its own")
            }
            pins.append(OutputPin(role: role, pin: pin, line: section.line(role.key)))
        }
        let activeLow = try section.list("active_low", resolve: { item in
            if let pin = Int(item) { return pins.contains { $0.pin == pin } ? pin : nil }
            return pins.first { $0.role.key.lowercased() == item.lowercased() }?.pin
        }, what: "a configured output pin or key")
        self.init(pins: pins.map { pin in
            var pin = pin
            pin.activeLow = activeLow.contains(pin.pin)
            return pin
        })
        cpuThreshold = try section.section.double("CPU_THRESHOLD_TEMP", in: -100...500) ?? 70
        for (key, keyPath) in [("PIN_EXTERNAL_SIGNAL_ON_TIME", \OutputConfiguration.externalSignalOn),
                               ("PIN_EXTERNAL_SIGNAL_OFF_TIME", \OutputConfiguration.externalSignalOff)] {
            guard let text = section.section.string(key) else { continue }
            guard let time = TimeOfDay(parsing: text) else { throw section.error(key, "'\(text)' is not a 24-hour time such as 22:00 or 8:30") }
            self[keyPath: keyPath] = time
        }
        if let state = try section.choice("shutdown_state", ShutdownState.allCases.map(\.rawValue)) {
            shutdownState = ShutdownState(rawValue: state) ?? .off
        }
        debug = try section.section.bool("debug") ?? false
        warnings = section.unknownKeys(known: OutputRole.allCases.map(\.key) + [
            "CPU_THRESHOLD_TEMP", "PIN_EXTERNAL_SIGNAL_ON_TIME", "PIN_EXTERNAL_SIGNAL_OFF_TIME", "active_low", "shutdown_state", "debug",
        ])
    }

    /// Reads gengpio.conf at `path`.
    public init(contentsOf path: String) throws(ConfigError) {
        try self.init(file: IniFile(contentsOf: path))
    }
}
