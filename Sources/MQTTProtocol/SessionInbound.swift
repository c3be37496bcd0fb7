/// Packets from the broker.
extension MQTTSession {
    /// Handles one decoded packet from the broker.
    public mutating func received(_ packet: MQTTPacket, now: Instant) -> [MQTTSessionAction] {
        guard state == .connecting || state == .connected else { return [] }
        lastReceived = now
        if state == .connecting {
            guard case let .connAck(ack) = packet, awaitingConnAck else {
                return abandon(.protocolViolation("\(packet.type) before CONNACK"), reason: .protocolError, now: now)
            }
            return connAckReceived(ack, now: now)
        }
        var actions: [MQTTSessionAction] = []
        switch packet {
        case let .publish(publish):
            return publishReceived(publish, now: now)
        case let .pubAck(ack):
            guard let index = inFlight.firstIndex(where: { $0.id == ack.packetID }) else { return [] }
            inFlight.remove(at: index)
            usedPacketIDs.remove(ack.packetID)
            statistics.messagesAcknowledged += 1
            if ack.reasonCode.isFailure { statistics.messagesRejected += 1 }
            return flush(now: now)
        case let .pubRec(ack):
            // We never publish with QoS 2; answer so the broker can release its state.
            let reason: MQTTReasonCode = configuration.version == .v5 ? .packetIdentifierNotFound : .success
            send(.pubRel(MQTTPublishAck(packetID: ack.packetID, reasonCode: reason)), now: now, into: &actions)
        case let .pubRel(ack):
            let known = inboundQoS2.remove(ack.packetID) != nil
            let reason: MQTTReasonCode = known || configuration.version == .v3_1_1 ? .success : .packetIdentifierNotFound
            send(.pubComp(MQTTPublishAck(packetID: ack.packetID, reasonCode: reason)), now: now, into: &actions)
        case .pubComp:
            break
        case let .subAck(ack):
            guard let filters = pendingSubscribes.removeValue(forKey: ack.packetID) else { return [] }
            usedPacketIDs.remove(ack.packetID)
            for (filter, code) in zip(filters, ack.reasonCodes) {
                if code.isFailure {
                    actions.append(.subscriptionFailed(filter: filter, code))
                } else if subscriptions.contains(where: { $0.filter == filter }) {
                    confirmedFilters.insert(filter)
                }
            }
        case let .unsubAck(ack):
            if pendingUnsubscribes.removeValue(forKey: ack.packetID) != nil { usedPacketIDs.remove(ack.packetID) }
        case .pingResp:
            pingDeadline = nil
        case let .disconnect(disconnect):
            return fail(.serverDisconnected(disconnect.reasonCode, reason: disconnect.properties.reasonString), now: now, close: true)
        case .connAck, .connect, .subscribe, .unsubscribe, .pingReq, .auth:
            return abandon(.protocolViolation("unexpected \(packet.type)"), reason: .protocolError, now: now)
        }
        return actions
    }

    /// The transport delivered bytes that do not decode: the stream cannot be trusted any more.
    public mutating func receivedMalformed(_ error: MQTTProtocolError, now: Instant) -> [MQTTSessionAction] {
        guard state == .connecting || state == .connected else { return [] }
        return abandon(.malformedPacket(error), reason: .malformedPacket, now: now)
    }

    /// The framer dropped a packet larger than `maximumIncomingPacketSize`. A PUBLISH is skipped and counted;
    /// anything else that large is nonsense and ends the connection.
    public mutating func receivedOversize(firstByte: UInt8, size: Int, now: Instant) -> [MQTTSessionAction] {
        guard state == .connected, firstByte >> 4 == MQTTPacketType.publish.rawValue else {
            return receivedMalformed(.packetTooLarge(size: size, maximum: configuration.maximumIncomingPacketSize), now: now)
        }
        lastReceived = now
        statistics.oversizePacketsDropped += 1
        return []
    }

    mutating func connAckReceived(_ ack: MQTTConnAck, now: Instant) -> [MQTTSessionAction] {
        guard !ack.reasonCode.isFailure else { return fail(.refused(ack.reasonCode), now: now, close: true) }
        state = .connected
        awaitingConnAck = false
        connectDeadline = nil
        pingDeadline = nil
        connectedAt = now
        consecutiveFailures = 0
        statistics.connections += 1
        let properties = ack.properties
        serverReceiveMaximum = Int(properties.receiveMaximum ?? 65535)
        serverMaximumPacketSize = properties.maximumPacketSize.map { Int($0) } ?? Int.max
        serverMaximumQoS = properties.maximumQoS == 0 ? .atMostOnce : .exactlyOnce
        serverRetainAvailable = properties.retainAvailable != 0
        keepAlive = .seconds(Int(properties.serverKeepAlive ?? configuration.keepAlive))
        if let assigned = properties.assignedClientIdentifier { assignedClientID = assigned }
        var actions: [MQTTSessionAction] = [.connected(sessionPresent: ack.sessionPresent)]
        resumeSession(present: ack.sessionPresent, now: now, into: &actions)
        return actions
    }

    mutating func publishReceived(_ publish: MQTTPublish, now: Instant) -> [MQTTSessionAction] {
        var topic = publish.topic
        var properties = publish.properties
        if let alias = properties.topicAlias {
            guard alias <= configuration.topicAliasMaximum else {
                return abandon(.protocolViolation("topic alias \(alias) above our maximum"), reason: .topicAliasInvalid, now: now)
            }
            if topic.isEmpty {
                guard let known = inboundAliases[alias] else {
                    return abandon(.protocolViolation("unknown topic alias \(alias)"), reason: .protocolError, now: now)
                }
                topic = known
            } else {
                inboundAliases[alias] = topic
            }
            properties.topicAlias = nil
        }
        let message = MQTTMessage(topic: topic, payload: publish.payload, qos: publish.qos, retain: publish.retain, properties: properties)
        var actions: [MQTTSessionAction] = []
        switch publish.qos {
        case .atMostOnce:
            actions.append(.deliver(message))
            statistics.messagesReceived += 1
        case .atLeastOnce:
            actions.append(.deliver(message))
            statistics.messagesReceived += 1
            send(.pubAck(MQTTPublishAck(packetID: publish.packetID ?? 1)), now: now, into: &actions)
        case .exactlyOnce:
            let id = publish.packetID ?? 1
            // Delivered once: a re-sent PUBLISH before PUBREL is only acknowledged again.
            if inboundQoS2.insert(id).inserted {
                actions.append(.deliver(message))
                statistics.messagesReceived += 1
            }
            send(.pubRec(MQTTPublishAck(packetID: id)), now: now, into: &actions)
        }
        return actions
    }
}
