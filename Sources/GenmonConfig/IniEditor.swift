import Foundation

/// Changes keys of one section in an INI file's text and keeps everything else as written: comments,
/// blank lines, other sections, the order of lines. What the original did when its web page saved
/// settings: an existing key's line becomes `key = value`, a new key goes at the end of its
/// section, a removed key's line goes away. Keys are matched without case, like the reader does.
public enum IniEditor {
    /// `text` with `changes` applied to `section` (created at the end when missing). A nil value
    /// removes the key.
    public static func update(_ text: String, section: String, changes: [(key: String, value: String?)]) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let wanted = section.lowercased()
        var start: Int?
        var end = lines.count
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { continue }
            let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased()
            if start != nil { end = index; break }
            if name == wanted { start = index }
        }
        guard let start else {
            if let last = lines.last, !last.trimmingCharacters(in: .whitespaces).isEmpty { lines.append("") }
            lines.append("[\(section)]")
            lines += changes.compactMap { change in change.value.map { "\(change.key) = \($0)" } }
            return lines.joined(separator: "\n") + "\n"
        }
        var body = Array(lines[(start + 1)..<end])
        for change in changes {
            let key = change.key.lowercased()
            let matches = body.indices.filter { Self.key(of: body[$0]) == key }
            if let value = change.value, let first = matches.first {
                body[first] = "\(change.key) = \(value)"
                for index in matches.dropFirst().reversed() { body.remove(at: index) }
            } else if let value = change.value {
                // After the section's last non-blank line, so a blank line before the next section stays.
                let insertAt = (body.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map { $0 + 1 } ?? 0
                body.insert("\(change.key) = \(value)", at: insertAt)
            } else {
                for index in matches.reversed() { body.remove(at: index) }
            }
        }
        let result = Array(lines[...start]) + body + Array(lines[end...])
        return result.joined(separator: "\n") + "\n"
    }

    /// The lower-cased key of a `key = value` line, nil for comments, blanks and headers.
    static func key(of line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix(";"), !trimmed.hasPrefix("["),
              let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        return trimmed[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Writes `text` to `path` through a temporary file and a rename, so a crash never leaves half a file.
    /// Keeps the existing file's permissions (mymail.conf holds a password).
    public static func write(_ text: String, to path: String) throws {
        let temporary = path + ".genmon-tmp"
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: permissions ?? NSNumber(value: 0o600)]) else {
            throw ConfigError(path: path, line: nil, message: "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ConfigError(path: path, line: nil, message: "cannot replace the file: \(reason)")
        }
    }
}
