import Foundation
import Hummingbird
import Notify
import Store

/// The notifications for admins: what is configured, the outbox with every attempt, and "send test".
enum NotificationRoutes {
    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/api/v1/notifications", .admin) { request, _, _ in
            let (cursor, limit) = try DataRoutes.paging(request)
            let page = try await app.database.notifications(before: cursor, limit: limit)
            let summary = try await app.database.outboxSummary()
            let overview = app.notifications?.overview()
            return try Response.json(NotificationsView(
                enabled: overview?.channels.contains { $0.enabled } ?? false,
                channels: (overview?.channels ?? []).map { channel in
                    NotificationsView.Channel(name: channel.name, enabled: channel.enabled, detail: channel.detail, recipients: channel.recipients.map {
                        NotificationsView.Recipient(address: $0.id, categories: $0.categoryNames)
                    })
                },
                rules: (overview?.rules ?? []).map { rule in
                    let unit = rule.unit
                    return NotificationsView.Rule(name: rule.name, reading: rule.reading, direction: rule.direction,
                                                  limit: Quantity(rule.limit, unit) ?? Quantity(0, unit)!,
                                                  clearsAt: Quantity(rule.clearLevel, unit) ?? Quantity(0, unit)!,
                                                  duration: Quantity(rule.duration, "s") ?? Quantity(0, "s")!,
                                                  category: rule.category, summary: rule.summary)
                },
                settleSeconds: overview?.settleSeconds ?? 0, repeatMinutes: overview?.repeatMinutes ?? 0, expireHours: overview?.expireHours ?? 0,
                problems: overview?.problems ?? [],
                outbox: NotificationsView.Outbox(pending: summary.count(.pending), sent: summary.count(.sent), failed: summary.count(.failed),
                                                 expired: summary.count(.expired), oldestPending: summary.oldestPending),
                messages: page.map(message),
                nextCursor: page.count == limit ? page.last.map { Cursor.encode($0.cursor) } : nil))
        }

        routes.post("/api/v1/notifications/test", .admin) { request, context, principal in
            let body = try await request.decodeJSON(NotificationTestBody.self, context: context)
            guard let desk = app.notifications else {
                throw APIError(.conflict, "notifications_off", "Notifications are not running in this genmon.")
            }
            if let to = body.to, to.count > 254 { throw APIError.badRequest("to is longer than an e-mail address can be.") }
            let report = await desk.sendTest(channel: body.channel, to: body.to?.trimmingCharacters(in: .whitespaces))
            await app.audit(principal, "notify test " + (body.channel ?? "email") + (body.to.map { " to \($0)" } ?? ""),
                            result: report.succeeded ? .confirmed : .failed, report.summary)
            return try Response.json(NotificationTestView(
                channel: report.channel, succeeded: report.succeeded, summary: report.summary,
                results: report.results.map { result in
                    let outcome = switch result.outcome {
                    case .delivered: "delivered"
                    case .retryLater: "retry"
                    case .failed: "failed"
                    }
                    return NotificationTestView.Result(recipient: result.recipient, outcome: outcome, detail: result.outcome.detail)
                }))
        }
    }

    static func message(_ stored: Stored<OutboxNotification>) -> NotificationsView.Message {
        let record = stored.record
        return NotificationsView.Message(
            id: stored.id, time: record.created, category: record.category, subject: record.subject, source: record.source,
            messageID: record.messageID, body: record.body,
            deliveries: record.deliveries.map { delivery in
                NotificationsView.Delivery(
                    channel: delivery.lane.channel, recipient: delivery.lane.recipient, state: delivery.state.rawValue,
                    attempts: delivery.attempts, nextAttempt: delivery.state == .pending ? delivery.nextAttempt : nil,
                    lastError: delivery.lastError,
                    history: delivery.history.map {
                        NotificationsView.Attempt(time: $0.time, outcome: $0.outcome.rawValue, detail: $0.detail,
                                                  duration: $0.duration.flatMap { Quantity($0, "s") })
                    })
            })
    }
}
