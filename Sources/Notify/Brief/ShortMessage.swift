import Foundation
import GenmonConfig

/// The short form of a notification for SMS, push, chat, webhooks and syslog: the original's text
/// first (`Utility Service is Down`), then the facts. The composer writes it with the full text.
public struct NotificationBrief: Sendable, Equatable {
    public var site: String
    /// The original's add-on event, when the notification is one.
    public var event: AddonEvent?
    /// The original's text for the event, or genmon's own short title (without the site).
    public var label: String
    /// What happened in a sentence, then the facts (`Battery : 13.1 V`, the alarm and what to check).
    public var lines: [String]
    /// The `notify_*` filter it is under.
    public var filter: AddonFilterCategory
    /// `15:07` in the site's time zone, for summaries.
    public var clockTime: String

    public init(site: String, event: AddonEvent?, label: String, lines: [String], filter: AddonFilterCategory, clockTime: String) {
        self.site = site
        self.event = event
        self.label = label
        self.lines = lines
        self.filter = filter
        self.clockTime = clockTime
    }
}

/// What a short channel stores in the outbox (JSON, written once), and from which it builds each
/// request: a summary of several is again one of these.
public struct ShortMessage: Codable, Sendable, Equatable {
    public struct Earlier: Codable, Sendable, Equatable {
        public var label: String
        public var clockTime: String
    }

    public var site: String
    public var label: String
    public var lines: [String]
    public var event: AddonEvent?
    public var filter: AddonFilterCategory
    public var category: NotificationCategory
    public var subject: String
    public var source: String
    public var time: Date
    public var clockTime: String
    /// Messages folded into this one by a summary, oldest first.
    public var earlier: [Earlier] = []
    /// The outbox's id of the notification (set when it is delivered; webhook receivers drop repeats by it).
    public var notificationID: Int64?

    public init(_ content: NotificationContent) {
        let brief = content.brief
        site = brief.site
        label = brief.label
        lines = brief.lines
        event = brief.event
        filter = brief.filter
        category = content.category
        subject = content.subject
        source = content.source
        time = content.time
        clockTime = brief.clockTime
    }

    /// `<site>: <label>`, the original's first words.
    public var firstLine: String { site.isEmpty ? label : "\(site): \(label)" }

    /// The line naming what a summary folded in, if any.
    var earlierLine: String? {
        guard !earlier.isEmpty else { return nil }
        return "Before that: " + earlier.map { "\($0.label) (\($0.clockTime))" }.joined(separator: ", ")
    }

    /// The text within `limit` as `measure` counts it: the first line always (cut when it alone is
    /// too long), then whole lines while they fit. `withSite: false` leaves out `<site>: ` (syslog).
    public func text(limit: Int, withSite: Bool = true, separator: String = "\n", measure: (String) -> Int = { $0.count }) -> String {
        let first = withSite ? firstLine : label
        var text = Self.cut(first, toFit: limit, measure: measure)
        // What a summary folded in comes next, cut rather than left out when it is long.
        if let earlierLine, !text.isEmpty {
            let candidate = Self.cut(text + separator + earlierLine, toFit: limit, measure: measure)
            if candidate.count > text.count + separator.count + "Before that: ".count + 3 { text = candidate }
        }
        for line in lines where line != label {
            let candidate = text + separator + line
            if measure(candidate) <= limit { text = candidate }
        }
        return text
    }

    /// `text` shortened to fit, ending in "...".
    static func cut(_ text: String, toFit limit: Int, measure: (String) -> Int) -> String {
        guard measure(text) > limit else { return text }
        var kept = Substring(text)
        while !kept.isEmpty, measure(String(kept) + "...") > limit { kept = kept.dropLast() }
        return String(kept) + "..."
    }

    /// One message telling several (a burst held back by pacing): the newest first, with what
    /// came before it by name and time; filed under the most urgent category among them.
    public static func summary(of messages: [ShortMessage]) -> ShortMessage? {
        guard var newest = messages.last else { return nil }
        guard messages.count > 1 else { return newest }
        newest.earlier = messages.dropLast().flatMap { $0.earlier + [Earlier(label: $0.label, clockTime: $0.clockTime)] } + newest.earlier
        if let urgent = messages.map(\.category).min() { newest.category = urgent }
        return newest
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return (try? Array(encoder.encode(self))) ?? []
    }

    /// The stored form read back; nil when it is not one (damaged, or another channel's).
    public static func decode(_ bytes: [UInt8]) -> ShortMessage? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try? decoder.decode(ShortMessage.self, from: Data(bytes))
    }
}

/// SMS length: how many segments a text takes (GSM-7 when every character is in its alphabet,
/// else UCS-2), so a message stays within `SMSLength.maximumSegments`.
public enum SMSLength {
    public static let maximumSegments = 2
    static let basic = Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà".unicodeScalars)
    static let extended = Set("^{}\\[~]|€\u{0C}".unicodeScalars)

    /// Septets when GSM-7 can carry it; nil when it needs UCS-2.
    static func septets(_ text: String) -> Int? {
        var count = 0
        for scalar in text.unicodeScalars {
            if basic.contains(scalar) { count += 1 } else if extended.contains(scalar) { count += 2 } else { return nil }
        }
        return count
    }

    /// The number of segments `text` is sent in.
    public static func segments(_ text: String) -> Int {
        if let septets = septets(text) { return septets <= 160 ? 1 : (septets + 152) / 153 }
        let units = text.utf16.count
        return units <= 70 ? 1 : (units + 66) / 67
    }

    /// The measure for `ShortMessage.text` with `limit: maximumSegments`: segments, not characters.
    public static func measure(_ text: String) -> Int { segments(text) }

    /// Characters GSM-7 lacks but has a close stand-in for (so an SMS stays cheap).
    public static func plain(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "…": result += "..."
            case "–", "—": result += "-"
            case "‘", "’", "`": result += "'"
            case "“", "”": result += "\""
            case "°": result += " deg"
            default: result.append(character)
            }
        }
        return result
    }
}
