/// One simulated line: who holds it, how it is configured, and the levels on it.
struct SimulatedLine {
    var name: String
    /// Another program's consumer name, when another program holds the line.
    var heldBy: String?
    var request: Int?
    var consumer: String?
    var config: KernelLineConfig?
    /// Direction and bias outlive a request, as on real hardware.
    var lastIsOutput = false
    var lastBias = LineBias.asIs
    /// What the outside world drives onto the line (nil: nothing, the bias decides).
    var driven: Bool?
    /// The physical level the line drives while it is an output.
    var outputLevel = false
    /// The physical input level the kernel last reported (differs from the line while debouncing).
    var reported = false
    var lastChange: UInt64 = 0
    var lineSequence: UInt32 = 0

    var activeLow: Bool { config?.flags.contains(.activeLow) == true }
    var inputLevel: Bool { driven ?? (lastBias == .pullUp) }
    var physical: Bool { lastIsOutput ? outputLevel : inputLevel }
    var debouncing: Bool { !lastIsOutput && (config?.debounceMicroseconds ?? 0) > 0 }
    /// The value a request reads: debounced for inputs with a debounce period, inverted when active-low.
    var logical: Bool { (lastIsOutput ? outputLevel : debouncing ? reported : inputLevel) != activeLow }
}

/// The simulated kernel's state for one chip.
struct ChipState {
    struct Request {
        var offsets: [LineOffset]
        var capacity: Int
        var queue: [EdgeEvent] = []
        var continuation: AsyncStream<EdgeEvent>.Continuation?
        var sequence: UInt32 = 0
    }

    typealias Delivery = (AsyncStream<EdgeEvent>.Continuation, EdgeEvent)

    var lines: [SimulatedLine]
    var requests: [Int: Request] = [:]
    var nextID = 1
    var now: UInt64 = 0
    var accessDenied = false

    mutating func addRequest(_ kernel: KernelLineRequest) -> Int {
        let id = nextID
        nextID += 1
        // The kernel's default queue holds 16 events per line, and never more than 16 per possible line.
        let capacity = kernel.eventBufferSize == 0 ? kernel.offsets.count * 16 : min(Int(kernel.eventBufferSize), UAPI.maximumLines * 16)
        requests[id] = Request(offsets: kernel.offsets, capacity: capacity)
        for (offset, config) in zip(kernel.offsets, kernel.lines) {
            lines[Int(offset)].request = id
            lines[Int(offset)].consumer = kernel.consumer
            configure(offset, config)
        }
        return id
    }

    mutating func configure(_ offset: LineOffset, _ config: KernelLineConfig) {
        var line = lines[Int(offset)]
        line.config = config
        if config.flags.contains(.output) { line.lastIsOutput = true }
        if config.flags.contains(.input) { line.lastIsOutput = false }
        if config.flags.bias != .asIs { line.lastBias = config.flags.bias }
        if line.lastIsOutput {
            line.outputLevel = config.outputValue != config.flags.contains(.activeLow)
        } else {
            line.reported = line.inputLevel
            line.lastChange = now
        }
        lines[Int(offset)] = line
    }

    mutating func removeRequest(_ id: Int) -> AsyncStream<EdgeEvent>.Continuation? {
        guard let request = requests.removeValue(forKey: id) else { return nil }
        for offset in request.offsets {
            lines[Int(offset)].request = nil
            lines[Int(offset)].consumer = nil
            lines[Int(offset)].config = nil
        }
        return request.continuation
    }

    mutating func setInput(_ offset: LineOffset, _ level: Bool?, at time: UInt64) -> [Delivery] {
        guard Int(offset) < lines.count else { return [] }
        var deliveries = advance(to: time)
        let before = lines[Int(offset)].inputLevel
        lines[Int(offset)].driven = level
        let line = lines[Int(offset)]
        guard !line.lastIsOutput, line.inputLevel != before else { return deliveries }
        lines[Int(offset)].lastChange = now
        if !line.debouncing {
            lines[Int(offset)].reported = line.inputLevel
            if let delivery = emit(offset, at: now) { deliveries.append(delivery) }
        }
        return deliveries
    }

    /// Moves the clock on; debounced lines that stayed at a new level for their period report it.
    mutating func advance(to time: UInt64) -> [Delivery] {
        now = max(now, time)
        var settled: [(UInt64, LineOffset)] = []
        for index in lines.indices where lines[index].debouncing && lines[index].inputLevel != lines[index].reported {
            let period = UInt64(lines[index].config?.debounceMicroseconds ?? 0) * 1000
            let (due, overflow) = lines[index].lastChange.addingReportingOverflow(period)
            if !overflow && due <= now { settled.append((due, LineOffset(index))) }
        }
        var deliveries: [Delivery] = []
        for (due, offset) in settled.sorted(by: { $0.0 < $1.0 }) {
            lines[Int(offset)].reported = lines[Int(offset)].inputLevel
            if let delivery = emit(offset, at: due) { deliveries.append(delivery) }
        }
        return deliveries
    }

    /// Queues (or hands over) the event for a line's reported change, when its edge is watched.
    private mutating func emit(_ offset: LineOffset, at time: UInt64) -> Delivery? {
        let line = lines[Int(offset)]
        guard let id = line.request, var request = requests[id], let flags = line.config?.flags else { return nil }
        let logical = line.reported != line.activeLow
        guard logical ? flags.contains(.edgeRising) : flags.contains(.edgeFalling) else { return nil }
        request.sequence &+= 1
        lines[Int(offset)].lineSequence &+= 1
        let event = EdgeEvent(offset: offset, edge: logical ? .rising : .falling, timestampNanoseconds: time,
                              sequence: request.sequence, lineSequence: lines[Int(offset)].lineSequence)
        defer { requests[id] = request }
        if let continuation = request.continuation { return (continuation, event) }
        // The kernel drops the oldest event when its queue is full.
        if request.queue.count >= request.capacity, !request.queue.isEmpty { request.queue.removeFirst() }
        request.queue.append(event)
        return nil
    }
}
