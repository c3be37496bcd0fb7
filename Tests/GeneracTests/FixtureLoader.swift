import Foundation
@testable import Generac

/// Loads the real register dumps and the original's answers from `Tests/Fixtures`.
enum Fixture: String, CaseIterable {
    case evolutionAC = "evo_ac_issue49_raymondjclark_20171108"
    case nexusLC = "nexus_lc_issue35_JeanB51"

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    func image() throws -> RegisterImage {
        let data = try Data(contentsOf: Fixture.root.appendingPathComponent("dumps/\(rawValue).json"))
        return try RegisterImage(dumpJSON: data)
    }

    func answer(_ name: String) throws -> String {
        try String(contentsOf: Fixture.root.appendingPathComponent("answers/\(rawValue)/\(name)"), encoding: .utf8)
    }

    /// The value of `Key : value` in a text answer (first occurrence), keeping trailing spaces.
    func answerValue(_ file: String, key: String) throws -> String? {
        for line in try answer(file).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix(key + " : ") { return String(trimmed.dropFirst(key.count + 3)) }
        }
        return nil
    }
}
