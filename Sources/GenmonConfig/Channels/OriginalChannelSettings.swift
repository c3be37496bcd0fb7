import Foundation

/// gensms.conf `[gensms]`: SMS through Twilio (interfaces §4.4), plus `base_url`, `minimum_interval`
/// and `daily_limit` (ours). The original's `max_retry_time` and `default_wait` are read and not used:
/// the outbox keeps a message for `notify_expire_hours` and backs off by itself.
public struct TwilioSettings: Sendable, Equatable {
    public static let defaultAddress = try! ServiceAddress("https://api.twilio.com")
    public static let defaultPacing = PacingSettings(minimumInterval: 60, dailyLimit: 20)

    public var accountSID: String
    public var authToken: String
    public var from: String
    /// E.164 numbers (`+15551234567`), each its own delivery.
    public var recipients: [String]
    public var address: ServiceAddress
    public var common: ChannelCommon

    public init(accountSID: String, authToken: String, from: String, recipients: [String], address: ServiceAddress = defaultAddress,
                common: ChannelCommon = ChannelCommon(pacing: defaultPacing)) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.from = from
        self.recipients = recipients
        self.address = address
        self.common = common
    }

    /// A number as Twilio wants it, `+` and 8 to 15 digits (blanks, dashes and brackets dropped); nil otherwise.
    public static func normalizedNumber(_ text: String) -> String? {
        let kept = text.filter { !" -().".contains($0) }
        guard kept.hasPrefix("+"), (8...16).contains(kept.count), kept.dropFirst().allSatisfy(\.isASCII),
              kept.dropFirst().allSatisfy(\.isNumber), kept.dropFirst().first != "0" else { return nil }
        return kept
    }

    /// Reads `[gensms]`; nil (with the reason) when a required key is missing.
    public static func read(_ file: IniFile, problems: inout [ConfigError]) -> (TwilioSettings?, off: String?) {
        let section = IniSection(file, "gensms")
        if let missing = section.missing(["accountsid", "authtoken", "to_number", "from_number"]) { return (nil, missing) }
        var recipients: [String] = []
        for text in section.list("to_number", blanks: false) {
            if let number = normalizedNumber(text) { if !recipients.contains(number) { recipients.append(number) } } else {
                problems.append(section.error("to_number", "'\(text)' is not a phone number in E.164 form (+15551234567)"))
            }
        }
        let fromText = section.string("from_number") ?? ""
        guard let from = normalizedNumber(fromText) ?? (fromText.hasPrefix("MG") ? fromText : nil) else {
            problems.append(section.error("from_number", "'\(fromText)' is not a phone number in E.164 form or a messaging service SID"))
            return (nil, "from_number is not usable")
        }
        guard !recipients.isEmpty else { return (nil, "no usable to_number") }
        let common = ChannelCommon(section, pacing: defaultPacing, problems: &problems)
        return (TwilioSettings(accountSID: section.string("accountsid") ?? "", authToken: section.string("authtoken") ?? "", from: from,
                               recipients: recipients, address: section.address("base_url", problems: &problems) ?? defaultAddress,
                               common: common), nil)
    }
}

/// Pushover's priority keys (§4.5).
public enum PushoverPriorityKey: String, Sendable, CaseIterable, Codable {
    case alarm = "alarm_priority", softwareUpdate = "sw_update_priority", systemHealth = "system_health_priority"
    case fuel = "fuel_priority", outage = "outage_priority", switchState = "switch_state_priority"
    case runState = "run_state_priority", serviceState = "service_state_priority", piState = "pi_state_priority"
}

/// genpushover.conf `[genpushover]` (§4.5), plus `base_url`, `minimum_interval`, `daily_limit`.
public struct PushoverSettings: Sendable, Equatable {
    public static let defaultAddress = try! ServiceAddress("https://api.pushover.net")
    public static let defaultPacing = PacingSettings(minimumInterval: 30, dailyLimit: 100)
    static let priorityNames = ["lowest": -2, "low": -1, "normal": 0, "high": 1, "emergency": 2]

    public var appToken: String
    /// `userid` keys: every message.
    public var users: [String]
    /// `extra_userid` keys: the categories `extraFilters` allows.
    public var extraUsers: [String]
    public var extraFilters: Set<AddonFilterCategory>
    public var sound: String
    /// -2 ... 2 per key; absent: normal (0).
    public var priorities: [PushoverPriorityKey: Int]
    public var address: ServiceAddress
    public var common: ChannelCommon

    public init(appToken: String, users: [String], extraUsers: [String] = [], extraFilters: Set<AddonFilterCategory> = Set(AddonFilterCategory.allCases),
                sound: String = "updown", priorities: [PushoverPriorityKey: Int] = [:], address: ServiceAddress = defaultAddress,
                common: ChannelCommon = ChannelCommon(pacing: defaultPacing)) {
        self.appToken = appToken
        self.users = users
        self.extraUsers = extraUsers
        self.extraFilters = extraFilters
        self.sound = sound
        self.priorities = priorities
        self.address = address
        self.common = common
    }

    /// Whether `key` looks like a Pushover token or user key (30 letters and digits).
    public static func isKey(_ key: String) -> Bool { key.count == 30 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }

    public static func read(_ file: IniFile, problems: inout [ConfigError]) -> (PushoverSettings?, off: String?) {
        let section = IniSection(file, "genpushover")
        if let missing = section.missing(["appid", "userid"]) { return (nil, missing) }
        func keys(_ name: String) -> [String] {
            section.list(name).filter { key in
                if isKey(key) { return true }
                problems.append(section.error(name, "'\(key)' is not a Pushover key (30 letters and digits)"))
                return false
            }
        }
        let users = keys("userid")
        guard !users.isEmpty else { return (nil, "no usable userid") }
        var priorities: [PushoverPriorityKey: Int] = [:]
        for key in PushoverPriorityKey.allCases {
            guard let text = section.string(key.rawValue) else { continue }
            if let value = priorityNames[text.lowercased()] ?? Int(text).flatMap({ (-2...2).contains($0) ? $0 : nil }) {
                priorities[key] = value
            } else {
                problems.append(section.error(key.rawValue, "'\(text)' is not one of LOWEST, LOW, NORMAL, HIGH, EMERGENCY"))
            }
        }
        var extraFilters = Set<AddonFilterCategory>()
        for category in AddonFilterCategory.allCases {
            // extra_notify_warn in the original's file; extra_notify_warning accepted too.
            let key = category == .warning ? "extra_notify_warn" : "extra_" + category.key
            if section.lenientBool(key, default: true, problems: &problems),
               category != .warning || section.lenientBool("extra_notify_warning", default: true, problems: &problems) {
                extraFilters.insert(category)
            }
        }
        let appToken = section.string("appid") ?? ""
        if !isKey(appToken) { problems.append(section.error("appid", "a Pushover application token has 30 letters and digits")) }
        return (PushoverSettings(appToken: appToken, users: users, extraUsers: keys("extra_userid").filter { !users.contains($0) },
                                 extraFilters: extraFilters, sound: section.string("pushsound") ?? "updown", priorities: priorities,
                                 address: section.address("base_url", problems: &problems) ?? defaultAddress,
                                 common: ChannelCommon(section, pacing: defaultPacing, problems: &problems)), nil)
    }
}

/// genslack.conf `[genslack]` (§4.6), plus `base_url`, `minimum_interval`, `daily_limit`.
public struct SlackSettings: Sendable, Equatable {
    public static let defaultPacing = PacingSettings(minimumInterval: 30, dailyLimit: 200)

    public var webhookURL: String
    public var channel: String?
    public var username: String
    public var iconEmoji: String
    public var titleLink: String?
    public var address: ServiceAddress?
    public var common: ChannelCommon

    public init(webhookURL: String, channel: String? = nil, username: String = "GenMon", iconEmoji: String = ":red_circle:",
                titleLink: String? = nil, address: ServiceAddress? = nil, common: ChannelCommon = ChannelCommon(pacing: defaultPacing)) {
        self.webhookURL = webhookURL
        self.channel = channel
        self.username = username
        self.iconEmoji = iconEmoji
        self.titleLink = titleLink
        self.address = address
        self.common = common
    }

    /// Where messages go: the webhook, moved to `base_url` when set.
    public var endpoint: String { address?.rebase(webhookURL) ?? webhookURL }

    public static func read(_ file: IniFile, problems: inout [ConfigError]) -> (SlackSettings?, off: String?) {
        let section = IniSection(file, "genslack")
        if let missing = section.missing(["webhook_url"]) { return (nil, missing) }
        guard let url = section.webURL("webhook_url", problems: &problems) else { return (nil, "webhook_url is not usable") }
        return (SlackSettings(webhookURL: url, channel: section.string("channel"), username: section.string("username") ?? "GenMon",
                              iconEmoji: section.string("icon_emoji") ?? ":red_circle:", titleLink: section.string("title_link"),
                              address: section.address("base_url", problems: &problems),
                              common: ChannelCommon(section, pacing: defaultPacing, problems: &problems)), nil)
    }
}
