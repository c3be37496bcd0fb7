import Synchronization

/// One simulated chip: its lines, who holds them, the levels on them, and the kernel's side of line
/// requests (flag checks, active-low, edge detection, debounce, event queues). Requests go through
/// the same uAPI structures the character device gets, so the encoding is exercised too.
public final class SimulatedChip: Sendable {
    public let info: GPIOChipInfo
    /// Whether the chip accepts a kernel debounce period (when not, such requests fail as unsupported).
    public let supportsDebounce: Bool
    let state: Mutex<ChipState>

    init(info: GPIOChipInfo, lineNames: [String], supportsDebounce: Bool) {
        self.info = info
        self.supportsDebounce = supportsDebounce
        state = Mutex(ChipState(lines: (0..<info.lineCount).map { SimulatedLine(name: $0 < lineNames.count ? lineNames[$0] : "") }))
    }

    // MARK: What a test does to the hardware

    /// Whether opening the chip is refused as if the device file's permissions excluded genmon.
    public var accessDenied: Bool { state.withLock { $0.accessDenied } }

    public func denyAccess(_ denied: Bool = true) { state.withLock { $0.accessDenied = denied } }

    /// Marks a line as held by another program calling itself `consumer`.
    public func hold(_ offset: LineOffset, consumer: String) {
        state.withLock { if Int(offset) < $0.lines.count { $0.lines[Int(offset)].heldBy = consumer } }
    }

    /// Lets go of a line held with `hold`.
    public func releaseHold(_ offset: LineOffset) {
        state.withLock { if Int(offset) < $0.lines.count { $0.lines[Int(offset)].heldBy = nil } }
    }

    /// Drives an input line to a physical level at `time` (monotonic nanoseconds, not before earlier
    /// calls); nil leaves it floating, where its bias decides.
    public func setInput(_ offset: LineOffset, _ level: Bool?, at time: UInt64) {
        let deliveries = state.withLock { $0.setInput(offset, level, at: time) }
        deliver(deliveries)
    }

    /// Drives a line through a sequence of levels, e.g. a bouncing contact.
    public func drive(_ offset: LineOffset, _ steps: [(time: UInt64, level: Bool)]) {
        for step in steps { setInput(offset, step.level, at: step.time) }
    }

    /// Moves the clock to `time`, letting pending debounced changes complete.
    public func advanceClock(to time: UInt64) {
        let deliveries = state.withLock { $0.advance(to: time) }
        deliver(deliveries)
    }

    /// The physical level on a line: what an LED or relay wired to it sees.
    public func physicalLevel(_ offset: LineOffset) -> Bool {
        state.withLock { Int(offset) < $0.lines.count ? $0.lines[Int(offset)].physical : false }
    }

    /// Whether anyone (genmon or another program) holds the line.
    public func isRequested(_ offset: LineOffset) -> Bool {
        state.withLock { Int(offset) < $0.lines.count && $0.lines[Int(offset)].request != nil }
    }

    // MARK: The kernel's side

    func lineInfo(_ offset: LineOffset) throws(GPIOError) -> LineInfo {
        guard Int(offset) < info.lineCount else { throw .lineOutOfRange(chip: info.path, offset: offset, lineCount: info.lineCount) }
        let line = state.withLock { $0.lines[Int(offset)] }
        let flags = line.config?.flags ?? (line.lastIsOutput ? .output : .input)
        let described = LineInfo(
            offset: offset, name: line.name, consumer: line.heldBy ?? line.consumer ?? "", used: line.heldBy != nil || line.request != nil,
            isOutput: flags.contains(.output), activeLow: flags.contains(.activeLow), bias: flags.bias, edges: flags.edgeDetection,
            drive: flags.drive, debounceMicroseconds: (line.config?.debounceMicroseconds).flatMap { $0 > 0 ? $0 : nil })
        // Through the uAPI structure and back, as the character device delivers it.
        return UAPI.lineInfo(UAPI.encodeLineInfo(described))
    }

    func request(_ spec: LineRequestSpec) throws(GPIOError) -> SimulatedLineRequest {
        try spec.validate(chip: info)
        let kernel = UAPI.kernelRequest(try UAPI.lineRequest(spec))
        try check(kernel.lines)
        let id = try state.withLock { (state: inout ChipState) throws(GPIOError) -> Int in
            for offset in kernel.offsets {
                let line = state.lines[Int(offset)]
                if line.heldBy != nil || line.request != nil {
                    throw .lineBusy(chip: info.path, offset: offset, consumer: line.heldBy ?? line.consumer ?? "", pin: nil)
                }
            }
            return state.addRequest(kernel)
        }
        return SimulatedLineRequest(chip: self, id: id, offsets: kernel.offsets)
    }

    func values(request id: Int) throws(GPIOError) -> [LineOffset: Bool] {
        try state.withLock { (state: inout ChipState) throws(GPIOError) in
            guard let request = state.requests[id] else { throw .released }
            return Dictionary(uniqueKeysWithValues: request.offsets.map { ($0, state.lines[Int($0)].logical) })
        }
    }

    func setValues(_ values: [LineOffset: Bool], request id: Int) throws(GPIOError) {
        try state.withLock { (state: inout ChipState) throws(GPIOError) in
            guard let request = state.requests[id] else { throw .released }
            for (offset, _) in values where !request.offsets.contains(offset) {
                throw .invalidRequest("line \(offset) is not part of this request")
            }
            // The kernel refuses the whole call with EPERM when any named line is an input.
            for offset in values.keys where state.lines[Int(offset)].config?.flags.contains(.output) != true {
                throw .system(call: "GPIO_V2_LINE_SET_VALUES_IOCTL", path: info.path, errno: 1 /* EPERM */)
            }
            for (offset, value) in values {
                let activeLow = state.lines[Int(offset)].config?.flags.contains(.activeLow) == true
                state.lines[Int(offset)].outputLevel = value != activeLow
            }
        }
    }

    func reconfigure(_ lines: [LineSpec], request id: Int) throws(GPIOError) {
        let configs = UAPI.kernelConfigs(try UAPI.lineConfig(lines), lineCount: lines.count)
        try check(configs)
        try state.withLock { (state: inout ChipState) throws(GPIOError) in
            guard let request = state.requests[id] else { throw .released }
            for (offset, config) in zip(request.offsets, configs) { state.configure(offset, config) }
        }
    }

    func edgeEvents(request id: Int) throws(GPIOError) -> AsyncStream<EdgeEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: EdgeEvent.self, bufferingPolicy: .bufferingNewest(EdgeEventReader.bufferedEvents))
        let queued = try state.withLock { (state: inout ChipState) throws(GPIOError) -> [EdgeEvent] in
            guard state.requests[id] != nil else { throw .released }
            guard state.requests[id]?.continuation == nil else { throw .eventsAlreadyWatched }
            state.requests[id]?.continuation = continuation
            defer { state.requests[id]?.queue.removeAll() }
            return state.requests[id]?.queue ?? []
        }
        for event in queued { continuation.yield(event) }
        return stream
    }

    func release(request id: Int) {
        let continuation = state.withLock { $0.removeRequest(id) }
        continuation?.finish()
    }

    /// Refuses what the kernel refuses: contradictory flags, and debounce on a chip without it.
    private func check(_ lines: [KernelLineConfig]) throws(GPIOError) {
        for line in lines {
            if let problem = line.flags.kernelProblem { throw .invalidRequest("the kernel refused the line settings (\(problem))") }
            if line.debounceMicroseconds > 0 && !supportsDebounce {
                throw .unsupportedSettings(chip: info.path, detail: "debounce")
            }
        }
    }

    private func deliver(_ deliveries: [(AsyncStream<EdgeEvent>.Continuation, EdgeEvent)]) {
        for (continuation, event) in deliveries {
            // Through the kernel's 48-byte record and back, as a read from the line descriptor delivers it.
            if let decoded = try? EdgeEvent(record: event.record) { continuation.yield(decoded) }
        }
    }
}
