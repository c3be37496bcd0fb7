import Foundation
import Monitor

/// What every topic needs to word a message: the subjects, the time zone, the latest snapshot.
struct PlannerContext: Sendable {
    let subjects: Subjects
    let timeZone: TimeZone
    /// The latest snapshot; nil before the monitor has published one.
    let snapshot: GeneratorSnapshot?
    /// The original's `user_url`: a link added to state-change messages.
    let userURL: String?
    /// The wall-clock time of this decision.
    let date: Date

    /// `2025-11-25 15:07:12`, the original's form in outage messages.
    func dateTime(_ date: Date) -> String { NotificationText.dateTime(date, timeZone: timeZone) }

    var userURLLine: [String] { userURL.map { ["For additional information : \($0)"] } ?? [] }
}

/// Text helpers shared by the topics and the composer.
public enum NotificationText {
    /// `2025-11-25 15:07:12` in `timeZone`.
    public static func dateTime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// `H:MM:SS` (with days when longer), the original's duration form.
    public static func duration(_ seconds: TimeInterval) -> String { MonitorEvent.format(seconds) }

    /// "1 time", "3 times".
    static func times(_ count: Int) -> String { count == 1 ? "once" : "\(count) times" }
}
