/// A GPIO chip: the real character device, or the simulated one tests use.
public protocol GPIOChip: AnyObject, Sendable {
    /// Name, label and line count, read when the chip was opened.
    var info: GPIOChipInfo { get }
    /// What the kernel says about one line (name, consumer, flags).
    func lineInfo(_ offset: LineOffset) throws(GPIOError) -> LineInfo
    /// Requests lines; they stay held until the request is released.
    func request(_ spec: LineRequestSpec) throws(GPIOError) -> any GPIOLineRequest
    /// Closes the chip. Requests made through it stay valid until released.
    func close()
}

extension GPIOChip {
    /// Information about every line of the chip.
    public func allLineInfo() throws(GPIOError) -> [LineInfo] {
        var lines: [LineInfo] = []
        lines.reserveCapacity(info.lineCount)
        for offset in 0..<LineOffset(clamping: info.lineCount) { lines.append(try lineInfo(offset)) }
        return lines
    }
}

/// Lines held by one request. Values are logical (active-low lines are inverted by the kernel).
public protocol GPIOLineRequest: AnyObject, Sendable {
    /// The chip path the lines belong to.
    var chipPath: String { get }
    /// The requested lines, in request order.
    var offsets: [LineOffset] { get }
    /// The current logical value of every requested line.
    func values() throws(GPIOError) -> [LineOffset: Bool]
    /// Sets output lines; lines not named keep their values.
    func setValues(_ values: [LineOffset: Bool]) throws(GPIOError)
    /// Changes the settings of the requested lines (every requested line must be listed).
    func reconfigure(_ lines: [LineSpec]) throws(GPIOError)
    /// The request's edge events, in order, until the request is released. Once per request.
    func edgeEvents() throws(GPIOError) -> AsyncStream<EdgeEvent>
    /// Releases the lines and ends the edge event stream. Safe to call twice.
    func release()
}

/// Where GPIO chips come from: `/dev` on a real machine, memory in tests.
public protocol GPIOChipProvider: Sendable {
    /// Where the chips are looked for, for messages (`/dev`).
    var directory: String { get }
    /// The paths of all chips, in numeric order (`gpiochip2` before `gpiochip10`).
    func chipPaths() throws(GPIOError) -> [String]
    /// Opens one chip.
    func openChip(_ path: String) throws(GPIOError) -> any GPIOChip
}

/// Sorts `gpiochipN` paths by N, other names after them by name.
func sortedChipPaths(_ paths: [String]) -> [String] {
    func number(_ path: String) -> Int? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasPrefix("gpiochip") else { return nil }
        return Int(name.dropFirst("gpiochip".count))
    }
    return paths.sorted { left, right in
        switch (number(left), number(right)) {
        case let (l?, r?): l < r
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): left < right
        }
    }
}
