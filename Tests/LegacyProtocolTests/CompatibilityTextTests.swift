import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import Testing

/// The smaller texts the original's clients see: Monitor Time, network_status.
@Suite("Compatibility texts")
struct CompatibilityTextTests {
    @Test("Monitor Time carries the day with its leading zero, as strftime's %d prints it")
    func monitorTime() async throws {
        let fifth = Date(timeIntervalSince1970: 1_709_634_600) // Tuesday 2024-03-05 10:30:00 UTC
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try Fixture.nexusLC.snapshot()), now: fifth)
        let text = try #require(body(await dispatcher.reply(to: "generator: status", origin: localOrigin)))
        #expect(text.contains("        Monitor Time : Tuesday March 05, 2024 10:30:00\n"))
        let json = try JSONParser.parse(try #require(body(await dispatcher.reply(to: "generator: status_json", origin: localOrigin))))
        #expect(json["Status"]?["Time"]?["Monitor Time"] == .string("Tuesday March 05, 2024 10:30:00"))
    }

    @Test("network_status says OK when the connection is made and Disconnected when it cannot be")
    func networkStatus() async throws {
        let listening = try ListeningPort()
        #expect(await NetworkProbe.check(host: "127.0.0.1", port: listening.port, timeout: .seconds(2)) == "OK")
        let refusing = try RefusingPort()
        #expect(await NetworkProbe.check(host: "127.0.0.1", port: refusing.port, timeout: .seconds(2)) == "Disconnected")
        // TEST-NET-1 is never routed: no answer (or no route) within the timeout.
        let started = ContinuousClock.now
        #expect(await NetworkProbe.check(host: "192.0.2.1", port: 53, timeout: .milliseconds(300)) == "Disconnected")
        #expect(started.duration(to: .now) < .seconds(3))
        // Through the command: the probe's answer.
        let dispatcher = makeDispatcher(FixedGeneratorService(snapshot: try Fixture.nexusLC.snapshot()),
                                        probe: { await NetworkProbe.check(host: "127.0.0.1", port: refusing.port) })
        #expect(await dispatcher.reply(to: "generator: network_status", origin: localOrigin) == "DisconnectedEndOfMessage")
    }
}
