/// Register `0000`: the product / controller-family code.
public enum ProductCode {
    /// Upstream's "Controller Detected" names for the codes it knows.
    public static let names: [UInt16: String] = [
        0x02: "Pre-Nexus, Air Cooled",
        0x03: "Nexus, Air Cooled",
        0x04: "Nexus, Air Cooled (4)",
        0x05: "Nexus, Air Cooled (5)",
        0x06: "Nexus, Liquid Cooled",
        0x07: "Nexus, Liquid Cooled (7)",
        0x08: "Nexus, Liquid Cooled (8)",
        0x09: "Evolution, Air Cooled",
        0x0A: "Synergy Evolution, Air Cooled",
        0x0B: "Evolution, Air Cooled (11)",
        0x0C: "Evolution, Liquid Cooled",
        0x12: "Power Pact Evolution, Air Cooled",
        0x13: "Power Pact Evolution, Air Cooled (19)",
        0x14: "Power Pact Evolution, Air Cooled (20)",
        0x15: "Evolution 2.0, Air Cooled",
        0x16: "Evolution 4.5L, Liquid Cooled",
        0x19: "Power Zone 200, Air Cooled",
    ]

    /// The detected-controller text for any code (`Unknown 0x%02X` when not in the table).
    public static func detectedName(_ code: UInt16) -> String {
        names[code] ?? "Unknown 0x" + hex2(code)
    }

    /// Codes upstream positively maps to Nexus / Evolution; the rest are guessed with a warning.
    static let nexusCodes: Set<UInt16> = [0x02, 0x03, 0x06]
    static let evolutionCodes: Set<UInt16> = [0x09, 0x0A, 0x0B, 0x0C, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19]

    /// Codes upstream positively maps to air / liquid cooling. 0x14 is missing from the air list
    /// upstream (0x04 is listed twice), so 0x14 falls through to "air, with a warning".
    static let airCooledCodes: Set<UInt16> = [0x02, 0x03, 0x04, 0x05, 0x09, 0x0A, 0x0B, 0x12, 0x13, 0x15, 0x19]
    static let liquidCooledCodes: Set<UInt16> = [0x06, 0x0C, 0x16]

    /// Uppercase hex with at least two digits, like `%02X`.
    static func hex2(_ value: UInt16) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return text.count < 2 ? "0" + text : text
    }
}
