import Foundation
import GenmonTesting
import SwiftASN1
import Testing
import X509
@testable import Web

extension WebTestSuite {
    /// The server on a real socket: plain HTTP, HTTPS with genmon's own certificate, a taken port.
    @Suite(.tags(.process), .slowTier) struct WebServerTests {
        static let curl = ["/usr/bin/curl", "/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }

        /// Runs curl and returns what it printed (headers and body with `-i`).
        static func curl(_ arguments: [String]) async throws -> String {
            try await ProcessRunner.run(try #require(curl), ["--silent", "--show-error", "--max-time", "20"] + arguments).output
        }

        static func temporaryDirectory() -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-web-\(UUID().uuidString)").path
            // Private from the start, as genmon makes its data directory (else it says it repaired the mode).
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return path
        }

        @Test(.enabled(if: curl != nil, "curl is not installed"))
        func theServerAnswersOnLoopbackAndSaysWhenItsPortIsTaken() async throws {
            let web = try await WebHarness()
            let server = try await WebServer.start(web.app, configuration: .init(host: "127.0.0.1", port: 0))
            #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
            let probe = try await Self.curl(["-i", server.baseURL + "/healthz"])
            #expect(probe.hasPrefix("HTTP/1.1 200"))
            #expect(probe.lowercased().contains("x-frame-options: deny"))
            #expect(probe.hasSuffix("ok\n"))
            let status = try await Self.curl(["-i", server.baseURL + "/api/v1/status"])
            #expect(status.hasPrefix("HTTP/1.1 401"))

            await #expect(throws: WebServer.StartError.self) {
                _ = try await WebServer.start(web.app, configuration: .init(host: "127.0.0.1", port: server.port))
            }
            await server.close()
        }

        @Test func aSelfSignedCertificateIsMadeOnceAndKept() throws {
            let directory = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let first = try CertificateStore.selfSigned(in: directory, hostNames: ["genmon.local", "192.168.1.20"])
            let second = try CertificateStore.selfSigned(in: directory)
            #expect(first.selfSigned && second.selfSigned)
            #expect(first.certificatePEM == second.certificatePEM)
            #expect(first.fingerprint == second.fingerprint)
            let key = try FileManager.default.attributesOfItem(atPath: directory + "/key.pem")
            #expect(key[.posixPermissions] as? Int == 0o600)

            let certificate = try Certificate(pemEncoded: first.certificatePEM)
            let names = try #require(try certificate.extensions.subjectAlternativeNames)
            let dns = names.compactMap { if case let .dnsName(name) = $0 { name } else { nil } }
            let addresses = names.compactMap { if case let .ipAddress(bytes) = $0 { Array(bytes.bytes) } else { nil } }
            #expect(dns.contains("localhost") && dns.contains("genmon.local"))
            #expect(addresses.contains([127, 0, 0, 1]) && addresses.contains([192, 168, 1, 20]))
            #expect(certificate.notValidAfter > Date().addingTimeInterval(800 * 86_400))
        }

        @Test func anExpiringCertificateIsReplaced() throws {
            let directory = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let old = try CertificateStore.selfSigned(in: directory, now: Date().addingTimeInterval(-820 * 86_400))
            let renewed = try CertificateStore.selfSigned(in: directory)
            #expect(old.fingerprint != renewed.fingerprint)
        }

        @Test func theUsersOwnCertificateIsUsedAndABadOneRefused() throws {
            let directory = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let made = try CertificateStore.make(hostNames: ["generator.example.org"])
            try made.certificatePEM.write(toFile: directory + "/mine.pem", atomically: true, encoding: .utf8)
            try made.privateKeyPEM.write(toFile: directory + "/mine.key", atomically: true, encoding: .utf8)
            let loaded = try CertificateStore.load(certificate: directory + "/mine.pem", key: directory + "/mine.key")
            #expect(!loaded.selfSigned)
            #expect(loaded.fingerprint == made.fingerprint)
            try "not a certificate".write(toFile: directory + "/bad.pem", atomically: true, encoding: .utf8)
            #expect(throws: CertificateStore.Failure.self) { try CertificateStore.load(certificate: directory + "/bad.pem", key: directory + "/mine.key") }
            #expect(throws: CertificateStore.Failure.self) { try CertificateStore.load(certificate: directory + "/missing.pem", key: directory + "/mine.key") }
        }

        @Test(.enabled(if: curl != nil, "curl is not installed"))
        func overHTTPSTheSessionCookieIsSecureAndHostBound() async throws {
            let directory = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let material = try CertificateStore.selfSigned(in: directory)
            let web = try await WebHarness(configuration: WebAppConfiguration(https: true))
            let server = try await WebServer.start(web.app, configuration: .init(host: "127.0.0.1", port: 0, tls: material))
            let base = "https://localhost:\(server.port)"
            #expect(server.baseURL.hasPrefix("https://"))
            let probe = try await Self.curl(["--cacert", directory + "/cert.pem", base + "/healthz"])
            #expect(probe == "ok\n", "curl trusts the kept certificate for localhost: \(probe)")
            let login = try await Self.curl(["-i", "--cacert", directory + "/cert.pem", "-H", "Origin: \(base)", "-H", "Content-Type: application/json",
                                             "--data", #"{"username":"alice","password":"alice-password-1"}"#, base + "/api/v1/session"])
            #expect(login.hasPrefix("HTTP/1.1 200"), "\(login.prefix(300))")
            let cookie = try #require(login.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") })
            #expect(cookie.contains("__Host-genmon_session=") && cookie.contains("; Secure") && cookie.contains("HttpOnly"))
            let plain = try await Self.curl(["-i", "http://127.0.0.1:\(server.port)/healthz"])
            #expect(!plain.hasPrefix("HTTP/1.1 200"), "no plain HTTP on the HTTPS port")
            await server.close()
        }
    }
}
