import Foundation

/// Every channel beyond e-mail, from the original's add-on files beside genmon.conf (gensms.conf,
/// genpushover.conf, genslack.conf; switched by genloader.conf's `enable` flags when that file
/// exists) and genmon's own sections of genmon.conf (`[ntfy]`, `[discord]`, `[telegram]`,
/// `[webhook]`, `[syslog]`). Reading never throws: what is wrong is reported with file, line and
/// key, and only that channel is left out.
public struct ChannelConfiguration: Sendable, Equatable {
    public var sms: TwilioSettings?
    public var pushover: PushoverSettings?
    public var slack: SlackSettings?
    public var ntfy: NtfySettings?
    public var discord: DiscordSettings?
    public var telegram: TelegramSettings?
    public var webhook: WebhookSettings?
    public var syslog: SyslogSettings?
    /// Channel name → why it is off, for channels that are partly configured or switched off.
    public var off: [String: String] = [:]

    public init() {}

    /// The channel names, in the order the web page lists them.
    public static let names = ["sms", "pushover", "slack", "ntfy", "discord", "telegram", "webhook", "syslog"]

    /// Reads the files of the folder of `configPath` (genmon.conf) and its sections.
    public static func load(configPath: String?, userURL: String?) -> (ChannelConfiguration, [ConfigError]) {
        guard let configPath else { return (ChannelConfiguration(), []) }
        var problems: [ConfigError] = []
        var result = ChannelConfiguration()
        let directory = (configPath as NSString).deletingLastPathComponent
        let switches: AddonSwitches
        do { switches = try AddonSwitches(directory: directory) } catch {
            problems.append(error)
            switches = .absent
        }
        func addonFile(_ addon: String, channel: String) -> IniFile? {
            let path = (directory as NSString).appendingPathComponent(addon + ".conf")
            let exists = FileManager.default.fileExists(atPath: path)
            guard switches.isEnabled(addon, configurationExists: exists) else {
                if exists { result.off[channel] = "switched off in genloader.conf ([\(addon)] enable = False)" }
                return nil
            }
            guard exists else {
                result.off[channel] = "genloader.conf enables \(addon) but \(addon).conf is missing"
                return nil
            }
            do { return try IniFile(contentsOf: path) } catch {
                problems.append(error)
                result.off[channel] = "\(addon).conf cannot be read"
                return nil
            }
        }
        func take<T>(_ channel: String, _ read: (T?, off: String?)) -> T? {
            if let reason = read.off { result.off[channel] = reason }
            return read.0
        }
        if let file = addonFile("gensms", channel: "sms") { result.sms = take("sms", TwilioSettings.read(file, problems: &problems)) }
        if let file = addonFile("genpushover", channel: "pushover") {
            result.pushover = take("pushover", PushoverSettings.read(file, problems: &problems))
        }
        if let file = addonFile("genslack", channel: "slack") { result.slack = take("slack", SlackSettings.read(file, problems: &problems)) }

        guard let genmon = try? IniFile(contentsOf: configPath) else { return (result, problems) }
        func section(_ name: String) -> IniSection? {
            guard genmon.sections.keys.contains(where: { $0.lowercased() == name }) else { return nil }
            let section = IniSection(genmon, name)
            guard section.lenientBool("enable", default: true, problems: &problems) else {
                result.off[name] = "enable = False in [\(name)] of genmon.conf"
                return nil
            }
            return section
        }
        if let section = section("ntfy") { result.ntfy = take("ntfy", NtfySettings.read(section, userURL: userURL, problems: &problems)) }
        if let section = section("discord") { result.discord = take("discord", DiscordSettings.read(section, problems: &problems)) }
        if let section = section("telegram") { result.telegram = take("telegram", TelegramSettings.read(section, problems: &problems)) }
        if let section = section("webhook") { result.webhook = take("webhook", WebhookSettings.read(section, problems: &problems)) }
        if let section = section("syslog") {
            result.syslog = SyslogSettings.read(section, problems: &problems)
        } else if result.off["syslog"] == nil, switches.isEnabled("gensyslog", configurationExists: false) {
            result.syslog = SyslogSettings()
        }
        return (result, problems)
    }
}
