import Foundation

/// A plain civil date (no time zone), e.g. a service due date.
public struct CalendarDate: Sendable, Equatable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `MM/DD/YYYY`, or `DD/MM/YYYY` with the alternate date format (no trailing space).
    public func text(alternateDateFormat: Bool = false) -> String {
        let mm = pad2(month), dd = pad2(day)
        let first = alternateDateFormat ? dd : mm
        let second = alternateDateFormat ? mm : dd
        return first + "/" + second + "/" + pad(year, 4)
    }

    /// Service date registers hold days since 1970-01-01. Upstream shows the local date of the
    /// timestamp (D + 1) days after the epoch (D days on Evolution 2.0), so the zone matters:
    /// west of UTC the date comes out one day earlier.
    public static func serviceDueDate(days: UInt16, addOneDay: Bool, timeZone: TimeZone) -> CalendarDate {
        let seconds = (Double(days) + (addOneDay ? 1 : 0)) * 86_400
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: seconds))
        return CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// Days since 1970-01-01 for this civil date (proleptic Gregorian), and back.
    public var daysSinceEpoch: Int { Self.daysFromCivil(year: year, month: month, day: day) }

    public init(daysSinceEpoch days: Int) {
        let (y, m, d) = Self.civilFromDays(days)
        self.init(year: y, month: m, day: d)
    }

    /// Weekday with Sunday = 0 … Saturday = 6 (the controller's convention).
    public var weekday: Int {
        let value = (daysSinceEpoch + 4) % 7 // 1970-01-01 was a Thursday
        return value < 0 ? value + 7 : value
    }

    // Howard Hinnant's civil-date algorithms: exact over the whole Int range we use, no Foundation.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// Zero-padded decimal, like `%02d` / `%04d`.
func pad(_ value: Int, _ width: Int) -> String {
    let text = String(abs(value))
    let padded = String(repeating: "0", count: max(0, width - text.count)) + text
    return value < 0 ? "-" + padded : padded
}

func pad2(_ value: Int) -> String { pad(value, 2) }
