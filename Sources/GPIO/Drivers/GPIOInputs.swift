/// A debounced press on an input pin: one per press however much the contact bounces.
public struct InputPress: Sendable, Equatable, Hashable {
    public var binding: InputBinding
    /// The level the input went to (false = low, as a button to ground pulls it).
    public var level: Bool
    /// When the edge came (monotonic nanoseconds).
    public var timestampNanoseconds: UInt64

    public init(binding: InputBinding, level: Bool, timestampNanoseconds: UInt64) {
        self.binding = binding
        self.level = level
        self.timestampNanoseconds = timestampNanoseconds
    }
}

/// The input pins genmon reads: requested with their bias and both edges (and the kernel's debounce
/// where the chip has it), each edge passed through a `PressDebouncer`, presses delivered as a stream.
public final class GPIOInputs: Sendable {
    /// The kernel's debounce period is at most this: it drops changes shorter than its period, so a
    /// period as long as the software window (200 ms) would lose quick taps. It only smooths contact
    /// bounce; the software window does the rest.
    public static let kernelDebounceLimitMilliseconds = 10

    public let configuration: InputConfiguration
    /// One element per press, until `close()`.
    public let presses: AsyncStream<InputPress>
    /// Whether the kernel debounces too (the software debounce always runs).
    public let kernelDebounce: Bool
    private let request: any GPIOLineRequest
    private let offsets: [Int: LineOffset]

    /// Requests every configured input on `chip` (the header chip of `model`).
    public init(chip: any GPIOChip, model: BoardModel, configuration: InputConfiguration, consumer: String = "genmon") throws(GPIOError) {
        var offsets: [Int: LineOffset] = [:]
        for binding in configuration.bindings { offsets[binding.pin] = try model.lineOffset(forPin: binding.pin) }
        guard !offsets.isEmpty else { throw .invalidRequest("no input pins are configured") }
        func spec(debounce: Bool) -> LineRequestSpec {
            let microseconds = debounce ? UInt32(min(configuration.bounceMilliseconds, Self.kernelDebounceLimitMilliseconds)) * 1000 : 0
            return LineRequestSpec(consumer: consumer, lines: configuration.bindings.compactMap { binding in
                offsets[binding.pin].map { LineSpec(offset: $0, settings: .input(bias: configuration.bias, edges: .both, debounceMicroseconds: microseconds)) }
            })
        }
        var request: any GPIOLineRequest
        var kernelDebounce = configuration.bounceMilliseconds > 0
        do {
            do {
                request = try chip.request(spec(debounce: kernelDebounce))
            } catch .unsupportedSettings where kernelDebounce {
                // Some chips cannot debounce in the kernel; the software debounce is enough.
                kernelDebounce = false
                request = try chip.request(spec(debounce: false))
            }
        } catch {
            throw error.naming(pin: GPIOOutputs.pin(of: error, in: offsets))
        }
        let initial: [LineOffset: Bool]
        let events: AsyncStream<EdgeEvent>
        do {
            initial = try request.values()
            events = try request.edgeEvents()
        } catch {
            request.release()
            throw error
        }
        self.configuration = configuration
        self.request = request
        self.offsets = offsets
        self.kernelDebounce = kernelDebounce
        let (presses, continuation) = AsyncStream.makeStream(of: InputPress.self, bufferingPolicy: .bufferingNewest(256))
        self.presses = presses
        let bindings = Dictionary(uniqueKeysWithValues: configuration.bindings.compactMap { binding in offsets[binding.pin].map { ($0, binding) } })
        Task {
            var debouncers = bindings.mapValues { binding in
                PressDebouncer(trigger: configuration.trigger, windowMilliseconds: configuration.bounceMilliseconds,
                               initialLevel: offsets[binding.pin].flatMap { initial[$0] } ?? true)
            }
            for await event in events {
                guard let binding = bindings[event.offset], debouncers[event.offset]?.edge(to: event.level, at: event.timestampNanoseconds) == true else { continue }
                continuation.yield(InputPress(binding: binding, level: event.level, timestampNanoseconds: event.timestampNanoseconds))
            }
            continuation.finish()
        }
    }

    /// The level of every input now, by BOARD pin (true = high).
    public func levels() throws(GPIOError) -> [Int: Bool] {
        let values = try request.values()
        return offsets.compactMapValues { values[$0] }
    }

    /// Releases the lines; `presses` ends after the presses already seen.
    public func close() {
        request.release()
    }
}
