/// The controller's own clock, `000e`–`0010` (docs/registers.md#clock-and-dates). It is naive local time with minute
/// resolution; the weekday byte is the controller's and may disagree with the date.
public struct ControllerClock: Sendable, Equatable, Hashable {
    public let hour: Int
    public let minute: Int
    public let month: Int
    public let day: Int
    /// 0 = Sunday … 6 = Saturday; 7 is accepted and printed "INVALID".
    public let weekday: Int
    /// Year − 2000 as stored (≥ 16 when valid).
    public let yearByte: Int

    public init(hour: Int, minute: Int, month: Int, day: Int, weekday: Int, yearByte: Int) {
        self.hour = hour
        self.minute = minute
        self.month = month
        self.day = day
        self.weekday = weekday
        self.yearByte = yearByte
    }

    /// nil when upstream would print an empty "Generator Time".
    public static func decode(_ image: RegisterImage) -> ControllerClock? {
        let clock = ControllerClock(
            hour: Int(image.highByte(Register.clockTime)), minute: Int(image.lowByte(Register.clockTime)),
            month: Int(image.highByte(Register.clockDate)), day: Int(image.lowByte(Register.clockDate)),
            weekday: Int(image.highByte(Register.clockWeekdayAndYear)), yearByte: Int(image.lowByte(Register.clockWeekdayAndYear))
        )
        return clock.isValid ? clock : nil
    }

    /// Upstream's checks: hour ≤ 23, minute ≤ 59, month 1–12, day 1–31, weekday ≤ 7, year byte ≥ 16.
    public var isValid: Bool {
        (0...23).contains(hour) && (0...59).contains(minute) && (1...12).contains(month)
            && (1...31).contains(day) && (0...7).contains(weekday) && yearByte >= 16 && yearByte <= 255
    }

    public var year: Int { 2000 + yearByte }

    /// `Monday August 14, 2017 12:07` (day not padded; the year is "20" + the year byte).
    public var text: String {
        let dayName = Weekday(rawValue: weekday)?.name ?? "INVALID"
        return dayName + " " + MonthName.name(month) + " \(day), 20\(yearByte) " + pad2(hour) + ":" + pad2(minute)
    }

    public var date: CalendarDate { CalendarDate(year: year, month: month, day: day) }

    /// Minutes since 1970-01-01 00:00 of this naive local time (for exercise arithmetic).
    public var minutesSinceEpoch: Int { (date.daysSinceEpoch * 24 + hour) * 60 + minute }

    /// The words a controller stores for this time (`000e`, `000f`, `0010`).
    public var words: [UInt16] {
        [UInt16(truncatingIfNeeded: hour << 8 | minute),
         UInt16(truncatingIfNeeded: month << 8 | day),
         UInt16(truncatingIfNeeded: weekday << 8 | yearByte)]
    }
}
