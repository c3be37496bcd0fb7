import Foundation
import Generac

/// The original writes what it detected into genmon.conf once the controller is read — `fueltype`,
/// `nominalkw`, `nominalrpm`, `nominalfrequency` — so its web server's settings page shows the real
/// rating and fuel, and later starts skip the lookup. genmon does the same, in place: comments,
/// order and every other line of the file stay as they were.
public enum DetectedSettings {
    /// The `[GenMon]` values to record for these readings; unknown values are left out.
    public static func values(for readings: GeneratorReadings) -> [(key: String, value: String)] {
        let nominal = readings.nominal
        var values: [(String, String)] = []
        if nominal.fuelType != .unknown { values.append(("fueltype", nominal.fuelType.rawValue)) }
        if let kilowatts = nominal.kilowatts, kilowatts > 0 { values.append(("nominalkw", NominalValues.kilowattsText(kilowatts))) }
        values.append(("nominalrpm", String(nominal.rpm)))
        values.append(("nominalfrequency", String(nominal.frequency)))
        return values
    }

    /// `text` with each key of `section` set to its value: a line already there keeps its place and
    /// spelling with the new value; a missing key is added after the section's last setting. Nil when
    /// nothing changes. A missing section is added at the end.
    public static func updating(_ text: String, section: String, with values: [(key: String, value: String)]) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var inSection = false
        var sectionFound = false
        var lastSettingInSection: Int?
        var sectionHeader: Int?
        var present: [String: Int] = [:]
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.hasPrefix("[") {
                inSection = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased() == section.lowercased()
                if inSection {
                    sectionFound = true
                    sectionHeader = index
                }
                continue
            }
            guard inSection, !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";"),
                  let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            present[line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()] = index
            lastSettingInSection = index
        }
        var changed = false
        var additions: [String] = []
        for (key, value) in values {
            if let index = present[key.lowercased()] {
                let raw = lines[index]
                guard let separator = raw.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
                let current = raw[raw.index(after: separator)...].trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
                guard current != value else { continue }
                let ending = raw.hasSuffix("\r") ? "\r" : ""
                lines[index] = raw[..<separator].trimmingCharacters(in: .whitespaces) + " = " + value + ending
                changed = true
            } else {
                additions.append(key + " = " + value)
                changed = true
            }
        }
        guard changed else { return nil }
        if !additions.isEmpty {
            if sectionFound {
                let at = (lastSettingInSection ?? sectionHeader ?? lines.count - 1) + 1
                lines.insert(contentsOf: additions, at: at)
            } else {
                if lines.last == "" { lines.removeLast() }
                lines += ["", "[" + section + "]"] + additions + [""]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Records the detected values in the file at `path` (written whole to a temporary file, then
    /// renamed over it, keeping its permissions). Returns the keys written; throws when the file
    /// cannot be read or written.
    @discardableResult
    public static func record(_ readings: GeneratorReadings, inFileAt path: String, section: String = "GenMon") throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count <= 1_048_576, let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, line: nil, message: "not a UTF-8 text file of at most 1 MiB")
        }
        let values = values(for: readings)
        guard let updated = updating(text, section: section, with: values) else { return [] }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let temporary = path + ".genmon-new"
        try Data(updated.utf8).write(to: URL(fileURLWithPath: temporary), options: .atomic)
        if let permissions = attributes?[.posixPermissions] {
            try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary)
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ConfigError(path: path, line: nil, message: "could not replace the file (errno \(errno))")
        }
        return values.map(\.key)
    }
}
