import Foundation

/// The original's four kinds of notification (`msgtype`). Recipients choose which they receive
/// (mymail.conf, one line per address), and existing mail filters rely on them.
public enum NotificationCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Utility power lost and restored, the transfer switch.
    case outage
    /// The monitor itself in trouble: the controller not answering, security warnings.
    case error
    /// Alarms, warnings, service due, low fuel, threshold rules.
    case warn
    /// State changes, start-up, clock updates.
    case info

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// Parses a comma-separated list (`outage,error`); blanks around names are ignored. Unknown names
    /// are returned separately so the caller can report them.
    public static func parseList(_ text: String) -> (categories: Set<NotificationCategory>, unknown: [String]) {
        var categories = Set<NotificationCategory>()
        var unknown: [String] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty { continue }
            if let category = NotificationCategory(rawValue: name) { categories.insert(category) } else { unknown.append(name) }
        }
        return (categories, unknown)
    }

    /// `outage,error,...` in the canonical order.
    public static func listText(_ categories: Set<NotificationCategory>) -> String {
        categories.sorted().map(\.rawValue).joined(separator: ",")
    }
}
