import CGPIO

/// One line's configuration as the kernel reads it from a request or a SET_CONFIG.
struct KernelLineConfig: Sendable, Equatable, Hashable {
    var flags: LineFlags
    var outputValue: Bool
    var debounceMicroseconds: UInt32
}

/// A line request as the kernel reads it (what the simulator's "kernel" acts on).
struct KernelLineRequest: Sendable, Equatable {
    var offsets: [LineOffset]
    var consumer: String
    var lines: [KernelLineConfig]
    var eventBufferSize: UInt32
}

/// Conversions between genmon's values and the kernel's v2 uAPI structures.
enum UAPI {
    static let maximumAttributes = Int(GPIO_V2_LINE_NUM_ATTRS_MAX)
    static let nameSize = Int(GPIO_MAX_NAME_SIZE)
    static let maximumLines = Int(GPIO_V2_LINES_MAX)
    static let attributeFlags = UInt32(GPIO_V2_LINE_ATTR_ID_FLAGS.rawValue)
    static let attributeOutputValues = UInt32(GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES.rawValue)
    static let attributeDebounce = UInt32(GPIO_V2_LINE_ATTR_ID_DEBOUNCE.rawValue)

    // MARK: Line configuration

    /// The configuration for `lines` (in request order): the most common flags become the default,
    /// other flags, output values and debounce periods become attributes masked to their lines.
    static func lineConfig(_ lines: [LineSpec]) throws(GPIOError) -> gpio_v2_line_config {
        guard lines.count <= maximumLines else { throw .invalidRequest("\(lines.count) lines; at most \(maximumLines)") }
        var attributes: [gpio_v2_line_config_attribute] = []
        let flags = lines.map { LineFlags($0.settings) }
        var counts: [LineFlags: Int] = [:]
        for flag in flags { counts[flag, default: 0] += 1 }
        let most = counts.values.max() ?? 0
        let base = flags.first { counts[$0] == most } ?? []
        var seen: [LineFlags] = []
        for flag in flags where flag != base && !seen.contains(flag) {
            seen.append(flag)
            var attribute = gpio_v2_line_config_attribute()
            attribute.attr.id = attributeFlags
            attribute.attr.flags = flag.rawValue
            attribute.mask = mask(of: flags.indices.filter { flags[$0] == flag })
            attributes.append(attribute)
        }
        let outputs = lines.indices.filter { lines[$0].settings.isOutput }
        if !outputs.isEmpty {
            var attribute = gpio_v2_line_config_attribute()
            attribute.attr.id = attributeOutputValues
            attribute.attr.values = mask(of: outputs.filter { index in
                if case let .output(initial, _, _) = lines[index].settings.mode { return initial }
                return false
            })
            attribute.mask = mask(of: outputs)
            attributes.append(attribute)
        }
        var periods: [UInt32] = []
        for line in lines {
            if case let .input(_, _, debounce) = line.settings.mode, debounce > 0, !periods.contains(debounce) { periods.append(debounce) }
        }
        for period in periods {
            var attribute = gpio_v2_line_config_attribute()
            attribute.attr.id = attributeDebounce
            attribute.attr.debounce_period_us = period
            attribute.mask = mask(of: lines.indices.filter { index in
                if case let .input(_, _, debounce) = lines[index].settings.mode { return debounce == period }
                return false
            })
            attributes.append(attribute)
        }
        guard attributes.count <= maximumAttributes else {
            throw .invalidRequest("\(attributes.count) distinct line settings; the kernel takes at most \(maximumAttributes) in one request")
        }
        var config = gpio_v2_line_config()
        config.flags = base.rawValue
        config.num_attrs = UInt32(attributes.count)
        withUnsafeMutableBytes(of: &config.attrs) { raw in
            let slots = raw.bindMemory(to: gpio_v2_line_config_attribute.self)
            for (index, attribute) in attributes.enumerated() { slots[index] = attribute }
        }
        return config
    }

    /// The request structure for `spec` (validated by the caller against the chip).
    static func lineRequest(_ spec: LineRequestSpec) throws(GPIOError) -> gpio_v2_line_request {
        var request = gpio_v2_line_request()
        request.config = try lineConfig(spec.lines)
        withUnsafeMutableBytes(of: &request.offsets) { raw in
            for (index, offset) in spec.offsets.enumerated() { raw.storeBytes(of: offset, toByteOffset: index * 4, as: UInt32.self) }
        }
        write(spec.consumer, into: &request.consumer)
        request.num_lines = UInt32(spec.lines.count)
        request.event_buffer_size = spec.eventBufferSize
        return request
    }

    /// How the kernel reads line `index`'s settings: the first attribute whose mask covers it, else the default.
    static func kernelConfigs(_ config: gpio_v2_line_config, lineCount: Int) -> [KernelLineConfig] {
        let attributes = withUnsafeBytes(of: config.attrs) { raw in
            Array(raw.bindMemory(to: gpio_v2_line_config_attribute.self).prefix(min(Int(config.num_attrs), maximumAttributes)))
        }
        return (0..<min(lineCount, maximumLines)).map { index in
            let bit = UInt64(1) << UInt64(index)
            var line = KernelLineConfig(flags: LineFlags(rawValue: config.flags), outputValue: false, debounceMicroseconds: 0)
            var found: Set<UInt32> = []
            for attribute in attributes where attribute.mask & bit != 0 && !found.contains(attribute.attr.id) {
                found.insert(attribute.attr.id)
                switch attribute.attr.id {
                case attributeFlags: line.flags = LineFlags(rawValue: attribute.attr.flags)
                case attributeOutputValues: line.outputValue = attribute.attr.values & bit != 0
                case attributeDebounce: line.debounceMicroseconds = attribute.attr.debounce_period_us
                default: break
                }
            }
            return line
        }
    }

    /// A request structure as the kernel reads it.
    static func kernelRequest(_ request: gpio_v2_line_request) -> KernelLineRequest {
        let count = min(Int(request.num_lines), maximumLines)
        let offsets = withUnsafeBytes(of: request.offsets) { raw in
            (0..<count).map { raw.load(fromByteOffset: $0 * 4, as: UInt32.self) }
        }
        return KernelLineRequest(offsets: offsets, consumer: string(request.consumer),
                                 lines: kernelConfigs(request.config, lineCount: count), eventBufferSize: request.event_buffer_size)
    }

    static func mask(of indices: [Int]) -> UInt64 {
        indices.reduce(0) { $0 | (UInt64(1) << UInt64($1)) }
    }

    // MARK: Values

    /// A values structure covering `offsets` (request order) that sets the named ones.
    static func values(_ values: [LineOffset: Bool], in offsets: [LineOffset]) -> gpio_v2_line_values {
        var result = gpio_v2_line_values()
        for (index, offset) in offsets.enumerated() {
            guard let value = values[offset] else { continue }
            result.mask |= UInt64(1) << UInt64(index)
            if value { result.bits |= UInt64(1) << UInt64(index) }
        }
        return result
    }

    /// The values a structure carries for the lines its mask covers.
    static func decodeValues(_ raw: gpio_v2_line_values, in offsets: [LineOffset]) -> [LineOffset: Bool] {
        var result: [LineOffset: Bool] = [:]
        for (index, offset) in offsets.enumerated().prefix(maximumLines) where raw.mask & (UInt64(1) << UInt64(index)) != 0 {
            result[offset] = raw.bits & (UInt64(1) << UInt64(index)) != 0
        }
        return result
    }

    // MARK: Chip and line information

    static func chipInfo(_ raw: gpiochip_info, path: String) -> GPIOChipInfo {
        GPIOChipInfo(path: path, name: string(raw.name), label: string(raw.label), lineCount: Int(raw.lines))
    }

    static func encodeChipInfo(_ info: GPIOChipInfo) -> gpiochip_info {
        var raw = gpiochip_info()
        write(info.name, into: &raw.name)
        write(info.label, into: &raw.label)
        raw.lines = UInt32(clamping: info.lineCount)
        return raw
    }

    static func lineInfo(_ raw: gpio_v2_line_info) -> LineInfo {
        let flags = LineFlags(rawValue: raw.flags)
        var debounce: UInt32?
        withUnsafeBytes(of: raw.attrs) { bytes in
            for attribute in bytes.bindMemory(to: gpio_v2_line_attribute.self).prefix(min(Int(raw.num_attrs), maximumAttributes))
            where attribute.id == attributeDebounce {
                debounce = attribute.debounce_period_us
            }
        }
        return LineInfo(offset: raw.offset, name: string(raw.name), consumer: string(raw.consumer), used: flags.contains(.used),
                        isOutput: flags.contains(.output), activeLow: flags.contains(.activeLow), bias: flags.bias,
                        edges: flags.edgeDetection, drive: flags.drive, debounceMicroseconds: debounce)
    }

    static func encodeLineInfo(_ info: LineInfo) -> gpio_v2_line_info {
        var raw = gpio_v2_line_info()
        write(info.name, into: &raw.name)
        write(info.consumer, into: &raw.consumer)
        raw.offset = info.offset
        var flags: LineFlags = info.isOutput ? .output : .input
        if info.used { flags.insert(.used) }
        if info.activeLow { flags.insert(.activeLow) }
        flags.formUnion(LineFlags(info.bias))
        if info.edges.rising { flags.insert(.edgeRising) }
        if info.edges.falling { flags.insert(.edgeFalling) }
        if info.drive == .openDrain { flags.insert(.openDrain) }
        if info.drive == .openSource { flags.insert(.openSource) }
        raw.flags = flags.rawValue
        if let debounce = info.debounceMicroseconds {
            raw.num_attrs = 1
            withUnsafeMutableBytes(of: &raw.attrs) { bytes in
                let slots = bytes.bindMemory(to: gpio_v2_line_attribute.self)
                slots[0].id = attributeDebounce
                slots[0].debounce_period_us = debounce
            }
        }
        return raw
    }

    // MARK: Fixed-size C strings

    /// The text of a NUL-terminated fixed-size C string field (invalid UTF-8 is repaired, never trapped on).
    static func string<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Writes `text` into a fixed-size C string field, truncated to leave room for the terminator.
    static func write<T>(_ text: String, into field: inout T) {
        withUnsafeMutableBytes(of: &field) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for (index, byte) in text.utf8.prefix(max(raw.count - 1, 0)).enumerated() { raw[index] = byte }
        }
    }
}

extension LineSettings {
    /// The settings a kernel configuration stands for; nil when it names no direction (the kernel's "as is").
    init?(kernel: KernelLineConfig) {
        let flags = kernel.flags
        if flags.contains(.input) {
            self = .input(bias: flags.bias, edges: flags.edgeDetection, debounceMicroseconds: kernel.debounceMicroseconds,
                          activeLow: flags.contains(.activeLow))
        } else if flags.contains(.output) {
            self.init(mode: .output(initial: kernel.outputValue, drive: flags.drive, bias: flags.bias), activeLow: flags.contains(.activeLow))
        } else {
            return nil
        }
    }
}
