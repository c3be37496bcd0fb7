import Foundation
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
