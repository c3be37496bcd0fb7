import Foundation

/// How long each kind of record is kept, and how chart queries trade detail for speed.
///
/// The defaults keep a Raspberry Pi's SD card small for years: raw samples for two days, 5-minute
/// aggregates for a season, hourly aggregates for five years, events and audit for two years, finished notifications for
/// a season.
/// Outages are few and always kept.
public struct StoreConfiguration: Sendable, Equatable {
    public var retention: RetentionPolicy
    /// The monitor's usual interval between samples: used to estimate how many raw rows a chart
    /// would read, never to bucket anything.
    public var sampleInterval: TimeInterval
    /// The most rows a chart may read from one tier before a coarser tier is chosen. Bounds the
    /// cost of any chart query, whatever range is asked for.
    public var chartRowBudget: Int

    public init(retention: RetentionPolicy = RetentionPolicy(), sampleInterval: TimeInterval = 10,
                chartRowBudget: Int = 20_000) {
        self.retention = retention
        self.sampleInterval = sampleInterval
        self.chartRowBudget = chartRowBudget
    }

    func validated() throws -> StoreConfiguration {
        let spans = [retention.rawSamples, retention.fiveMinuteAggregates, retention.hourlyAggregates,
                     retention.events, retention.audit, retention.notifications, sampleInterval]
        // 1e12 s is some 30 000 years: any longer is a typo, and would overflow millisecond arithmetic.
        guard spans.allSatisfy({ $0.isFinite && $0 > 0 && $0 < 1e12 }), chartRowBudget > 0 else {
            throw StoreError.invalidQuery("retention spans, sample interval and row budget must be positive and sane")
        }
        return self
    }
}

/// How long records are kept, each counted back from the `now` given to `maintain(now:)`.
public struct RetentionPolicy: Sendable, Equatable {
    public static let day: TimeInterval = 86_400

    /// Raw samples, as recorded. Dropped in whole 5-minute buckets, and never before they are rolled up.
    public var rawSamples: TimeInterval
    /// 5-minute min/avg/max. Dropped in whole hours, and never before they are rolled up.
    public var fiveMinuteAggregates: TimeInterval
    /// Hourly min/avg/max. Dropped in whole hours.
    public var hourlyAggregates: TimeInterval
    public var events: TimeInterval
    public var audit: TimeInterval
    /// Notifications whose deliveries are all finished (sent, failed, expired), with their attempts.
    public var notifications: TimeInterval

    public init(rawSamples: TimeInterval = 2 * day, fiveMinuteAggregates: TimeInterval = 90 * day,
                hourlyAggregates: TimeInterval = 5 * 365 * day, events: TimeInterval = 2 * 365 * day,
                audit: TimeInterval = 2 * 365 * day, notifications: TimeInterval = 90 * day) {
        self.rawSamples = rawSamples
        self.fiveMinuteAggregates = fiveMinuteAggregates
        self.hourlyAggregates = hourlyAggregates
        self.events = events
        self.audit = audit
        self.notifications = notifications
    }
}
