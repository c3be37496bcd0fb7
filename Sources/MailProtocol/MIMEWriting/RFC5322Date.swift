import Foundation

/// RFC 5322 section 3.3 dates: `Tue, 25 Nov 2025 15:07:12 -0500`, computed by arithmetic so the
/// result depends only on the instant and the time zone given (no locale, no calendar settings).
public enum RFC5322Date {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The date-time of `date` in `timeZone` (the zone's offset at that instant, rounded to minutes).
    public static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let offsetMinutes = Int((Double(timeZone.secondsFromGMT(for: date)) / 60).rounded())
        return format(unixSeconds: Int64(date.timeIntervalSince1970.rounded(.down)), offsetMinutes: offsetMinutes)
    }

    /// The date-time of a Unix time with a UTC offset in minutes (clamped to ±23:59).
    public static func format(unixSeconds: Int64, offsetMinutes: Int) -> String {
        let offset = max(-1439, min(1439, offsetMinutes))
        let local = unixSeconds.addingReportingOverflow(Int64(offset) * 60).partialValue
        let days = floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday
        let sign = offset < 0 ? "-" : "+"
        return "\(weekdays[weekday]), \(day) \(months[month - 1]) \(pad(Int(year), 4)) "
            + "\(pad(Int(secondOfDay / 3600), 2)):\(pad(Int(secondOfDay / 60 % 60), 2)):\(pad(Int(secondOfDay % 60), 2)) "
            + "\(sign)\(pad(abs(offset) / 60, 2))\(pad(abs(offset) % 60, 2))"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
    private static func civil(fromDays days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
