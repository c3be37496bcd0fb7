import Foundation
@testable import Simulator
import Testing

@Suite("Scenarios and the command language")
struct ScenarioTests {
    @Test("a scenario file drives outage, alarm, reset and recovery at its times")
    func scenarioRun() throws {
        var bench = try Bench(.evolutionAirCooled, scenario: """
            # an outage with an alarm in the middle
            at 10s utility off
            at 40s alarm 1300      # low oil pressure while running
            at 1m utility on
            at 70s reset
            at 80 switch auto
            """)
        bench.wait(9.9)
        #expect(bench.state == 0)
        bench.wait(0.2)
        #expect(bench.state == 0x0001)
        bench.wait(10)  // 20 s: delay 5 s + crank 3 s done
        #expect(bench.state == 0x0003)
        bench.wait(20)  // 40.1 s
        #expect(bench.state == 0x0008 && bench.reg(0x05F1) == 1300)
        bench.wait(20)  // 60.1 s: utility back, still in alarm
        #expect(bench.state == 0x0008 && bench.reg(0x0009) > 200)
        bench.wait(10)  // 70.1 s: reset (OFF + ENTER)
        #expect(bench.state == 0x0000 && bench.mode == 0x0007)
        bench.wait(10)
        #expect(bench.mode == 0x0000)
        #expect(bench.log(.run) .map { String($0.dropFirst(18)) } == ["Switched Off ", "Stopped - Alarm ", "Running - Utility Loss "])
    }

    @Test("scenario steps that fall between reads still happen in order")
    func stepsBetweenReads() throws {
        var bench = try Bench(.evolutionAirCooled, scenario: "at 1s utility off\nat 2s utility on\nat 3s utility off")
        bench.wait(3600)  // one big jump over all three
        #expect(bench.model.utilityVolts == 0)
        #expect(bench.state == 0x0003, "the outage from the third step is being carried")
    }

    @Test("scenario errors name the line")
    func scenarioErrors() {
        #expect(throws: ScenarioError(line: 2, reason: "expected `at <time> <command>`, e.g. `at 10s utility off`")) {
            try Scenario.parse("at 1s utility off\nutility on")
        }
        #expect(throws: ScenarioError.self) { try Scenario.parse("at soon utility off") }
        #expect(throws: ScenarioError.self) { try Scenario.parse("at 5s fly away") }
        #expect(Scenario.parseTime("1h15m") == 4500)
        #expect(Scenario.parseTime("1m30s") == 90)
        #expect(Scenario.parseTime("90") == 90)
        #expect(Scenario.parseTime("5x") == nil)
        #expect(Scenario.parseTime("m") == nil)
        #expect(Scenario.parseTime("inf") == nil)
        #expect(Scenario.parseTime("1e400") == nil)
    }

    @Test("a scenario written on Windows (CRLF line endings) reads the same")
    func windowsLineEndings() throws {
        let scenario = try Scenario.parse("# outage\r\nat 1s utility off\r\nat 2s utility on\r\n")
        #expect(scenario.steps.map(\.line) == [2, 3])
        #expect(scenario.steps.map(\.command) == [.utility(.off), .utility(.on)])
    }

    @Test("commands parse, and bad ones explain the usage", arguments: [
        ("utility off", SimulatorCommand.utility(.off)),
        ("UTILITY 120", .utility(.volts(120))),
        ("alarm overcrank", .alarm(.named("overcrank"))),
        ("alarm 1300", .alarm(.code(1300))),
        ("switch manual", .switchTo(.manual)),
        ("remote starttransfer", .remote(.starttransfer)),
        ("faults crc=0.1 seed=3", .faults(["crc": 0.1, "seed": 3])),
        ("silence 30", .silence(seconds: 30)),
        ("speed 60", .speed(60)),
    ])
    func parsing(line: String, command: SimulatorCommand) throws {
        #expect(try SimulatorCommand.parse(line) == command)
    }

    @Test("malformed commands are refused with a usage line", arguments: [
        "", "utility", "utility sideways", "utility 9000", "battery -3", "battery nan", "faults crc=2", "faults crc",
        "faults bogus=1", "speed 0", "switch sideways", "remote launch", "silence -1", "launch rockets", "exercise later",
        String(repeating: "x", count: 5000),
    ])
    func malformed(line: String) {
        #expect(throws: SimulatorCommandError.self) { try SimulatorCommand.parse(line) }
    }

    @Test("unknown fault names are reported, not crashed on")
    func unknownFault() throws {
        var bench = try Bench(.evolutionLiquidCooled)
        #expect(bench.simulation.perform(.alarm(.named("gremlins"))).reply == "error: unknown fault 'gremlins'")
        #expect(bench.simulation.perform(.alarm(.code(9999))).reply == "error: unknown fault '9999'")
    }
}
