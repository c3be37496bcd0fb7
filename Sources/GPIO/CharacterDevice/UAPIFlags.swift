import CGPIO

/// The v2 uAPI's line flags (`enum gpio_v2_line_flag`), taken from the kernel header.
struct LineFlags: OptionSet, Sendable, Hashable {
    let rawValue: UInt64

    static let used = LineFlags(GPIO_V2_LINE_FLAG_USED)
    static let activeLow = LineFlags(GPIO_V2_LINE_FLAG_ACTIVE_LOW)
    static let input = LineFlags(GPIO_V2_LINE_FLAG_INPUT)
    static let output = LineFlags(GPIO_V2_LINE_FLAG_OUTPUT)
    static let edgeRising = LineFlags(GPIO_V2_LINE_FLAG_EDGE_RISING)
    static let edgeFalling = LineFlags(GPIO_V2_LINE_FLAG_EDGE_FALLING)
    static let openDrain = LineFlags(GPIO_V2_LINE_FLAG_OPEN_DRAIN)
    static let openSource = LineFlags(GPIO_V2_LINE_FLAG_OPEN_SOURCE)
    static let biasPullUp = LineFlags(GPIO_V2_LINE_FLAG_BIAS_PULL_UP)
    static let biasPullDown = LineFlags(GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN)
    static let biasDisabled = LineFlags(GPIO_V2_LINE_FLAG_BIAS_DISABLED)
    static let eventClockRealtime = LineFlags(GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME)
    static let eventClockHTE = LineFlags(GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE)

    static let known: LineFlags = [.used, .activeLow, .input, .output, .edgeRising, .edgeFalling, .openDrain, .openSource,
                                   .biasPullUp, .biasPullDown, .biasDisabled, .eventClockRealtime, .eventClockHTE]
    static let bias: LineFlags = [.biasPullUp, .biasPullDown, .biasDisabled]
    static let edges: LineFlags = [.edgeRising, .edgeFalling]
    static let drive: LineFlags = [.openDrain, .openSource]

    init(rawValue: UInt64) { self.rawValue = rawValue }
    private init(_ flag: gpio_v2_line_flag) { rawValue = UInt64(flag.rawValue) }

    /// The flags a request sends for these settings.
    init(_ settings: LineSettings) {
        var flags: LineFlags = settings.activeLow ? [.activeLow] : []
        switch settings.mode {
        case let .input(bias, edges, _):
            flags.insert(.input)
            flags.formUnion(LineFlags(bias))
            if edges.rising { flags.insert(.edgeRising) }
            if edges.falling { flags.insert(.edgeFalling) }
        case let .output(_, drive, bias):
            flags.insert(.output)
            flags.formUnion(LineFlags(bias))
            if drive == .openDrain { flags.insert(.openDrain) }
            if drive == .openSource { flags.insert(.openSource) }
        }
        self = flags
    }

    init(_ bias: LineBias) {
        switch bias {
        case .asIs: self = []
        case .pullUp: self = .biasPullUp
        case .pullDown: self = .biasPullDown
        case .disabled: self = .biasDisabled
        }
    }

    var bias: LineBias {
        if contains(.biasPullUp) { return .pullUp }
        if contains(.biasPullDown) { return .pullDown }
        if contains(.biasDisabled) { return .disabled }
        return .asIs
    }

    var edgeDetection: EdgeDetection {
        switch (contains(.edgeRising), contains(.edgeFalling)) {
        case (true, true): .both
        case (true, false): .rising
        case (false, true): .falling
        case (false, false): .none
        }
    }

    var drive: LineDrive { contains(.openDrain) ? .openDrain : contains(.openSource) ? .openSource : .pushPull }

    /// The kernel's own checks of one line's flags (gpiolib-cdev), so the simulator refuses what the kernel refuses.
    var kernelProblem: String? {
        if !LineFlags.known.isSuperset(of: self) { return "unknown flag bits" }
        if contains(.input) && contains(.output) { return "input and output both set" }
        if contains(.eventClockRealtime) && contains(.eventClockHTE) { return "two event clocks" }
        if !intersection(.edges).isEmpty && !contains(.input) { return "edge detection needs an input" }
        if !intersection(.drive).isEmpty && (!contains(.output) || isSuperset(of: .drive)) { return "open drain/source needs one output drive" }
        let biases = intersection(.bias)
        if !biases.isEmpty && intersection([.input, .output]).isEmpty { return "bias needs an explicit direction" }
        if biases.rawValue.nonzeroBitCount > 1 { return "more than one bias" }
        return nil
    }
}

/// The ioctl request numbers, from the kernel header through the C shim.
enum GPIOIoctl {
    static let chipInfo = genmon_gpio_get_chipinfo_ioctl()
    static let lineInfo = genmon_gpio_v2_get_lineinfo_ioctl()
    static let getLine = genmon_gpio_v2_get_line_ioctl()
    static let setConfig = genmon_gpio_v2_line_set_config_ioctl()
    static let getValues = genmon_gpio_v2_line_get_values_ioctl()
    static let setValues = genmon_gpio_v2_line_set_values_ioctl()
}
