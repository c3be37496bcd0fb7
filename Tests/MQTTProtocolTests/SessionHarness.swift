import Testing
@testable import MQTTProtocol

/// A session on a manual clock: time moves only when a test says so.
struct SessionHarness {
    var session: MQTTSession
    var now = ContinuousClock.now

    init(_ configuration: MQTTSessionConfiguration, seed: UInt64 = 1) {
        session = MQTTSession(configuration: configuration, randomSeed: seed)
    }

    static func configuration(version: MQTTVersion = .v3_1_1, clean: Bool = true) -> MQTTSessionConfiguration {
        MQTTSessionConfiguration(version: version, clientID: "genmon", cleanSession: clean, keepAlive: 60)
    }

    mutating func advance(_ duration: Duration) -> [MQTTSessionAction] {
        now += duration
        return session.tick(now: now)
    }

    /// Runs the clock to the next deadline and ticks.
    mutating func runToDeadline() -> [MQTTSessionAction] {
        guard let deadline = session.nextDeadline else { return [] }
        now = max(now, deadline)
        return session.tick(now: now)
    }

    /// From idle, connecting or waiting: opens, sends CONNECT, receives CONNACK. Returns the actions after CONNACK.
    mutating func connect(sessionPresent: Bool = false, properties: MQTTProperties = []) -> [MQTTSessionAction] {
        switch session.state {
        case .idle: #expect(session.start(now: now) == [.openConnection])
        case .connecting: break  // already opening
        default: #expect(runToDeadline() == [.openConnection])
        }
        let connect = session.transportConnected(now: now)
        #expect(packets(connect).first?.type == .connect)
        return session.received(.connAck(MQTTConnAck(sessionPresent: sessionPresent, properties: properties)), now: now)
    }

    mutating func receive(_ packet: MQTTPacket) -> [MQTTSessionAction] { session.received(packet, now: now) }

    mutating func publish(_ message: MQTTMessage) -> [MQTTSessionAction] {
        do { return try session.publish(message, now: now) } catch {
            Issue.record("publish failed: \(error)")
            return []
        }
    }
}

/// The packets among actions, in order.
func packets(_ actions: [MQTTSessionAction]) -> [MQTTPacket] {
    actions.compactMap { if case let .send(packet) = $0 { packet } else { nil } }
}

/// The PUBLISH packets among actions.
func publishes(_ actions: [MQTTSessionAction]) -> [MQTTPublish] {
    packets(actions).compactMap { if case let .publish(publish) = $0 { publish } else { nil } }
}

/// The failure among actions, if any.
func failure(_ actions: [MQTTSessionAction]) -> (MQTTSessionError, ContinuousClock.Instant?)? {
    for action in actions { if case let .failed(error, retryAt) = action { return (error, retryAt) } }
    return nil
}
