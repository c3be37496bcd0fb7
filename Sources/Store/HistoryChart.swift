import Foundation
import GRDB
import Monitor

/// One series over one chart bucket.
public struct SeriesSummary: Sendable, Equatable, Codable {
    public var min: Double
    public var average: Double
    public var max: Double
    /// Samples behind it.
    public var count: Int

    public init(min: Double, average: Double, max: Double, count: Int) {
        self.min = min
        self.average = average
        self.max = max
        self.count = count
    }
}

/// One point of a chart: every series over one bucket (or one raw sample). A series is nil when the
/// bucket holds no value for it (no samples, no power reading, only non-finite values).
public struct HistoryPoint: Sendable, Equatable, Codable {
    /// The bucket's start, or the sample's time.
    public var time: Date
    public var utilityVolts: SeriesSummary?
    public var batteryVolts: SeriesSummary?
    public var outputVolts: SeriesSummary?
    public var frequencyHz: SeriesSummary?
    public var rpm: SeriesSummary?
    public var powerKW: SeriesSummary?

    public init(time: Date) { self.time = time }

    public subscript(series: HistorySeries) -> SeriesSummary? {
        get {
            switch series {
            case .utilityVolts: utilityVolts
            case .batteryVolts: batteryVolts
            case .outputVolts: outputVolts
            case .frequencyHz: frequencyHz
            case .rpm: rpm
            case .powerKW: powerKW
            }
        }
        set {
            switch series {
            case .utilityVolts: utilityVolts = newValue
            case .batteryVolts: batteryVolts = newValue
            case .outputVolts: outputVolts = newValue
            case .frequencyHz: frequencyHz = newValue
            case .rpm: rpm = newValue
            case .powerKW: powerKW = newValue
            }
        }
    }
}

/// What a chart draws: points oldest first, at most the number asked for.
public struct HistoryChart: Sendable, Equatable, Codable {
    /// The tier most of the range was read from.
    public var tier: HistoryTier
    /// Width of each point's bucket; 0 when every point is one raw sample.
    public var bucketWidth: TimeInterval
    public var points: [HistoryPoint]
}

extension GenmonDatabase {
    /// History from `from` to `to` as at most `maxPoints` points, oldest first.
    ///
    /// Picks the finest tier that still holds the whole range and whose rows for it fit the
    /// configured row budget, so a year's chart reads hourly rows, not millions of samples. Buckets
    /// are whole multiples of that tier's, so min/avg/max are exact. The newest stretch, not yet
    /// rolled up, is filled in from finer tiers. When the range is short enough to show every raw
    /// sample, the points are the samples themselves.
    ///
    /// `series` limits the work to the quantities drawn (the others are nil in every point): the
    /// query's cost is mostly per series.
    public func samples(from: Date, to: Date, maxPoints: Int = 500,
                        series: Set<HistorySeries> = Set(HistorySeries.allCases)) async throws -> HistoryChart {
        let range = try TimeRange(from: from, to: to)
        guard maxPoints >= 1 else { throw StoreError.invalidQuery("a chart needs at least one point") }
        // No screen shows more; and it keeps the bucket arithmetic far from overflow.
        let maxPoints = min(maxPoints, Self.maximumChartPoints)
        let configuration = configuration
        let series = HistorySeries.allCases.filter(series.contains)
        return try await reading { db in
            let states = try TierState.all(db)
            let tier = Self.tier(for: range, maxPoints: maxPoints, states: states, configuration: configuration)
            if tier == .raw, let points = try Self.rawPoints(range, maxPoints: maxPoints, series, db) {
                return HistoryChart(tier: .raw, bucketWidth: 0, points: points)
            }
            return try Self.bucketedChart(range, maxPoints: maxPoints, base: tier, states: states, series, db)
        }
    }

    static let maximumChartPoints = 100_000

    /// The finest tier that holds the whole range and fits the row budget; hourly otherwise.
    static func tier(for range: TimeRange, maxPoints: Int, states: [HistoryTier: TierState],
                     configuration: StoreConfiguration) -> HistoryTier {
        let span = Double(range.to - range.from)
        let budget = Double(max(configuration.chartRowBudget, maxPoints))
        return HistoryTier.allCases.first { tier in
            let rowMillis = tier == .raw ? configuration.sampleInterval * 1000 : Double(tier.bucketMillis)
            let holdsRange = (states[tier]?.keptFrom).map { $0 <= range.from } ?? true
            return holdsRange && span / rowMillis <= budget
        } ?? .hourly
    }

    /// Each raw sample as its own point, or nil when there are more than `maxPoints`.
    private static func rawPoints(_ range: TimeRange, maxPoints: Int, _ series: [HistorySeries],
                                  _ db: Database) throws -> [HistoryPoint]? {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM history_raw WHERE time >= ? AND time < ?",
                                     arguments: [range.from, range.to]) ?? 0
        guard count <= maxPoints else { return nil }
        return try Row.fetchAll(db, sql: HistorySQL.segment(.raw, series) + " ORDER BY t", arguments: [range.from, range.to])
            .map { try point(from: $0, time: UnixMillis.date(try $0.requiredInt64("t", table: "history_raw")), series) }
    }

    /// Buckets of a whole multiple of `base`'s width, aligned to it, read from `base` and, past
    /// where `base` is rolled up to, from ever finer tiers.
    private static func bucketedChart(_ range: TimeRange, maxPoints: Int, base: HistoryTier,
                                      states: [HistoryTier: TierState], _ series: [HistorySeries],
                                      _ db: Database) throws -> HistoryChart {
        let unit = base.bucketMillis
        let origin = UnixMillis.floor(range.from, to: unit)
        let perPoint = (range.to - origin + Int64(maxPoints) - 1) / Int64(maxPoints)
        let width = max(unit, (perPoint + unit - 1) / unit * unit)

        var segments: [String] = []
        var arguments = StatementArguments()
        var start = origin
        for tier in HistoryTier.allCases.filter({ $0 <= base }).reversed() {
            let limit = tier == .raw ? range.to : min(range.to, states[tier]?.rolledUntil ?? start)
            guard limit > start else { continue }
            segments.append(HistorySQL.segment(tier, series))
            arguments += [start, limit]
            start = limit
        }
        guard !segments.isEmpty else { return HistoryChart(tier: base, bucketWidth: Double(width) / 1000, points: []) }
        let sql = """
            SELECT (t - \(origin)) / \(width) AS bucket, \(HistorySQL.aggregates(series))
            FROM (\(segments.joined(separator: " UNION ALL "))) GROUP BY bucket ORDER BY bucket
            """
        let points = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            try point(from: row, time: UnixMillis.date(origin + width * (try row.requiredInt64("bucket", table: base.table))), series)
        }
        return HistoryChart(tier: base, bucketWidth: Double(width) / 1000, points: points)
    }

    /// A point from a common-shape row (see `HistorySQL`): the time first, then per series min,
    /// max, sum and count. Read by position: a chart decodes thousands of these.
    static func point(from row: Row, time: Date, _ series: [HistorySeries] = HistorySeries.allCases) throws -> HistoryPoint {
        var point = HistoryPoint(time: time)
        for (index, series) in series.enumerated() {
            let first = 1 + 4 * index
            guard case let .int64(count) = (row[first + 3] as DatabaseValue).storage, count > 0,
                  let min = try number(row, first), let max = try number(row, first + 1),
                  let sum = try number(row, first + 2) else { continue }
            point[series] = SeriesSummary(min: min, average: sum / Double(count), max: max, count: Int(count))
        }
        return point
    }

    private static func number(_ row: Row, _ index: Int) throws -> Double? {
        switch (row[index] as DatabaseValue).storage {
        case .null: nil
        case let .double(value): value
        case let .int64(value): Double(value)
        case .string, .blob: throw StoreError.undecodableRow(table: "history", reason: "column \(index) is not a number")
        }
    }
}
