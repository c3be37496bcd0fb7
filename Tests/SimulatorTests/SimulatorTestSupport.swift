import Foundation
import Generac
@testable import Simulator

/// A simulation on a hand-driven clock, in UTC, starting on Tuesday 2024-03-05 10:30:00.
struct Bench {
    static let start = Date(timeIntervalSince1970: 1_709_634_600)  // 2024-03-05 10:30:00 UTC
    var simulation: Simulation

    init(_ family: ControllerProfile.Family, scenario: String = "") throws {
        let profile = ControllerProfile.standard(family, start: Self.start)
        let model = GeneratorModel(profile: profile, start: Self.start, timeZone: TimeZone(identifier: "UTC")!)
        simulation = Simulation(model: model, scenario: try Scenario.parse(scenario))
    }

    var model: GeneratorModel { simulation.model }
    var now: Date { simulation.model.now }

    /// Moves simulated time forward.
    mutating func wait(_ seconds: TimeInterval) { simulation.advance(to: now.addingTimeInterval(seconds)) }

    mutating func run(_ line: String) {
        let reply = simulation.perform(try! SimulatorCommand.parse(line)).reply
        precondition(!reply.hasPrefix("error"), reply)
    }

    /// A Modbus write, as the monitor sends it.
    @discardableResult
    mutating func write(_ address: UInt16, _ values: [UInt16]) -> GeneratorModel.WriteResult {
        simulation.modelWrite(address: address, values: values)
    }

    func reg(_ address: UInt16) -> UInt16 { model.register(address) }
    var state: UInt16 { reg(0x0001) }
    var mode: UInt16 { reg(0x0002) }

    /// What the monitor's decoder makes of the image.
    var readings: GeneratorReadings {
        GeneracDecoder.decode(image: model.image, identity: model.identity, timeZone: TimeZone(identifier: "UTC")!,
                              statusPair: StatusPair(image: model.image))
    }

    /// Newest-first decoded lines of one log.
    func log(_ kind: LogKind) -> [String] {
        readings.logs[kind]?.entries.map { $0.line() } ?? []
    }
}
