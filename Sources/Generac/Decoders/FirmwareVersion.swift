/// A version byte from `002a` (hi = hardware, lo = firmware), value × 100.
public struct FirmwareVersion: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    /// The byte as stored, e.g. 118 for V1.18.
    public let raw: UInt8

    public init(raw: UInt8) { self.raw = raw }

    /// Firmware version (lo byte of `002a`).
    public static func firmware(_ image: RegisterImage) -> FirmwareVersion { FirmwareVersion(raw: image.lowByte(Register.versions)) }
    /// Hardware version (hi byte of `002a`).
    public static func hardware(_ image: RegisterImage) -> FirmwareVersion { FirmwareVersion(raw: image.highByte(Register.versions)) }

    public var value: Double { Double(raw) / 100 }

    /// `V%.2f`: 0x76 → "V1.18".
    public var text: String { "V\(raw / 100)." + pad2(Int(raw % 100)) }
    public var description: String { text }

    public static func < (lhs: FirmwareVersion, rhs: FirmwareVersion) -> Bool { lhs.raw < rhs.raw }

    /// Thresholds other decoders depend on.
    /// Below V1.10 Evolution (not Evo2 / PZ200) must use the legacy exercise write.
    public var requiresLegacyExerciseWrite: Bool { raw < 110 }
    /// From V1.14 an Evolution 2.0 logs code 0x33 as "No Rotation Warning".
    public var renamesNoRotationWarning: Bool { raw >= 114 }
    /// From V1.43 an EvoLC reports the Hall sensor in mA.
    public var reportsHallCurrentInMilliamps: Bool { raw >= 143 }
}
