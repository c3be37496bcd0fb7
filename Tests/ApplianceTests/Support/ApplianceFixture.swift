import Foundation
import GenmonTesting

/// A temporary folder, a `genmon simulate` child on a pseudo-terminal or a TCP port, and a
/// genmon.conf pointing at it.
final class ApplianceFixture: @unchecked Sendable {
    let directory: String
    var simulator: RunningProcess?
    /// The pseudo-terminal path or host:port the simulator announced.
    var simulatorAddress = ""
    var controlPort = 0

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("appliance-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
    }

    var configPath: String { directory + "/genmon.conf" }

    /// Starts `genmon simulate` (a pseudo-terminal unless `arguments` say otherwise) and reads where it serves.
    func startSimulator(_ arguments: [String] = []) async throws {
        controlPort = try LoopbackPort.free()
        let process = try await GenmonExecutable.start(["simulate", "--control-port", String(controlPort)] + arguments)
        simulator = process
        let printed = try await process.waitForOutput("simctl --port ", timeout: .seconds(30))
        simulatorAddress = Self.word(after: "controller on ", in: printed) ?? ""
    }

    /// The word printed after `label`.
    static func word(after label: String, in text: String) -> String? {
        guard let range = text.range(of: label) else { return nil }
        let word = text[range.upperBound...].prefix { !$0.isWhitespace }
        return word.isEmpty ? nil : String(word)
    }

    func writeConfig(_ extra: String = "", port: String? = nil) throws {
        try "[GenMon]\nport = \(port ?? simulatorAddress)\ndatadirectory = \(directory)/data\n\(extra)\n"
            .write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func cleanUp() async {
        if let simulator { _ = await simulator.stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
