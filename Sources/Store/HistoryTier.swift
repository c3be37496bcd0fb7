import Monitor

/// The resolutions history is kept at. Each tier is rolled up from the one before it.
public enum HistoryTier: String, Sendable, Codable, CaseIterable, Comparable {
    /// Samples as recorded (about every 10 s).
    case raw
    /// Min/avg/max per 5 minutes.
    case fiveMinutes
    /// Min/avg/max per hour.
    case hourly

    public static func < (lhs: HistoryTier, rhs: HistoryTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    var table: String {
        switch self {
        case .raw: "history_raw"
        case .fiveMinutes: "history_5min"
        case .hourly: "history_1h"
        }
    }

    /// The column holding a row's time (a sample's time, or a bucket's start).
    var timeColumn: String { self == .raw ? "time" : "start" }

    /// Bucket width; for raw, the unit chart buckets are aligned to.
    var bucketMillis: Int64 {
        switch self {
        case .raw: 1000
        case .fiveMinutes: 300_000
        case .hourly: 3_600_000
        }
    }

    /// The tier this one is rolled up from.
    var source: HistoryTier? {
        switch self {
        case .raw: nil
        case .fiveMinutes: .raw
        case .hourly: .fiveMinutes
        }
    }

    /// The tier rolled up from this one.
    var coarser: HistoryTier? {
        switch self {
        case .raw: .fiveMinutes
        case .fiveMinutes: .hourly
        case .hourly: nil
        }
    }
}

/// The quantities charted over time: one per `HistorySample` field.
public enum HistorySeries: String, Sendable, Codable, CaseIterable {
    case utilityVolts, batteryVolts, outputVolts, frequencyHz, rpm, powerKW

    /// Column prefix in the history tables.
    var column: String {
        switch self {
        case .utilityVolts: "utility"
        case .batteryVolts: "battery"
        case .outputVolts: "output"
        case .frequencyHz: "frequency"
        case .rpm: "rpm"
        case .powerKW: "power"
        }
    }

    /// The sample's value, or nil when it has none or it is not a finite number.
    public func value(in sample: HistorySample) -> Double? {
        let value: Double? = switch self {
        case .utilityVolts: sample.utilityVolts
        case .batteryVolts: sample.batteryVolts
        case .outputVolts: sample.outputVolts
        case .frequencyHz: sample.frequencyHz
        case .rpm: sample.rpm
        case .powerKW: sample.powerKW
        }
        guard let value, value.isFinite else { return nil }
        return value
    }
}
