import ArgumentParser
import Foundation
import Monitor
import Store

/// Hidden: proves the store's durability. Writes events, audit records, outages, sample batches and
/// maintenance passes in a loop, and prints one line per write the store has acknowledged (written
/// straight to the file descriptor, unbuffered). A test kills it with SIGKILL at any moment, then
/// checks that every acknowledged write is in the database and the file passes `integrity_check`.
struct StoreTortureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-torture",
        abstract: "Write records in a loop, printing each acknowledged commit (durability testing).",
        shouldDisplay: false
    )

    @Option(help: "The database file.") var database: String
    @Option(help: "How many writes before stopping.") var count = 1000
    @Option(help: "Marks this run's records, so several runs can share a database.") var tag = "run"
    @Option(help: "Unix time of the first record.") var epoch = 1_767_225_600

    func run() async throws {
        let store = try GenmonDatabase(path: database)
        let start = Date(timeIntervalSince1970: TimeInterval(epoch))
        for index in 0..<count {
            let marker = "\(tag)-\(index)"
            let time = start.addingTimeInterval(TimeInterval(index) * 60)
            let line: String
            switch index % 5 {
            case 0:
                try await store.record(MonitorEvent(time: time, kind: .commandCompleted(command: marker, origin: "torture", result: "ok")))
                line = "event \(marker)"
            case 1:
                try await store.record(AuditRecord(time: time, origin: CommandOrigin(interface: .cli, principal: "torture", mayControl: true),
                                                   command: marker, result: .confirmed, message: "torture", duration: 0.5))
                line = "audit \(marker)"
            case 2:
                try await store.record(OutageRecord(start: time, end: time.addingTimeInterval(30), fuelEstimate: marker))
                line = "outage \(marker)"
            case 3:
                let batch = (0..<6).map { step in
                    HistorySample(time: time.addingTimeInterval(TimeInterval(step) * 10), utilityVolts: Double(index), batteryVolts: 13.5,
                                  outputVolts: 0, frequencyHz: 0, rpm: 0, powerKW: nil)
                }
                try await store.record(batch)
                line = "samples \(marker) \(Int64(time.timeIntervalSince1970))"
            default:
                try await store.maintain(now: time)
                line = "maintain \(marker)"
            }
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
