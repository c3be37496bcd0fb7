import Foundation
import Hummingbird
import Monitor

/// The add-on sensors' logs, for charts: `GET /api/v1/sensors/history?name=…&range=24h`.
enum SensorRoutes {
    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/api/v1/sensors/history", .viewer) { request, _, _ in
            guard let name = request.query("name"), !name.isEmpty, name.count <= ExternalData.maximumTextLength else {
                throw APIError.badRequest("name must name a sensor (1 to \(ExternalData.maximumTextLength) characters).")
            }
            let range = request.query("range") ?? "24h"
            guard let seconds = HistoryQuery.ranges[range] else {
                throw APIError.badRequest("range must be one of " + HistoryQuery.ranges.keys.sorted().joined(separator: ", ") + ".")
            }
            var points = 500
            if let text = request.query("points") {
                guard let value = Int(text), (2...4000).contains(value) else { throw APIError.badRequest("points must be 2 to 4000.") }
                points = value
            }
            let known = await app.service.sensorNames()
            guard let match = known.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw APIError(.notFound, "unknown_sensor", "No add-on has sent a sensor named '\(name)'.")
            }
            let now = app.clock()
            let lines = await app.service.sensorLog(name: match, lastMinutes: Int(seconds / 60), maximumPoints: points)
            let unit = await app.service.snapshot().external.reading(match)?.units ?? ""
            return try Response.json(SensorHistoryView(
                name: match, unit: unit, from: now.addingTimeInterval(-seconds), to: now,
                points: lines.map { SensorPointView(time: $0.time, value: DataRoutes.round3($0.value)) }))
        }
    }
}
