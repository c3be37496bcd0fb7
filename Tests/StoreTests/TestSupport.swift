import Foundation
import GRDB
import Monitor
@testable import Store

/// 2026-01-01 00:00:00 UTC: on a whole hour, so bucket edges are easy to read in tests.
let epochMillis: Int64 = 1_767_225_600_000
let epoch = Date(timeIntervalSince1970: Double(epochMillis) / 1000)

/// `seconds` after `epoch`, as the store gives times back: to the millisecond, built the same way,
/// so stored and expected dates compare exactly.
func at(_ seconds: TimeInterval) -> Date {
    Date(timeIntervalSince1970: Double(epochMillis + Int64((seconds * 1000).rounded())) / 1000)
}

let minute: TimeInterval = 60
let hour: TimeInterval = 3600
let day: TimeInterval = 86_400

/// A sample whose every series carries `value` (power too, unless told otherwise).
func sample(_ seconds: TimeInterval, _ value: Double, power: Double?? = .none) -> HistorySample {
    HistorySample(time: at(seconds), utilityVolts: value, batteryVolts: value, outputVolts: value,
                  frequencyHz: value, rpm: value, powerKW: power ?? value)
}

/// A fresh directory under the system's temporary one, removed when the value goes.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

func memoryDatabase(_ configuration: StoreConfiguration = StoreConfiguration()) throws -> GenmonDatabase {
    try GenmonDatabase.inMemory(configuration: configuration)
}

/// Size of the database file plus its WAL, in bytes.
func databaseBytes(_ path: String) -> Int {
    [path, path + "-wal"].reduce(0) { total, file in
        total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
    }
}

/// Every event kind, with awkward values where a kind has any.
let everyEventKind: [MonitorEvent.Kind] = [
    .controllerDetected(name: "Evolution 2.0"),
    .engineStateChanged(from: "Stopped", to: "Cranking"),
    .switchStateChanged(from: "Auto", to: "Off"),
    .alarmRaised(text: "Overcrank", code: 1100, isWarning: false),
    .alarmRaised(text: "Low Battery", code: nil, isWarning: true),
    .alarmCleared(text: "Overcrank"),
    .outageStarted(utilityVolts: 0),
    .outageEnded(duration: 3725.5),
    .serviceDue(item: "Schedule A"),
    .serviceCleared(item: "Schedule A"),
    .communicationLost(silentFor: 30),
    .communicationRestored(after: 45.25),
    .clockDrift(seconds: -120),
    .transferSwitchChanged(to: "Generator"),
    .commandCompleted(command: "setremote=start", origin: "web:admin", result: "confirmed"),
]

/// Strings that break naive storage: empty, NUL bytes, every Unicode plane, combining marks, quotes.
let awkwardStrings: [String] = [
    "",
    "a\u{0}b",
    "\u{0}",
    "O'Brien \"quoted\" ; DROP TABLE event; --",
    "Ünïcødé ☃︎ 🚨🔋⚡️ 日本語 עברית \u{1F9D1}\u{200D}\u{1F527}",
    "e\u{301}\u{302}",
    "line\nbreak\ttab\r\n",
    String(repeating: "long string ", count: 100_000),
]

/// The rows of an aggregate tier, by bucket start in seconds after `epoch`.
func aggregates(_ database: GenmonDatabase, _ tier: HistoryTier) async throws -> [TimeInterval: HistoryPoint] {
    try await database.writer.read { db in
        var points: [TimeInterval: HistoryPoint] = [:]
        for row in try Row.fetchAll(db, sql: HistorySQL.segment(tier), arguments: [Int64.min, Int64.max]) {
            let millis: Int64 = row["t"]
            points[Double(millis - epochMillis) / 1000] = try GenmonDatabase.point(from: row, time: UnixMillis.date(millis))
        }
        return points
    }
}

/// What a bucket of these values must summarise to, computed the obvious way.
func expectedSummary(_ values: [Double?]) -> SeriesSummary? {
    let present = values.compactMap { $0 }.filter(\.isFinite)
    guard let min = present.min(), let max = present.max() else { return nil }
    return SeriesSummary(min: min, average: present.reduce(0, +) / Double(present.count), max: max, count: present.count)
}

/// The brute-force chart point for `samples` (in time order) whose time is in `[start, end)`.
func expectedPoint(_ samples: [HistorySample], start: Date, end: Date) -> HistoryPoint? {
    func firstIndex(atOrAfter time: Date) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let middle = (low + high) / 2
            if samples[middle].time < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
    let inside = samples[firstIndex(atOrAfter: start)..<max(firstIndex(atOrAfter: start), firstIndex(atOrAfter: end))]
    guard !inside.isEmpty else { return nil }
    var point = HistoryPoint(time: start)
    for series in HistorySeries.allCases { point[series] = expectedSummary(inside.map { series.value(in: $0) }) }
    return point
}

/// Integer-valued series (so sums are exact in any order), power missing now and then and one
/// value not a number: what a real monitor hands over, made checkable.
func syntheticSamples(from start: TimeInterval, to end: TimeInterval, every step: TimeInterval) -> [HistorySample] {
    stride(from: start, to: end, by: step).map { seconds in
        let index = Int(seconds / step)
        return HistorySample(time: at(seconds), utilityVolts: Double(230 + index % 17), batteryVolts: Double(12 + index % 3),
                             outputVolts: index % 101 == 0 ? .nan : Double(index % 250), frequencyHz: Double(index % 61),
                             rpm: Double(index % 1801), powerKW: index % 7 == 0 ? nil : Double(index % 23))
    }
}

/// Records samples in batches, as the monitor does.
func record(_ samples: [HistorySample], into database: GenmonDatabase, batch: Int = 360) async throws {
    var start = 0
    while start < samples.count {
        try await database.record(Array(samples[start..<min(start + batch, samples.count)]))
        start += batch
    }
}

/// Sample lists equal field by field, NaN matching NaN (the store gives non-finite values back as NaN).
func sameSamples(_ lhs: [HistorySample], _ rhs: [HistorySample]) -> Bool {
    func same(_ a: Double?, _ b: Double?) -> Bool { a == b || (a?.isNaN == true && b?.isNaN == true) }
    return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { a, b in
        a.time == b.time && HistorySeries.allCases.allSatisfy { same($0.value(in: a) ?? .nan, $0.value(in: b) ?? .nan) }
            && (a.powerKW == nil) == (b.powerKW == nil)
    }
}
