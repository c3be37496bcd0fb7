import Foundation
import GenmonTesting
import Synchronization
import Testing

/// A real mosquitto broker on 127.0.0.1 with its own configuration in a temporary folder:
/// a password listener, a TLS listener (test CA) and a TLS listener that requires a client certificate.
/// Stopped by `stop()`, and in any case when released.
final class MosquittoBroker: Sendable {
    static let username = "genmon"
    static let password = "correct horse"

    let directory: URL
    let plainPort: Int
    let tlsPort: Int
    let clientCertificatePort: Int
    let certificates: TestCertificates
    private let configFile: String
    /// The running broker, and what the runs stopped before it logged.
    private let state = Mutex<(process: RunningProcess?, earlierLog: String)>((nil, ""))

    /// A broker ready to start: folder, certificates, password file and configuration written.
    static func make() async throws -> MosquittoBroker {
        let broker = try MosquittoBroker()
        let passwordFile = broker.directory.appendingPathComponent("passwd").path
        let (output, status) = try await ProcessRunner.run(
            "/usr/bin/mosquitto_passwd", ["-b", "-c", passwordFile, Self.username, Self.password])
        guard status == 0 else {
            broker.remove()
            throw BrokerError.tool("mosquitto_passwd exited with \(status): \(output)")
        }
        return broker
    }

    private init() throws {
        guard FileManager.default.isExecutableFile(atPath: mosquittoPath) else {
            throw BrokerError.tool("mosquitto is not installed (Debian package \"mosquitto\"; .ci/run installs it)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mqtt-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificates = try TestCertificates(directory: directory)
        plainPort = try LoopbackPort.free()
        tlsPort = try LoopbackPort.free()
        clientCertificatePort = try LoopbackPort.free()
        let passwordFile = directory.appendingPathComponent("passwd").path
        let certificates = certificates
        let tls = "cafile \(certificates.caFile)\ncertfile \(certificates.serverCertificateFile)\nkeyfile \(certificates.serverKeyFile)\n"
        let config = """
            per_listener_settings true
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            \(getuid() == 0 ? "user root" : "")
            listener \(plainPort) 127.0.0.1
            allow_anonymous false
            password_file \(passwordFile)
            listener \(tlsPort) 127.0.0.1
            allow_anonymous false
            password_file \(passwordFile)
            \(tls)
            listener \(clientCertificatePort) 127.0.0.1
            allow_anonymous false
            require_certificate true
            use_identity_as_username true
            \(tls)
            """
        configFile = directory.appendingPathComponent("mosquitto.conf").path
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    deinit {
        state.withLock { $0.process?.killNow() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts mosquitto and returns once it says it is running (listeners open). It logs to stderr, which is
    /// unbuffered, so its lines arrive as they are written.
    func start() async throws {
        let process = try await RunningProcess.start(mosquittoPath, ["-c", configFile])
        state.withLock { $0.process = process }
        do {
            try await process.waitForOutput(" running", timeout: .seconds(15))
        } catch {
            await stop()
            throw BrokerError.tool("mosquitto did not start (\(process.termination.map(String.init(describing:)) ?? "still running")):\n\(log)")
        }
    }

    /// Stops mosquitto (SIGTERM, SIGKILL if it lingers) and waits until it has exited.
    func stop() async {
        guard let process = state.withLock({ $0.process.take() }) else { return }
        await process.stop(grace: .seconds(5))
        state.withLock { $0.earlierLog += process.output }
    }

    /// Deletes the broker's folder (configuration, password file, certificates); call once it is stopped.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Everything mosquitto logged, for failure messages.
    var log: String { state.withLock { $0.earlierLog + ($0.process?.output ?? "") } }
}

enum BrokerError: Error, CustomStringConvertible {
    case tool(String)
    var description: String { if case let .tool(text) = self { text } else { "" } }
}

/// mosquitto is in /usr/sbin on Debian.
let mosquittoPath = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
    .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/mosquitto"

/// A port on 127.0.0.1 where connections are refused, held (bound, not listening) until `body` returns, so that
/// no broker of a parallel test can take it meanwhile.
func withRefusingPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let refusing = try RefusingPort()
    defer { withExtendedLifetime(refusing) {} }
    return try await body(refusing.port)
}

/// Runs `body` with a started broker, and stops the broker whatever happens.
///
/// A port picked as free can be taken by another test's outgoing connection before mosquitto binds it, so a broker
/// that does not start is replaced by one on new ports (up to three tries).
func withBroker<T>(_ body: (MosquittoBroker) async throws -> T) async throws -> T {
    var broker = try await MosquittoBroker.make()
    for attempt in 1...3 {
        do {
            try await broker.start()
            break
        } catch where attempt < 3 {
            broker.remove()
            broker = try await MosquittoBroker.make()
        }
    }
    do {
        let result = try await body(broker)
        await broker.stop()
        broker.remove()
        return result
    } catch {
        await broker.stop()
        Issue.record("mosquitto log:\n\(broker.log)")
        broker.remove()
        throw error
    }
}
