/// A line's number on its chip (the kernel's "offset"; on a Raspberry Pi header chip, the BCM GPIO number).
public typealias LineOffset = UInt32

/// What a chip says about itself.
public struct GPIOChipInfo: Sendable, Equatable, Hashable {
    /// The device path, e.g. `/dev/gpiochip0`.
    public var path: String
    /// The kernel's name, e.g. `gpiochip0`.
    public var name: String
    /// The driver's label, e.g. `pinctrl-bcm2711` or `pinctrl-rp1`.
    public var label: String
    public var lineCount: Int

    public init(path: String, name: String, label: String, lineCount: Int) {
        self.path = path
        self.name = name
        self.label = label
        self.lineCount = lineCount
    }
}

/// The resistor an input (or output) line is biased with.
public enum LineBias: String, Sendable, Equatable, Hashable, CaseIterable {
    /// Leave the line's bias as it is.
    case asIs = "as-is"
    case pullUp = "pull-up"
    case pullDown = "pull-down"
    case disabled
}

/// Which level changes of an input produce edge events.
public enum EdgeDetection: String, Sendable, Equatable, Hashable, CaseIterable {
    case none, rising, falling, both

    var rising: Bool { self == .rising || self == .both }
    var falling: Bool { self == .falling || self == .both }
}

/// How an output drives its line.
public enum LineDrive: String, Sendable, Equatable, Hashable, CaseIterable {
    case pushPull = "push-pull"
    case openDrain = "open-drain"
    case openSource = "open-source"
}

/// How one line is to be configured in a request. Values are logical: with `activeLow` the kernel
/// inverts them, so `true` means "active" either way.
public struct LineSettings: Sendable, Equatable, Hashable {
    public enum Mode: Sendable, Equatable, Hashable {
        /// An input, with its bias, edge detection and the kernel's debounce period (0 = none).
        case input(bias: LineBias, edges: EdgeDetection, debounceMicroseconds: UInt32)
        /// An output, with its initial logical value.
        case output(initial: Bool, drive: LineDrive, bias: LineBias)
    }

    public var mode: Mode
    public var activeLow: Bool

    public init(mode: Mode, activeLow: Bool = false) {
        self.mode = mode
        self.activeLow = activeLow
    }

    /// An input line.
    public static func input(bias: LineBias = .asIs, edges: EdgeDetection = .none, debounceMicroseconds: UInt32 = 0, activeLow: Bool = false) -> LineSettings {
        LineSettings(mode: .input(bias: bias, edges: edges, debounceMicroseconds: debounceMicroseconds), activeLow: activeLow)
    }

    /// A push-pull output line starting at `initial`.
    public static func output(initial: Bool, activeLow: Bool = false, drive: LineDrive = .pushPull) -> LineSettings {
        LineSettings(mode: .output(initial: initial, drive: drive, bias: .asIs), activeLow: activeLow)
    }

    public var isOutput: Bool {
        if case .output = mode { return true }
        return false
    }
}

/// One line of a request.
public struct LineSpec: Sendable, Equatable, Hashable {
    public var offset: LineOffset
    public var settings: LineSettings

    public init(offset: LineOffset, settings: LineSettings) {
        self.offset = offset
        self.settings = settings
    }
}

/// A request for a set of lines on one chip, made under one consumer name.
public struct LineRequestSpec: Sendable, Equatable, Hashable {
    /// The kernel accepts at most this many lines in one request.
    public static let maximumLines = 64
    /// Consumer names are at most 31 bytes (the kernel's field holds 32 with the terminator).
    public static let maximumConsumerBytes = 31

    /// The name other programs see as this line's user (`gpioinfo`, `genmon gpio list`).
    public var consumer: String
    public var lines: [LineSpec]
    /// Edge events the kernel may queue before the oldest are dropped (0 = the kernel's default, 16 per line).
    public var eventBufferSize: UInt32

    public init(consumer: String, lines: [LineSpec], eventBufferSize: UInt32 = 0) {
        self.consumer = consumer
        self.lines = lines
        self.eventBufferSize = eventBufferSize
    }

    public var offsets: [LineOffset] { lines.map(\.offset) }

    /// Checks what genmon checks before asking the kernel (the kernel checks again).
    public func validate(chip: GPIOChipInfo) throws(GPIOError) {
        guard !lines.isEmpty else { throw .invalidRequest("no lines requested") }
        guard lines.count <= Self.maximumLines else { throw .invalidRequest("\(lines.count) lines; at most \(Self.maximumLines) per request") }
        guard Set(offsets).count == lines.count else { throw .invalidRequest("a line is listed twice") }
        for offset in offsets where Int(offset) >= chip.lineCount {
            throw .lineOutOfRange(chip: chip.path, offset: offset, lineCount: chip.lineCount)
        }
        guard !consumer.isEmpty, consumer.utf8.count <= Self.maximumConsumerBytes, !consumer.utf8.contains(0) else {
            throw .invalidRequest("the consumer name must be 1–\(Self.maximumConsumerBytes) bytes without NUL")
        }
    }
}

/// What the kernel reports about one line.
public struct LineInfo: Sendable, Equatable, Hashable {
    public var offset: LineOffset
    /// The line's name from the device tree (e.g. `GPIO23`), empty when it has none.
    public var name: String
    /// Who holds the line, empty when nobody does or the holder gave no name.
    public var consumer: String
    public var used: Bool
    public var isOutput: Bool
    public var activeLow: Bool
    public var bias: LineBias
    public var edges: EdgeDetection
    public var drive: LineDrive
    /// The kernel's debounce period, when one is set.
    public var debounceMicroseconds: UInt32?

    public init(offset: LineOffset, name: String = "", consumer: String = "", used: Bool = false, isOutput: Bool = false,
                activeLow: Bool = false, bias: LineBias = .asIs, edges: EdgeDetection = .none, drive: LineDrive = .pushPull,
                debounceMicroseconds: UInt32? = nil) {
        self.offset = offset
        self.name = name
        self.consumer = consumer
        self.used = used
        self.isOutput = isOutput
        self.activeLow = activeLow
        self.bias = bias
        self.edges = edges
        self.drive = drive
        self.debounceMicroseconds = debounceMicroseconds
    }

    /// The flags in words, as `gpioinfo` would show them: `output active-low pull-up`.
    public var flagsDescription: String {
        var words = [isOutput ? "output" : "input"]
        if activeLow { words.append("active-low") }
        if bias != .asIs { words.append(bias.rawValue) }
        if isOutput && drive != .pushPull { words.append(drive.rawValue) }
        if edges != .none { words.append("edges=\(edges.rawValue)") }
        if let debounce = debounceMicroseconds { words.append("debounce=\(debounce)us") }
        return words.joined(separator: " ")
    }
}

/// One edge seen on an input line, as the kernel reports it.
public struct EdgeEvent: Sendable, Equatable, Hashable {
    public enum Edge: UInt32, Sendable, Equatable, Hashable {
        case rising = 1
        case falling = 2
    }

    public var offset: LineOffset
    public var edge: Edge
    /// Monotonic clock time of the edge, in nanoseconds.
    public var timestampNanoseconds: UInt64
    /// The event's number among all events of the request, from 1.
    public var sequence: UInt32
    /// The event's number among the events of its line, from 1.
    public var lineSequence: UInt32

    public init(offset: LineOffset, edge: Edge, timestampNanoseconds: UInt64, sequence: UInt32 = 0, lineSequence: UInt32 = 0) {
        self.offset = offset
        self.edge = edge
        self.timestampNanoseconds = timestampNanoseconds
        self.sequence = sequence
        self.lineSequence = lineSequence
    }

    /// The logical level the line went to.
    public var level: Bool { edge == .rising }
}
