import Foundation

/// Which Raspberry Pi this is, from the device tree's model string, and where its header's GPIOs live.
public struct BoardModel: Sendable, Equatable, Hashable {
    public enum Family: String, Sendable, Equatable, Hashable {
        /// Pi 3 (B, B+, A+) and Compute Module 3: BCM2837, header on `pinctrl-bcm2835`.
        case pi3
        /// Pi 4, Pi 400, Compute Module 4: BCM2711, header on `pinctrl-bcm2711`.
        case pi4
        /// Pi 5, Pi 500, Compute Module 5: the header is on the RP1 south bridge, `pinctrl-rp1`.
        case pi5
        /// Pi Zero 2 W: BCM2710A1, header on `pinctrl-bcm2835`.
        case zero2W
        /// Earlier boards with the 40-pin header (B+, A+, Pi 2, Zero, Zero W): `pinctrl-bcm2835`.
        case earlierFortyPin
        /// The first Model A and B, with the 26-pin header genmon does not map.
        case twentySixPin
        /// A Raspberry Pi model this table does not know yet, or not a Raspberry Pi.
        case unknown
    }

    /// Where the device tree keeps the model string (both paths hold the same file on Raspberry Pi OS).
    public static let modelFiles = ["/proc/device-tree/model", "/sys/firmware/devicetree/base/model"]

    /// The model string as the device tree gives it, e.g. "Raspberry Pi 4 Model B Rev 1.4"; empty when unknown.
    public var name: String
    public var family: Family

    public init(name: String, family: Family) {
        self.name = name
        self.family = family
    }

    /// The labels of the chip carrying the header's GPIOs, most likely first.
    public var headerChipLabels: [String] {
        switch family {
        case .pi5: ["pinctrl-rp1"]
        case .pi4: ["pinctrl-bcm2711"]
        case .pi3, .zero2W, .earlierFortyPin, .twentySixPin: ["pinctrl-bcm2835"]
        case .unknown: ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"]
        }
    }

    /// The model named by the first readable device-tree model file (paths injectable for tests).
    public static func detect(modelFiles: [String] = BoardModel.modelFiles) -> BoardModel {
        for path in modelFiles {
            // The file is tiny; refuse anything large rather than read it.
            guard let data = FileManager.default.contents(atPath: path), data.count <= 4096 else { continue }
            return parse(String(decoding: data, as: UTF8.self))
        }
        return BoardModel(name: "", family: .unknown)
    }

    /// The model a device-tree model string names (the string ends with a NUL, which is dropped).
    public static func parse(_ model: String) -> BoardModel {
        let name = model.trimmingCharacters(in: CharacterSet(charactersIn: "\0").union(.whitespacesAndNewlines))
        func has(_ text: String) -> Bool { name.range(of: text, options: [.caseInsensitive]) != nil }
        let family: Family
        if !has("Raspberry Pi") {
            family = .unknown
        } else if has("Raspberry Pi 5") || has("Compute Module 5") {
            family = .pi5
        } else if has("Raspberry Pi 4") || has("Compute Module 4") {
            family = .pi4
        } else if has("Zero 2") {
            family = .zero2W
        } else if has("Raspberry Pi 3") || has("Compute Module 3") {
            family = .pi3
        } else if has("Raspberry Pi 2") || has("Zero") || has("Plus") || has("Compute Module") {
            family = .earlierFortyPin
        } else if has("Raspberry Pi Model A") || has("Raspberry Pi Model B") {
            family = .twentySixPin
        } else {
            family = .unknown
        }
        return BoardModel(name: name, family: family)
    }

    /// The chip line offset for BOARD pin `pin`: on every supported model the header chip numbers
    /// its lines by BCM GPIO number (the Pi 5's RP1 too).
    public func lineOffset(forPin pin: Int) throws(GPIOError) -> LineOffset {
        guard family != .twentySixPin else { throw .unsupportedBoard(model: name) }
        return LineOffset(try RaspberryPiHeader.bcm(forPin: pin))
    }

    /// The BOARD pin for a line of the header chip, nil when the header does not bring it out.
    public func pin(forLine offset: LineOffset) -> Int? {
        guard family != .twentySixPin, offset <= 27 else { return nil }
        return RaspberryPiHeader.pin(forBCM: Int(offset))
    }

    /// "Raspberry Pi 4 Model B Rev 1.4", or "an unknown board".
    public var displayName: String { name.isEmpty ? "an unknown board" : name }
}
