import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import GenmonTesting
import HTTPTypes
import Monitor
import Testing
@testable import Web

extension WebTestSuite {
    /// The clock command answered at once, and values' ages in the status, against the app in-process.
    @Suite struct PendingAndAgesTests {





        @Test("setting the clock is answered at once with pending (202), the outcome following on the live stream")
        func setTimeIsPending() async throws {
            let web = try await WebHarness()
            await web.service.setOutcome(CommandOutcome(result: .sent, message: "the clock will be set at the next whole minute", legacyReply: "OK"))
            let admin = try await web.admin()
            let response = try await web.send(.post, "/api/v1/commands", json: ["command": "setTime"], as: admin)
            #expect(response.status == .accepted)
            let body = try response.json()
            #expect(body["result"] as? String == "pending")
            #expect(body["command"] as? String == "settime")
            #expect(await web.service.commands.last?.0 == .generac(.setTime))
            try await web.expectValid(response, path: "/api/v1/commands", method: "post")
        }

        @Test("the status gives each value's age, and marks the stale ones")
        func statusGivesAges() async throws {
            let web = try await WebHarness()
            let now = web.clock.now
            await web.service.update { snapshot in
                snapshot.freshness = Freshness(readings: [
                    .rpm: ReadingTime(lastRead: now.addingTimeInterval(-12), expectedRefresh: 2),
                    .batteryVoltage: ReadingTime(lastRead: now.addingTimeInterval(-1), expectedRefresh: 2),
                ], stale: [.rpm])
            }
            let viewer = try await web.viewer()
            let response = try await web.get("/api/v1/status", as: viewer)
            let readings = try #require(try response.json()["readings"] as? [String: [String: Any]])
            #expect(readings["rpm"]?["stale"] as? Bool == true)
            #expect(readings["rpm"]?["age"] as? Double == 12)
            #expect(readings["batteryVoltage"]?["stale"] as? Bool == false)
            try await web.expectValid(response, path: "/api/v1/status", method: "get")
        }
    }
}

extension WebHarness {
    /// A request with a head of the test's making (its own Host), from a stranger's address.
    func raw(_ head: HTTPRequest, body: [UInt8] = []) async throws -> TestResponse {
        var head = head
        if !body.isEmpty { head.headerFields[.contentLength] = String(body.count) }
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body)))
        let channel = NIOAsyncTestingChannel()
        channel.remoteAddress = try SocketAddress(ipAddress: "192.0.2.10", port: 40000)
        var logger = Logger(label: "web-test")
        logger.logLevel = .critical
        let context = WebContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        let response = try await responder.respond(to: request, context: context)
        let collector = BodyCollector()
        try await response.body.write(collector)
        return TestResponse(status: response.status, headers: response.headers, body: collector.bytes)
    }

    /// Holds an answer to the documented schema of its route and status.
    func expectValid(_ response: TestResponse, path: String, method: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let spec = try SchemaValidator(EmbeddedAssets.openAPI)
        let (documented, schema) = spec.responseSchema(path, method, status: Int(response.status.code))
        #expect(documented, "\(method) \(path) answered \(response.status.code), which is not documented", sourceLocation: sourceLocation)
        guard let schema, !schema.isEmpty else { return }
        let value = try JSONSerialization.jsonObject(with: Data(response.body), options: .fragmentsAllowed)
        let problems = spec.validate(value, schema)
        #expect(problems.isEmpty, "\(method) \(path): \(problems)", sourceLocation: sourceLocation)
    }
}
