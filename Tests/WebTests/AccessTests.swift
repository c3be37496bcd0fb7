import Foundation
import HTTPTypes
import Monitor
import Testing
@testable import Web

extension WebTestSuite {
    /// Who may use which route: enforced for every route the server has, not just the ones a test
    /// author remembered.
    @Suite struct AccessTests {
        /// Routes that change something without needing an admin: signing in and out, first-admin
        /// setup, one's own password. Anything else that changes state must need an admin.
        static let selfServiceRoutes: Set<String> = [
            "POST /api/v1/session", "DELETE /api/v1/session", "POST /api/v1/session/password", "POST /api/v1/setup",
        ]

        static func concretePath(_ spec: RouteSpec) -> String {
            spec.path.replacingOccurrences(of: "{name}", with: "somebody").replacingOccurrences(of: "{command}", with: "status")
                .replacingOccurrences(of: "{file}", with: "app.js")
        }

        @Test func everyRouteButThePublicOnesRefusesAnonymousCallers() async throws {
            let web = try await WebHarness()
            let publicRoutes = web.routes.filter { $0.access == .anyone }.map { "\($0.method.rawValue) \($0.path)" }
            #expect(Set(publicRoutes) == ["GET /", "GET /assets/{file}", "GET /favicon.ico", "GET /manifest.webmanifest",
                                          "GET /api/v1/openapi.json", "GET /healthz", "GET /api/v1/session", "POST /api/v1/session",
                                          "POST /api/v1/setup"])
            for spec in web.routes where spec.access != .anyone {
                let response = try await web.send(spec.method, Self.concretePath(spec), json: [:] as [String: String], csrf: false)
                #expect(response.status == .unauthorized, "\(spec) answered \(response.status) to a stranger")
                #expect(response.errorCode == "unauthenticated")
            }
        }

        @Test func aBadTokenOrCookieIsNoBetterThanNone() async throws {
            let web = try await WebHarness()
            #expect(try await web.get("/api/v1/status", token: "gmt_" + Secrets.token()).status == .unauthorized)
            #expect(try await web.get("/api/v1/status", token: "not-a-token").status == .unauthorized)
            #expect(try await web.get("/api/v1/status", as: BrowserSession(cookie: Secrets.token(), csrf: "x")).status == .unauthorized)
        }

        @Test func aViewerIsRefusedEveryAdminRoute() async throws {
            let web = try await WebHarness()
            let viewer = try await web.viewer()
            let viewerToken = try await web.token(.viewer)
            for spec in web.routes where spec.access == .admin {
                for (session, token) in [(Optional(viewer), String?.none), (nil, viewerToken)] {
                    let response = try await web.send(spec.method, Self.concretePath(spec), json: ["command": "start"], as: session, token: token)
                    #expect(response.status == .forbidden, "\(spec) answered \(response.status) to a viewer")
                    #expect(response.errorCode == "forbidden")
                }
            }
            #expect(await web.service.commands.isEmpty)
        }

        @Test func nothingChangesStateWithoutAnAdminExceptOnesOwnSession() async throws {
            let web = try await WebHarness()
            for spec in web.routes where spec.changesState {
                let key = "\(spec.method.rawValue) \(spec.path)"
                if Self.selfServiceRoutes.contains(key) { continue }
                #expect(spec.access == .admin, "\(key) changes state but needs only \(spec.access)")
            }
            // Every unsafe method is registered as changing state.
            for spec in web.routes where ![.get, .head].contains(spec.method) { #expect(spec.changesState, "\(spec)") }
        }

        @Test func aViewerCannotStartTheGeneratorThroughAnyDoor() async throws {
            let web = try await WebHarness()
            let viewer = try await web.viewer()
            let token = try await web.token(.viewer)
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: viewer).status == .forbidden)
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], token: token).status == .forbidden)
            let legacy = try await web.get("/cmd/setremote?setremote=start", as: viewer)
            #expect(legacy.status == .forbidden)
            #expect(legacy.text == "\"Read Only Mode\"\n")
            #expect(try await web.get("/cmd/setremote?setremote=start", token: token).status == .forbidden)
            #expect(await web.service.commands.isEmpty, "no command may even reach the monitor")
        }

        // MARK: CSRF

        @Test func aBrowserSessionMustSendItsCSRFTokenToChangeAnything() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let missing = try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: admin, csrf: false)
            #expect(missing.status == .forbidden)
            #expect(missing.errorCode == "csrf")
            var wrong = admin
            wrong.csrf = Secrets.token()
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: wrong).errorCode == "csrf")
            // Another signed-in user's token does not do either.
            let other = try await web.admin()
            wrong.csrf = other.csrf
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: wrong).errorCode == "csrf")
            #expect(await web.service.commands.isEmpty)
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: admin).status == .ok)
            #expect(await web.service.commands.count == 1)
        }

        @Test func aRequestFromAnotherSiteIsRefusedEvenWithTheToken() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let foreign = try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: admin, origin: "https://evil.example")
            #expect(foreign.errorCode == "csrf")
            // No Origin and no Referer: refused for a cookie session.
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: admin, origin: nil).errorCode == "csrf")
            // A same-origin Referer is accepted when Origin is absent.
            var headers = web.authHeaders(session: admin, token: nil, csrf: true)
            headers[.referer] = WebHarness.origin + "/#/status"
            headers[.contentType] = "application/json"
            let viaReferer = try await web.request(.post, "/api/v1/commands", headers: headers, body: Array(#"{"command":"stop"}"#.utf8))
            #expect(viaReferer.status == .ok)
            headers[.referer] = "https://evil.example/page"
            #expect(try await web.request(.post, "/api/v1/commands", headers: headers, body: Array(#"{"command":"stop"}"#.utf8)).errorCode == "csrf")
        }

        @Test func legacyWriteCommandsFromABrowserNeedTheCSRFTokenToo() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let plain = try await web.get("/cmd/setremote?setremote=start", as: admin)
            #expect(plain.errorCode == "csrf", "a link on another site must not start the engine")
            var headers = web.authHeaders(session: admin, token: nil, csrf: true)
            headers[.origin] = WebHarness.origin
            let sent = try await web.request(.get, "/cmd/setremote?setremote=start", headers: headers)
            #expect(sent.text == "\"Remote command sent successfully\"\n")
        }

        @Test func aWriteHiddenInAReadCommandsArgumentIsJudgedAsAWrite() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            // The argument has spaces: the dispatcher would run settime and clear_maint_log too.
            let smuggled = "/cmd/power_log_json?power_log_json=1%20settime%20clear_maint_log"
            #expect(try await web.get(smuggled, as: admin).errorCode == "csrf", "a link must not carry a write past the CSRF check")
            let viewer = try await web.viewer()
            let refused = try await web.get(smuggled, as: viewer)
            #expect(refused.status == .forbidden)
            #expect(refused.text == "\"Read Only Mode\"\n")
            #expect(await web.service.commands.isEmpty)
            #expect(try await web.get("/cmd/power_log_json?power_log_json=1", as: viewer).status == .ok)
        }

        @Test func anAPITokenNeedsNoCSRFTokenBecauseNoBrowserSendsItByItself() async throws {
            let web = try await WebHarness()
            let token = try await web.token(.admin)
            let response = try await web.send(.post, "/api/v1/commands", json: ["command": "start"], token: token, csrf: false, origin: nil)
            #expect(response.status == .ok)
            let (command, origin) = try #require(await web.service.commands.first)
            #expect(command == .generac(.setRemote(.start)))
            #expect(origin.interface == .api)
            #expect(origin.principal.hasPrefix("token:admin-token"))
        }

        @Test func signingInFromAnotherSitesPageIsRefused() async throws {
            let web = try await WebHarness()
            let response = try await web.send(.post, "/api/v1/session", json: ["username": WebHarness.adminName, "password": WebHarness.adminPassword],
                                              origin: "https://evil.example")
            #expect(response.status == .forbidden)
            #expect(response.headers[.setCookie] == nil)
        }

        // MARK: Headers

        @Test func everyResponseCarriesTheSecurityHeadersErrorsIncluded() async throws {
            let web = try await WebHarness()
            for path in ["/", "/api/v1/status", "/no/such/page", "/assets/app.js"] {
                let response = try await web.get(path)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(response.headers[.genmonFrameOptions] == "DENY", "\(path)")
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                #expect(csp.contains("default-src 'self'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"), "no inline script or style is needed")
                #expect(!csp.contains("http:") && !csp.contains("https:"), "nothing is loaded from elsewhere")
                #expect(response.headers[.genmonReferrerPolicy] == "same-origin")
            }
            #expect(try await web.get("/api/v1/status").headers[.cacheControl] == "no-store")
        }
    }
}
