import Foundation

/// Day of the week in the controller's numbering (Sunday = 0 … Saturday = 6).
public enum Weekday: Int, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case sunday = 0, monday, tuesday, wednesday, thursday, friday, saturday

    /// English name as upstream prints and parses it ("Sunday").
    public var name: String {
        switch self {
        case .sunday: "Sunday"
        case .monday: "Monday"
        case .tuesday: "Tuesday"
        case .wednesday: "Wednesday"
        case .thursday: "Thursday"
        case .friday: "Friday"
        case .saturday: "Saturday"
        }
    }

    public var description: String { name }

    /// Case-insensitive English name (surrounding spaces ignored).
    public init?(name: String) {
        let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let day = Weekday.allCases.first(where: { $0.name.lowercased() == wanted }) else { return nil }
        self = day
    }
}

/// Month names upstream prints in the controller clock.
enum MonthName {
    static let names = ["January", "February", "March", "April", "May", "June", "July", "August",
                        "September", "October", "November", "December"]

    static func name(_ month: Int) -> String { (1...12).contains(month) ? names[month - 1] : "" }
}
