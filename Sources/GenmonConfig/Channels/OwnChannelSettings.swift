import Foundation

/// genmon.conf `[ntfy]` (ours): push through an ntfy server (ntfy.sh or self-hosted).
public struct NtfySettings: Sendable, Equatable {
    public static let defaultAddress = try! ServiceAddress("https://ntfy.sh")
    public static let defaultPacing = PacingSettings(minimumInterval: 30, dailyLimit: 200)
    /// ntfy's priorities 1 (min) ... 5 (max) per category; defaults: outage and alarms high and max.
    public static let defaultPriorities: [AddonFilterCategory: Int] = [.outage: 4, .error: 5, .warning: 4, .info: 3]
    static let priorityNames = ["min": 1, "low": 2, "default": 3, "high": 4, "max": 5, "urgent": 5]

    public var address: ServiceAddress
    public var topics: [String]
    /// An access token (`Authorization: Bearer`), or a user name and password (basic).
    public var token: String?
    public var username: String?
    public var password: String?
    public var priorities: [AddonFilterCategory: Int]
    public var tags: [AddonFilterCategory: [String]]
    /// Opened when the notification is tapped (default: genmon.conf's `user_url`).
    public var click: String?
    public var common: ChannelCommon

    public init(topics: [String], address: ServiceAddress = defaultAddress, token: String? = nil, username: String? = nil, password: String? = nil,
                priorities: [AddonFilterCategory: Int] = defaultPriorities, tags: [AddonFilterCategory: [String]] = [:], click: String? = nil,
                common: ChannelCommon = ChannelCommon(pacing: defaultPacing)) {
        self.topics = topics
        self.address = address
        self.token = token
        self.username = username
        self.password = password
        self.priorities = priorities
        self.tags = tags
        self.click = click
        self.common = common
    }

    /// ntfy's topic names: 1 to 64 letters, digits, `_` and `-`.
    public static func isTopic(_ text: String) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    public static func read(_ section: IniSection, userURL: String?, problems: inout [ConfigError]) -> (NtfySettings?, off: String?) {
        if let missing = section.missing(["topic"]) { return (nil, missing) }
        let topics = section.list("topic").filter { topic in
            if isTopic(topic) { return true }
            problems.append(section.error("topic", "'\(topic)' is not an ntfy topic (letters, digits, _ and -)"))
            return false
        }
        guard !topics.isEmpty else { return (nil, "no usable topic") }
        var priorities = defaultPriorities
        var tags: [AddonFilterCategory: [String]] = [.outage: ["electric_plug"], .error: ["rotating_light"], .warning: ["warning"]]
        for category in [AddonFilterCategory.outage, .error, .warning, .info] {
            let key = "priority_" + category.rawValue
            if let text = section.string(key) {
                if let value = priorityNames[text.lowercased()] ?? Int(text).flatMap({ (1...5).contains($0) ? $0 : nil }) {
                    priorities[category] = value
                } else {
                    problems.append(section.error(key, "'\(text)' is not 1 to 5 or min, low, default, high, max"))
                }
            }
            if section.string("tags_" + category.rawValue) != nil { tags[category] = section.list("tags_" + category.rawValue) }
        }
        return (NtfySettings(topics: topics, address: section.address("base_url", problems: &problems) ?? defaultAddress,
                             token: section.string("token"), username: section.string("username"), password: section.string("password"),
                             priorities: priorities, tags: tags, click: section.string("click") ?? userURL,
                             common: ChannelCommon(section, pacing: defaultPacing, problems: &problems)), nil)
    }
}

/// genmon.conf `[discord]` (ours): a Discord channel's webhook.
public struct DiscordSettings: Sendable, Equatable {
    public static let defaultPacing = PacingSettings(minimumInterval: 30, dailyLimit: 200)

    public var webhookURL: String
    public var username: String
    public var address: ServiceAddress?
    public var common: ChannelCommon

    public init(webhookURL: String, username: String = "genmon", address: ServiceAddress? = nil,
                common: ChannelCommon = ChannelCommon(pacing: defaultPacing)) {
        self.webhookURL = webhookURL
        self.username = username
        self.address = address
        self.common = common
    }

    public var endpoint: String { address?.rebase(webhookURL) ?? webhookURL }

    public static func read(_ section: IniSection, problems: inout [ConfigError]) -> (DiscordSettings?, off: String?) {
        if let missing = section.missing(["webhook_url"]) { return (nil, missing) }
        guard let url = section.webURL("webhook_url", problems: &problems) else { return (nil, "webhook_url is not usable") }
        return (DiscordSettings(webhookURL: url, username: section.string("username") ?? "genmon",
                                address: section.address("base_url", problems: &problems),
                                common: ChannelCommon(section, pacing: defaultPacing, problems: &problems)), nil)
    }
}

/// genmon.conf `[telegram]` (ours): a bot's messages to chats.
public struct TelegramSettings: Sendable, Equatable {
    public static let defaultAddress = try! ServiceAddress("https://api.telegram.org")
    public static let defaultPacing = PacingSettings(minimumInterval: 30, dailyLimit: 200)

    public var botToken: String
    /// Chat ids (`123456789`, `-1001234567890`) or `@channelname`s, each its own delivery.
    public var chats: [String]
    public var address: ServiceAddress
    public var common: ChannelCommon

    public init(botToken: String, chats: [String], address: ServiceAddress = defaultAddress, common: ChannelCommon = ChannelCommon(pacing: defaultPacing)) {
        self.botToken = botToken
        self.chats = chats
        self.address = address
        self.common = common
    }

    public static func isChat(_ text: String) -> Bool {
        if text.hasPrefix("@") { return (6...33).contains(text.count) && text.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return (1...20).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    public static func read(_ section: IniSection, problems: inout [ConfigError]) -> (TelegramSettings?, off: String?) {
        if let missing = section.missing(["bot_token", "chat_id"]) { return (nil, missing) }
        let token = section.string("bot_token") ?? ""
        guard token.contains(":"), token.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" }) else {
            problems.append(section.error("bot_token", "a bot token looks like 123456:ABC-DEF..., as @BotFather gives it"))
            return (nil, "bot_token is not usable")
        }
        let chats = section.list("chat_id").filter { chat in
            if isChat(chat) { return true }
            problems.append(section.error("chat_id", "'\(chat)' is not a chat id (a number) or @channelname"))
            return false
        }
        guard !chats.isEmpty else { return (nil, "no usable chat_id") }
        return (TelegramSettings(botToken: token, chats: chats, address: section.address("base_url", problems: &problems) ?? defaultAddress,
                                 common: ChannelCommon(section, pacing: defaultPacing, problems: &problems)), nil)
    }
}

/// genmon.conf `[webhook]` (ours): the event as signed JSON to a URL of the user's.
public struct WebhookSettings: Sendable, Equatable {
    public static let defaultPacing = PacingSettings(minimumInterval: 0, dailyLimit: 0)

    public var url: String
    /// The HMAC-SHA256 key (at least 16 characters).
    public var secret: String
    public var address: ServiceAddress?
    public var common: ChannelCommon

    public init(url: String, secret: String, address: ServiceAddress? = nil, common: ChannelCommon = ChannelCommon(pacing: defaultPacing)) {
        self.url = url
        self.secret = secret
        self.address = address
        self.common = common
    }

    public var endpoint: String { address?.rebase(url) ?? url }

    public static func read(_ section: IniSection, problems: inout [ConfigError]) -> (WebhookSettings?, off: String?) {
        if let missing = section.missing(["url", "secret"]) { return (nil, missing) }
        guard let url = section.webURL("url", problems: &problems) else { return (nil, "url is not usable") }
        let secret = section.string("secret") ?? ""
        guard secret.utf8.count >= 16 else {
            problems.append(section.error("secret", "use at least 16 characters (the receiver checks signatures with it)"))
            return (nil, "secret is too short")
        }
        return (WebhookSettings(url: url, secret: secret, address: section.address("base_url", problems: &problems),
                                common: ChannelCommon(section, pacing: defaultPacing, problems: &problems)), nil)
    }
}

/// genmon.conf `[syslog]` (ours; the original's gensyslog has no file): one line per message to the
/// local syslog, ident `genmon`, facility `user` and priority `info` unless set.
public struct SyslogSettings: Sendable, Equatable {
    static let facilities = ["kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7, "uucp": 8, "cron": 9,
                             "authpriv": 10, "ftp": 11, "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20,
                             "local5": 21, "local6": 22, "local7": 23]

    /// The syslog socket (a Unix datagram socket).
    public var socketPath: String
    public var facility: Int
    public var common: ChannelCommon

    public init(socketPath: String = "/dev/log", facility: Int = 1, common: ChannelCommon = ChannelCommon(pacing: PacingSettings(minimumInterval: 0, dailyLimit: 0))) {
        self.socketPath = socketPath
        self.facility = facility
        self.common = common
    }

    public static func read(_ section: IniSection, problems: inout [ConfigError]) -> SyslogSettings {
        var facility = 1
        if let name = section.string("facility") {
            if let code = facilities[name.lowercased()] { facility = code } else {
                problems.append(section.error("facility", "'\(name)' is not a syslog facility (user, daemon, local0 ... local7)"))
            }
        }
        return SyslogSettings(socketPath: section.string("socket") ?? "/dev/log", facility: facility,
                              common: ChannelCommon(section, pacing: PacingSettings(minimumInterval: 0, dailyLimit: 0), problems: &problems))
    }
}
