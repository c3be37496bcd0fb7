import GenmonConfig

/// A time of day as the config files write it (`22:00`, `8:00`).
public struct TimeOfDay: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    /// A valid time (hour 0–23, minute 0–59), else nil.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.init(validHour: hour, minute: minute)
    }

    /// For constants known to be valid.
    init(validHour hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// Reads `H:MM` or `HH:MM` (24 h).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var minutesSinceMidnight: Int { hour * 60 + minute }
    public var description: String { "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }

    public static func < (left: TimeOfDay, right: TimeOfDay) -> Bool { left.minutesSinceMidnight < right.minutesSinceMidnight }
}

/// Reading helpers shared by gengpio.conf and gengpioin.conf.
struct AddOnSection {
    let file: IniFile
    let name: String
    var section: IniSection { IniSection(file, name) }

    init(_ file: IniFile, _ name: String) throws(ConfigError) {
        guard file.sections.keys.contains(where: { $0.lowercased() == name.lowercased() }) else {
            throw ConfigError(path: file.path, line: nil, message: "no [\(name)] section")
        }
        self.file = file
        self.name = name
    }

    func line(_ key: String) -> Int? { file.value(key, in: name)?.line }

    func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(path: file.path, line: line(key), message: "\(key): \(message)")
    }

    /// A BOARD pin: 0 (off) or a header GPIO pin; nil when the key is absent or empty.
    func pin(_ key: String) throws(ConfigError) -> Int? {
        guard let value = section.string(key) else { return nil }
        guard let pin = Int(value) else { throw error(key, "'\(value)' is not a pin number (a header pin 1–40, or 0 for none)") }
        guard pin != 0 else { return 0 }
        do { _ = try RaspberryPiHeader.bcm(forPin: pin) } catch {
            let reason = if case let .invalidPin(_, reason) = error { reason } else { error.description }
            throw self.error(key, "pin \(pin) cannot be used: \(reason); use 0 (none) or a GPIO pin: "
                + RaspberryPiHeader.gpioPins.map(String.init).joined(separator: ", "))
        }
        return pin
    }

    /// A comma- or space-separated list of pins or key names, resolved by `resolve` (nil: not allowed).
    func list(_ key: String, resolve: (String) -> Int?, what: String) throws(ConfigError) -> [Int] {
        guard let value = section.string(key) else { return [] }
        var pins: [Int] = []
        for item in value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            guard let pin = resolve(String(item)) else { throw error(key, "'\(item)' is not \(what)") }
            if !pins.contains(pin) { pins.append(pin) }
        }
        return pins
    }

    /// A choice among `options` (matched without case).
    func choice(_ key: String, _ options: [String]) throws(ConfigError) -> String? {
        guard let value = section.string(key) else { return nil }
        guard let match = options.first(where: { $0.lowercased() == value.lowercased() }) else {
            throw error(key, "'\(value)' must be one of " + options.joined(separator: ", "))
        }
        return match
    }

    /// Warnings for keys nobody reads (a misspelt key would otherwise be silently ignored).
    func unknownKeys(known: [String]) -> [ConfigError] {
        let known = Set(known.map { $0.lowercased() })
        let entries = file.sections.first { $0.key.lowercased() == name.lowercased() }?.value ?? [:]
        return entries.filter { !known.contains($0.key) }.sorted { $0.value.line < $1.value.line }.map { key, entry in
            ConfigError(path: file.path, line: entry.line, message: "\(key): unknown key, ignored")
        }
    }
}
