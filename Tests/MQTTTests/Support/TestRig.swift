import Foundation
import Logging
@testable import MQTT
import MQTTProtocol
import Synchronization

/// Clients and proxies made for one test, all shut down at its end whatever happens.
final class TestRig: @unchecked Sendable {
    let broker: MosquittoBroker
    private let made = Mutex<(clients: [MQTTClient], proxies: [TCPProxy])>(([], []))

    init(broker: MosquittoBroker) { self.broker = broker }

    /// A client with the broker's credentials by default, fast back-off and short timeouts.
    func client(port: Int? = nil, version: MQTTVersion, clientID: String? = nil, username: String? = MosquittoBroker.username,
                password: String? = MosquittoBroker.password, tls: MQTTTLSConfiguration? = nil, cleanSession: Bool = true,
                will: MQTTWill? = nil, keepAlive: UInt16 = 10, log: LogCapture = LogCapture(),
                configure: (inout MQTTSessionConfiguration) -> Void = { _ in }) throws -> MQTTClient {
        var session = MQTTSessionConfiguration(
            version: version, clientID: clientID ?? "test-\(UUID().uuidString.prefix(8))", cleanSession: cleanSession,
            keepAlive: keepAlive, username: username, password: password.map { Array($0.utf8) }, will: will,
            responseTimeout: .seconds(5), backoff: MQTTBackoff(initial: .milliseconds(100), maximum: .milliseconds(400)))
        configure(&session)
        let configuration = MQTTClientConfiguration(host: "127.0.0.1", port: port ?? broker.plainPort, tls: tls, session: session)
        let client = try MQTTClient(configuration: configuration, logger: log.logger)
        made.withLock { $0.clients.append(client) }
        return client
    }

    /// A proxy in front of the broker's plain listener.
    func proxy() async throws -> TCPProxy {
        let proxy = try await TCPProxy(targetPort: broker.plainPort)
        made.withLock { $0.proxies.append(proxy) }
        return proxy
    }

    func shutdownAll() async {
        let (clients, proxies) = made.withLock { ($0.clients, $0.proxies) }
        for client in clients { await client.shutdown(drainTimeout: .zero) }
        for proxy in proxies { await proxy.shutdown() }
    }
}

/// Runs `body` with a started broker and a rig; stops every client, proxy and the broker afterwards.
func withRig<T>(_ body: (MosquittoBroker, TestRig) async throws -> T) async throws -> T {
    try await withBroker { broker in
        let rig = TestRig(broker: broker)
        do {
            let result = try await body(broker, rig)
            await rig.shutdownAll()
            return result
        } catch {
            await rig.shutdownAll()
            throw error
        }
    }
}

/// Starts `client`, waits for it to connect, subscribes `filter` into `recorder`, and waits until the subscription
/// demonstrably works (the client's own probe message comes back through it).
func connectAndSubscribe(_ client: MQTTClient, _ filter: String, probeTopic: String, into recorder: MessageRecorder,
                         qos: MQTTQoS = .atLeastOnce) async throws {
    try client.subscribe(filter, qos: qos, handler: recorder.handler)
    client.start()
    try await waitForStatus(client, "connected") { $0.state == .connected }
    try client.publish(topic: probeTopic, text: "probe", qos: .atLeastOnce)
    try await recorder.waitFor("probe on \(probeTopic)") { $0.contains { $0.topic == probeTopic } }
}

/// The session's counters, read on the client's event loop.
func statistics(_ client: MQTTClient) async throws -> MQTTSessionStatistics {
    try await client.eventLoop.submit { client.session.statistics }.get()
}
