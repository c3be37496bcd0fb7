import Foundation
import Generac
@testable import LegacyProtocol
import Monitor
import Testing

/// Every command the original answered for the two real dumps, rendered by us from the snapshot a
/// fresh monitor builds, compared byte for byte after masking the fields that depend on time or host.
@Suite("Fixture answers")
struct FixtureAnswerTests {
    /// Differences that come from the snapshot builder, not from the renderers (see the report):
    /// the Nexus dump reads 0 V utility, so the original's monitor was in an outage, but
    /// `GeneratorSnapshot.fromImage` always builds "no outage seen".
    static let snapshotBuilderKeys: [Fixture: Set<String>] = [.nexusLC: ["Status", "System In Outage"]]

    static func ourReply(_ fixture: Fixture, _ command: String) async throws -> String {
        let service = FixedGeneratorService(snapshot: try fixture.snapshot())
        let reply = await makeDispatcher(service).reply(to: "generator: " + command, origin: localOrigin)
        return try #require(body(reply), "reply to \(command) lacks EndOfMessage")
    }

    static func keys(for fixture: Fixture, command: String) -> Set<String> {
        command.hasPrefix("outage") ? timeOrHostKeys.union(snapshotBuilderKeys[fixture] ?? []) : timeOrHostKeys
    }

    @Test("every indexed command answers like the original", arguments: Fixture.allCases)
    func everyCommandMatches(_ fixture: Fixture) async throws {
        let index = try fixture.index()
        #expect(index.count >= 24)
        for entry in index {
            var ours = try await Self.ourReply(fixture, entry.command)
            let isRegisterListing = ["registers", "allregs", "registers_json", "allregs_json"].contains(entry.command)
            guard fixture.answerExists(entry.file) else {
                // support_data_json is listed but its answer was not kept: check the shape only.
                let parsed = try JSONParser.parse(ours)
                #expect(parsed["Holding"] != nil && parsed["StartInfo"] != nil, "\(entry.command)")
                continue
            }
            let theirs = try fixture.answer(entry.file)
            let keys = Self.keys(for: fixture, command: entry.command)
            if entry.json {
                let theirTree = try JSONParser.parse(theirs)
                // Our encoder writes the original's own bytes back exactly.
                #expect(JSON.encode(theirTree) == theirs, "encoder round trip of \(entry.file)")
                var ourTree = try JSONParser.parse(ours)
                if isRegisterListing { ourTree = Self.registerZeroFirst(ourTree) } // known issue, see below
                let difference = firstDifference(pretty(masked(ourTree, keys: keys)), pretty(masked(theirTree, keys: keys)))
                #expect(difference == nil, "\(fixture) \(entry.command): \(difference ?? "")")
            } else if entry.command == "help" {
                #expect(ours.hasPrefix("Help:\n\nCommands:\n"))
                for name in ["status", "maint", "outage", "monitor", "logs", "registers", "settime", "setexercise", "setquiet",
                             "setremote", "help", "exit", "sendlogfiles"] {
                    #expect(ours.contains("\n   " + name + " "), "help lists \(name)")
                }
            } else {
                if isRegisterListing { ours = Self.registerZeroFirst(ours) } // known issue, see below
                let difference = firstDifference(maskedText(ours, keys: keys), maskedText(theirs, keys: keys))
                #expect(difference == nil, "\(fixture) \(entry.command): \(difference ?? "")")
            }
        }
    }

    @Test("the greeting matches", arguments: Fixture.allCases)
    func greeting(_ fixture: Fixture) async throws {
        let service = FixedGeneratorService(snapshot: try fixture.snapshot())
        #expect(await makeDispatcher(service).greeting() == (try fixture.answer("_greeting.txt")))
    }

    /// Register 0000 is read first by a real monitor (detection) but `GeneratorSnapshot.fromImage`
    /// lists it after the prime registers of the polling cycle.
    @Test("register listing order differs only where the snapshot builder places 0000", arguments: Fixture.allCases)
    func registerZeroOrderKnownIssue(_ fixture: Fixture) async throws {
        let ours = try JSONParser.parse(try await Self.ourReply(fixture, "registers_json"))
        let theirs = try JSONParser.parse(try fixture.answer("registers_json.json"))
        #expect(pretty(masked(Self.registerZeroFirst(ours), keys: ["Not Changed"])) == pretty(masked(theirs, keys: ["Not Changed"])))
        withKnownIssue("GeneratorSnapshot.fromImage lists 0000 after the prime registers; a live monitor reads it first") {
            #expect(firstDifference(pretty(masked(ours, keys: ["Not Changed"])), pretty(masked(theirs, keys: ["Not Changed"]))) == nil)
        }
    }

    /// Our listing with the 0000 entry moved to the front (tree form).
    static func registerZeroFirst(_ tree: ReportValue) -> ReportValue {
        guard case let .object(root) = tree, case let .object(items)? = root.first?.1 else { return tree }
        let rebuilt: [(String, ReportValue)] = items.map { key, value in
            guard key == "Holding", case var .list(holding) = value,
                  let zero = holding.firstIndex(where: { $0["0000"] != nil }) else { return (key, value) }
            holding.insert(holding.remove(at: zero), at: 0)
            return (key, .list(holding))
        }
        return .object([(root[0].0, .object(rebuilt))])
    }

    /// Our listing with the 0000 line moved to the top of the Holding block (text form).
    static func registerZeroFirst(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let heading = lines.firstIndex(of: "    Holding : "),
              let zero = lines.firstIndex(where: { $0.hasPrefix("        0000 : ") }) else { return text }
        let line = lines.remove(at: zero)
        lines.insert(line, at: heading + 1)
        return lines.joined(separator: "\n")
    }

    @Test("Nexus outage state differs only because the snapshot builder assumes no outage")
    func nexusOutageKnownIssue() async throws {
        let ours = try JSONParser.parse(try await Self.ourReply(.nexusLC, "outage_json"))
        let theirs = try JSONParser.parse(try Fixture.nexusLC.answer("outage_json.json"))
        #expect(theirs["Outage"]?["System In Outage"] == .string("Yes"))
        withKnownIssue("GeneratorSnapshot.fromImage sets inOutage = false although utility 0 V < threshold 144 V") {
            #expect(ours["Outage"]?["System In Outage"] == .string("Yes"))
            #expect(ours["Outage"]?["Status"]?.text?.hasPrefix("System in outage since ") == true)
        }
    }
}
