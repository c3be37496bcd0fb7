import Synchronization

/// The output pins genmon drives: requested once (all inactive, so the start state is defined),
/// then written on each change of the generator's facts, only the pins whose level changes.
public final class GPIOOutputs: Sendable {
    public let rules: OutputRules
    private let request: any GPIOLineRequest
    private let offsets: [Int: LineOffset]
    /// BOARD pin → the active state last written.
    private let applied: Mutex<[Int: Bool]>

    /// Requests every configured output on `chip` (the header chip of `model`), inactive.
    public init(chip: any GPIOChip, model: BoardModel, rules: OutputRules, consumer: String = "genmon") throws(GPIOError) {
        var offsets: [Int: LineOffset] = [:]
        var lines: [LineSpec] = []
        for pin in rules.configuration.pins {
            let offset = try model.lineOffset(forPin: pin.pin)
            offsets[pin.pin] = offset
            lines.append(LineSpec(offset: offset, settings: .output(initial: false, activeLow: pin.activeLow)))
        }
        guard !lines.isEmpty else { throw .invalidRequest("no output pins are configured") }
        do {
            request = try chip.request(LineRequestSpec(consumer: consumer, lines: lines))
        } catch {
            throw error.naming(pin: Self.pin(of: error, in: offsets))
        }
        self.rules = rules
        self.offsets = offsets
        applied = Mutex(Dictionary(uniqueKeysWithValues: rules.configuration.pins.map { ($0.pin, false) }))
    }

    /// Drives the pins for `facts`; returns the drives that changed.
    @discardableResult
    public func update(_ facts: GeneratorFacts) throws(GPIOError) -> [OutputDrive] {
        let drives = rules.drive(for: facts)
        let changed = try set(Dictionary(uniqueKeysWithValues: drives.map { ($0.pin, $0.active) }))
        return drives.filter { changed.contains($0.pin) }
    }

    /// Sets pins (BOARD numbers) active or inactive directly, as a test pattern does; returns the pins that changed.
    @discardableResult
    public func set(_ active: [Int: Bool]) throws(GPIOError) -> Set<Int> {
        try applied.withLock { (applied: inout [Int: Bool]) throws(GPIOError) -> Set<Int> in
            var writes: [LineOffset: Bool] = [:]
            for (pin, value) in active where applied[pin] != value {
                guard let offset = offsets[pin] else { throw .invalidPin(pin: pin, reason: "it is not one of the configured outputs") }
                writes[offset] = value
            }
            try request.setValues(writes)
            var changed: Set<Int> = []
            for (pin, value) in active where applied[pin] != value {
                applied[pin] = value
                changed.insert(pin)
            }
            return changed
        }
    }

    /// What every pin was last set to.
    public var current: [OutputDrive] {
        let applied = applied.withLock { $0 }
        return rules.configuration.pins.map { OutputDrive(role: $0.role, pin: $0.pin, activeLow: $0.activeLow, active: applied[$0.pin] ?? false) }
    }

    /// Leaves as configured (`shutdown_state`): every pin inactive, or as it is; then releases the lines.
    public func shutdown() {
        if rules.configuration.shutdownState == .off {
            _ = try? set(Dictionary(uniqueKeysWithValues: rules.configuration.pins.map { ($0.pin, false) }))
        }
        request.release()
    }

    static func pin(of error: GPIOError, in offsets: [Int: LineOffset]) -> Int? {
        guard case let .lineBusy(_, offset, _, _) = error else { return nil }
        return offsets.first { $0.value == offset }?.key
    }
}
