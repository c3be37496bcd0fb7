import Foundation
import GenmonTesting
import Synchronization
import Testing
@testable import Web
#if canImport(Glibc)
import Glibc
#endif

extension WebTestSuite {
    @Suite(.enabled(if: genmonBinary != nil, "the genmon executable is built next to the tests"), .tags(.process), .slowTier)
    struct WebExecutableTests {
        /// The `http://…/demo-login?key=…` link `genmon demo` prints.
        static func signInLink(in text: String) -> String? {
            for line in text.split(separator: "\n") {
                guard line.contains("/demo-login?key="), let start = line.range(of: "http://") else { continue }
                let link = line[start.lowerBound...].prefix { !$0.isWhitespace }
                return String(link)
            }
            return nil
        }

        @Test func genmonUserAndTokenManageTheAccountsTheServerUses() async throws {
            let directory = WebServerTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let added = try await genmon(["user", "add", "--admin", "--generate", "--data-dir", directory, "bob"])
            #expect(added.status == 0)
            let password = try #require(added.output.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(added.output.hasPrefix("added admin bob with the password: "))
            // Not a terminal: the password is read from standard input.
            #expect(try await genmon(["user", "add", "--data-dir", directory, "carol"], input: "carol-password-1\n").output == "added viewer carol\n")
            #expect(try await genmon(["user", "add", "--data-dir", directory, "dave"], input: "short\n").status != 0)
            let listed = try await genmon(["user", "list", "--data-dir", directory])
            #expect(listed.output == "bob\tadmin\tsessions: 0\ncarol\tviewer\tsessions: 0\n")
            let token = try await genmon(["token", "add", "--data-dir", directory, "home-assistant"])
            let secret = try #require(token.output.split(separator: "\n").first { $0.hasPrefix("gmt_") }.map(String.init))
            #expect(secret.hasPrefix("gmt_"))
            #expect(try await genmon(["user", "remove", "--data-dir", directory, "bob"]).status != 0, "the last admin stays")

            let store = try AccountStore(path: directory + "/accounts.sqlite", hasher: PasswordHasher(cost: 4))
            #expect(await store.verify(name: "bob", password: password)?.role == .admin)
            #expect(await store.verify(name: "carol", password: "carol-password-1")?.role == .viewer)
            #expect(await store.principal(bearer: secret)?.role == .viewer)
            #expect(try await genmon(["token", "revoke", "--data-dir", directory, "home-assistant"]).status == 0)
            #expect(try await genmon(["user", "role", "--data-dir", directory, "carol", "admin"]).status == 0)
            #expect(try await genmon(["user", "remove", "--data-dir", directory, "bob"]).status == 0)
        }

        @Test(.enabled(if: WebServerTests.curl != nil, "curl is not installed"), .timeLimit(.minutes(2)))
        func genmonDemoOpensTheWebAppSignedInAsTheDemoAdmin() async throws {
            let demo = try await GenmonExecutable.start(["demo", "--web-port", "0", "--socket-port", "0", "--control-port", "0"])
            var link: String?
            let deadline = ContinuousClock.now + .seconds(60)
            while link == nil, ContinuousClock.now < deadline {
                link = Self.signInLink(in: demo.output)
                try await Task.sleep(for: .milliseconds(100))
            }
            let url = try #require(link, "genmon demo printed no sign-in link: \(demo.output)")
            let base = String(url[..<url.range(of: "/demo-login")!.lowerBound])
            let jar = WebServerTests.temporaryDirectory() + "/cookies"
            let signIn = try await WebServerTests.curl(["-i", "-c", jar, url])
            #expect(signIn.hasPrefix("HTTP/1.1 303"))
            var status = ""
            while ContinuousClock.now < deadline {
                status = try await WebServerTests.curl(["-b", jar, base + "/api/v1/status"])
                if status.contains("\"state\":\"ready\"") { break }
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(status.contains("\"state\":\"ready\""), "\(status)")
            #expect(status.contains("\"site\":\"Demo\""))
            let whoami = try await WebServerTests.curl(["-b", jar, base + "/api/v1/session"])
            #expect(whoami.contains("\"role\":\"admin\"") && whoami.contains("\"user\":\"demo\""))
            #expect(try await WebServerTests.curl(["-i", base + "/demo-login?key=wrong"]).hasPrefix("HTTP/1.1 403"))

            demo.signal(SIGTERM)
            let stopped = await demo.waitForExit(timeout: .seconds(10))
            #expect(stopped?.status == 0 && stopped?.reason == .exit, "genmon demo stops cleanly on SIGTERM: \(demo.output)")
        }
    }
}
