import Foundation
import GenmonTesting
import Testing
@testable import Generac

/// The docs a successor reads: the register map covers every register, and every reference to
/// docs/ in the code leads to a heading that exists.
@Suite("Docs")
struct DocsTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens.
    static func anchors(in markdown: String) -> Set<String> {
        var anchors: Set<String> = []
        for line in markdown.split(separator: "\n") where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
            let kept = title.unicodeScalars.filter {
                CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == " "
            }
            anchors.insert(String(String.UnicodeScalarView(kept)).replacingOccurrences(of: " ", with: "-"))
        }
        return anchors
    }

    @Test("docs/registers.md has a row for every register genmon polls and the start of every log")
    func registerMapIsComplete() async throws {
        let doc = try Self.text("docs/registers.md")
        let specs = RegisterMap.prime + RegisterMap.base + [RegisterMap.serialNumber, RegisterMap.pz200Identity]
        var missing: [RegisterAddress] = []
        var pacer = CooperativePacer()
        for address in specs.map(\.address) {
            await pacer.pace()
            if !doc.contains("| `\(Hex.word(address))` |") { missing.append(address) }
        }
        #expect(missing.isEmpty, "not in docs/registers.md: \(missing.map(Hex.word))")
        for range in [LogRange.run, .evolutionAlarm, .evolutionService, .nexusAlarm] {
            #expect(doc.contains("`\(Hex.word(range.start))` | \(range.stride) | \(range.wordsPerEntry) | `\(Hex.word(range.lastEntryAddress))`"))
        }
    }

    @Test("Anchors are made the way GitHub makes them")
    func anchorRule() {
        #expect(Self.anchors(in: "## The Evolution 2.0 unlock\n### Set quiet mode") == ["the-evolution-20-unlock", "set-quiet-mode"])
    }

    @Test("Every docs/ reference in the code points at a document and heading that exist")
    func referencesResolve() async throws {
        var anchorsByDocument: [String: Set<String>] = [:]
        let pattern = try Regex(#"docs/([A-Za-z0-9_-]+\.md)(#[A-Za-z0-9_-]+)?"#)
        var checked = 0
        var broken: [String] = []
        var pacer = CooperativePacer()
        for folder in ["Sources", "Tests"] {
            let base = Self.repository.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                await pacer.pace()
                let source = try String(contentsOf: file, encoding: .utf8)
                for match in source.matches(of: pattern) {
                    let document = String(match.output[1].substring ?? "")
                    if anchorsByDocument[document] == nil {
                        anchorsByDocument[document] = (try? Self.text("docs/" + document)).map(Self.anchors(in:)) ?? []
                    }
                    checked += 1
                    let known = anchorsByDocument[document] ?? []
                    if known.isEmpty { broken.append("\(file.lastPathComponent): docs/\(document)") }
                    if let anchor = match.output[2].substring, !known.contains(String(anchor.dropFirst())) {
                        broken.append("\(file.lastPathComponent): docs/\(document)\(anchor)")
                    }
                }
            }
        }
        #expect(checked > 40)
        #expect(broken.isEmpty, "\(broken)")
    }
}
