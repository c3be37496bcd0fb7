/// What one pin of the Raspberry Pi's 40-pin header is.
public enum HeaderPin: Sendable, Equatable, Hashable, CustomStringConvertible {
    case gpio(bcm: Int)
    case power3V3
    case power5V
    case ground

    public var description: String {
        switch self {
        case let .gpio(bcm): "GPIO\(bcm)"
        case .power3V3: "3.3 V power"
        case .power5V: "5 V power"
        case .ground: "ground"
        }
    }
}

/// The 40-pin header of every Raspberry Pi since the Model B+ (Pi 2, 3, 4, 5, Zero, Zero 2 W, 400, 500),
/// in BOARD numbering (physical pin 1–40), the numbering the original's gengpio.conf uses.
public enum RaspberryPiHeader {
    public static let pinCount = 40

    /// Index = BOARD pin − 1.
    private static let layout: [HeaderPin] = [
        .power3V3, .power5V,              // 1, 2
        .gpio(bcm: 2), .power5V,          // 3, 4
        .gpio(bcm: 3), .ground,           // 5, 6
        .gpio(bcm: 4), .gpio(bcm: 14),    // 7, 8
        .ground, .gpio(bcm: 15),          // 9, 10
        .gpio(bcm: 17), .gpio(bcm: 18),   // 11, 12
        .gpio(bcm: 27), .ground,          // 13, 14
        .gpio(bcm: 22), .gpio(bcm: 23),   // 15, 16
        .power3V3, .gpio(bcm: 24),        // 17, 18
        .gpio(bcm: 10), .ground,          // 19, 20
        .gpio(bcm: 9), .gpio(bcm: 25),    // 21, 22
        .gpio(bcm: 11), .gpio(bcm: 8),    // 23, 24
        .ground, .gpio(bcm: 7),           // 25, 26
        .gpio(bcm: 0), .gpio(bcm: 1),     // 27, 28 (ID_SD / ID_SC: the HAT EEPROM's bus)
        .gpio(bcm: 5), .ground,           // 29, 30
        .gpio(bcm: 6), .gpio(bcm: 12),    // 31, 32
        .gpio(bcm: 13), .ground,          // 33, 34
        .gpio(bcm: 19), .gpio(bcm: 16),   // 35, 36
        .gpio(bcm: 26), .gpio(bcm: 20),   // 37, 38
        .ground, .gpio(bcm: 21),          // 39, 40
    ]

    /// What BOARD pin `pin` is; nil outside 1...40.
    public static func pin(_ pin: Int) -> HeaderPin? {
        (1...pinCount).contains(pin) ? layout[pin - 1] : nil
    }

    /// The BCM GPIO number of BOARD pin `pin`, or why it has none.
    public static func bcm(forPin pin: Int) throws(GPIOError) -> Int {
        switch Self.pin(pin) {
        case let .gpio(bcm)?: return bcm
        case nil: throw .invalidPin(pin: pin, reason: "the header has pins 1 to \(pinCount)")
        case let other?: throw .invalidPin(pin: pin, reason: "it is \(other), not a GPIO")
        }
    }

    /// The BOARD pin carrying BCM GPIO `bcm`, nil when the header does not bring it out.
    public static func pin(forBCM bcm: Int) -> Int? {
        layout.firstIndex(of: .gpio(bcm: bcm)).map { $0 + 1 }
    }

    /// Every BOARD pin that is a GPIO, in pin order.
    public static let gpioPins: [Int] = (1...pinCount).filter { if case .gpio = layout[$0 - 1] { true } else { false } }

    /// "pin 16 (GPIO23)", for messages and listings.
    public static func describe(pin: Int) -> String {
        guard let header = Self.pin(pin) else { return "pin \(pin)" }
        return "pin \(pin) (\(header))"
    }
}
