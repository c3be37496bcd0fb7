import Foundation

/// `settime` (docs/registers.md#set-time): one 3-word write at `000e` — hour/minute, month/day, weekday/year.
/// The weekday byte is always 0; the controller works the weekday out itself.
public struct SetTimeCommand: Sendable, Equatable, Hashable {
    public let hour: Int
    public let minute: Int
    public let month: Int
    public let day: Int
    /// Full year, 2000–2255 (stored as year − 2000).
    public let year: Int

    public static let reply = "Time Set: Command Sent"

    public init(hour: Int, minute: Int, month: Int, day: Int, year: Int) throws(GeneracCommandError) {
        guard (0...23).contains(hour) else { throw .hourOutOfRange(hour) }
        guard (0...59).contains(minute) else { throw .minuteOutOfRange(minute) }
        guard (1...12).contains(month) else { throw .monthOutOfRange(month) }
        guard (1...31).contains(day) else { throw .dayOutOfRange(day) }
        guard (2000...2255).contains(year) else { throw .yearOutOfRange(year) }
        self.hour = hour
        self.minute = minute
        self.month = month
        self.day = day
        self.year = year
    }

    /// The local wall-clock time of `date` in `timeZone` (seconds dropped).
    public init(date: Date, timeZone: TimeZone) throws(GeneracCommandError) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        try self.init(hour: parts.hour ?? -1, minute: parts.minute ?? -1, month: parts.month ?? 0,
                      day: parts.day ?? 0, year: parts.year ?? 0)
    }

    /// The time as the controller's clock registers hold it (weekday 0: the controller works it out).
    var clock: ControllerClock {
        ControllerClock(hour: hour, minute: minute, month: month, day: day, weekday: 0, yearByte: year - 2000)
    }

    public var write: RegisterWrite { RegisterWrite(Register.clockTime, clock.words) }

    /// Read the clock back: it should show the written minute or one a little later.
    public var confirmation: Confirmation {
        Confirmation(.clock(minutesSinceEpoch: clock.minutesSinceEpoch, toleranceMinutes: 2),
                            readBack: [RegisterSpan(Register.clockTime, words: 3)], timeoutSeconds: 15)
    }

    public var plan: CommandPlan { CommandPlan(writes: [write], confirmation: confirmation, reply: Self.reply) }

    /// Upstream waits for second 0 of a minute before writing: 0 when already there, else 60 − s.
    public static func secondsToWait(currentSecond second: Int) -> Int {
        let s = ((second % 60) + 60) % 60
        return s == 0 ? 0 : 60 - s
    }
}
