import Testing
@testable import MQTTProtocol

@Suite("Session: connection, keep-alive, back-off")
struct SessionConnectionTests {
    @Test("start opens the transport, then CONNECT carries the configuration")
    func handshake() throws {
        var configuration = SessionHarness.configuration(version: .v5, clean: false)
        configuration.username = "user"
        configuration.password = Array("secret".utf8)
        configuration.will = MQTTWill(topic: "genmon/status", payload: Array("offline".utf8), qos: .atLeastOnce, retain: true)
        configuration.maximumIncomingPacketSize = 4096
        configuration.receiveMaximum = 16
        configuration.topicAliasMaximum = 8
        var harness = SessionHarness(configuration)
        #expect(harness.session.start(now: harness.now) == [.openConnection])
        #expect(harness.session.state == .connecting)
        let sent = packets(harness.session.transportConnected(now: harness.now))
        guard case let .connect(connect)? = sent.first else { Issue.record("no CONNECT"); return }
        #expect(connect.version == .v5 && !connect.cleanStart && connect.keepAlive == 60 && connect.clientID == "genmon")
        #expect(connect.username == "user" && connect.password == Array("secret".utf8) && connect.will == configuration.will)
        #expect(connect.properties.sessionExpiryInterval == 86_400 && connect.properties.maximumPacketSize == 4096)
        #expect(connect.properties.receiveMaximum == 16 && connect.properties.topicAliasMaximum == 8)
        let actions = harness.receive(.connAck(MQTTConnAck()))
        #expect(actions == [.connected(sessionPresent: false)])
        #expect(harness.session.isConnected && harness.session.statistics.connections == 1)
    }

    @Test("a refused CONNECT fails with the broker's reason and schedules a retry")
    func refused() throws {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.session.start(now: harness.now)
        _ = harness.session.transportConnected(now: harness.now)
        let actions = harness.receive(.connAck(MQTTConnAck(reasonCode: .badUserNameOrPassword)))
        #expect(actions.first == .closeConnection)
        let (error, retryAt) = try #require(failure(actions))
        #expect(error == .refused(.badUserNameOrPassword))
        #expect(error.description.contains("bad user name or password"))
        #expect(harness.session.state == .waitingToReconnect(until: try #require(retryAt)))
        #expect(harness.session.lastError == error && harness.session.consecutiveFailures == 1)
    }

    @Test("no CONNACK within the response timeout fails the attempt")
    func connectTimeout() throws {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.session.start(now: harness.now)
        _ = harness.session.transportConnected(now: harness.now)
        #expect(harness.advance(.seconds(9)) == [])
        let actions = harness.advance(.seconds(1))
        #expect(failure(actions)?.0 == .connectTimeout)
        #expect(actions.first == .closeConnection)
    }

    @Test("a transport that never opens times out too")
    func openTimeout() {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.session.start(now: harness.now)
        #expect(harness.session.nextDeadline == harness.now + .seconds(10))
        #expect(failure(harness.advance(.seconds(10)))?.0 == .connectTimeout)
    }

    @Test("PINGREQ after a keep-alive interval of silence; PINGRESP clears the deadline")
    func keepAlive() {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        #expect(harness.session.nextDeadline == harness.now + .seconds(60))
        #expect(harness.advance(.seconds(59)) == [])
        #expect(packets(harness.advance(.seconds(1))) == [.pingReq])
        #expect(harness.session.nextDeadline == harness.now + .seconds(10))
        #expect(harness.receive(.pingResp) == [])
        #expect(harness.session.nextDeadline == harness.now + .seconds(60))
        #expect(packets(harness.advance(.seconds(60))) == [.pingReq])
    }

    @Test("sending postpones the ping only while the broker also talks")
    func keepAliveCountsBothDirections() {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        // Publishing QoS 0 every 20 s: we send, but hear nothing; a ping is still due 60 s after the CONNACK.
        for _ in 0..<2 {
            _ = harness.advance(.seconds(20))
            _ = harness.publish(MQTTMessage(topic: "t", text: "x"))
        }
        #expect(packets(harness.advance(.seconds(20))) == [.pingReq])
    }

    @Test("no PINGRESP in time declares the connection dead")
    func pingTimeout() throws {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        _ = harness.advance(.seconds(60))
        #expect(harness.advance(.seconds(9)) == [])
        let actions = harness.advance(.seconds(1))
        #expect(actions.first == .closeConnection)
        #expect(failure(actions)?.0 == .pingTimeout)
    }

    @Test("the broker's server keep alive replaces ours; keep-alive 0 never pings")
    func serverKeepAlive() {
        var harness = SessionHarness(SessionHarness.configuration(version: .v5))
        _ = harness.connect(properties: [.serverKeepAlive(5)])
        #expect(packets(harness.advance(.seconds(5))) == [.pingReq])
        var configuration = SessionHarness.configuration()
        configuration.keepAlive = 0
        var silent = SessionHarness(configuration)
        _ = silent.connect()
        #expect(silent.session.nextDeadline == nil)
        #expect(silent.advance(.seconds(100_000)) == [])
    }

    @Test("back-off grows exponentially, is capped, and stays inside its jitter bounds for many seeds")
    func backoffBounds() throws {
        for seed in UInt64(1)...200 {
            var configuration = SessionHarness.configuration()
            configuration.backoff = MQTTBackoff(initial: .seconds(1), maximum: .seconds(120), multiplier: 2, jitter: 0.5)
            var harness = SessionHarness(configuration, seed: seed)
            _ = harness.session.start(now: harness.now)
            for attempt in 0..<12 {
                let actions = harness.session.connectionLost(.transport("refused"), now: harness.now)
                let retryAt = try #require(failure(actions)?.1)
                let delay = retryAt - harness.now
                let base = Duration.seconds(min(120, 1 << attempt))
                #expect(delay <= base && delay >= base / 2, "seed \(seed) attempt \(attempt): \(delay)")
                #expect(harness.runToDeadline() == [.openConnection])
            }
            #expect(harness.session.consecutiveFailures == 12)
        }
    }

    @Test("jitter spreads reconnects: different seeds give different delays")
    func jitterSpreads() throws {
        var delays: Set<Duration> = []
        for seed in UInt64(1)...20 {
            var harness = SessionHarness(SessionHarness.configuration(), seed: seed)
            _ = harness.session.start(now: harness.now)
            let retryAt = try #require(failure(harness.session.connectionLost(.transport("x"), now: harness.now))?.1)
            delays.insert(retryAt - harness.now)
        }
        #expect(delays.count > 15)
    }

    @Test("back-off returns to its initial delay only after a stable connection")
    func backoffReset() throws {
        var configuration = SessionHarness.configuration()
        configuration.backoff = MQTTBackoff(initial: .seconds(1), maximum: .seconds(120), jitter: 0)
        var harness = SessionHarness(configuration)
        _ = harness.session.start(now: harness.now)
        for _ in 0..<5 {
            _ = harness.session.connectionLost(.transport("x"), now: harness.now)
            _ = harness.runToDeadline()
        }
        // A connection that drops after 5 s keeps growing the delay (32 s for the 6th failure).
        _ = harness.session.transportConnected(now: harness.now)
        _ = harness.receive(.connAck(MQTTConnAck()))
        #expect(harness.session.consecutiveFailures == 0)
        _ = harness.advance(.seconds(5))
        var retryAt = try #require(failure(harness.session.connectionLost(.transport("x"), now: harness.now))?.1)
        #expect(retryAt - harness.now == .seconds(32))
        // One that lasted longer than the stable time starts again at the initial delay.
        _ = harness.connect()
        _ = harness.advance(.seconds(31))
        _ = harness.receive(.pingResp)
        retryAt = try #require(failure(harness.session.connectionLost(.transport("x"), now: harness.now))?.1)
        #expect(retryAt - harness.now == .seconds(1))
    }

    @Test("MQTTBackoff never overflows and respects its cap")
    func backoffArithmetic() {
        let backoff = MQTTBackoff(initial: .milliseconds(500), maximum: .seconds(60), multiplier: 3, jitter: 1)
        #expect(backoff.baseDelay(attempt: 0) == .milliseconds(500))
        #expect(backoff.baseDelay(attempt: 2) == .milliseconds(4500))
        #expect(backoff.baseDelay(attempt: 1_000_000) == .seconds(60))
        #expect(backoff.delay(attempt: 10, unitRandom: 0) == .seconds(60))
        #expect(backoff.delay(attempt: 10, unitRandom: 0.999) < .seconds(1))
        let absurd = MQTTBackoff(initial: .seconds(1), maximum: .seconds(Int64.max / 2), multiplier: Int.max, jitter: 0)
        #expect(absurd.baseDelay(attempt: Int.max) <= .seconds(86_400))
    }

    @Test("a packet before CONNACK is a protocol violation; MQTT 5 says so with DISCONNECT once connected")
    func violations() throws {
        var harness = SessionHarness(SessionHarness.configuration(version: .v5))
        _ = harness.session.start(now: harness.now)
        _ = harness.session.transportConnected(now: harness.now)
        var actions = harness.receive(.pingResp)
        #expect(failure(actions)?.0 == .protocolViolation("PINGRESP before CONNACK"))
        _ = harness.connect()
        actions = harness.receive(.subscribe(MQTTSubscribe(packetID: 1, subscriptions: [MQTTSubscription(filter: "a")])))
        #expect(packets(actions) == [.disconnect(MQTTDisconnect(reasonCode: .protocolError))])
        #expect(actions.contains(.closeConnection))
    }

    @Test("DISCONNECT from the broker ends the connection with its reason")
    func serverDisconnect() {
        var harness = SessionHarness(SessionHarness.configuration(version: .v5))
        _ = harness.connect()
        let actions = harness.receive(.disconnect(MQTTDisconnect(reasonCode: .serverShuttingDown, properties: [.reasonString("bye")])))
        #expect(failure(actions)?.0 == .serverDisconnected(.serverShuttingDown, reason: "bye"))
        #expect(packets(actions).isEmpty)
    }

    @Test("malformed input: MQTT 5 answers DISCONNECT 0x81, both versions close")
    func malformed() {
        var harness = SessionHarness(SessionHarness.configuration(version: .v5))
        _ = harness.connect()
        let actions = harness.session.receivedMalformed(.invalidUTF8, now: harness.now)
        #expect(packets(actions) == [.disconnect(MQTTDisconnect(reasonCode: .malformedPacket))])
        #expect(failure(actions)?.0 == .malformedPacket(.invalidUTF8))
        var v3 = SessionHarness(SessionHarness.configuration())
        _ = v3.connect()
        #expect(packets(v3.session.receivedMalformed(.invalidUTF8, now: v3.now)).isEmpty)
    }

    @Test("an oversize PUBLISH is counted and skipped; an oversize anything else ends the connection")
    func oversize() {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        #expect(harness.session.receivedOversize(firstByte: 0x32, size: 5_000_000, now: harness.now) == [])
        #expect(harness.session.statistics.oversizePacketsDropped == 1 && harness.session.isConnected)
        #expect(failure(harness.session.receivedOversize(firstByte: 0x90, size: 5_000_000, now: harness.now)) != nil)
    }

    @Test("clean shutdown sends DISCONNECT, stops, and refuses further work")
    func shutdown() {
        var harness = SessionHarness(SessionHarness.configuration())
        _ = harness.connect()
        let actions = harness.session.disconnect(now: harness.now)
        #expect(actions == [.send(.disconnect(MQTTDisconnect())), .closeConnection])
        #expect(harness.session.state == .stopped && harness.session.nextDeadline == nil)
        #expect(harness.session.connectionLost(.transport("closed"), now: harness.now) == [])
        #expect(throws: MQTTSessionError.stopped) { try harness.session.publish(MQTTMessage(topic: "t", text: "x"), now: harness.now) }
        var waiting = SessionHarness(SessionHarness.configuration())
        _ = waiting.session.start(now: waiting.now)
        _ = waiting.session.connectionLost(.transport("x"), now: waiting.now)
        #expect(waiting.session.disconnect(now: waiting.now) == [])
        #expect(waiting.runToDeadline() == [])
    }

    @Test("a broker-assigned client identifier is reused on reconnect")
    func assignedClientID() {
        var configuration = SessionHarness.configuration(version: .v5)
        configuration.clientID = ""
        var harness = SessionHarness(configuration)
        _ = harness.connect(properties: [.assignedClientIdentifier("auto-123")])
        _ = harness.session.connectionLost(.transport("x"), now: harness.now)
        _ = harness.runToDeadline()
        guard case let .connect(connect)? = packets(harness.session.transportConnected(now: harness.now)).first else {
            Issue.record("no CONNECT"); return
        }
        #expect(connect.clientID == "auto-123")
    }
}
