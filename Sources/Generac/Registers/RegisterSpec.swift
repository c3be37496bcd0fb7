/// How a poller should treat a register.
public enum RegisterGroup: String, Sendable, Equatable, Hashable, CaseIterable {
    /// State, alarm and utility: upstream's prime set, refreshed about every 15 transactions.
    case hot
    /// Changes while the engine runs or with time (rpm, volts, currents, clock, counters).
    case live
    /// Settings the user or installer changes rarely (exercise, delays, thresholds).
    case settings
    /// Identity and calibration; practically constant.
    case identity
    /// Maintenance counters (hours until due, due dates).
    case service
    /// Polled and listed by upstream but not decoded.
    case undecoded
}

/// One register (or multi-word block) the monitor reads.
public struct RegisterSpec: Sendable, Equatable, Hashable {
    public let address: RegisterAddress
    /// Words read in one transaction (2 for the 32-bit pairs, 5 for the serial number).
    public let words: Int
    public let group: RegisterGroup
    /// Short description for a register-label view (this project's wording).
    public let label: String
    /// Variants on which upstream derives a meaning from it (empty = only polled / listed).
    public let usedBy: VariantSet

    public init(_ address: RegisterAddress, words: Int = 1, _ group: RegisterGroup, _ label: String, usedBy: VariantSet) {
        self.address = address
        self.words = words
        self.group = group
        self.label = label
        self.usedBy = usedBy
    }

    /// Upstream's cache key: 4 lowercase hex digits.
    public var key: String { Hex.word(address) }

    /// Hex digits upstream accepts for one read of this register.
    public var hexLength: Int { words * 4 }

    public func isUsed(by variant: ControllerVariant) -> Bool { usedBy.contains(variant) }
}
