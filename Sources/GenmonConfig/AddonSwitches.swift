import Foundation

/// Which of the original's add-ons are switched on, from `genloader.conf` beside genmon.conf
/// (`[gengpio]` `enable = True`, ...). genmon runs them inside its own process; the file's other
/// keys (module, priority, args, ...) describe separate processes and are not needed.
public struct AddonSwitches: Sendable, Equatable {
    /// Where the flags came from; nil when there is no genloader.conf.
    public let path: String?
    private let enabled: [String: Bool]

    /// No genloader.conf: every add-on whose own file exists beside genmon.conf is on.
    public static let absent = AddonSwitches(path: nil, enabled: [:])

    init(path: String?, enabled: [String: Bool]) {
        self.path = path
        self.enabled = enabled
    }

    /// Reads `genloader.conf` from `directory`; `.absent` when there is none.
    public init(directory: String) throws(ConfigError) {
        let path = (directory as NSString).appendingPathComponent("genloader.conf")
        guard FileManager.default.fileExists(atPath: path) else {
            self = .absent
            return
        }
        let file = try IniFile(contentsOf: path)
        var enabled: [String: Bool] = [:]
        for name in file.sections.keys {
            let section = IniSection(file, name)
            if let flag = try section.bool("enable") { enabled[name.lowercased()] = flag }
        }
        self.init(path: path, enabled: enabled)
    }

    /// Whether `addon` (e.g. "gengpio") runs: its `enable` flag when genloader.conf has one;
    /// otherwise whether its own configuration file exists (`configurationExists`).
    public func isEnabled(_ addon: String, configurationExists: Bool) -> Bool {
        if path != nil, let flag = enabled[addon.lowercased()] { return flag }
        return path == nil ? configurationExists : false
    }
}
