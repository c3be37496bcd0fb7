import Foundation
import Generac
import HTTPTypes
import Monitor
import Store
import Testing
@testable import Web

extension WebTestSuite {
    /// The API description in the repository (`Sources/Web/Assets/openapi.json`, served at
    /// `/api/v1/openapi.json`) and the server agree: every route is documented with the access it
    /// needs, and what the server answers fits the documented schemas.
    @Suite struct OpenAPITests {
        static let sourceAssets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Web/Assets")

        @Test func everyRouteIsDocumentedWithTheAccessItNeedsAndNothingElseIs() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(demoLoginKey: "key"))
            let spec = try SchemaValidator(EmbeddedAssets.openAPI)
            var documented = Set<String>()
            for (path, operations) in spec.paths {
                for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                    documented.insert(method.uppercased() + " " + path)
                }
            }
            let served = Set(web.routes.map { $0.method.rawValue + " " + $0.path })
            #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            for route in web.routes {
                let operation = try #require(spec.operation(route.path, route.method.rawValue))
                #expect(operation["x-genmon-access"] as? String == route.access.rawValue, "\(route)")
            }
        }

        @Test func theServedDescriptionIsTheOneInTheRepository() async throws {
            let web = try await WebHarness()
            let served = try await web.get("/api/v1/openapi.json")
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "application/json")
            let same = served.body == Array(try Data(contentsOf: Self.sourceAssets.appendingPathComponent("openapi.json")))
            #expect(same, "run Scripts/embed-web-assets.sh")
        }

        @Test func theBinaryCarriesExactlyTheAssetFilesOfTheRepository() throws {
            // Run Scripts/embed-web-assets.sh after changing a file in Sources/Web/Assets.
            let files = try FileManager.default.contentsOfDirectory(atPath: Self.sourceAssets.path).filter { !$0.hasPrefix(".") }
            #expect(Set(files) == Set(EmbeddedAssets.files.keys))
            for name in files where name != "index.html" {
                let onDisk = Array(try Data(contentsOf: Self.sourceAssets.appendingPathComponent(name)))
                let same = EmbeddedAssets.all[name]?.bytes == onDisk
                #expect(same, "\(name) is stale in Generated/EmbeddedAssets.swift: run Scripts/embed-web-assets.sh")
            }
            let page = String(decoding: try Data(contentsOf: Self.sourceAssets.appendingPathComponent("index.html")), as: UTF8.self)
            let embedded = Data(base64Encoded: try #require(EmbeddedAssets.files["index.html"]).base64).map { String(decoding: $0, as: UTF8.self) }
            #expect(embedded == page)
        }

        /// Exercises every JSON route with data in the store and checks each answer against its schema.
        @Test func everyAnswerFitsItsDocumentedSchema() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(setupCode: SetupCode("ABCD-EFGH-JKMN-PQRS")))
            let spec = try SchemaValidator(EmbeddedAssets.openAPI)
            try await StoreFill.fill(web.database, now: web.clock.now)
            let admin = try await web.admin()
            let token = try await web.token(.admin, name: "schema-token")
            var checked = 0

            func check(_ response: TestResponse, _ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
                let (documented, schema) = spec.responseSchema(path, method, status: Int(response.status.code))
                #expect(documented, "\(method) \(path) answered \(response.status.code), which is not documented", sourceLocation: sourceLocation)
                guard let schema, !schema.isEmpty else { return }
                guard let value = try? JSONSerialization.jsonObject(with: Data(response.body), options: .fragmentsAllowed) else {
                    Issue.record("\(method) \(path): not JSON: \(response.text.prefix(200))", sourceLocation: sourceLocation)
                    return
                }
                let problems = spec.validate(value, schema)
                #expect(problems.isEmpty, "\(method) \(path): \(problems)", sourceLocation: sourceLocation)
                checked += 1
            }

            check(try await web.get("/api/v1/session"), "GET", "/api/v1/session")
            check(try await web.get("/api/v1/session", as: admin), "GET", "/api/v1/session")
            for path in ["/api/v1/status", "/api/v1/maintenance", "/api/v1/logs", "/api/v1/communication", "/api/v1/commands",
                         "/api/v1/users", "/api/v1/tokens"] {
                check(try await web.get(path, as: admin), "GET", path)
            }
            check(try await web.get("/api/v1/status"), "GET", "/api/v1/status")
            let outages = try await web.get("/api/v1/outages?limit=2", as: admin)
            check(outages, "GET", "/api/v1/outages")
            let cursor = try #require(try outages.json()["nextCursor"] as? String)
            check(try await web.get("/api/v1/outages?limit=2&before=\(cursor)", as: admin), "GET", "/api/v1/outages")
            check(try await web.get("/api/v1/outages?limit=0", as: admin), "GET", "/api/v1/outages")
            check(try await web.get("/api/v1/events?limit=3&severity=info", token: token), "GET", "/api/v1/events")
            check(try await web.get("/api/v1/events?severity=loud", token: token), "GET", "/api/v1/events")
            check(try await web.get("/api/v1/history?range=24h&series=utilityVolts,batteryVolts,powerKW&points=50", as: admin), "GET", "/api/v1/history")
            check(try await web.get("/api/v1/history?range=365d", as: admin), "GET", "/api/v1/history")
            check(try await web.get("/api/v1/history?series=volts", as: admin), "GET", "/api/v1/history")

            for body: [String: Any] in [["command": "start"], ["command": "setExercise", "weekday": "Monday", "time": "13:30"],
                                        ["command": "setExercise", "time": "25:00", "weekday": "Monday"], ["command": "setQuietMode", "on": true],
                                        ["command": "explode"]] {
                check(try await web.send(.post, "/api/v1/commands", json: body, as: admin), "POST", "/api/v1/commands")
            }
            await web.service.setOutcome(CommandOutcome(result: .failed, message: "the controller did not take it", legacyReply: "x"))
            check(try await web.send(.post, "/api/v1/commands", json: ["command": "stop"], token: token), "POST", "/api/v1/commands")
            check(try await web.send(.post, "/api/v1/commands", json: ["command": "stop"], as: admin, csrf: false), "POST", "/api/v1/commands")
            check(try await web.get("/api/v1/audit?limit=5", as: admin), "GET", "/api/v1/audit")
            try await StoreFill.fillOutbox(web.database, now: web.clock.now)
            let notifications = try await web.get("/api/v1/notifications?limit=2", as: admin)
            check(notifications, "GET", "/api/v1/notifications")
            let outboxCursor = try #require(try notifications.json()["nextCursor"] as? String)
            check(try await web.get("/api/v1/notifications?limit=2&before=\(outboxCursor)", token: token), "GET", "/api/v1/notifications")
            check(try await web.get("/api/v1/notifications?limit=0", as: admin), "GET", "/api/v1/notifications")
            check(try await web.send(.post, "/api/v1/notifications/test", json: ["to": "bob@example.org"], as: admin), "POST", "/api/v1/notifications/test")
            check(try await web.send(.post, "/api/v1/notifications/test", json: ["to": 5], as: admin), "POST", "/api/v1/notifications/test")

            let newUser = try await web.send(.post, "/api/v1/users", json: ["name": "carol", "role": "viewer"], as: admin)
            check(newUser, "POST", "/api/v1/users")
            check(try await web.send(.post, "/api/v1/users", json: ["name": "carol", "role": "viewer"], as: admin), "POST", "/api/v1/users")
            check(try await web.send(.put, "/api/v1/users/carol", json: ["role": "admin", "generatePassword": true], as: admin), "PUT", "/api/v1/users/{name}")
            check(try await web.send(.put, "/api/v1/users/nobody", json: ["role": "admin"], as: admin), "PUT", "/api/v1/users/{name}")
            check(try await web.send(.delete, "/api/v1/users/carol", as: admin), "DELETE", "/api/v1/users/{name}")
            check(try await web.send(.post, "/api/v1/tokens", json: ["name": "ha", "role": "viewer"], as: admin), "POST", "/api/v1/tokens")
            check(try await web.send(.delete, "/api/v1/tokens/ha", as: admin), "DELETE", "/api/v1/tokens/{name}")
            check(try await web.send(.delete, "/api/v1/tokens/ha", as: admin), "DELETE", "/api/v1/tokens/{name}")

            check(try await web.send(.post, "/api/v1/session", json: ["username": "alice", "password": "wrong-wrong"]), "POST", "/api/v1/session")
            check(try await web.send(.post, "/api/v1/session", json: ["user": "alice"]), "POST", "/api/v1/session")
            check(try await web.send(.post, "/api/v1/session/password", json: ["currentPassword": WebHarness.adminPassword, "newPassword": "alice-password-2"], as: admin),
                  "POST", "/api/v1/session/password")
            check(try await web.send(.post, "/api/v1/setup", json: ["code": "nope", "username": "x", "password": "x-password-1"]), "POST", "/api/v1/setup")
            check(try await web.send(.delete, "/api/v1/session", as: admin), "DELETE", "/api/v1/session")
            check(try await web.get("/api/v1/status"), "GET", "/api/v1/status")
            #expect(checked >= 40)
        }

        @Test func theLiveStreamsMessagesFitTheirSchemas() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(heartbeat: .milliseconds(100)))
            let spec = try SchemaValidator(EmbeddedAssets.openAPI)
            let token = try await web.token(.viewer)
            let stream = try await LiveStream.open(web, token: token)
            await web.service.publish(MonitorEvent(time: web.clock.now, kind: .outageStarted(utilityVolts: 0)))
            let messages = try await stream.next(3) { $0.contains { $0.name == "ping" } && $0.contains { $0.name == "event" } }
            for message in messages {
                let value = try JSONSerialization.jsonObject(with: Data(message.data.utf8))
                let schema: [String: Any] = switch message.name {
                case "status": ["$ref": "#/components/schemas/Status"]
                case "event": ["$ref": "#/components/schemas/Event"]
                default: ["type": "object", "properties": ["time": ["type": "string", "format": "date-time"]], "required": ["time"]]
                }
                #expect(spec.validate(value, schema).isEmpty, "\(message.name): \(spec.validate(value, schema))")
            }
            await stream.close()
        }
    }
}
