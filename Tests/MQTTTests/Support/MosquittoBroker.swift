import Foundation
import Synchronization
import Testing

/// A real mosquitto broker on 127.0.0.1 with its own configuration in a temporary folder:
/// a password listener, a TLS listener (test CA) and a TLS listener that requires a client certificate.
/// Stopped by `stop()`, and in any case when released.
final class MosquittoBroker: @unchecked Sendable {
    static let username = "genmon"
    static let password = "correct horse"

    let directory: URL
    let plainPort: Int
    let tlsPort: Int
    let clientCertificatePort: Int
    let certificates: TestCertificates
    private let configFile: String
    private let state = Mutex<(process: Process?, log: String)>((nil, ""))

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: mosquittoPath) else {
            throw BrokerError.tool("mosquitto is not installed (Debian package \"mosquitto\"; .ci/run installs it)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mqtt-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificates = try TestCertificates(directory: directory)
        plainPort = try freePort()
        tlsPort = try freePort()
        clientCertificatePort = try freePort()
        let passwordFile = directory.appendingPathComponent("passwd").path
        let status = try runTool("/usr/bin/mosquitto_passwd", ["-b", "-c", passwordFile, Self.username, Self.password])
        guard status == 0 else { throw BrokerError.tool("mosquitto_passwd exited with \(status)") }
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
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts mosquitto and returns once it says it is running (listeners open). It logs to stderr, which is
    /// unbuffered, so its lines arrive as they are written.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mosquittoPath)
        process.arguments = ["-c", configFile]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        state.withLock { $0.process = process }
        // A broker that has not said "running" within 15 s is stopped, which ends the wait below.
        DispatchQueue.global().asyncAfter(deadline: .now() + 15) { [weak self] in
            if self?.log.contains(" running") != true && process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // Read its log on a plain thread until "running" appears (or it exits), never blocking the test's threads.
        let running: Bool = await withCheckedContinuation { continuation in
            Thread { [self] in
                var resumed = false
                let handle = output.fileHandleForReading
                while true {
                    let data = handle.availableData
                    if data.isEmpty {
                        // End of output, or a read interrupted by a signal while mosquitto still runs.
                        if !process.isRunning { break }
                        usleep(10_000)
                        continue
                    }
                    let text = String(decoding: data, as: UTF8.self)
                    let log = state.withLock { $0.log += text; return $0.log }
                    if !resumed && log.contains(" running") {
                        resumed = true
                        continuation.resume(returning: true)
                    }
                }
                if !resumed { continuation.resume(returning: false) }
            }.start()
        }
        guard running else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw BrokerError.tool("mosquitto did not start (exit status \(process.terminationStatus)):\n\(log)")
        }
    }

    /// Stops mosquitto and waits for it to exit.
    ///
    /// SIGKILL, because children of the test runner inherit its blocked SIGTERM; for the broker it is simply gone,
    /// like a crash or a power cut.
    func stop() {
        guard let process = state.withLock({ state in defer { state.process = nil }; return state.process }) else { return }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Stops mosquitto and deletes its folder (configuration, password file, certificates).
    func remove() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Everything mosquitto logged, for failure messages.
    var log: String { state.withLock { $0.log } }
}

enum BrokerError: Error, CustomStringConvertible {
    case tool(String)
    var description: String { if case let .tool(text) = self { text } else { "" } }
}

/// mosquitto is in /usr/sbin on Debian.
let mosquittoPath = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
    .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/mosquitto"

/// Runs a short tool to its end.
func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
func freePort() throws -> Int {
    let (fd, port) = try boundSocket()
    close(fd)
    return port
}

/// A port on 127.0.0.1 where connections are refused, held (bound, not listening) until `body` returns, so that
/// no broker of a parallel test can take it meanwhile.
func withRefusingPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let (fd, port) = try boundSocket()
    defer { close(fd) }
    return try await body(port)
}

/// A TCP socket bound to a free port on 127.0.0.1, and that port.
private func boundSocket() throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BrokerError.tool("socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else {
        close(fd)
        throw BrokerError.tool("bind() failed")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// Runs `body` with a started broker, and stops the broker whatever happens.
///
/// A port picked as free can be taken by another test's outgoing connection before mosquitto binds it, so a broker
/// that does not start is replaced by one on new ports (up to three tries).
func withBroker<T>(_ body: (MosquittoBroker) async throws -> T) async throws -> T {
    var broker = try MosquittoBroker()
    for attempt in 1...3 {
        do {
            try await broker.start()
            break
        } catch where attempt < 3 {
            broker.remove()
            broker = try MosquittoBroker()
        }
    }
    do {
        let result = try await body(broker)
        broker.remove()
        return result
    } catch {
        broker.stop()
        Issue.record("mosquitto log:\n\(broker.log)")
        broker.remove()
        throw error
    }
}
