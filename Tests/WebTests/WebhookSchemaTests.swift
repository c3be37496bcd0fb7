import Foundation
import GenmonConfig
@testable import Notify
import Testing
@testable import Web

extension WebTestSuite {
    /// The webhook channel's JSON is what the OpenAPI description documents as the callback of
    /// "send test" (`NotificationWebhook`), for every event, genmon's own messages and summaries.
    @Suite struct WebhookSchemaTests {
        static func message(_ event: AddonEvent?, category: NotificationCategory) -> ShortMessage {
            let brief = NotificationBrief(site: "Cabin", event: event, label: event?.text ?? "Generator Monitor Starting at Cabin",
                                          lines: ["What happened", "Battery : 13.2 V"], filter: event?.filter ?? AddonFilterCategory(category),
                                          clockTime: "16:00")
            return ShortMessage(NotificationContent(category: category, subject: "Outage Notice at Cabin", text: "x", html: "", source: "test",
                                                    time: Date(timeIntervalSince1970: 1_764_000_000), brief: brief))
        }

        @Test func everyWebhookBodyFitsTheDocumentedCallbackSchema() throws {
            let spec = try SchemaValidator(EmbeddedAssets.openAPI)
            let callbacks = try #require(spec.operation("/api/v1/notifications/test", "POST")?["callbacks"] as? [String: Any])
            #expect(callbacks["notification"] != nil)
            let schema: [String: Any] = ["$ref": "#/components/schemas/NotificationWebhook"]
            var bodies: [ShortMessage] = AddonEvent.allCases.map { Self.message($0, category: .outage) }
            bodies.append(Self.message(nil, category: .info))
            var withID = Self.message(.alarm, category: .warn)
            withID.notificationID = 42
            bodies.append(withID)
            if let summary = ShortMessage.summary(of: [Self.message(.outageBegan, category: .outage), Self.message(.running, category: .info)]) {
                bodies.append(summary)
            }
            for message in bodies {
                let json = try JSONSerialization.jsonObject(with: Data(WebhookPayload.body(message)))
                let problems = spec.validate(json, schema)
                #expect(problems.isEmpty, "\(message.label): \(problems)")
            }
            let documented = (spec.resolve(schema)["properties"] as? [String: Any])?["event"] as? [String: Any]
            let names = Set((documented?["enum"] as? [Any] ?? []).compactMap { $0 as? String })
            #expect(names == Set(AddonEvent.allCases.map(\.rawValue)), "the schema lists every event genmon sends")
        }
    }
}
