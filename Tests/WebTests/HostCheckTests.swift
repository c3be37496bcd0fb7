import Foundation
import GenmonTesting
import HTTPTypes
import Monitor
import Testing
@testable import Web

extension WebTestSuite {
    /// The Host check against DNS rebinding.
    @Suite struct HostCheckTests {
        @Test("only this server's names are served: another Host gets 421, whatever the route",
              arguments: ["evil.example", "evil.example:8000", "192.0.2.250:8000", "[2001:db8::99]:8000", "genmon.test.evil.example", "a b", ""])
        func unknownHostsAreRefused(host: String) async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(hosts: HostPolicy(names: ["genmon.test"])))
            let head = HTTPRequest(method: .post, scheme: "http", authority: host, path: "/api/v1/session",
                                   headerFields: [.contentType: "application/json"])
            let response = try await web.raw(head, body: Array(#"{"username":"alice","password":"alice-password-1"}"#.utf8))
            #expect(response.status == .misdirectedRequest)
            #expect(response.text.contains("http_host_names"))
            #expect(response.headers[.setCookie] == nil)
        }

        @Test("this server's names are served: localhost, loopback, the configured names, no Host at all",
              arguments: ["genmon.test:8000", "GENMON.TEST.", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "app.localhost", nil] as [String?])
        func knownHostsAreServed(host: String?) async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(hosts: HostPolicy(names: ["genmon.test"])))
            let head = HTTPRequest(method: .get, scheme: "http", authority: host, path: "/healthz", headerFields: [:])
            #expect(try await web.raw(head).status == .ok)
        }

        @Test("this machine's own addresses and name are accepted without configuration")
        func machineNames() throws {
            let policy = HostPolicy()
            for address in MachineNames.interfaceAddresses() { #expect(policy.allows(authority: address.contains(":") ? "[\(address)]:80" : address)) }
            #expect(HostPolicy.hostPart(of: "[fe80::1%eth0]:80") == "fe80::1")
            #expect(HostPolicy.hostPart(of: "[not-an-address]:80") == nil)
            #expect(HostPolicy.hostPart(of: "Example.ORG:443") == "example.org")
            #expect(HostPolicy.hostPart(of: "example.org:http") == nil)
            #expect(!policy.allows(authority: "example.org"))
        }
    }
}
