import Foundation

/// An INI file as Python's configparser (without interpolation) reads it: `[Section]`, `key = value`
/// or `key: value`, `#`/`;` comment lines, keys compared without case, values stripped.
///
/// Line ends may be `\n`, `\r\n` or `\r` (a file saved on Windows or an old Mac reads the same), and
/// a UTF-8 byte-order mark at the start is ignored. A key given twice in a section keeps its last
/// value, as configparser without `strict` does, and leaves a warning naming both lines.
public struct IniFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    /// Section name (as written) → lowercased key → entry.
    public private(set) var sections: [String: [String: Entry]] = [:]
    public let path: String
    /// Things that are not errors but probably mistakes (a key given twice), in file order.
    public private(set) var warnings: [ConfigWarning] = []

    public init(path: String = "<text>", text: String) throws(ConfigError) {
        self.path = path
        var section: String?
        for (offset, rawLine) in Self.lines(of: text).enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw ConfigError(path: path, line: number, message: "malformed section header '\(line.prefix(60))'")
                }
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                section = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigError(path: path, line: number, message: "expected `key = value`, found '\(line.prefix(60))'")
            }
            guard let current = section else {
                throw ConfigError(path: path, line: number, message: "`\(line.prefix(40))` comes before any [section]")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else { throw ConfigError(path: path, line: number, message: "empty key") }
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            if let earlier = sections[current]?[key] {
                warnings.append(ConfigWarning(path: path, line: number, message:
                    "\(key) in [\(current)] is also set on line \(earlier.line); the value on line \(number) is used"))
            }
            sections[current, default: [:]][key] = Entry(value: value, line: number)
        }
    }

    /// The file's lines without their ends, however they end; a leading byte-order mark is dropped.
    /// (Swift reads `\r\n` as one character, so splitting on `\n` alone would see one long line.)
    static func lines(of text: String) -> [Substring] {
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        return body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }

    public init(contentsOf path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, line: nil, message: "cannot read the file (missing, or no permission)")
        }
        guard data.count <= 1_048_576 else { throw ConfigError(path: path, line: nil, message: "file is larger than 1 MiB") }
        // Decoded strictly, so a byte-order mark is seen (and skipped) rather than guessed at.
        guard let text = String(validating: data, as: UTF8.self) else { throw ConfigError(path: path, line: nil, message: "not UTF-8 text") }
        try self.init(path: path, text: text)
    }

    /// The raw value of `key` in `section` (section matched without case), nil when absent.
    public func value(_ key: String, in section: String) -> Entry? {
        sections.first { $0.key.lowercased() == section.lowercased() }?.value[key.lowercased()]
    }
}

/// What is wrong with a configuration, and where.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { path + (line.map { ":\($0)" } ?? "") + ": " + message }
}

/// Something in a configuration file that works but is probably a mistake: logged at start.
public struct ConfigWarning: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String

    public var description: String { path + ":\(line): " + message }
}

/// Typed access to one section, with errors that name the key and line.
public struct IniSection: Sendable {
    public let file: IniFile
    public let name: String

    public init(_ file: IniFile, _ name: String) {
        self.file = file
        self.name = name
    }

    func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(path: file.path, line: file.value(key, in: name)?.line, message: "\(key): \(message)")
    }

    public func string(_ key: String) -> String? {
        guard let value = file.value(key, in: name)?.value, !value.isEmpty else { return nil }
        return value
    }

    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = string(key) else { return nil }
        switch value.lowercased() {
        case "1", "yes", "true", "on": return true
        case "0", "no", "false", "off": return false
        default: throw error(key, "'\(value)' is not a boolean (true/false)")
        }
    }

    public func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = string(key) else { return nil }
        guard let number = Int(value) else { throw error(key, "'\(value)' is not a whole number") }
        guard range.contains(number) else { throw error(key, "\(number) is outside \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    public func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = string(key) else { return nil }
        guard let number = Double(value), number.isFinite else { throw error(key, "'\(value)' is not a number") }
        guard range.contains(number) else { throw error(key, "\(number) is outside \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    public func hexByte(_ key: String) throws(ConfigError) -> UInt8? {
        guard let value = string(key) else { return nil }
        let digits = value.lowercased().hasPrefix("0x") ? String(value.dropFirst(2)) : value
        guard let byte = UInt8(digits, radix: 16) else { throw error(key, "'\(value)' is not a hex byte such as 9d") }
        return byte
    }
}
