import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The SMTP test server of the transport tests, for the notification and e-mail command tests (Tests/MailTransportTests/Resources/smtp_test_server.py,
/// aiosmtpd), started through GenmonTesting's process runner on 127.0.0.1. Its standard input stays
/// open while this value lives, so it ends with the test; messages it accepts land in a folder.
public final class MailTestServer: Sendable {
    public struct Options: Sendable {
        public var mode = "plain"
        public var user: String?
        public var password: String?
        public var recipientAnswers: [String: String] = [:]
        public var stall = "none"

        public init(mode: String = "plain", user: String? = nil, password: String? = nil, recipientAnswers: [String: String] = [:],
                    stall: String = "none") {
            self.mode = mode
            self.user = user
            self.password = password
            self.recipientAnswers = recipientAnswers
            self.stall = stall
        }
    }

    /// A message the server accepted.
    public struct Received: Equatable, Sendable {
        public let content: String
        public let mailFrom: String
        public let recipients: [String]
        public var subject: String {
            content.split(separator: "\r\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
        }
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/MailTransportTests/Resources/smtp_test_server.py")

    public static var python: String {
        let configured = ProcessInfo.processInfo.environment["GENMON_TEST_PYTHON"] ?? ""
        return configured.isEmpty ? "python3" : configured
    }

    public let port: Int
    public let folder: URL
    private let process: RunningProcess

    private init(port: Int, folder: URL, process: RunningProcess) {
        self.port = port
        self.folder = folder
        self.process = process
    }

    /// Starts a server and returns once it listens; fails (never skips) with the server's words when it cannot.
    public static func start(_ options: Options = Options()) async throws -> MailTestServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-notify-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var arguments = [python, script.path, "--mode", options.mode, "--outdir", folder.path, "--stall", options.stall, "--lifetime", "600"]
        if let user = options.user, let password = options.password { arguments += ["--user", user, "--password", password] }
        for (address, answer) in options.recipientAnswers.sorted(by: { $0.key < $1.key }) { arguments += ["--rcpt-answer", "\(address)=\(answer)"] }
        let process = try await RunningProcess.start(URL(fileURLWithPath: "/usr/bin/env"), arguments, input: .open)
        let printed = try await process.waitForOutput("READY ", timeout: .seconds(30))
        guard let line = printed.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }),
              let port = Int(line.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw RunningProcess.Failure.noOutput("READY <port>", printed: printed)
        }
        return MailTestServer(port: port, folder: folder, process: process)
    }

    /// Every message accepted so far, in order.
    public func received() -> [Received] {
        var messages: [Received] = []
        for index in 1... {
            let base = folder.appendingPathComponent("msg-\(index)")
            guard let json = try? Data(contentsOf: base.appendingPathExtension("json")),
                  let details = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
                  let content = try? Data(contentsOf: base.appendingPathExtension("eml")) else { break }
            messages.append(Received(content: String(decoding: content, as: UTF8.self), mailFrom: details["mail_from"] as? String ?? "",
                                     recipients: details["rcpt_tos"] as? [String] ?? []))
        }
        return messages
    }

    /// Waits (in real time, polling) until `count` messages have arrived or `timeout` passes.
    public func waitForMessages(_ count: Int, timeout: Duration = .seconds(30)) async -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let messages = received()
            if messages.count >= count { return messages }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return received()
    }

    public func stop() {
        process.signal(SIGTERM)
        try? FileManager.default.removeItem(at: folder)
    }
}
