import Foundation
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import Synchronization
import Testing

/// `notify_message`, `notifications` and `setnotifications` answered from a notification engine.
@Suite("Dispatcher: notification commands")
struct NotificationCommandTests {
    final class Desk: LegacyNotifications, Sendable {
        let state = Mutex<(messages: [String], recipients: [(address: String, categories: String?)])>(
            ([], [("alice@example.org", "outage,error"), ("bob@example.org", nil)]))

        func notifyMessage(title: String, body: String, category: String, onlyOnce: Bool, onceDaily: Bool) async {
            state.withLock { $0.messages.append("\(title)|\(body)|\(category)|\(onlyOnce)|\(onceDaily)") }
        }

        func emailRecipients() async -> [(address: String, categories: String?)] { state.withLock { $0.recipients } }

        func setEmailRecipients(_ recipients: [(address: String, categories: String)]) async -> String? {
            if recipients.contains(where: { !$0.address.contains("@") }) { return "Invalid e-mail address" }
            state.withLock { $0.recipients = recipients.map { ($0.address, $0.categories.isEmpty ? nil : $0.categories) } }
            return nil
        }
    }

    static func dispatcher(_ desk: Desk) throws -> LegacyDispatcher {
        LegacyDispatcher(service: FixedGeneratorService(snapshot: try snapshot()),
                         configuration: .init(context: fixtureContext(now: Fixture.now), clock: { Fixture.now }, notifications: desk))
    }

    @Test("notifications lists the recipients in order, with the category list of those that have one")
    func listing() async throws {
        let reply = try await Self.dispatcher(Desk()).reply(to: "generator: notifications", origin: localOrigin)
        #expect(reply == #"{"alice@example.org": [1, "outage,error"], "bob@example.org": [2]}EndOfMessage"#)
    }

    @Test("setnotifications replaces the table from the original page's form, percent-encoding and all")
    func setting() async throws {
        let desk = Desk()
        let dispatcher = try Self.dispatcher(desk)
        let reply = await dispatcher.reply(to: "generator: setnotifications=carol%40example.org=outage%2Cinfo&dave@example.org=", origin: localOrigin)
        #expect(reply == "OKEndOfMessage")
        #expect(await dispatcher.reply(to: "generator: notifications", origin: localOrigin)
                == #"{"carol@example.org": [1, "outage,info"], "dave@example.org": [2]}EndOfMessage"#)
        #expect(await dispatcher.reply(to: "generator: setnotifications=nobody", origin: localOrigin) == "Invalid e-mail addressEndOfMessage")
        #expect(await dispatcher.reply(to: "generator: setnotifications=x@example.org=info", origin: remoteOrigin)
                == LegacyDispatcher.accessDenied + "EndOfMessage", "a host that may not change things cannot change the recipients")
    }

    @Test("notify_message hands title, body, type and the once flags to the engine")
    func notifyMessage() async throws {
        let desk = Desk()
        let dispatcher = try Self.dispatcher(desk)
        let request = #"generator: notify_message={"title": "Security Warning", "body": "5 failed logins = locked", "type": "error", "onlyonce": true}"#
        #expect(await dispatcher.reply(to: request, origin: localOrigin) == "OKEndOfMessage")
        #expect(await dispatcher.reply(to: "generator: notify_message=nonsense", origin: localOrigin) == "Error in SendMessageEndOfMessage")
        #expect(desk.state.withLock { $0.messages } == ["Security Warning|5 failed logins = locked|error|true|false"])
    }

    @Test("without an engine the commands answer as the original does with e-mail off")
    func withoutEngine() async throws {
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try snapshot()))
        #expect(await dispatcher.reply(to: "generator: notifications", origin: localOrigin) == "{}EndOfMessage")
        #expect(await dispatcher.reply(to: #"generator: notify_message={"title": "t"}"#, origin: localOrigin) == "OKEndOfMessage")
    }
}
