import CPosixSupport
import Foundation
import Testing

/// Most of genmon's resident memory is mapped program code, much of it run only at start.
/// Letting those pages go must shrink the resident set and leave every function working.
@Suite("Letting go of code pages")
struct CodePageReleaseTests {
    /// Resident kilobytes of executable file mappings, from /proc/self/smaps.
    static func residentCodeKilobytes() throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var total = 0
        var executableFile = false
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5, !first.hasSuffix(":") {
                executableFile = fields[1] == "r-xp" && fields.count >= 6 && fields[5].hasPrefix("/")
            } else if executableFile, fields.first == "Rss:", fields.count > 1, let kilobytes = Int(fields[1]) {
                total += kilobytes
            }
        }
        return total
    }

    @Test("resident code shrinks, and the code still runs afterwards")
    func releasesAndKeepsWorking() throws {
        let before = try Self.residentCodeKilobytes()
        let released = genmon_release_code_pages()
        let after = try Self.residentCodeKilobytes()
        #expect(released > 1 << 20, "a Swift test process has more than a MiB of code resident")
        // What runs between the two readings (here and in tests running beside this one) comes back
        // at once, so only a clear drop is asked for.
        #expect(after < before, "resident code \(before) kB before, \(after) kB after")
        // Code paged out is paged back in on use: sorting, JSON and formatting all still work.
        let numbers = (0..<1000).map { ($0 * 7919) % 1000 }.sorted()
        #expect(numbers == Array(0..<1000))
        let data = try JSONEncoder().encode(["released": released])
        #expect(try JSONDecoder().decode([String: Int].self, from: data)["released"] == released)
        #expect(String(format: "%.1f", 2.25) == "2.2" || String(format: "%.1f", 2.25) == "2.3")
    }

    @Test("releasing twice in a row is harmless")
    func releasingAgainIsHarmless() {
        _ = genmon_release_code_pages()
        #expect(genmon_release_code_pages() >= 0)
    }
}
