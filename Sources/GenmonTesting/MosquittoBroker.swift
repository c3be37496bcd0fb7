import Foundation
import Synchronization

/// A real mosquitto broker for tests, on loopback ports of its own, with its own configuration,
/// password file and (optionally) a TLS listener whose certificate comes from a CA made for the
/// test. Started through `RunningProcess`, stopped and restarted on the same ports, and its folder
/// removed when the value goes away.
public final class MosquittoBroker: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case didNotStart(String)

        public var description: String {
            switch self {
            case .notInstalled: "mosquitto is not installed (apt-get install mosquitto)"
            case let .didNotStart(output): "mosquitto did not start:\n\(output)"
            }
        }
    }

    public static let executable = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].first { FileManager.default.isExecutableFile(atPath: $0) }
    public static var isInstalled: Bool { executable != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/mosquitto_passwd") }

    /// The plain listener (password required).
    public let port: Int
    /// The TLS listener (password required), when asked for.
    public let tlsPort: Int?
    /// The CA that signed the broker's certificate (for IP 127.0.0.1 and `localhost`).
    public let caFile: String
    public var directory: URL { folder.url }
    public let users: [String: String]
    private let folder: Folder
    private let process = Mutex<RunningProcess?>(nil)

    /// The broker's files, removed when the last user of them goes (a failed start's value does not take them along).
    final class Folder: Sendable {
        let url: URL
        init(_ url: URL) { self.url = url }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    private init(port: Int, tlsPort: Int?, caFile: String, folder: Folder, users: [String: String]) {
        self.port = port
        self.tlsPort = tlsPort
        self.caFile = caFile
        self.folder = folder
        self.users = users
    }

    deinit {
        process.withLock { $0?.signal(SIGKILL) }
    }

    /// Makes the folder, the password file and the certificates, and starts the broker (a few tries
    /// on other ports if a port was taken meanwhile).
    public static func start(users: [String: String] = ["genmon": "genmon-secret", "observer": "observer-secret"],
                             tls: Bool = false) async throws -> MosquittoBroker {
        guard let executable else { throw Failure.notInstalled }
        let folder = Folder(FileManager.default.temporaryDirectory.appendingPathComponent("genmon-mosquitto-\(UUID().uuidString.prefix(8))"))
        let directory = folder.url
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwords = directory.appendingPathComponent("passwd").path
        for (index, (user, password)) in users.sorted(by: { $0.key < $1.key }).enumerated() {
            let arguments = (index == 0 ? ["-c"] : []) + ["-b", passwords, user, password]
            let result = try await ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/mosquitto_passwd"), arguments)
            guard result.status == 0 else { throw Failure.didNotStart("mosquitto_passwd: " + result.output) }
        }
        let caFile = directory.appendingPathComponent("ca.pem").path
        if tls { try await makeCertificates(in: directory) }
        var lastOutput = ""
        for _ in 0..<5 {
            let port = try freePort(), tlsPort = tls ? try freePort() : nil
            let broker = MosquittoBroker(port: port, tlsPort: tlsPort, caFile: caFile, folder: folder, users: users)
            try broker.writeConfiguration(passwords: passwords)
            do {
                try await broker.launch(executable)
                return broker
            } catch let Failure.didNotStart(output) {
                lastOutput = output
                broker.process.withLock { $0 = nil }
            }
        }
        throw Failure.didNotStart(lastOutput)
    }

    private static func freePort() throws -> Int {
        let probe = try RefusingPort()
        return probe.port
    }

    private func writeConfiguration(passwords: String) throws {
        var lines = [
            // Standard error: unbuffered, so the log is there as it happens (standard output into a pipe is block-buffered).
            "per_listener_settings true", "persistence false", "user root", "log_dest stderr", "log_type all", "connection_messages true",
            "listener \(port) 127.0.0.1", "allow_anonymous false", "password_file \(passwords)",
        ]
        if let tlsPort {
            let folder = directory.path
            lines += ["listener \(tlsPort) 127.0.0.1", "allow_anonymous false", "password_file \(passwords)",
                      "cafile \(folder)/ca.pem", "certfile \(folder)/server.pem", "keyfile \(folder)/server.key"]
        }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
    }

    private func launch(_ executable: String) async throws {
        let running = try await RunningProcess.start(URL(fileURLWithPath: executable), ["-c", directory.appendingPathComponent("mosquitto.conf").path])
        process.withLock { $0 = running }
        do {
            try await running.waitForOutput(" running", timeout: .seconds(20))
        } catch {
            running.signal(SIGKILL)
            throw Failure.didNotStart(running.output)
        }
        // "running" is printed just before the listeners accept; make sure they do.
        try await Self.waitUntilAccepting(port)
        if let tlsPort { try await Self.waitUntilAccepting(tlsPort) }
    }

    static func waitUntilAccepting(_ port: Int) async throws {
        for _ in 0..<200 {
            if canConnect(port) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw Failure.didNotStart("nothing accepts on 127.0.0.1:\(port)")
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Everything the broker logged (connections, subscriptions, wills).
    public var log: String { process.withLock { $0?.output } ?? "" }

    /// Stops the broker (SIGTERM) and waits for it to end.
    public func stop() async {
        guard let running = process.withLock({ $0 }) else { return }
        running.signal(SIGTERM)
        _ = await running.waitForExit(timeout: .seconds(10))
    }

    /// Starts it again on the same ports, with the same files.
    public func restart() async throws {
        await stop()
        guard let executable = Self.executable else { throw Failure.notInstalled }
        var lastError: (any Error)?
        // The old listener's port can take a moment to be free again.
        for _ in 0..<20 {
            do {
                try await launch(executable)
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        throw lastError ?? Failure.didNotStart("restart")
    }

    /// A CA and a server certificate for 127.0.0.1 and localhost, made with openssl (EC P-256).
    static func makeCertificates(in directory: URL) async throws {
        let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
        let folder = directory.path
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n".write(
            toFile: folder + "/server.ext", atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", folder + "/ca.key",
             "-out", folder + "/ca.pem", "-days", "2", "-subj", "/CN=genmon test CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", folder + "/server.key",
             "-out", folder + "/server.csr", "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", folder + "/server.csr", "-CA", folder + "/ca.pem", "-CAkey", folder + "/ca.key", "-CAcreateserial",
             "-out", folder + "/server.pem", "-days", "2", "-extfile", folder + "/server.ext"],
        ]
        for step in steps {
            let result = try await ProcessRunner.run(openssl, step)
            guard result.status == 0 else { throw Failure.didNotStart("openssl \(step[0]): \(result.output)") }
        }
    }
}
