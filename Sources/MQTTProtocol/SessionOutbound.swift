/// Publishing and subscribing.
extension MQTTSession {
    /// Subscriptions per SUBSCRIBE packet when restoring many at once.
    static let subscriptionsPerPacket = 64

    /// Queues a message and sends it as soon as the connection and the in-flight window allow.
    ///
    /// Never waits: while the broker is away the message goes to the bounded offline buffer. Throws for a
    /// message the protocol cannot carry (invalid topic, QoS 2, properties the client manages, too large).
    public mutating func publish(_ message: MQTTMessage, now: Instant) throws(MQTTSessionError) -> [MQTTSessionAction] {
        guard state != .stopped else { throw .stopped }
        try validate(message)
        buffer.append(message)
        return flush(now: now)
    }

    /// Adds (or replaces, by filter) subscriptions; they are restored after every reconnect.
    public mutating func subscribe(_ requested: [MQTTSubscription], now: Instant) throws(MQTTSessionError) -> [MQTTSessionAction] {
        guard state != .stopped else { throw .stopped }
        for subscription in requested { try Self.validate(subscription, version: configuration.version) }
        for subscription in requested {
            subscriptions.removeAll { $0.filter == subscription.filter }
            subscriptions.append(subscription)
            confirmedFilters.remove(subscription.filter)
            staleFilters.remove(subscription.filter)
        }
        var actions: [MQTTSessionAction] = []
        if state == .connected { sendSubscribe(requested, now: now, into: &actions) }
        return actions
    }

    /// Drops subscriptions.
    public mutating func unsubscribe(_ filters: [String], now: Instant) throws(MQTTSessionError) -> [MQTTSessionAction] {
        guard state != .stopped else { throw .stopped }
        for filter in filters {
            do { try MQTTTopic.validateFilter(filter) } catch { throw .invalidRequest(error) }
        }
        subscriptions.removeAll { filters.contains($0.filter) }
        var actions: [MQTTSessionAction] = []
        if state == .connected {
            for filter in filters { confirmedFilters.remove(filter) }
            sendUnsubscribe(filters, now: now, into: &actions)
        } else {
            // A kept session may still hold them: tell the broker after reconnecting.
            for filter in filters { confirmedFilters.remove(filter); staleFilters.insert(filter) }
        }
        return actions
    }

    /// The filters the application is subscribed to, in the order given.
    public var subscribedFilters: [String] { subscriptions.map(\.filter) }

    func validate(_ message: MQTTMessage) throws(MQTTSessionError) {
        try Self.validate(message, version: configuration.version)
    }

    /// Throws unless the session can publish `message` on a connection of `version` (topic, QoS 0/1, properties, size).
    public static func validate(_ message: MQTTMessage, version: MQTTVersion) throws(MQTTSessionError) {
        if message.qos == .exactlyOnce { throw .invalidRequest(.invalidQoS(2)) }
        // Topic aliases and subscription identifiers are the client's and broker's business, not the caller's.
        for property in message.properties.entries where property.identifier == .topicAlias || property.identifier == .subscriptionIdentifier {
            throw .invalidRequest(.propertyNotAllowed(property.identifier, in: .publish))
        }
        let packet = MQTTPublish(topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain,
                                 packetID: message.qos == .atMostOnce ? nil : 1, properties: message.properties)
        do {
            try MQTTTopic.validateName(message.topic)
            _ = try MQTTPacket.publish(packet).encode(version: version)
        } catch {
            throw .invalidRequest(error)
        }
    }

    /// Throws unless `subscription` can be sent on a connection of `version`.
    public static func validate(_ subscription: MQTTSubscription, version: MQTTVersion) throws(MQTTSessionError) {
        do {
            var probe: [UInt8] = []
            try subscription.encode(into: &probe, version: version)
        } catch {
            throw .invalidRequest(error)
        }
    }

    /// Sends buffered messages in order while connected and the window has room.
    mutating func flush(now: Instant) -> [MQTTSessionAction] {
        guard state == .connected else { return [] }
        var actions: [MQTTSessionAction] = []
        while var message = buffer.first {
            // The broker's limits from CONNACK: QoS and retain are downgraded rather than refused.
            if message.qos > serverMaximumQoS { message.qos = serverMaximumQoS }
            if !serverRetainAvailable { message.retain = false }
            var packetID: UInt16?
            if message.qos != .atMostOnce {
                guard inFlight.count < window, let id = allocatePacketID() else { break }
                packetID = id
            }
            _ = buffer.removeFirst()
            let publish = MQTTPublish(topic: message.topic, payload: message.payload, qos: message.qos,
                                      retain: message.retain, packetID: packetID, properties: message.properties)
            if serverMaximumPacketSize < Int.max,
               let size = try? MQTTPacket.publish(publish).encode(version: configuration.version).count,
               size > serverMaximumPacketSize {
                if let packetID { usedPacketIDs.remove(packetID) }
                statistics.messagesDroppedTooLarge += 1
                continue
            }
            if let packetID { inFlight.append((packetID, message)) }
            statistics.messagesSent += 1
            statistics.lastPublish = now
            send(.publish(publish), now: now, into: &actions)
        }
        return actions
    }

    mutating func sendSubscribe(_ list: [MQTTSubscription], now: Instant, into actions: inout [MQTTSessionAction]) {
        var start = 0
        while start < list.count {
            let chunk = Array(list[start..<min(start + Self.subscriptionsPerPacket, list.count)])
            start += chunk.count
            guard let id = allocatePacketID() else { return }
            pendingSubscribes[id] = chunk.map(\.filter)
            send(.subscribe(MQTTSubscribe(packetID: id, subscriptions: chunk)), now: now, into: &actions)
        }
    }

    mutating func sendUnsubscribe(_ filters: [String], now: Instant, into actions: inout [MQTTSessionAction]) {
        var start = 0
        while start < filters.count {
            let chunk = Array(filters[start..<min(start + Self.subscriptionsPerPacket, filters.count)])
            start += chunk.count
            guard let id = allocatePacketID() else { return }
            pendingUnsubscribes[id] = chunk
            send(.unsubscribe(MQTTUnsubscribe(packetID: id, filters: chunk)), now: now, into: &actions)
        }
    }

    /// After CONNACK: re-send or re-queue unacknowledged messages, restore subscriptions, flush the buffer.
    mutating func resumeSession(present: Bool, now: Instant, into actions: inout [MQTTSessionAction]) {
        if present && !configuration.cleanSession {
            // The broker kept our session: the same packets again, marked as duplicates.
            for (id, message) in inFlight {
                let publish = MQTTPublish(topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain,
                                          dup: true, packetID: id, properties: message.properties)
                statistics.messagesResent += 1
                statistics.lastPublish = now
                send(.publish(publish), now: now, into: &actions)
            }
            let stale = subscriptions.isEmpty ? Array(staleFilters) : Array(staleFilters.subtracting(subscriptions.map(\.filter)))
            if !stale.isEmpty { sendUnsubscribe(stale.sorted(), now: now, into: &actions) }
            sendSubscribe(subscriptions.filter { !confirmedFilters.contains($0.filter) }, now: now, into: &actions)
        } else {
            // No session on the broker: our unacknowledged messages are new messages now, or dropped.
            for (id, message) in inFlight.reversed() {
                usedPacketIDs.remove(id)
                if configuration.republishUnacknowledged {
                    buffer.prepend(message)
                } else {
                    statistics.messagesDroppedUnacknowledged += 1
                }
            }
            inFlight = []
            inboundQoS2 = []
            confirmedFilters = []
            sendSubscribe(subscriptions, now: now, into: &actions)
        }
        staleFilters = []
        actions += flush(now: now)
    }
}
