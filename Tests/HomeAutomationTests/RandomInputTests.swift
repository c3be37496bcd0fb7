import Foundation
import Generac
import GenmonBasics
import GenmonConfig
import GenmonTesting
@testable import HomeAutomation
import LegacyProtocol
import Monitor
import Testing

/// Whatever arrives from the broker or a config file: nothing traps, nothing unexpected reaches the door.
@Suite("Random input from the broker and from config files")
struct RandomInputTests {
    static func text(_ random: inout SeededGenerator, alphabet: [Character], length: Int) -> String {
        String((0..<Int.random(in: 0...length, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    @Test("random payloads for every control: a command comes out only when it parses as the original's syntax")
    func controlPayloads() async throws {
        var random = SeededGenerator(seed: 0x6D71_7474)
        let source = FigureSource(snapshot: try Fixture.evolutionAC.snapshot(), context: fixtureContext)
        let alphabet = Array("0123456789.-+eEnaONFPRESonfpres \t\n,:=xyz") + ["\u{0}", "é", "🔋"]
        var accepted = 0
        for round in 0..<100_000 {
            if round % 2_000 == 0 { await Task.yield() }
            let control = HomeAssistantControl.all.randomElement(using: &random)!
            let payload = Self.text(&random, alphabet: alphabet, length: 12)
            if case let .success(command) = control.command(payload, source) {
                accepted += 1
                guard case .success = CommandParser.parse(command) else {
                    Issue.record("\(control.id) made \(command) from \(payload.debugDescription)")
                    return
                }
            }
        }
        #expect(accepted > 100)
    }

    @Test("random bytes as command requests, command topics and genmqtt.conf values never trap")
    func requestsAndTopics() async throws {
        var random = SeededGenerator(seed: 0x4841_5353)
        let discovery = HomeAssistantDiscovery()
        let alphabet = Array("genmon/buttonswitchselectnumber+#_-=setcommand{}\":, \n") + ["\u{0}", "ü"]
        for round in 0..<100_000 {
            if round % 2_000 == 0 { await Task.yield() }
            let bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = CommandGateway.parseRequest(bytes)
            let topic = Self.text(&random, alphabet: alphabet, length: 40)
            if let control = discovery.control(forCommandTopic: topic) {
                #expect(topic == "genmon/\(control.component.rawValue)/\(control.id)/\(control.commandVerb)")
            }
            // Reading a config file costs far more than the rest: one in ten rounds.
            guard round % 10 == 0 else { continue }
            let value = Self.text(&random, alphabet: alphabet, length: 20)
            let file = "[genmqtt]\nmqtt_address = h\nroot_topic = \(value)\nsite_id = \(value)\nflush_interval = \(value)\n"
            if let config = try? GenMQTTConfiguration(file: IniFile(text: file)) {
                #expect(!(config.rootTopic ?? "").contains("#") && !(config.rootTopic ?? "").contains("+"))
            }
        }
    }

    @Test("random report trees flatten without trapping, and every topic starts at the generator prefix")
    func randomTrees() async {
        var random = SeededGenerator(seed: 0x5452_4545)
        func tree(_ depth: Int, _ random: inout SeededGenerator) -> ReportValue {
            switch Int.random(in: 0...(depth > 3 ? 3 : 6), using: &random) {
            case 0: return .string(Self.text(&random, alphabet: Array("ab /#+"), length: 5))
            case 1: return .int(Int.random(in: -5...5, using: &random))
            case 2: return .double(Double.random(in: -1e6...1e6, using: &random))
            case 3: return .bool(Bool.random(using: &random))
            case 4: return .list((0..<Int.random(in: 0...3, using: &random)).map { _ in tree(depth + 1, &random) })
            default: return .object((0..<Int.random(in: 0...3, using: &random)).map { index in ("k\(index)", tree(depth + 1, &random)) })
            }
        }
        let layouts = [LegacyTopicLayout(), LegacyTopicLayout(numericJSONObject: true, stringListJSON: true), LegacyTopicLayout(rootTopic: "r", removeSpaces: true)]
        for round in 0..<20_000 {
            if round % 500 == 0 { await Task.yield() }
            let layout = layouts[round % layouts.count]
            for message in layout.messages(for: .object([("Status", tree(0, &random))])) {
                #expect(message.topic.hasPrefix(layout.topic("generator/Status")))
            }
        }
    }
}
