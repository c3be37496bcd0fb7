import Foundation
import Generac
import GenmonTesting
@testable import LegacyProtocol
import Monitor

/// The real register dumps and what the original answered for them (`Tests/Fixtures`).
enum Fixture: String, CaseIterable, Sendable, CustomStringConvertible {
    case evolutionAC = "evo_ac_issue49_raymondjclark_20171108"
    case nexusLC = "nexus_lc_issue35_JeanB51"

    var description: String { rawValue }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    func image() throws -> RegisterImage {
        try RegisterImage(dumpJSON: Data(contentsOf: Fixture.root.appendingPathComponent("dumps/\(rawValue).json")))
    }

    /// The snapshot a fresh monitor has for this dump, as the brief prescribes.
    func snapshot(now: Date = Fixture.now) throws -> GeneratorSnapshot {
        GeneratorSnapshot.fromImage(try image(), timeZone: .utc, siteName: "TestSite", now: now)
    }

    var answers: URL { Fixture.root.appendingPathComponent("answers/\(rawValue)") }

    func answer(_ file: String) throws -> String {
        try String(contentsOf: answers.appendingPathComponent(file), encoding: .utf8)
    }

    func answerExists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: answers.appendingPathComponent(file).path) }

    /// Command name → answer file, from `_index.json`, in the file's order.
    func index() throws -> [(command: String, file: String, json: Bool)] {
        guard case let .object(root) = try JSONParser.parse(answer("_index.json")),
              case let .object(commands)? = root.first(where: { $0.0 == "commands" })?.1 else { return [] }
        return commands.compactMap { name, entry in
            guard let file = entry["file"]?.text, case let .bool(json)? = entry["json"] else { return nil }
            return (name, file, json)
        }
    }

    /// A fixed moment for reports (the fixtures were captured on 2026-11-26, UTC).
    static let now = Date(timeIntervalSince1970: 1_795_733_906) // Thursday 2026-11-26 22:58:26 UTC
}

extension TimeZone {
    static let utc = TimeZone(identifier: "UTC")!
}

/// Report fields that depend on time or on the host (the brief's list, plus the register
/// read counter and the install/runtime facts of start_info_json and support_data_json).
let timeOrHostKeys: Set<String> = [
    "Monitor Time", "Run time", "System Time", "System Uptime", "Packet Count", "Packets Per Second",
    "Average Transaction Time", "CPU Utilization", "Platform Stats", "PlatformStats", "MonitorTime",
    "Not Changed", "install", "python", "Program Run Time",
]

/// Replaces the values of `keys` (anywhere in the tree) with a marker.
func masked(_ value: ReportValue, keys: Set<String> = timeOrHostKeys) -> ReportValue {
    switch value {
    case let .object(pairs): .object(pairs.map { key, inner in (key, keys.contains(key) ? .string("<masked>") : masked(inner, keys: keys)) })
    case let .list(items): .list(items.map { masked($0, keys: keys) })
    default: value
    }
}

/// Text answers: `Key : value` lines of masked keys keep their key and lose their value; a masked
/// heading (Platform Stats) loses its whole block.
func maskedText(_ text: String, keys: Set<String> = timeOrHostKeys) -> String {
    var lines: [String] = []
    var skipIndent: Int?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let indent = line.prefix { $0 == " " }.count
        let body = line.dropFirst(indent)
        if let skip = skipIndent {
            if body.isEmpty || indent > skip { continue }
            skipIndent = nil
        }
        if let separator = body.range(of: " : ") ?? (body.hasSuffix(" : ") ? body.range(of: " : ", options: .backwards) : nil) {
            let key = String(body[..<separator.lowerBound])
            if keys.contains(key) {
                lines.append(String(line.prefix(indent)) + key + " : <masked>")
                if body[separator.upperBound...].isEmpty { skipIndent = indent }
                continue
            }
        }
        lines.append(String(line))
    }
    return lines.joined(separator: "\n")
}

/// Platform stats shaped like the fixtures' (their values are masked in comparisons).
let fixturePlatformStats: @Sendable (Date) -> [(String, String)] = { _ in
    [("CPU Utilization", "1.00%"), ("OS Name", "Debian GNU/Linux"), ("OS Version", "12 (bookworm)"),
     ("System Uptime", "0:01:00"), ("Network Interface Used", "eth0"), ("System Time", "x")]
}

func fixtureContext(now: Date = Fixture.now) -> ReportContext {
    ReportContext(now: now, timeZone: .utc, platformStats: fixturePlatformStats)
}

func makeDispatcher(_ service: any GeneratorService, now: Date = Fixture.now, journal: MaintenanceJournal = MaintenanceJournal(),
                    probe: @escaping @Sendable () async -> String = { "OK" }) -> LegacyDispatcher {
    LegacyDispatcher(service: service, journal: journal,
                     configuration: .init(context: fixtureContext(now: now), clock: { now }, networkProbe: probe))
}

let localOrigin = CommandOrigin(interface: .socket, principal: "127.0.0.1", mayControl: true)
let remoteOrigin = CommandOrigin(interface: .socket, principal: "192.0.2.7", mayControl: false)

/// The reply without its terminator; nil when the terminator is missing.
func body(_ reply: String) -> String? {
    reply.hasSuffix(LegacyDispatcher.endOfMessage) ? String(reply.dropLast(LegacyDispatcher.endOfMessage.count)) : nil
}

/// The first line where two texts differ, for short failure messages (nil when equal).
func firstDifference(_ ours: String, _ theirs: String) -> String? {
    guard ours != theirs else { return nil }
    let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
    let b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(a.count, b.count) {
        let left = index < a.count ? String(a[index]) : "<end>"
        let right = index < b.count ? String(b[index]) : "<end>"
        if left != right { return "line \(index + 1): ours «\(left)» theirs «\(right)»" }
    }
    return "texts differ only in their final bytes"
}

/// Indented JSON of a tree, so differences show as lines with their context.
func pretty(_ value: ReportValue) -> String { JSON.encode(value, indent: 1) }
