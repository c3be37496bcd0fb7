import Foundation
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
final class SMTPTestServer: @unchecked Sendable {
    let port: Int
    let messageDirectory: URL
    private let process: Process
    private let stdinPipe: Pipe

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

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        do {
            let port = try await readReadyLine(stdoutPipe.fileHandleForReading, process: process, stderr: stderrPipe.fileHandleForReading)
            return SMTPTestServer(port: port, messageDirectory: directory, process: process, stdinPipe: stdinPipe)
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
    }

    private init(port: Int, messageDirectory: URL, process: Process, stdinPipe: Pipe) {
        self.port = port
        self.messageDirectory = messageDirectory
        self.process = process
        self.stdinPipe = stdinPipe
    }

    /// Stops the server and waits for it to exit.
    func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
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

    /// Reads "READY <port>" within 20 s on a plain thread (never blocking the cooperative pool).
    private static func readReadyLine(_ handle: FileHandle, process: Process, stderr: FileHandle) async throws -> Int {
        let line: String = try await withCheckedThrowingContinuation { continuation in
            Thread {
                var collected = Data()
                while !collected.contains(0x0A) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    collected.append(chunk)
                }
                continuation.resume(returning: String(decoding: collected, as: UTF8.self))
            }.start()
        }
        let words = line.split(whereSeparator: \.isWhitespace)
        guard words.count >= 2, words[0] == "READY", let port = Int(words[1]) else {
            process.terminate()
            let errors = String(decoding: stderr.readDataToEndOfFile(), as: UTF8.self)
            throw TestServerSetupError(description: "the test SMTP server did not start: \(line) \(errors)")
        }
        return port
    }
}

/// Runs `body` with a server and always stops the server afterwards, even when `body` throws.
func withSMTPTestServer<T>(_ options: SMTPTestServerOptions, _ body: (SMTPTestServer) async throws -> T) async throws -> T {
    let server = try await SMTPTestServer.start(options)
    do {
        let result = try await body(server)
        server.stop()
        return result
    } catch {
        server.stop()
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [path, "-c", "import aiosmtpd"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch {
            throw TestServerSetupError(description: "cannot run \(path) (\(error)); set GENMON_TEST_PYTHON to a Python with aiosmtpd")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServerSetupError(description:
                "the SMTP tests need the Python module aiosmtpd, which \(path) cannot import (\(text.trimmingCharacters(in: .whitespacesAndNewlines))). "
                + "Install it (pip install aiosmtpd) or set GENMON_TEST_PYTHON to a Python that has it.")
        }
        return path
    }

    /// The Python path, or a clear failure when it lacks aiosmtpd.
    static func checked() async throws -> String { try await check.value }
}
