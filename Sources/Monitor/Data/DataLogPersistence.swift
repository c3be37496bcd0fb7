import Foundation

/// A value at a moment: one line of a data log.
public struct TimedValue: Sendable, Equatable, Hashable, Codable {
    public var time: Date
    public var value: Double

    public init(time: Date, value: Double) {
        self.time = time
        self.value = value
    }
}

/// The data logs' names: the power (kW) log, the fuel-level log, one log per add-on sensor.
public enum DataSeries {
    public static let power = "power"
    public static let fuel = "fuel"
    public static let sensorPrefix = "sensor:"
    public static func sensor(_ name: String) -> String { sensorPrefix + name }
    /// The running energy total, as a counter.
    public static let energyCounter = "energy_kwh"
}

/// Where the monitor keeps its data logs (power, fuel, sensors) and counters so they survive a
/// restart. The Store module implements it in SQLite; `InMemoryDataLogs` keeps them in memory.
public protocol DataLogPersistence: Sendable {
    /// Adds lines to a log (a line at the same moment as an existing one replaces it).
    func append(_ values: [TimedValue], to series: String) async throws
    /// Lines from `since` (all when nil), oldest first; when there are more than `maximumPoints`,
    /// every n-th counted from the newest (the original's thinning), still oldest first.
    func values(in series: String, since: Date?, maximumPoints: Int) async throws -> [TimedValue]
    /// Removes a log; the number of lines removed.
    @discardableResult func clear(series: String) async throws -> Int
    /// Removes every log whose name starts with `prefix`; the number of lines removed.
    @discardableResult func clear(seriesWithPrefix prefix: String) async throws -> Int
    /// The names of the logs that start with `prefix` and hold lines, sorted.
    func series(withPrefix prefix: String) async throws -> [String]
    func counter(_ name: String) async throws -> Double?
    func setCounter(_ name: String, to value: Double) async throws
}

/// Data logs in memory: for tests and for running without a database.
public actor InMemoryDataLogs: DataLogPersistence {
    public private(set) var logs: [String: [TimedValue]] = [:]
    public private(set) var counters: [String: Double] = [:]

    public init() {}

    public func append(_ values: [TimedValue], to series: String) {
        var lines = logs[series] ?? []
        for value in values {
            if let index = lines.lastIndex(where: { $0.time == value.time }) {
                lines[index] = value
            } else if let last = lines.last, last.time > value.time {
                lines.insert(value, at: lines.firstIndex { $0.time > value.time } ?? lines.endIndex)
            } else {
                lines.append(value)
            }
        }
        logs[series] = lines
    }

    public func values(in series: String, since: Date?, maximumPoints: Int) -> [TimedValue] {
        let lines = (logs[series] ?? []).filter { since == nil || $0.time >= since! }
        return Self.thin(lines, maximumPoints: maximumPoints)
    }

    /// Every n-th line counted from the newest, oldest first.
    static func thin(_ lines: [TimedValue], maximumPoints: Int) -> [TimedValue] {
        guard maximumPoints > 0 else { return [] }
        guard lines.count > maximumPoints else { return lines }
        let step = (lines.count + maximumPoints - 1) / maximumPoints
        return lines.reversed().enumerated().filter { $0.offset % step == 0 }.map(\.element).reversed()
    }

    public func clear(series: String) -> Int { logs.removeValue(forKey: series)?.count ?? 0 }

    public func clear(seriesWithPrefix prefix: String) -> Int {
        var removed = 0
        for key in logs.keys where key.hasPrefix(prefix) { removed += logs.removeValue(forKey: key)?.count ?? 0 }
        return removed
    }

    public func series(withPrefix prefix: String) -> [String] {
        logs.filter { $0.key.hasPrefix(prefix) && !$0.value.isEmpty }.keys.sorted()
    }

    public func counter(_ name: String) -> Double? { counters[name] }
    public func setCounter(_ name: String, to value: Double) { counters[name] = value }
}
