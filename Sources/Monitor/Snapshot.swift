import Foundation
import Generac
import GenmonBasics

/// Everything genmon knows about the generator at one moment. Every view renders from this.
public struct GeneratorSnapshot: Sendable, Equatable {
    /// Decoded controller data; nil until the controller has been detected and read once completely.
    /// Every view renders from this.
    public var readings: GeneratorReadings?
    /// The raw registers as last read, for the diagnostics commands only.
    public var registers: RegisterDiagnostics
    /// How many register reads returned the same value as before, and how many a new one.
    public var unchangedReads: Int
    public var changedReads: Int
    public var outage: OutageStatus
    public var communication: CommunicationStatus
    public var monitor: MonitorStatus
    /// When each live value was last read, and which are stale (not read for three refreshes).
    public var freshness: Freshness
    /// When the snapshot was last changed.
    public var updatedAt: Date
    /// What add-ons have sent (sensors, gauges, tank, power), with staleness marks.
    public var external = ExternalData()
    /// Output power now and over time, the energy counter, fuel estimates.
    public var power = PowerStatus()

    public init(readings: GeneratorReadings? = nil, registers: RegisterDiagnostics = RegisterDiagnostics(),
                unchangedReads: Int = 0, changedReads: Int = 0, outage: OutageStatus = OutageStatus(),
                communication: CommunicationStatus, monitor: MonitorStatus, freshness: Freshness = Freshness(), updatedAt: Date) {
        self.freshness = freshness
        self.readings = readings
        self.registers = registers
        self.unchangedReads = unchangedReads
        self.changedReads = changedReads
        self.outage = outage
        self.communication = communication
        self.monitor = monitor
        self.updatedAt = updatedAt
    }

    /// The controller is detected and every register has been read at least once.
    public var isInitialized: Bool { readings != nil && monitor.initialized }

    /// Whether anything differs but the counters and read times that move with every transaction:
    /// values, registers, the outage, which values are stale, whether the controller answers,
    /// the monitor's own state, add-on data.
    public func differsBeyondCounters(from other: GeneratorSnapshot) -> Bool {
        readings != other.readings || registers != other.registers || outage != other.outage
            || freshness.stale != other.freshness.stale || communication.isReceiving != other.communication.isReceiving
            || monitor != other.monitor || external != other.external || power != other.power
    }
}

/// One register read as the original caches it: a start address and a word count.
public struct RegisterRead: Sendable, Equatable, Hashable {
    /// Where the original lists a register: in the order it reads them at start-up (product code,
    /// then the prime registers, then the base registers, then the serial number).
    public static let listingRank: [RegisterAddress: Int] = {
        let order = [Register.productCode] + (RegisterMap.prime + RegisterMap.base + [RegisterMap.serialNumber, RegisterMap.pz200Identity]).map(\.address)
        var rank: [RegisterAddress: Int] = [:]
        for (index, address) in order.enumerated() where rank[address] == nil { rank[address] = index }
        return rank
    }()

    /// Sorts reads into the original's listing order (anything else after, by address).
    public static func inListingOrder(_ reads: [RegisterRead]) -> [RegisterRead] {
        reads.sorted { (listingRank[$0.address] ?? 10_000 + Int($0.address)) < (listingRank[$1.address] ?? 10_000 + Int($1.address)) }
    }

    public var address: RegisterAddress
    public var words: Int
    public init(address: RegisterAddress, words: Int) {
        self.address = address
        self.words = words
    }
}

/// The monitor's own view of utility power (the controller has its own, with its start-up delay).
public struct OutageStatus: Sendable, Equatable {
    public var inOutage: Bool
    /// Start of the outage in progress.
    public var currentStart: Date?
    /// Lowest and highest utility voltage seen since start-up (the original's rules: the minimum only
    /// counts readings above the threshold, the maximum only above the pickup voltage).
    public var utilityMinimumVolts: Int?
    public var utilityMaximumVolts: Int?
    /// Outages, newest first (from the store, so they survive restarts).
    public var history: [OutageRecord]

    public init(inOutage: Bool = false, currentStart: Date? = nil, utilityMinimumVolts: Int? = nil,
                utilityMaximumVolts: Int? = nil, history: [OutageRecord] = []) {
        self.inOutage = inOutage
        self.currentStart = currentStart
        self.utilityMinimumVolts = utilityMinimumVolts
        self.utilityMaximumVolts = utilityMaximumVolts
        self.history = history
    }

    /// The most recent finished outage.
    public var last: OutageRecord? { history.first }
}

/// One utility outage, start to end.
public struct OutageRecord: Sendable, Equatable, Hashable, Codable {
    public var start: Date
    public var end: Date
    /// Estimated fuel used, when the model's fuel curve and the load are known.
    public var fuelEstimate: String?
    /// Set when genmon was not running when the utility came back: from this time on nobody
    /// watched, so `end` is when genmon first saw the utility again, not when it returned.
    public var unobservedFrom: Date?

    public init(start: Date, end: Date, fuelEstimate: String? = nil, unobservedFrom: Date? = nil) {
        self.start = start
        self.end = end
        self.fuelEstimate = fuelEstimate
        self.unobservedFrom = unobservedFrom
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }
}

/// An outage not over yet, as the database keeps it so that a restart continues it: when it
/// started, and when genmon last saw it still going.
public struct OutageInProgress: Sendable, Equatable, Hashable, Codable {
    public var start: Date
    public var lastSeen: Date

    public init(start: Date, lastSeen: Date) {
        self.start = start
        self.lastSeen = lastSeen
    }
}

/// The link to the controller and how well it works.
public struct CommunicationStatus: Sendable, Equatable {
    public var statistics: CommunicationStatistics
    public var transport: LinkKind
    public var endpoint: String
    /// False once the controller has been silent for a few seconds (`healthWarningAfter`).
    public var isReceiving: Bool
    public var lastResponse: Date?

    public init(statistics: CommunicationStatistics, transport: LinkKind, endpoint: String,
                isReceiving: Bool = true, lastResponse: Date? = nil) {
        self.statistics = statistics
        self.transport = transport
        self.endpoint = endpoint
        self.isReceiving = isReceiving
        self.lastResponse = lastResponse
    }
}

/// Facts about the monitor itself.
public struct MonitorStatus: Sendable, Equatable {
    public var siteName: String
    public var version: String
    public var startedAt: Date
    /// Detection done and every register read once.
    public var initialized: Bool
    /// Time from start to the first complete status, and to the first complete logs.
    public var firstCompleteStatusAfter: Duration?
    public var logsCompleteAfter: Duration?

    public init(siteName: String, version: String, startedAt: Date, initialized: Bool = false) {
        self.siteName = siteName
        self.version = version
        self.startedAt = startedAt
        self.initialized = initialized
    }
}

extension GeneratorSnapshot {
    /// The original's health text: "OK", or the problems in its order and spacing.
    public var healthText: String { health(at: updatedAt) }

    /// The health text as of `now`: values that have gone stale since the snapshot was published
    /// count too, so an answer never calls an old value current.
    public func health(at now: Date) -> String {
        var text = ""
        if !isInitialized { text += "System Initializing. " }
        if !communication.isReceiving { text += " Not receiving data. " }
        // Degraded: values still shown are old (the reports keep their layout; health says so).
        let stale = freshness.stale(at: now)
        if isInitialized, communication.isReceiving, !stale.isEmpty {
            text += " Stale readings: " + Freshness(readings: freshness.readings, stale: stale).staleSummary(at: now) + ". "
        }
        return text.isEmpty ? "OK" : text
    }
}
