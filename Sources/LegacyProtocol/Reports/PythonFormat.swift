import Foundation
import Generac

/// The few Python formatting behaviours the original's clients see byte for byte.
public enum PythonFormat {
    /// `repr(float)`: the shortest text that reads back as the same double (`13.7`, `60.0`, `1e+16`).
    /// Swift's `description` follows the same rules, including where it switches to exponents.
    public static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description
    }

    /// `"%.Nf" % value` (C rounding of the exact binary value, like Python).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return String(format: "%.\(decimals)f", value)
    }

    /// `round(value, decimals)`: correctly rounded to the nearest decimal, as a double.
    public static func round(_ value: Double, decimals: Int) -> Double {
        guard value.isFinite else { return value }
        return Double(fixed(value, decimals: decimals)) ?? value
    }

    /// `"%g" % value`.
    public static func general(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return String(format: "%g", value)
    }

    /// `str(datetime.timedelta(seconds=…))` without microseconds: `0:00:20`, `1 day, 2:03:04`.
    public static func timedelta(_ seconds: TimeInterval) -> String {
        let total = seconds.isFinite ? Int(seconds.rounded(.towardZero)) : 0
        let negative = total < 0
        // Python normalises negative deltas to "-1 day, 23:59:59"; keep that shape.
        var remaining = total
        var days = 0
        if negative {
            days = -((-total + 86_399) / 86_400)
            remaining = total - days * 86_400
        } else {
            days = total / 86_400
            remaining = total % 86_400
        }
        let clock = "\(remaining / 3600):" + pad2(remaining % 3600 / 60) + ":" + pad2(remaining % 60)
        if days == 0 { return clock }
        return "\(days) day\(abs(days) == 1 ? "" : "s"), " + clock
    }

    static func pad2(_ value: Int) -> String { value < 10 && value >= 0 ? "0\(value)" : String(value) }

    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// The parts of a date in a zone, for the C-locale `strftime` patterns the reports use.
    struct Parts {
        var year, month, day, hour, minute, second, weekday: Int
    }

    static func parts(_ date: Date, _ zone: TimeZone) -> Parts {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        return Parts(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0, minute: c.minute ?? 0,
                     second: c.second ?? 0, weekday: (c.weekday ?? 1) - 1)
    }

    /// `%A %B %-d, %Y %H:%M:%S` (the status report's Monitor Time) or with `%d` when `padDay`.
    public static func longDateTime(_ date: Date, zone: TimeZone, padDay: Bool = false) -> String {
        let p = parts(date, zone)
        return weekdayNames[p.weekday] + " " + monthNames[p.month - 1] + " " + (padDay ? pad2(p.day) : String(p.day))
            + ", \(p.year) " + pad2(p.hour) + ":" + pad2(p.minute) + ":" + pad2(p.second)
    }

    /// `%Y-%m-%d %H:%M:%S`.
    public static func isoDateTime(_ date: Date, zone: TimeZone) -> String {
        let p = parts(date, zone)
        return "\(p.year)-" + pad2(p.month) + "-" + pad2(p.day) + " " + pad2(p.hour) + ":" + pad2(p.minute) + ":" + pad2(p.second)
    }

    /// `%m-%d-%Y %H:%M:%S`, or `%d-%m-%Y …` with the alternate date format (outage log).
    public static func outageDateTime(_ date: Date, zone: TimeZone, alternate: Bool) -> String {
        let p = parts(date, zone)
        let first = alternate ? pad2(p.day) : pad2(p.month), second = alternate ? pad2(p.month) : pad2(p.day)
        return first + "-" + second + "-\(p.year) " + pad2(p.hour) + ":" + pad2(p.minute) + ":" + pad2(p.second)
    }

    /// `%m/%d/%Y %H:%M` (the dashboard's MonitorTime).
    public static func shortDateTime(_ date: Date, zone: TimeZone) -> String {
        let p = parts(date, zone)
        return pad2(p.month) + "/" + pad2(p.day) + "/\(p.year) " + pad2(p.hour) + ":" + pad2(p.minute)
    }

    /// A spreadsheet serial date (days since 1899-12-30, local time, whole seconds), as genlog writes it.
    public static func excelSerial(_ date: Date, zone: TimeZone) -> Double {
        let p = parts(date, zone)
        let days = CalendarDate(year: p.year, month: p.month, day: p.day).daysSinceEpoch
            - CalendarDate(year: 1899, month: 12, day: 30).daysSinceEpoch
        let seconds = p.hour * 3600 + p.minute * 60 + p.second
        return Double(days) + Double(seconds) / 86_400
    }
}
