import Generac
import GenmonConfig

/// What an input pin asks for: the original's three gengpioin keys.
public enum InputRole: String, Sendable, Equatable, Hashable, CaseIterable {
    case stop = "INPUT_STOP"
    case start = "INPUT_START"
    case startTransfer = "INPUT_START_TRANSFER"

    public var key: String { rawValue }

    /// The BOARD pin the original uses when the key is absent.
    public var defaultPin: Int {
        switch self {
        case .stop: 11
        case .start: 13
        case .startTransfer: 15
        }
    }

    /// The remote command the pin sends.
    public var command: RemoteCommand {
        switch self {
        case .stop: .stop
        case .start: .start
        case .startTransfer: .startTransfer
        }
    }
}

/// Which edges of an input count as a press (gengpioin's `trigger`).
public enum InputTrigger: String, Sendable, Equatable, Hashable, CaseIterable {
    /// High to low: a button to ground with the pull-up (the original's default).
    case falling
    case rising
    /// Every change: a switch or a neighbour's contact whose every change is a command.
    case both
}

/// One input pin and the command it gives.
public struct InputBinding: Sendable, Equatable, Hashable {
    public var role: InputRole
    /// BOARD (physical header) pin number.
    public var pin: Int
    /// Listed in `control_inputs`: allowed to give commands that start the engine.
    public var controlOptIn: Bool
    /// The line of gengpioin.conf that set the pin, nil for a default.
    public var line: Int?

    public init(role: InputRole, pin: Int, controlOptIn: Bool = false, line: Int? = nil) {
        self.role = role
        self.pin = pin
        self.controlOptIn = controlOptIn
        self.line = line
    }

    public var command: RemoteCommand { role.command }
    /// The command as the original's protocol writes it: `setremote=stop`.
    public var commandText: String { "setremote=" + command.rawValue }
    /// Whether the command can start the engine (start, start and transfer, exercise).
    public var startsEngine: Bool { [.start, .startTransfer, .startExercise].contains(command) }
    /// Whether the command door should let this pin's command through: engine starts only when opted in.
    public var mayControl: Bool { controlOptIn || !startsEngine }
    /// The principal of the command's origin: the monitor's origin reads `gpio:<pin>`.
    public var principal: String { String(pin) }
}

/// gengpioin.conf (`[gengpioin]`): which pin gives which command, and how inputs are read. Keys as
/// the original ships them; pin 0 turns an input off. genmon's own key: `control_inputs`, the pins
/// (or keys) allowed to give commands that start the engine.
public struct InputConfiguration: Sendable, Equatable {
    public static let section = "gengpioin"
    /// The longest software debounce accepted, in milliseconds.
    public static let maximumBounceMilliseconds = 60_000

    /// The enabled inputs, in role order.
    public var bindings: [InputBinding]
    public var trigger = InputTrigger.falling
    /// The resistor on every input (`resistorpull`: up, down or off).
    public var bias = LineBias.pullUp
    /// Software debounce (`bounce`), milliseconds; 0 = none.
    public var bounceMilliseconds = 0
    /// `uselibcallbacks`: read for compatibility; genmon always waits for edge events.
    public var useLibraryCallbacks = true
    public var warnings: [ConfigError] = []

    public init(bindings: [InputBinding]) {
        self.bindings = bindings.sorted { (InputRole.allCases.firstIndex(of: $0.role) ?? 0) < (InputRole.allCases.firstIndex(of: $1.role) ?? 0) }
    }

    /// The original's defaults, as when gengpioin.conf is absent (no pin opted in to control).
    public static let defaults = InputConfiguration(bindings: InputRole.allCases.map { InputBinding(role: $0, pin: $0.defaultPin) })

    public func binding(forPin pin: Int) -> InputBinding? { bindings.first { $0.pin == pin } }

    /// Reads `[gengpioin]`; keys not present keep the original's defaults.
    public init(file: IniFile) throws(ConfigError) {
        let section = try AddOnSection(file, Self.section)
        var bindings: [InputBinding] = []
        for role in InputRole.allCases {
            let pin = try section.pin(role.key) ?? role.defaultPin
            guard pin != 0 else { continue }
            if let earlier = bindings.first(where: { $0.pin == pin }) {
                throw section.error(role.key, "pin \(pin) is already used by \(earlier.role.key)"
                    + (earlier.line.map { " (line \($0))" } ?? " (its default)") + "; each input needs a pin of its own")
            }
            bindings.append(InputBinding(role: role, pin: pin, line: section.line(role.key)))
        }
        let control = try section.list("control_inputs", resolve: { item in
            if let pin = Int(item) { return bindings.contains { $0.pin == pin } ? pin : nil }
            return bindings.first { $0.role.key.lowercased() == item.lowercased() }?.pin
        }, what: "a configured input pin or key")
        self.init(bindings: bindings.map { binding in
            var binding = binding
            binding.controlOptIn = control.contains(binding.pin)
            return binding
        })
        if let trigger = try section.choice("trigger", InputTrigger.allCases.map(\.rawValue)) {
            self.trigger = InputTrigger(rawValue: trigger) ?? .falling
        }
        switch try section.choice("resistorpull", ["up", "down", "off"]) {
        case "down": bias = .pullDown
        case "off": bias = .disabled
        default: bias = .pullUp
        }
        bounceMilliseconds = try section.section.int("bounce", in: 0...Self.maximumBounceMilliseconds) ?? 0
        useLibraryCallbacks = try section.section.bool("uselibcallbacks") ?? true
        warnings = section.unknownKeys(known: InputRole.allCases.map(\.key) + ["trigger", "resistorpull", "bounce", "uselibcallbacks", "control_inputs", "debug"])
    }

    /// Reads gengpioin.conf at `path`.
    public init(contentsOf path: String) throws(ConfigError) {
        try self.init(file: IniFile(contentsOf: path))
    }

    /// Refuses a pin that both files use (the second request would find the line busy).
    public func checkNoSharedPins(with outputs: OutputConfiguration, inputPath: String) throws(ConfigError) {
        for binding in bindings {
            if let output = outputs.pins.first(where: { $0.pin == binding.pin }) {
                throw ConfigError(path: inputPath, line: binding.line,
                                  message: "\(binding.role.key): pin \(binding.pin) is also the output \(output.role.key) in gengpio.conf")
            }
        }
    }
}
