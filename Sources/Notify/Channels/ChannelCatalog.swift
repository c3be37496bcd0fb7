import Foundation
import GenmonConfig

/// The channels beyond e-mail that a `ChannelConfiguration` describes, with their recipient tables,
/// all sharing one HTTP client.
public struct ChannelCatalog: Sendable {
    public var channels: [any NotificationChannel] = []
    /// Channel name → its recipients (the lanes it delivers on).
    public var recipients: [String: [ChannelRecipient]] = [:]
    /// Channel name → why it is off.
    public var off: [String: String]

    public init(_ configuration: ChannelConfiguration, http: ChannelHTTPClient, timeZone: TimeZone = .current, version: String = "1") {
        off = configuration.off
        func add(_ channel: any NotificationChannel, _ table: [ChannelRecipient]) {
            channels.append(channel)
            recipients[channel.name] = table
        }
        if let settings = configuration.sms {
            add(TwilioChannel(settings: settings, http: http), settings.recipients.map { ChannelRecipient(id: $0) })
        }
        if let settings = configuration.pushover {
            let channel = PushoverChannel(settings: settings, http: http)
            add(channel, channel.recipients)
        }
        if let settings = configuration.slack {
            let channel = SlackChannel(settings: settings, http: http)
            add(channel, [ChannelRecipient(id: channel.recipient)])
        }
        if let settings = configuration.ntfy {
            add(NtfyChannel(settings: settings, http: http), settings.topics.map { ChannelRecipient(id: $0) })
        }
        if let settings = configuration.discord {
            let channel = DiscordChannel(settings: settings, http: http)
            add(channel, [ChannelRecipient(id: channel.recipient)])
        }
        if let settings = configuration.telegram {
            add(TelegramChannel(settings: settings, http: http), settings.chats.map { ChannelRecipient(id: $0) })
        }
        if let settings = configuration.webhook {
            let channel = WebhookChannel(settings: settings, http: http, version: version)
            add(channel, [ChannelRecipient(id: channel.recipient)])
        }
        if let settings = configuration.syslog {
            add(SyslogChannel(settings: settings, timeZone: timeZone), [ChannelRecipient(id: SyslogChannel.recipient)])
        }
    }

    /// One line per channel for the log at start: where it sends, to how many, and its pacing.
    public var summaryLines: [String] {
        channels.map { channel in
            let count = recipients[channel.name]?.count ?? 0
            let pacing = channel.pacing
            var paced: [String] = []
            if pacing.minimumInterval > 0 { paced.append(String(format: "at most one per %.0f s", pacing.minimumInterval)) }
            if pacing.dailyLimit > 0 { paced.append("\(pacing.dailyLimit) a day") }
            return "\(channel.name): \(channel.detail), \(count) recipient(s)" + (paced.isEmpty ? "" : " (" + paced.joined(separator: ", ") + " each)")
        }
    }
}
