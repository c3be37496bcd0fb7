import Foundation
import Monitor
import Store

/// Something in every table of the store, for the API to show.
enum StoreFill {
    static func fill(_ database: GenmonDatabase, now: Date) async throws {
        for index in 0..<3 {
            let start = now.addingTimeInterval(Double(-86_400 * (index + 1)))
            try await database.record(OutageRecord(start: start, end: start.addingTimeInterval(3600 + Double(index)), fuelEstimate: index == 0 ? "1.2 gal" : nil))
        }
        let kinds: [MonitorEvent.Kind] = [.controllerDetected(name: "Evolution, Liquid Cooled"), .engineStateChanged(from: "Off - Ready", to: "Cranking"),
                                          .alarmRaised(text: "Overcrank", code: 1100, isWarning: false), .outageStarted(utilityVolts: 3),
                                          .outageEnded(duration: 3600), .commandCompleted(command: "setremote=start", origin: "web:alice", result: "confirmed")]
        for (index, kind) in kinds.enumerated() {
            try await database.record(MonitorEvent(time: now.addingTimeInterval(Double(index - 10) * 60), kind: kind))
        }
        try await database.record(AuditRecord(time: now.addingTimeInterval(-60), origin: CommandOrigin(interface: .socket, principal: "127.0.0.1", mayControl: true),
                                              command: "setremote=stop", result: .confirmed, message: "confirmed by the controller", duration: 2.5))
        var samples: [HistorySample] = []
        for index in 0..<120 {
            samples.append(HistorySample(time: now.addingTimeInterval(Double(index - 120) * 60), utilityVolts: 240 + Double(index % 5),
                                         batteryVolts: 13.5 + Double(index % 3) / 10, outputVolts: 0, frequencyHz: 0, rpm: 0,
                                         powerKW: index % 2 == 0 ? nil : 0))
        }
        try await database.record(samples)
    }
}
