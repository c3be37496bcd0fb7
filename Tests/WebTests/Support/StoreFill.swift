import Foundation
import Monitor
import Store
import Testing

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

extension StoreFill {
    /// Notifications in every state, with attempts, for the outbox views.
    static func fillOutbox(_ database: GenmonDatabase, now: Date) async throws {
        let alice = OutboxLane(channel: "email", recipient: "alice@example.org"), bob = OutboxLane(channel: "email", recipient: "bob@example.org")
        for index in 0..<3 {
            try await database.enqueue(OutboxMessage(
                created: now.addingTimeInterval(Double(index - 10) * 60), category: "outage", subject: "Outage Notice at Test",
                body: "Utility Power Out at 2026-01-01 00:0\(index):00\n", source: "outage_started", messageID: "<\(index)@example.org>",
                payloads: ["email": [1, 2, 3]], lanes: [alice, bob]))
        }
        let heads = try await database.heads(of: [alice, bob])
        try await database.record([
            AttemptRecord(deliveryID: try #require(heads[alice]).id, time: now, outcome: .retry, detail: "421 4.3.2 try later", duration: 0.4,
                          retryAt: now.addingTimeInterval(30)),
            AttemptRecord(deliveryID: try #require(heads[bob]).id, time: now, outcome: .delivered, detail: "250 2.0.0 Ok", duration: 0.2),
        ])
        try await database.enqueue(OutboxMessage(created: now, category: "info", subject: "Generator Monitor Starting at Test",
                                                 body: "genmon is starting\n", source: "startup"))
    }
}
