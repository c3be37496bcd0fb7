import Foundation
import Store
import Testing
@testable import Web

extension WebTestSuite {
    /// The admin's view of notifications, "send test", and the original's `/cmd/notifications`.
    @Suite struct NotificationRoutesTests {
        @Test func adminsSeeChannelsRulesAndTheOutboxWithEveryAttemptViewersDoNot() async throws {
            let web = try await WebHarness()
            try await StoreFill.fillOutbox(web.database, now: web.clock.now)
            #expect(try await web.get("/api/v1/notifications", as: try await web.viewer()).status == .forbidden)
            let view = try await web.get("/api/v1/notifications", as: try await web.admin()).decode(NotificationsView.self)
            #expect(!view.enabled)
            #expect(view.channels.first?.detail == "off: there is no mymail.conf")
            #expect(view.channels.first?.recipients.map(\.categories) == [["outage", "warn"], ["outage", "error", "warn", "info"]])
            #expect(view.rules.first?.summary == "battery below 12.2 V for 5 min, clears at 12.5 V (warn)")
            #expect(view.outbox.pending == 5 && view.outbox.sent == 1)
            #expect(view.messages.first?.subject == "Generator Monitor Starting at Test" && view.messages.first?.deliveries.isEmpty == true)
            let oldest = try #require(view.messages.last)
            let alice = try #require(oldest.deliveries.first { $0.recipient == "alice@example.org" })
            #expect(alice.state == "pending" && alice.lastError == "421 4.3.2 try later" && alice.nextAttempt != nil)
            #expect(alice.history.map(\.outcome) == ["retry"])
            #expect(oldest.deliveries.first { $0.recipient == "bob@example.org" }?.state == "sent")
        }

        @Test func sendTestSaysWhyItCannotWhenEmailIsOffAndIsAudited() async throws {
            let web = try await WebHarness()
            let token = try await web.token(.admin)
            let response = try await web.send(.post, "/api/v1/notifications/test", json: [String: String](), token: token)
            let result = try response.decode(NotificationTestView.self)
            #expect(!result.succeeded)
            #expect(result.summary == "Cannot send a test: email is off (there is no mymail.conf).")
            let audit = try await web.database.audits().first?.record
            #expect(audit?.command == "notify test email" && audit?.result == .failed)
            #expect(try await web.send(.post, "/api/v1/notifications/test", json: [String: String](), token: try await web.token(.viewer, name: "v")).status == .forbidden)
        }

        @Test func theOriginalsNotificationsCommandAnswersTheRecipientTableAsJsonify() async throws {
            let web = try await WebHarness()
            let response = try await web.get("/cmd/notifications", as: try await web.viewer())
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == "{\"alice@example.org\":[1,\"outage,warn\"],\"bob@example.org\":[2]}\n")
        }
    }
}
