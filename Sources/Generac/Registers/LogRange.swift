/// Which controller log a range holds.
public enum LogKind: String, Sendable, Equatable, Hashable, CaseIterable {
    case alarm, service, run

    /// Upstream's heading ("Alarm Log", "Service Log", "Run Log").
    public var title: String {
        switch self {
        case .alarm: "Alarm Log"
        case .service: "Service Log"
        case .run: "Run Log"
        }
    }
}

/// Where one controller log lives (docs/registers.md#log-ranges): newest entry at `start`, older entries at
/// increasing addresses, one read of `wordsPerEntry` words per entry, 50 entries deep.
public struct LogRange: Sendable, Equatable, Hashable {
    public let kind: LogKind
    public let start: RegisterAddress
    public let stride: Int
    public let wordsPerEntry: Int
    public let depth: Int
    /// Only the Evolution alarm log carries the alarm-code word.
    public var hasAlarmCode: Bool { wordsPerEntry == 5 }

    public init(kind: LogKind, start: RegisterAddress, stride: Int, wordsPerEntry: Int, depth: Int = 50) {
        self.kind = kind
        self.start = start
        self.stride = stride
        self.wordsPerEntry = wordsPerEntry
        self.depth = depth
    }

    /// Run (start/stop) log, all controllers.
    public static let run = LogRange(kind: .run, start: Register.runLog, stride: 4, wordsPerEntry: 4)
    /// Evolution alarm log (5 words: the fifth is the ALARMS.txt code).
    public static let evolutionAlarm = LogRange(kind: .alarm, start: Register.evolutionAlarmLog, stride: 5, wordsPerEntry: 5)
    /// Evolution service log.
    public static let evolutionService = LogRange(kind: .service, start: Register.evolutionServiceLog, stride: 4, wordsPerEntry: 4)
    /// Nexus (and pre-Nexus) alarm log, no alarm-code word.
    public static let nexusAlarm = LogRange(kind: .alarm, start: Register.nexusAlarmLog, stride: 4, wordsPerEntry: 4)

    /// Ranges in display order: Evolution alarm, service, run; Nexus alarm, run.
    public static func ranges(for identity: ControllerIdentity) -> [LogRange] {
        identity.isEvolution ? [.evolutionAlarm, .evolutionService, .run] : [.nexusAlarm, .run]
    }

    /// Start address of entry `index` (0 = newest).
    public func address(ofEntry index: Int) -> RegisterAddress {
        start &+ RegisterAddress(truncatingIfNeeded: index * stride)
    }

    /// Start address of the oldest entry.
    public var lastEntryAddress: RegisterAddress { address(ofEntry: depth - 1) }

    /// All entry start addresses, newest first (the order upstream reads them).
    public var entryAddresses: [RegisterAddress] { (0..<depth).map(address(ofEntry:)) }

    /// The entry index when `address` is the start of an entry.
    public func entryIndex(startingAt address: RegisterAddress) -> Int? {
        let offset = Int(address) - Int(start)
        guard offset >= 0, offset % stride == 0, offset / stride < depth else { return nil }
        return offset / stride
    }

    /// True when `address` lies anywhere inside the range (entry starts and the words they cover).
    public func contains(_ address: RegisterAddress) -> Bool {
        let offset = Int(address) - Int(start)
        return offset >= 0 && offset < (depth - 1) * stride + wordsPerEntry
    }
}
