import Foundation
import Hummingbird
import Monitor
import Store

/// What the generator and the monitor are doing and have done: for anyone signed in (the audit
/// log for admins).
enum DataRoutes {
    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/api/v1/status", .viewer) { _, _, _ in
            try Response.json(app.views.status(await app.service.snapshot(), now: app.clock()))
        }
        routes.get("/api/v1/maintenance", .viewer) { _, _, _ in
            try Response.json(app.views.maintenance(await app.service.snapshot(), now: app.clock()))
        }
        routes.get("/api/v1/logs", .viewer) { _, _, _ in
            try Response.json(app.views.logs(await app.service.snapshot()))
        }
        routes.get("/api/v1/communication", .viewer) { _, _, _ in
            var view = app.views.communication(await app.service.snapshot(), now: app.clock(), liveClients: app.live.count)
            view.integrations = app.configuration.integrations()
            return try Response.json(view)
        }

        routes.get("/api/v1/outages", .viewer) { request, _, _ in
            let (cursor, limit) = try paging(request)
            let page = try await app.database.outagePage(before: cursor, limit: limit)
            let snapshot = await app.service.snapshot()
            return try Response.json(OutagesView(
                inOutage: snapshot.outage.inOutage, since: snapshot.outage.currentStart,
                utilityMinimum: Quantity(snapshot.outage.utilityMinimumVolts, "V"),
                utilityMaximum: Quantity(snapshot.outage.utilityMaximumVolts, "V"),
                outages: page.map { stored in
                    OutageView(start: stored.record.start, end: stored.record.end,
                               duration: Quantity(stored.record.duration.rounded(), "s") ?? Quantity(0, "s")!,
                               fuelEstimate: stored.record.fuelEstimate)
                },
                nextCursor: page.count == limit ? page.last.map { Cursor.encode($0.cursor) } : nil))
        }

        routes.get("/api/v1/events", .viewer) { request, _, _ in
            let (cursor, limit) = try paging(request)
            var filter = EventFilter()
            if let severity = request.query("severity") {
                guard let parsed = MonitorEvent.Severity(rawValue: severity) else {
                    throw APIError.badRequest("severity must be info, warning or critical.")
                }
                filter.minimumSeverity = parsed
            }
            let page = try await app.database.events(filter, before: cursor, limit: limit)
            return try Response.json(EventsView(
                events: page.map { EventView(id: $0.id, time: $0.record.time, name: $0.record.name,
                                             severity: $0.record.severity.rawValue, summary: $0.record.summary) },
                nextCursor: page.count == limit ? page.last.map { Cursor.encode($0.cursor) } : nil))
        }

        routes.get("/api/v1/audit", .admin) { request, _, _ in
            let (cursor, limit) = try paging(request)
            var filter = AuditFilter()
            if let principal = request.query("principal"), !principal.isEmpty { filter.principal = principal }
            let page = try await app.database.audits(filter, before: cursor, limit: limit)
            return try Response.json(AuditView(
                entries: page.map { stored in
                    let record = stored.record
                    return AuditEntryView(id: stored.id, time: record.time, interface: record.origin.interface.rawValue,
                                          principal: record.origin.principal, command: record.command,
                                          result: record.result.rawValue, message: record.message,
                                          duration: Quantity(record.duration, "s"))
                },
                nextCursor: page.count == limit ? page.last.map { Cursor.encode($0.cursor) } : nil))
        }

        routes.get("/api/v1/history", .viewer) { request, _, _ in
            let query = try HistoryQuery(request, now: app.clock())
            let chart = try await app.database.samples(from: query.from, to: query.to, maxPoints: query.points)
            return try Response.json(HistoryView(
                from: query.from, to: query.to, resolution: chart.tier.rawValue,
                bucket: Quantity(chart.bucketWidth, "s") ?? Quantity(0, "s")!,
                series: query.series.map { series in
                    HistorySeriesView(name: series.rawValue, unit: HistoryQuery.unit(series), points: chart.points.compactMap { point in
                        guard let summary = point[series] else { return nil }
                        return HistoryPointView(time: point.time, min: round3(summary.min), avg: round3(summary.average), max: round3(summary.max))
                    })
                }))
        }
    }

    static func round3(_ value: Double) -> Double { value.isFinite ? (value * 1000).rounded() / 1000 : 0 }

    /// `before` (a cursor from a previous page) and `limit` (1...500, default 50).
    static func paging(_ request: Request) throws(APIError) -> (PageCursor?, Int) {
        var limit = 50
        if let text = request.query("limit") {
            guard let value = Int(text), (1...500).contains(value) else { throw .badRequest("limit must be 1 to 500.") }
            limit = value
        }
        var cursor: PageCursor?
        if let text = request.query("before"), !text.isEmpty {
            guard let decoded = Cursor.decode(text) else { throw .badRequest("before is not a cursor this server gave out.") }
            cursor = decoded
        }
        return (cursor, limit)
    }
}

/// Page cursors as opaque URL-safe text.
enum Cursor {
    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    static func encode(_ cursor: PageCursor) -> String {
        Secrets.base64URL(Array((try? encoder.encode(cursor)) ?? Data()))
    }

    static func decode(_ text: String) -> PageCursor? {
        guard text.count < 200, let bytes = Secrets.fromBase64URL(text) else { return nil }
        return try? decoder.decode(PageCursor.self, from: Data(bytes))
    }
}

/// `series`, `from`, `to`, `points` (or `range` = 6h, 24h, 7d, 30d, 365d instead of from).
struct HistoryQuery {
    var series: [HistorySeries]
    var from: Date
    var to: Date
    var points: Int

    static let ranges: [String: TimeInterval] = ["1h": 3600, "6h": 6 * 3600, "24h": 86_400, "7d": 7 * 86_400,
                                                  "30d": 30 * 86_400, "90d": 90 * 86_400, "365d": 365 * 86_400]

    init(_ request: Request, now: Date) throws(APIError) {
        if let text = request.query("series"), !text.isEmpty {
            var parsed: [HistorySeries] = []
            for name in text.split(separator: ",") {
                guard let series = HistorySeries(rawValue: String(name)) else {
                    throw .badRequest("Unknown series '\(name)'; known: " + HistorySeries.allCases.map(\.rawValue).joined(separator: ", ") + ".")
                }
                if !parsed.contains(series) { parsed.append(series) }
            }
            series = parsed
        } else {
            series = [.utilityVolts, .batteryVolts, .outputVolts]
        }
        to = now
        if let text = request.query("to") {
            guard let date = Self.date(text) else { throw .badRequest("to must be an ISO-8601 time, e.g. 2026-01-31T12:00:00Z.") }
            to = date
        }
        if let text = request.query("from") {
            guard let date = Self.date(text) else { throw .badRequest("from must be an ISO-8601 time, e.g. 2026-01-30T12:00:00Z.") }
            from = date
        } else {
            let range = request.query("range") ?? "24h"
            guard let seconds = Self.ranges[range] else {
                throw .badRequest("range must be one of " + Self.ranges.keys.sorted().joined(separator: ", ") + ".")
            }
            from = to.addingTimeInterval(-seconds)
        }
        guard from < to else { throw .badRequest("from must be before to.") }
        guard to.timeIntervalSince(from) <= 400 * 86_400 else { throw .badRequest("A chart covers at most 400 days.") }
        points = 300
        if let text = request.query("points") {
            guard let value = Int(text), (2...2000).contains(value) else { throw .badRequest("points must be 2 to 2000.") }
            points = value
        }
    }

    static func date(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func unit(_ series: HistorySeries) -> String {
        switch series {
        case .utilityVolts, .batteryVolts, .outputVolts: "V"
        case .frequencyHz: "Hz"
        case .rpm: "rpm"
        case .powerKW: "kW"
        }
    }
}
