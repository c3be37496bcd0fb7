import Foundation
import GenmonConfig
import Store

/// Pacing per lane (minimum interval, daily limit) and the summaries of what waited meanwhile.
extension DeliveryWorker {
    /// The most messages one summary carries (more wait for the next one).
    static let maximumSummary = 50

    /// The lane's pacing, its sends of the last day read from the outbox on first use.
    func pacing(of lane: OutboxLane) async -> SendPacing? {
        guard let channel = channels[lane.channel], channel.pacing.minimumInterval > 0 || channel.pacing.dailyLimit > 0 else { return nil }
        if let known = pacers.withLock({ $0[lane] }) { return known }
        var sends: [Date] = []
        do { sends = try await database.sendTimes(of: lane, since: clock.date.addingTimeInterval(-SendPacing.window)) } catch {
            logger.error("cannot read the recent sends of \(lane): \(error)")
        }
        let pacing = SendPacing(settings: channel.pacing, sends: sends)
        return pacers.withLock { pacers in
            if let raced = pacers[lane] { return raced }
            pacers[lane] = pacing
            return pacing
        }
    }

    /// When `lane` may send next (nil: no pacing); logs once when its daily limit holds it.
    func nextAllowed(_ lane: OutboxLane, at date: Date) async -> Date? {
        guard let pacing = await pacing(of: lane) else { return nil }
        let next = pacing.nextAllowed(at: date)
        if pacing.isAtDailyLimit(at: date), next > date {
            if heldByLimit.withLock({ $0.insert(lane).inserted }) {
                logger.notice("\(lane.channel) to \(lane.recipient): daily limit of \(pacing.settings.dailyLimit) reached; what comes now waits until \(next) and then goes as one summary")
            }
        } else {
            heldByLimit.withLock { _ = $0.remove(lane) }
        }
        return next
    }

    /// A send on `lane` happened at `date`.
    func sent(on lane: OutboxLane, channel: any NotificationChannel, at date: Date) async {
        guard var pacing = await pacing(of: lane) else { return }
        pacing.sent(at: date)
        pacers.withLock { $0[lane] = pacing }
    }

    /// What to send for `head`: on a paced channel that can summarise, everything waiting on the
    /// lane as one message; otherwise the head alone. Returns it with the deliveries it carries.
    func batch(_ head: DueDelivery, on channel: any NotificationChannel) async -> (QueuedMessage, [DueDelivery]) {
        let single = Self.queued(head)
        guard channel.pacing.minimumInterval > 0 || channel.pacing.dailyLimit > 0 else { return (single, [head]) }
        let waiting: [DueDelivery]
        do { waiting = try await database.pendingDeliveries(of: head.lane, limit: Self.maximumSummary) } catch {
            logger.error("cannot read the outbox: \(error)")
            return (single, [head])
        }
        guard waiting.count > 1, waiting.first?.id == head.id, let summary = channel.summarize(waiting.map(Self.queued)) else {
            return (single, [head])
        }
        return (summary, waiting)
    }

    static func queued(_ delivery: DueDelivery) -> QueuedMessage {
        QueuedMessage(notificationID: delivery.notificationID, subject: delivery.subject, category: NotificationCategory(rawValue: delivery.category),
                      text: delivery.body, payload: delivery.payload, messageID: delivery.messageID, created: delivery.created)
    }
}
