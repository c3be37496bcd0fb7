import Foundation
import Generac

/// When a scheduled exercise falls, from the controller's exercise settings.
enum ExerciseCalendar {
    struct Settings: Sendable, Equatable {
        var hour: Int
        var minute: Int
        /// Sunday = 0.
        var weekday: Int
        var frequency: ExerciseFrequency
        var dayOfMonth: Int
    }

    /// The first exercise start strictly after `date` (controller time).
    static func nextOccurrence(after date: Date, settings: Settings, calendar: Calendar, lastRun: Date?) -> Date? {
        guard (0...23).contains(settings.hour), (0...59).contains(settings.minute) else { return nil }
        var components = DateComponents(hour: settings.hour, minute: settings.minute, second: 0)
        switch settings.frequency {
        case .weekly, .biweekly:
            guard (0...6).contains(settings.weekday) else { return nil }
            components.weekday = settings.weekday + 1
        case .monthly:
            guard (1...28).contains(settings.dayOfMonth) else { return nil }
            components.day = settings.dayOfMonth
        }
        var candidate = calendar.nextDate(after: date, matching: components, matchingPolicy: .nextTime)
        if settings.frequency == .biweekly, let lastRun {
            // Every other week: skip an occurrence that comes less than 13 days after the last run.
            while let current = candidate, current.timeIntervalSince(lastRun) < 13 * 86_400 {
                candidate = calendar.nextDate(after: current, matching: components, matchingPolicy: .nextTime)
            }
        }
        return candidate
    }
}
