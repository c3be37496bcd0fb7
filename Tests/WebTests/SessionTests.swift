import Foundation
import HTTPTypes
import Monitor
import Testing
@testable import Web

extension WebTestSuite {
    /// Signing in and out, sessions, guessing, the first admin and the demo link.
    @Suite struct SessionTests {
        @Test func signingInSetsAStrictHttpOnlyCookieAndReturnsTheCSRFToken() async throws {
            let web = try await WebHarness()
            let response = try await web.send(.post, "/api/v1/session", json: ["username": "alice", "password": WebHarness.adminPassword])
            #expect(response.status == .ok)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("genmon_session="))
            for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(flag), "\(flag)") }
            #expect(!cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back")
            let value = try #require(cookie.split(separator: ";").first?.split(separator: "=").last)
            #expect(Secrets.fromBase64URL(String(value))?.count == 32, "256 random bits")
            let body = try response.json()
            #expect(body["authenticated"] as? Bool == true)
            #expect(body["role"] as? String == "admin")
            #expect((body["csrfToken"] as? String)?.count == 43)
        }

        @Test func underHTTPSTheCookieIsSecureAndHostBound() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(https: true))
            let response = try await web.send(.post, "/api/v1/session", json: ["username": "alice", "password": WebHarness.adminPassword],
                                              origin: "https://genmon.test:8000")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("__Host-genmon_session="))
            #expect(cookie.contains("; Secure"))
        }

        @Test func aWrongPasswordAndAnUnknownUserGetTheSameAnswer() async throws {
            let web = try await WebHarness()
            let wrongPassword = try await web.send(.post, "/api/v1/session", json: ["username": "alice", "password": "not-the-password"])
            let unknownUser = try await web.send(.post, "/api/v1/session", json: ["username": "mallory", "password": "not-the-password"])
            #expect(wrongPassword.status == .unauthorized)
            #expect(wrongPassword.text == unknownUser.text)
            #expect(wrongPassword.headers[.setCookie] == nil)
        }

        @Test func signingInStartsANewSessionAndEndsTheBrowsersPreviousOne() async throws {
            let web = try await WebHarness()
            let first = try await web.admin()
            var headers: HTTPFields = [.cookie: "genmon_session=" + first.cookie, .origin: WebHarness.origin, .contentType: "application/json"]
            headers[.genmonCSRF] = first.csrf
            let again = try await web.request(.post, "/api/v1/session", headers: headers,
                                              body: Array(#"{"username":"alice","password":"alice-password-1"}"#.utf8))
            let newCookie = try #require(again.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=").last)
            #expect(String(newCookie) != first.cookie)
            #expect(try await web.get("/api/v1/status", as: first).status == .unauthorized, "the old session id is dead")
        }

        @Test func signingOutEndsTheSessionAndClearsTheCookie() async throws {
            let web = try await WebHarness()
            let session = try await web.viewer()
            #expect(try await web.get("/api/v1/status", as: session).status == .ok)
            let out = try await web.send(.delete, "/api/v1/session", as: session)
            #expect(out.status == .ok)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await web.get("/api/v1/status", as: session).status == .unauthorized)
        }

        @Test func aSessionEndsAfterItsIdleTimeAndAfterItsLifetime() async throws {
            let timing = AccountStore.Timing(sessionIdle: 3600, sessionLifetime: 4 * 3600, cacheLifetime: 5)
            let web = try await WebHarness(timing: timing)
            let session = try await web.viewer()
            web.clock.advance(3000)
            #expect(try await web.get("/api/v1/status", as: session).status == .ok, "still in use")
            web.clock.advance(3000)  // 50 minutes since the last use
            #expect(try await web.get("/api/v1/status", as: session).status == .ok)
            web.clock.advance(3700)  // idle for longer than an hour
            #expect(try await web.get("/api/v1/status", as: session).status == .unauthorized)

            let busy = try await web.viewer()
            for _ in 0..<5 {
                web.clock.advance(3000)
                _ = try await web.get("/api/v1/status", as: busy)
            }
            #expect(try await web.get("/api/v1/status", as: busy).status == .unauthorized, "four hours after sign-in, however busy")
        }

        @Test func whoAmIAnswersAnonymousCallersWithoutAnError() async throws {
            let web = try await WebHarness()
            let anonymous = try await web.get("/api/v1/session")
            #expect(anonymous.status == .ok, "the page asks this before sign-in; a 401 would be a console error")
            #expect(try anonymous.json()["authenticated"] as? Bool == false)
            #expect(try anonymous.json()["csrfToken"] == nil)
            let token = try await web.token(.viewer)
            let machine = try await web.get("/api/v1/session", token: token)
            #expect(try machine.json()["role"] as? String == "viewer")
        }

        // MARK: Guessing

        @Test func fiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne() async throws {
            let web = try await WebHarness()
            for attempt in 1...5 {
                let response = try await web.send(.post, "/api/v1/session", json: ["username": "alice", "password": "guess-\(attempt)-xxxxx"],
                                                  address: "198.51.100.\(attempt)")
                #expect(response.status == .unauthorized)
            }
            let locked = try await web.send(.post, "/api/v1/session", json: ["username": "ALICE", "password": WebHarness.adminPassword],
                                            address: "198.51.100.99")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.errorCode == "locked")
            #expect(locked.headers[.retryAfter] == "60")
            // Other accounts are not affected.
            #expect(try await web.signIn("victor", WebHarness.viewerPassword).cookie.isEmpty == false)
            // The lockout is audited.
            let audit = try await web.database.audits()
            #expect(audit.contains { $0.record.command == "sign-in" && $0.record.result == .refused && $0.record.origin.principal == "alice" })

            web.clock.advance(61)
            #expect(try await web.admin().cookie.isEmpty == false, "the right password works once the lockout is over")
        }

        @Test func lockoutsGrowLongerWhenGuessingGoesOn() async throws {
            let web = try await WebHarness()
            func fail(_ count: Int) async throws {
                for _ in 0..<count { _ = try await web.send(.post, "/api/v1/session", json: ["username": "alice", "password": "wrong-password"]) }
            }
            try await fail(5)
            web.clock.advance(61)
            try await fail(5)
            let second = try await web.send(.post, "/api/v1/session", json: ["username": "alice", "password": WebHarness.adminPassword])
            #expect(second.headers[.retryAfter] == "120")
        }

        @Test func oneAddressGuessingAcrossManyAccountsIsLockedOut() async throws {
            let web = try await WebHarness()
            for index in 0..<20 {
                _ = try await web.send(.post, "/api/v1/session", json: ["username": "user\(index)", "password": "wrong-password"],
                                       address: "203.0.113.7")
            }
            let fromThere = try await web.send(.post, "/api/v1/session", json: ["username": "victor", "password": WebHarness.viewerPassword],
                                               address: "203.0.113.7")
            #expect(fromThere.status == .tooManyRequests)
            let fromElsewhere = try await web.send(.post, "/api/v1/session", json: ["username": "victor", "password": WebHarness.viewerPassword],
                                                   address: "203.0.113.8")
            #expect(fromElsewhere.status == .ok)
        }

        @Test func changingOnesPasswordNeedsTheCurrentOneAndEndsOtherSessions() async throws {
            let web = try await WebHarness()
            let phone = try await web.viewer()
            let laptop = try await web.viewer()
            let wrong = try await web.send(.post, "/api/v1/session/password",
                                           json: ["currentPassword": "nope-nope-nope", "newPassword": "a-new-password-2"], as: laptop)
            #expect(wrong.status == .forbidden)
            let weak = try await web.send(.post, "/api/v1/session/password",
                                          json: ["currentPassword": WebHarness.viewerPassword, "newPassword": "short"], as: laptop)
            #expect(weak.status == .badRequest)
            let changed = try await web.send(.post, "/api/v1/session/password",
                                             json: ["currentPassword": WebHarness.viewerPassword, "newPassword": "a-new-password-2"], as: laptop)
            #expect(changed.status == .ok)
            #expect(try await web.get("/api/v1/status", as: laptop).status == .ok)
            #expect(try await web.get("/api/v1/status", as: phone).status == .unauthorized)
            #expect(try await web.signIn("victor", "a-new-password-2").cookie.isEmpty == false)
        }

        // MARK: First admin

        @Test func theFirstAdminIsCreatedWithTheOneTimeSetupCode() async throws {
            let setup = SetupCode("ABCD-EFGH-JKMN-PQRS")
            let web = try await WebHarness(configuration: WebAppConfiguration(setupCode: setup), withUsers: false)
            #expect(try await web.get("/api/v1/session").json()["setupRequired"] as? Bool == true)

            let wrong = try await web.send(.post, "/api/v1/setup", json: ["code": "AAAA-BBBB-CCCC-DDDD", "username": "root", "password": "root-password-1"])
            #expect(wrong.status == .forbidden)
            #expect(try await web.accounts.userCount() == 0)

            let created = try await web.send(.post, "/api/v1/setup", json: ["code": "abcd efgh jkmn pqrs", "username": "root", "password": "root-password-1"])
            #expect(created.status == .ok)
            #expect(created.headers[.setCookie] != nil, "the new admin is signed in")
            #expect(try created.json()["role"] as? String == "admin")
            #expect(setup.value == nil, "the code is used up")
            #expect(try await web.get("/api/v1/session").json()["setupRequired"] as? Bool == false)

            let again = try await web.send(.post, "/api/v1/setup", json: ["code": "ABCD-EFGH-JKMN-PQRS", "username": "eve", "password": "eve-password-12"])
            #expect(again.status == .conflict)
            #expect(try await web.accounts.users().map(\.name) == ["root"])
        }

        @Test func guessingTheSetupCodeIsLockedOutLikePasswords() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(setupCode: SetupCode()), withUsers: false)
            for _ in 0..<20 {
                _ = try await web.send(.post, "/api/v1/setup", json: ["code": Secrets.typeable(), "username": "eve", "password": "eve-password-12"])
            }
            let locked = try await web.send(.post, "/api/v1/setup", json: ["code": Secrets.typeable(), "username": "eve", "password": "eve-password-12"])
            #expect(locked.status == .tooManyRequests)
        }

        @Test func withoutASetupCodeNobodyCanCreateTheFirstAdminOverTheWeb() async throws {
            let web = try await WebHarness(withUsers: false)
            #expect(try await web.get("/api/v1/session").json()["setupRequired"] as? Bool == false)
            #expect(try await web.send(.post, "/api/v1/setup", json: ["code": "x", "username": "eve", "password": "eve-password-12"]).status == .conflict)
        }

        // MARK: Demo

        @Test func theDemoLinkSignsInAsTheDemoAdminOnlyWithItsKey() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(demoLoginKey: "demo-key-123"))
            try await web.accounts.addUser(name: DemoAccount.name, role: .admin, password: Secrets.password())
            let wrong = try await web.get("/demo-login?key=nope")
            #expect(wrong.status == .forbidden)
            let right = try await web.get("/demo-login?key=demo-key-123")
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/#/status")
            let cookie = try #require(right.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=").last)
            let whoami = try await web.get("/api/v1/session", as: BrowserSession(cookie: String(cookie), csrf: ""))
            #expect(try whoami.json()["user"] as? String == "demo")
        }

        @Test func thereIsNoDemoLinkOutsideTheDemo() async throws {
            let web = try await WebHarness()
            #expect(try await web.get("/demo-login?key=anything").status == .notFound)
            #expect(!web.routes.contains { $0.path == "/demo-login" })
        }
    }
}
