import Synchronization

/// A machine's GPIO chips simulated in memory, behind the same protocols as the character device.
/// Tests add chips, hold lines as another program would, drive inputs (bouncing contacts included)
/// on a clock they control, and read the levels of outputs.
public final class SimulatedGPIO: GPIOChipProvider {
    private let chips = Mutex<[String: SimulatedChip]>([:])

    public init() {}

    /// The simulated chips live at `/dev/gpiochipN` paths.
    public var directory: String { "/dev" }

    /// Adds a chip at `path` (`/dev/gpiochipN`); `lineNames` name its first lines.
    @discardableResult
    public func addChip(path: String, label: String, lineCount: Int, lineNames: [String] = [], supportsDebounce: Bool = true) -> SimulatedChip {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let chip = SimulatedChip(info: GPIOChipInfo(path: path, name: name, label: label, lineCount: max(lineCount, 0)),
                                 lineNames: lineNames, supportsDebounce: supportsDebounce)
        chips.withLock { $0[path] = chip }
        return chip
    }

    /// A Raspberry Pi header chip whose first 28 lines are named `GPIO0`...`GPIO27` (as the Pi 5 names them).
    @discardableResult
    public func addRaspberryPiHeaderChip(path: String = "/dev/gpiochip0", label: String = "pinctrl-bcm2711", lineCount: Int = 58,
                                         supportsDebounce: Bool = true) -> SimulatedChip {
        addChip(path: path, label: label, lineCount: lineCount, lineNames: (0..<28).map { "GPIO\($0)" }, supportsDebounce: supportsDebounce)
    }

    /// Takes a chip away, as if its driver were unloaded.
    public func removeChip(_ path: String) {
        _ = chips.withLock { $0.removeValue(forKey: path) }
    }

    /// The simulated hardware at `path`.
    public func chip(_ path: String) -> SimulatedChip? {
        chips.withLock { $0[path] }
    }

    public func chipPaths() throws(GPIOError) -> [String] {
        sortedChipPaths(chips.withLock { Array($0.keys) })
    }

    public func openChip(_ path: String) throws(GPIOError) -> any GPIOChip {
        guard let chip = chip(path) else { throw .chipMissing(path: path) }
        guard !chip.accessDenied else { throw .permissionDenied(path: path) }
        return SimulatedChipHandle(chip: chip)
    }
}

/// An open simulated chip (what a descriptor on `/dev/gpiochipN` is to the real one).
final class SimulatedChipHandle: GPIOChip {
    let chip: SimulatedChip
    private let closed = Mutex(false)

    init(chip: SimulatedChip) { self.chip = chip }

    var info: GPIOChipInfo { chip.info }

    func lineInfo(_ offset: LineOffset) throws(GPIOError) -> LineInfo {
        try checkOpen()
        return try chip.lineInfo(offset)
    }

    func request(_ spec: LineRequestSpec) throws(GPIOError) -> any GPIOLineRequest {
        try checkOpen()
        return try chip.request(spec)
    }

    func close() { closed.withLock { $0 = true } }

    private func checkOpen() throws(GPIOError) {
        if closed.withLock({ $0 }) { throw .system(call: "ioctl", path: chip.info.path, errno: 9 /* EBADF */) }
    }
}

/// Lines held by a request on a simulated chip.
final class SimulatedLineRequest: GPIOLineRequest {
    let chip: SimulatedChip
    let id: Int
    let offsets: [LineOffset]

    init(chip: SimulatedChip, id: Int, offsets: [LineOffset]) {
        self.chip = chip
        self.id = id
        self.offsets = offsets
    }

    var chipPath: String { chip.info.path }

    func values() throws(GPIOError) -> [LineOffset: Bool] { try chip.values(request: id) }
    func setValues(_ values: [LineOffset: Bool]) throws(GPIOError) { try chip.setValues(values, request: id) }
    func reconfigure(_ lines: [LineSpec]) throws(GPIOError) { try chip.reconfigure(try requestOrder(lines, offsets: offsets), request: id) }
    func edgeEvents() throws(GPIOError) -> AsyncStream<EdgeEvent> { try chip.edgeEvents(request: id) }
    func release() { chip.release(request: id) }
}
