import Foundation
import GenmonTesting
import Logging
import MailProtocol
import MailTransport
import Synchronization

/// A logger that prints only problems, so failing runs explain themselves.
let testLogger: Logger = {
    var logger = Logger(label: "genmon.imap.test")
    logger.logLevel = ProcessInfo.processInfo.environment["IMAP_TEST_DEBUG"] == nil ? .error : .debug
    return logger
}()

extension DovecotServer {
    func configuration(_ mode: MailTLSConfiguration.Mode, password: String = DovecotServer.password, trustCA: Bool = true) -> IMAPClientConfiguration {
        IMAPClientConfiguration(
            host: "127.0.0.1", port: mode == .implicit ? imapsPort : imapPort,
            tls: MailTLSConfiguration(mode: mode, additionalCAFile: trustCA ? caFile : nil),
            credentials: .init(username: DovecotServer.username, password: password),
            connectTimeout: .seconds(5), commandTimeout: .seconds(10))
    }
}

/// Waits (polling every 20 ms) until `condition` holds or `timeout` passes; true when it held.
/// The generous default is for machines busy with other builds; passing runs return as soon as it holds.
func eventually(_ timeout: Duration = .seconds(20), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// What an intake run saw: claims, handled messages and events, in order.
final class IntakeRecorder: Sendable {
    struct Record {
        var log: [String] = []
        var handled: [IMAPIncomingMessage] = []
        var handledAt: [ContinuousClock.Instant] = []
        var events: [IMAPIntakeEvent] = []
    }

    let record = Mutex(Record())
    /// UIDs whose claim says "handled before a crash": moved without being handled.
    let alreadyHandled: Set<UInt32>

    init(alreadyHandled: Set<UInt32> = []) {
        self.alreadyHandled = alreadyHandled
    }

    var handled: [IMAPIncomingMessage] { record.withLock { $0.handled } }
    var handledAt: [ContinuousClock.Instant] { record.withLock { $0.handledAt } }
    var events: [IMAPIntakeEvent] { record.withLock { $0.events } }
    var log: [String] { record.withLock { $0.log } }

    var readyEvents: [IMAPIntakeEvent] { events.filter { if case .ready = $0 { true } else { false } } }
    var disconnects: Int { events.filter { if case .disconnected = $0 { true } else { false } }.count }
    var moves: Int { events.filter { if case .moved = $0 { true } else { false } }.count }

    func subjects() -> [String] { handled.map { subject(of: $0) } }

    /// Starts the intake in a task; cancel the task to stop it.
    func start(_ configuration: IMAPIntakeConfiguration) -> Task<Void, Never> {
        let intake = IMAPIntake(configuration: configuration, logger: testLogger, randomUnit: { 0.5 }) { event in
            self.record.withLock { $0.events.append(event) }
        }
        return Task {
            await intake.run(
                claim: { identity in
                    self.record.withLock { $0.log.append("claim \(identity.uid)") }
                    return self.alreadyHandled.contains(identity.uid) ? .alreadyHandled : .handle
                },
                handle: { message in
                    self.record.withLock {
                        $0.log.append("handle \(message.identity.uid)")
                        $0.handled.append(message)
                        $0.handledAt.append(.now)
                    }
                })
        }
    }
}

/// The Subject header's value in a fetched header.
func subject(of message: IMAPIncomingMessage) -> String {
    guard case let .bytes(bytes)? = message.summary.header else { return "" }
    let text = String(decoding: bytes, as: UTF8.self)
    for line in text.split(separator: "\r\n") where line.lowercased().hasPrefix("subject:") {
        return line.dropFirst("subject:".count).trimmingCharacters(in: .whitespaces)
    }
    return ""
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A short test message.
func testMessage(subject: String, from: String = "owner@example.com", body: String = "body\r\n") -> String {
    "From: \(from)\r\nTo: genmon@example.com\r\nSubject: \(subject)\r\nMessage-ID: <\(UUID().uuidString)@example.com>\r\n\r\n\(body)"
}
