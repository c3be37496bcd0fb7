import Foundation
import HTTPTypes
import Testing
@testable import Web

extension WebTestSuite {
    /// `/metrics`: a viewer's token or session unless `metrics_public`; 404 without metrics; the MQTT
    /// connections on the communication view.
    @Suite struct MetricsRouteTests {
        static let exposition = "# HELP genmon_info genmon's version.\n# TYPE genmon_info gauge\ngenmon_info{version=\"0.1.0\"} 1.0\n"

        @Test func metricsNeedAViewerUnlessPublic() async throws {
            let endpoint = MetricsEndpoint(isPublic: false) { Array(Self.exposition.utf8) }
            let web = try await WebHarness(configuration: WebAppConfiguration(metrics: endpoint))
            #expect(try await web.get("/metrics").status == .unauthorized)
            let token = try await web.token(.viewer)
            let answer = try await web.get("/metrics", token: token)
            #expect(answer.status == .ok && answer.text == Self.exposition)
            #expect(answer.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")

            let open = try await WebHarness(configuration: WebAppConfiguration(metrics: MetricsEndpoint(isPublic: true) { Array(Self.exposition.utf8) }))
            #expect(try await open.get("/metrics").status == .ok)
            #expect(open.routes.contains { $0.path == "/metrics" && $0.access == .anyone })
        }

        @Test func withoutMetricsTheRouteAnswers404ToViewers() async throws {
            let web = try await WebHarness()
            #expect(try await web.get("/metrics", token: try await web.token(.viewer)).status == .notFound)
        }

        @Test func theCommunicationViewListsTheBrokerConnections() async throws {
            let link = IntegrationLinkView(name: "MQTT: Home Assistant", endpoint: "127.0.0.1:1883", state: "connected",
                                           lastPublishAt: Date(timeIntervalSince1970: 1_800_000_000), queued: 0, sent: 42)
            let web = try await WebHarness(configuration: WebAppConfiguration(integrations: { [link] }))
            let answer = try await web.get("/api/v1/communication", token: try await web.token(.viewer))
            let integrations = try #require(try answer.json()["integrations"] as? [[String: Any]])
            #expect(integrations.count == 1 && integrations.first?["state"] as? String == "connected")
            #expect(integrations.first?["lastPublishAt"] as? String == "2027-01-15T08:00:00Z")
            let spec = try SchemaValidator(EmbeddedAssets.openAPI)
            let value = try JSONSerialization.jsonObject(with: Data(answer.body))
            #expect(spec.validate(value, ["$ref": "#/components/schemas/Communication"]).isEmpty)
        }
    }
}
