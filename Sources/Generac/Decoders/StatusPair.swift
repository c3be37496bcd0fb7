/// The status pair `0001`/`0002` read as one 32-bit value (docs/registers.md#status-pair): `0001` carries the
/// engine state, `0002` the front-panel mode or, while anything is active, the alarm index.
public struct StatusPair: Sendable, Equatable, Hashable {
    public let value: UInt32

    public init(_ value: UInt32) { self.value = value }
    public init(image: RegisterImage) { self.value = image.pair(at: Register.statusPair) }
    public init(engine: UInt16, mode: UInt16) { self.value = UInt32(engine) << 16 | UInt32(mode) }

    /// What upstream's alarm check starts from before any value was accepted.
    public static let initial = StatusPair(0xFF)

    /// Register `0001`.
    public var engineWord: UInt16 { UInt16(value >> 16) }
    /// Register `0002`: mode or alarm index.
    public var modeWord: UInt16 { UInt16(value & 0xFFFF) }
    /// The engine-state code S (low 5 bits of `0001`).
    public var engineCode: UInt16 { engineWord & 0x1F }

    /// ASCII-looking values some Evolution 2.0 units return; upstream ignores them when `ignore_unknown`.
    public static let evolution2IgnoredValues: Set<UInt32> = [
        0x2020, 0x2020_0000, 0x3F3D_0000, 0x3F3D, 0x3430, 0x6F67_0000, 0x6F67, 0x6538,
    ]

    /// Validity test used on Evo2 (`0001` ≤ 0x1F and `0002` ≤ 0x3F) and PZ200 (`0001` ≤ 0x1F).
    public func isValid(for identity: ControllerIdentity) -> Bool {
        if identity.isPZ200 { return value & 0xFFE0_0000 == 0 }
        return value & 0xFFE0_FFC0 == 0
    }

    /// True when upstream would drop this value and keep the last accepted one.
    public func isIgnored(identity: ControllerIdentity, settings: GeneracSettings) -> Bool {
        if identity.isEvolution2, settings.ignoreUnknown {
            return value & 0xFFE0_FFC0 != 0 || Self.evolution2IgnoredValues.contains(value)
        }
        if identity.isPZ200 {
            // 0x17 in the low five bits of 0001 is a latching toggle, not a state.
            return engineCode == 0x17
        }
        return false
    }

    /// The value the decoders should use: the new one, or `previous` when the new one is ignored.
    public static func effective(_ candidate: StatusPair, previous: StatusPair = .initial,
                                 identity: ControllerIdentity, settings: GeneracSettings) -> StatusPair {
        candidate.isIgnored(identity: identity, settings: settings) ? previous : candidate
    }

    /// Service-due alarm bits: index 0x1F Service A, 0x20 Service B (low six bits of `0002`).
    public var serviceDue: ServiceDueAlarm? {
        switch value & 0x3F {
        case 0x1F: .serviceA
        case 0x20: .serviceB
        default: nil
        }
    }

    /// `%08x` of the value, as upstream prints it in unknown-state texts.
    public var hex8: String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - text.count)) + text
    }
}

/// Which scheduled service the status pair says is due.
public enum ServiceDueAlarm: String, Sendable, Equatable, Hashable {
    case serviceA = "Service A Due"
    case serviceB = "Service B Due"
}
