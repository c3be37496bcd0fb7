import Foundation
import Generac
import GenmonConfig

/// The events of the original's SMS, Pushover and Slack add-ons (interfaces §4.2), which decide
/// their fixed texts ("Utility Service is Down"), their `notify_*` filter and Pushover's priority.
public enum AddonEvent: String, Sendable, Codable, CaseIterable {
    case running, runningManual = "running_manual", exercising, ready, off, manual, alarm, serviceDue = "service_due"
    case outageBegan = "utility_down", outageEnded = "utility_up", fuelLow = "fuel_low", fuelOK = "fuel_ok", systemHealth = "system_health"

    /// The original's text, word for word (people's phone rules match it).
    public var text: String {
        switch self {
        case .running: "Generator Running"
        case .runningManual: "Generator Running in Manual Mode"
        case .exercising: "Generator Exercising"
        case .ready: "Generator Ready"
        case .off: "Generator Off"
        case .manual: "Generator Manual"
        case .alarm: "Generator Alarm"
        case .serviceDue: "Generator Service Due"
        case .outageBegan: "Utility Service is Down"
        case .outageEnded: "Utility Service is Up"
        case .fuelLow: "Fuel Level is Low"
        case .fuelOK: "Fuel Level is OK"
        case .systemHealth: "System Health"
        }
    }

    /// The original's add-on filter this event is under (`notify_info`, `notify_error`, ...).
    public var filter: AddonFilterCategory {
        switch self {
        case .running, .runningManual, .exercising, .ready, .off, .manual, .systemHealth: .info
        case .alarm: .error
        case .serviceDue, .fuelLow, .fuelOK: .warning
        case .outageBegan, .outageEnded: .outage
        }
    }

    /// Which of Pushover's priority keys applies (§4.5); nil: normal priority.
    public var pushoverPriority: PushoverPriorityKey? {
        switch self {
        case .running, .runningManual, .exercising, .ready: .runState
        case .off, .manual: .switchState
        case .alarm: .alarm
        case .serviceDue: .serviceState
        case .fuelLow, .fuelOK: .fuel
        case .systemHealth: .systemHealth
        case .outageBegan, .outageEnded: nil
        }
    }

    /// The event for a base status (`getbase`).
    public init(_ base: BaseStatus) {
        self = switch base {
        case .ready: .ready
        case .exercising: .exercising
        case .running: .running
        case .runningManual: .runningManual
        case .alarm: .alarm
        case .serviceDue: .serviceDue
        case .off: .off
        case .manual: .manual
        }
    }

    /// The event a notification of the engine stands for, from what produced it (`source`) and the
    /// generator's state; nil for genmon's own messages (start-up, rules, the link, `notify_message`).
    public init?(source: String, base: BaseStatus?) {
        switch source {
        case "outage_started", "outage_recurring": self = .outageBegan
        case "outage_ended": self = .outageEnded
        case "alarm_raised": self = .alarm
        case "service_due": self = .serviceDue
        case "fuel_low": self = .fuelLow
        case "communication_lost", "communication_restored": self = .systemHealth
        case "state_changed", "alarm_cleared":
            guard let base else { return nil }
            self.init(base)
        default: return nil
        }
    }
}

extension AddonFilterCategory {
    /// The engine's category for a filter (recipients choose by these).
    public var notificationCategory: NotificationCategory {
        switch self {
        case .info, .softwareUpdate, .piState: .info
        case .error: .error
        case .warning: .warn
        case .outage: .outage
        }
    }

    /// The filter for a message of genmon's own in `category`.
    public init(_ category: NotificationCategory) {
        self = switch category {
        case .outage: .outage
        case .error: .error
        case .warn: .warning
        case .info: .info
        }
    }
}
