import Foundation
import GenmonTesting
import Testing

/// Why the real SMTP server could not be started: a test then FAILS with these words (never skips).
struct TestServerSetupError: Error, CustomStringConvertible {
    let description: String
}

/// Options of Resources/smtp_test_server.py.
struct SMTPTestServerOptions {
    enum Mode: String { case plain, starttls, implicit, greeting, inject, middata }
    var mode: Mode = .plain
    var greeting: String?
    var certificate: (certificate: String, key: String)?
    var user: String?
    var password: String?
    var excludedMechanisms: [String] = []
    var recipientAnswers: [String: String] = [:]
    enum Stall: String { case none, data, message }
    var stall: Stall = .none
}

/// An aiosmtpd server on 127.0.0.1 in a child process, started and stopped by a test.
///
/// The Python comes from `GENMON_TEST_PYTHON` (CI's venv), else `python3` on the PATH. The server
/// also exits by itself when its standard input closes, so a crashed test leaves nothing running.
final class SMTPTestServer: Sendable {
    let port: Int
    let messageDirectory: URL
    private let process: RunningProcess

    /// Starts a server with `options` and returns once it listens.
    static func start(_ options: SMTPTestServerOptions) async throws -> SMTPTestServer {
        let python = try await TestPython.checked()
        guard let script = Bundle.module.url(forResource: "smtp_test_server", withExtension: "py", subdirectory: "Resources") else {
            throw TestServerSetupError(description: "Resources/smtp_test_server.py is missing from the test bundle")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = [script.path, "--mode", options.mode.rawValue, "--outdir", directory.path, "--stall", options.stall.rawValue]
        if let greeting = options.greeting { arguments += ["--greeting", greeting] }
        if let (certificate, key) = options.certificate { arguments += ["--cert", certificate, "--key", key] }
        if let user = options.user, let password = options.password { arguments += ["--user", user, "--password", password] }
        for mechanism in options.excludedMechanisms { arguments += ["--auth-exclude", mechanism] }
        for (address, answer) in options.recipientAnswers.sorted(by: { $0.key < $1.key }) { arguments += ["--rcpt-answer", "\(address)=\(answer)"] }

        let process: RunningProcess
        do {
            process = try await RunningProcess.start(python, arguments, input: .open, errors: .separate)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw TestServerSetupError(description: "cannot start \(python): \(error)")
        }
        do {
            let port = try await process.waitForLine(timeout: .seconds(20), describedAs: "READY <port>") { line -> Int? in
                let words = line.split(whereSeparator: \.isWhitespace)
                return words.count >= 2 && words[0] == "READY" ? Int(words[1]) : nil
            }
            return SMTPTestServer(port: port, messageDirectory: directory, process: process)
        } catch {
            await process.stop()
            try? FileManager.default.removeItem(at: directory)
            throw TestServerSetupError(description: "the test SMTP server did not start: \(process.output) \(process.errorOutput)")
        }
    }

    private init(port: Int, messageDirectory: URL, process: RunningProcess) {
        self.port = port
        self.messageDirectory = messageDirectory
        self.process = process
    }

    /// Stops the server (its input closes, then SIGTERM) and waits for it to exit.
    func stop() async {
        await process.stop(grace: .seconds(2))
        try? FileManager.default.removeItem(at: messageDirectory)
    }

    /// A message the server accepted: its bytes and the envelope it came with.
    struct ReceivedMessage {
        let content: String
        let mailFrom: String
        let recipients: [String]
        let mailOptions: [String]
        let tls: Bool
        let authenticated: Bool
    }

    /// Every message accepted so far, in order.
    func receivedMessages() throws -> [ReceivedMessage] {
        var messages: [ReceivedMessage] = []
        var index = 1
        while true {
            let base = messageDirectory.appendingPathComponent("msg-\(index)")
            guard let json = try? Data(contentsOf: base.appendingPathExtension("json")) else { break }
            let details = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            let content = try String(decoding: Data(contentsOf: base.appendingPathExtension("eml")), as: UTF8.self)
            messages.append(ReceivedMessage(
                content: content, mailFrom: details["mail_from"] as? String ?? "", recipients: details["rcpt_tos"] as? [String] ?? [],
                mailOptions: details["mail_options"] as? [String] ?? [], tls: details["tls"] as? Bool ?? false,
                authenticated: details["authenticated"] as? Bool ?? false))
            index += 1
        }
        return messages
    }
}

/// Runs `body` with a server and always stops the server afterwards, even when `body` throws.
func withSMTPTestServer<T>(_ options: SMTPTestServerOptions, _ body: (SMTPTestServer) async throws -> T) async throws -> T {
    let server = try await SMTPTestServer.start(options)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// The Python that runs the test server, checked once to have aiosmtpd.
enum TestPython {
    static var path: String {
        let configured = ProcessInfo.processInfo.environment["GENMON_TEST_PYTHON"] ?? ""
        return configured.isEmpty ? "python3" : configured
    }

    private static let check = Task<String, Error> {
        let (output, status): (String, Int32)
        do {
            (output, status) = try await ProcessRunner.run(path, ["-c", "import aiosmtpd"], timeout: .seconds(60))
        } catch {
            throw TestServerSetupError(description: "cannot run \(path) (\(error)); set GENMON_TEST_PYTHON to a Python with aiosmtpd")
        }
        guard status == 0 else {
            throw TestServerSetupError(description:
                "the SMTP tests need the Python module aiosmtpd, which \(path) cannot import (\(output.trimmingCharacters(in: .whitespacesAndNewlines))). "
                + "Install it (pip install aiosmtpd) or set GENMON_TEST_PYTHON to a Python that has it.")
        }
        return path
    }

    /// The Python path, or a clear failure when it lacks aiosmtpd.
    static func checked() async throws -> String { try await check.value }
}
