import Foundation
import Generac
import GenmonBasics
import Monitor

// The JSON API's shapes. Names are stable; numbers are numbers, with their unit beside them;
// times are ISO-8601 (UTC). Documented in openapi.json, which the tests hold the server to.

/// A number with its unit: `{"value": 13.7, "unit": "V"}`.
public struct Quantity: Codable, Equatable, Sendable {
    public var value: Double
    public var unit: String

    public init?(_ value: Double?, _ unit: String) {
        guard let value, value.isFinite else { return nil }
        self.value = (value * 1000).rounded() / 1000
        self.unit = unit
    }

    public init?(_ value: Int?, _ unit: String) {
        guard let value else { return nil }
        self.value = Double(value)
        self.unit = unit
    }
}

/// The one-word state the page's colour follows.
public enum GeneratorState: String, Codable, Sendable, CaseIterable {
    case ready, exercising, running, runningManual, alarm, serviceDue, off, manual
    /// The monitor has not read the controller completely yet.
    case starting

    init(_ base: BaseStatus) {
        switch base {
        case .ready: self = .ready
        case .exercising: self = .exercising
        case .running: self = .running
        case .runningManual: self = .runningManual
        case .alarm: self = .alarm
        case .serviceDue: self = .serviceDue
        case .off: self = .off
        case .manual: self = .manual
        }
    }
}

public struct ControllerView: Codable, Equatable, Sendable {
    public var name: String
    public var family: String
    public var cooling: String
    public var model: String
}

public struct AlertView: Codable, Equatable, Sendable {
    /// `alarm` (the engine is stopped or will not run), `warning`, or `notice`.
    public var severity: String
    public var title: String
    /// The controller's alarm code, when known.
    public var code: Int?
    public var description: String
    public var whatToCheck: String
    /// Since when, when known (the page shows how long).
    public var since: Date?
}

public struct EngineView: Codable, Equatable, Sendable {
    public var running: Bool
    public var batteryVoltage: Quantity?
    public var batteryStatus: String?
    public var batteryChargerCurrent: Quantity?
    public var rpm: Quantity?
    public var frequency: Quantity?
    public var outputVoltage: Quantity?
    public var outputCurrent: Quantity?
    public var outputPower: Quantity?
    public var ambientTemperature: Quantity?
}

public struct UtilityView: Codable, Equatable, Sendable {
    public var voltage: Quantity?
    public var threshold: Quantity?
    public var pickup: Quantity?
    public var nominal: Quantity?
    /// Lowest and highest seen since the monitor started.
    public var minimum: Quantity?
    public var maximum: Quantity?
    /// `utility` or `generator`, when the controller tells.
    public var transferSwitch: String?
}

public struct OutageNowView: Codable, Equatable, Sendable {
    public var inOutage: Bool
    public var since: Date?
}

public struct StatusView: Codable, Equatable, Sendable {
    public var site: String
    /// When this answer was made.
    public var time: Date
    /// When the monitor last changed its picture of the generator.
    public var updatedAt: Date
    public var initialized: Bool
    public var state: GeneratorState
    public var switchState: String?
    public var engineState: String?
    /// `<switch>, <engine>`, or a sentence while starting.
    public var summary: String
    public var controllerAnswering: Bool
    public var health: String
    public var controller: ControllerView?
    public var engine: EngineView?
    public var utility: UtilityView?
    public var outage: OutageNowView
    public var alerts: [AlertView]
    /// How old each live value is, by name (`status`, `utilityVoltage`, `batteryVoltage`, `rpm`,
    /// `frequency`, `outputVoltage`, `outputCurrent`, `outputPower`): a stale one is shown greyed.
    public var readings: [String: ReadingAgeView]
    /// Output power, the energy counter, the 30-day figures and fuel.
    public var power: PowerView? = nil
    /// What add-ons send through the command socket (`set_sensor_data`), with staleness marks.
    public var externalSensors: [ExternalSensorView] = []
    public var externalTank: ExternalTankView? = nil
}

/// When a value was last read from the controller.
public struct ReadingAgeView: Codable, Equatable, Sendable {
    public var lastRead: Date
    /// Seconds since then, when this answer was made.
    public var age: Double
    /// How often genmon means to read it, in seconds.
    public var expectedRefresh: Double
    /// Older than three refreshes: not current; the page greys it and health says so.
    public var stale: Bool
}

public struct ExerciseView: Codable, Equatable, Sendable {
    /// `weekly`, `biweekly` or `monthly`.
    public var frequency: String
    public var weekday: String?
    public var dayOfMonth: Int?
    /// `HH:MM`, controller time.
    public var time: String
    /// `on`, `off` or `unknown`.
    public var quietMode: String
    public var enhanced: Bool
}

public struct ServiceItemView: Codable, Equatable, Sendable {
    public var kind: String
    public var name: String
    public var hoursUntilDue: Quantity?
    /// `YYYY-MM-DD`.
    public var dueDate: String?
    public var due: Bool
}

public struct CommandCapabilityView: Codable, Equatable, Sendable {
    public var command: String
    public var label: String
    public var available: Bool
    /// What confirming it will do, for the confirmation dialog.
    public var confirmation: String
}

public struct MaintenanceView: Codable, Equatable, Sendable {
    public var controller: ControllerView?
    public var serialNumber: String?
    public var firmwareVersion: String?
    public var hardwareVersion: String?
    public var ratedPower: Quantity?
    public var nominalVoltage: Quantity?
    public var nominalFrequency: Quantity?
    public var nominalRPM: Quantity?
    public var fuelType: String?
    public var runHours: Quantity?
    public var exercise: ExerciseView?
    /// The controller's clock as it shows it (`YYYY-MM-DDTHH:MM`, no zone).
    public var controllerTime: String?
    /// How far the controller's clock is from genmon's, in seconds (positive: ahead).
    public var controllerClockOffset: Quantity?
    public var service: [ServiceItemView]
    public var commands: [CommandCapabilityView]
    /// Frequencies `setExercise` accepts on this controller.
    public var exerciseFrequencies: [String]
}

public struct LogEntryView: Codable, Equatable, Sendable {
    public var time: Date?
    public var text: String
    public var code: Int?
    public var description: String?
    public var whatToCheck: String?
}

public struct ControllerLogView: Codable, Equatable, Sendable {
    /// `alarm`, `service` or `run`.
    public var kind: String
    public var title: String
    public var entries: [LogEntryView]
}

public struct LogsView: Codable, Equatable, Sendable {
    public var logs: [ControllerLogView]
}

public struct OutageView: Codable, Equatable, Sendable {
    public var start: Date
    public var end: Date
    public var duration: Quantity
    public var fuelEstimate: String?
}

public struct OutagesView: Codable, Equatable, Sendable {
    public var inOutage: Bool
    public var since: Date?
    public var utilityMinimum: Quantity?
    public var utilityMaximum: Quantity?
    public var outages: [OutageView]
    /// Pass as `before` for the next (older) page; absent on the last page.
    public var nextCursor: String?
}

public struct EventView: Codable, Equatable, Sendable {
    public var id: Int64?
    public var time: Date
    public var name: String
    public var severity: String
    public var summary: String
}

public struct EventsView: Codable, Equatable, Sendable {
    public var events: [EventView]
    public var nextCursor: String?
}

public struct AuditEntryView: Codable, Equatable, Sendable {
    public var id: Int64
    public var time: Date
    public var interface: String
    public var principal: String
    public var command: String
    public var result: String
    public var message: String
    public var duration: Quantity?
}

public struct AuditView: Codable, Equatable, Sendable {
    public var entries: [AuditEntryView]
    public var nextCursor: String?
}

public struct CommunicationView: Codable, Equatable, Sendable {
    public struct Statistics: Codable, Equatable, Sendable {
        public var requests: Int
        public var responses: Int
        public var successes: Int
        public var crcErrors: Int
        public var timeouts: Int
        public var exceptions: Int
        public var validationErrors: Int
        public var syncErrors: Int
        public var discardedBytes: Int
        public var reconnects: Int
        public var averageResponseTime: Quantity?
        public var packetsPerSecond: Quantity?
    }

    public struct MonitorHealth: Codable, Equatable, Sendable {
        public var version: String
        public var startedAt: Date
        public var uptime: Quantity
        public var initialized: Bool
        public var health: String
        public var firstCompleteStatusAfter: Quantity?
        public var logsCompleteAfter: Quantity?
        /// Pages following the live stream now.
        public var liveClients: Int
    }

    public var controllerAnswering: Bool
    public var transport: String
    public var endpoint: String
    public var lastResponse: Date?
    public var statistics: Statistics
    public var monitor: MonitorHealth
    /// genmon's connections to other systems (MQTT brokers), empty when none is configured.
    public var integrations: [IntegrationLinkView] = []
}

/// One connection of genmon's to another system (an MQTT broker), for the monitor page.
public struct IntegrationLinkView: Codable, Equatable, Sendable {
    /// What the connection is for ("MQTT: genmqtt", "MQTT: Home Assistant").
    public var name: String
    /// `host:port`.
    public var endpoint: String
    /// connected, connecting, waiting to reconnect, idle, stopped.
    public var state: String
    public var connectedSince: Date?
    /// When a message last went to the broker.
    public var lastPublishAt: Date?
    public var lastError: String?
    public var lastErrorAt: Date?
    /// Messages waiting for the broker.
    public var queued: Int
    public var sent: Int

    public init(name: String, endpoint: String, state: String, connectedSince: Date? = nil, lastPublishAt: Date? = nil,
                lastError: String? = nil, lastErrorAt: Date? = nil, queued: Int = 0, sent: Int = 0) {
        self.name = name
        self.endpoint = endpoint
        self.state = state
        self.connectedSince = connectedSince
        self.lastPublishAt = lastPublishAt
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.queued = queued
        self.sent = sent
    }
}

public struct HistoryPointView: Codable, Equatable, Sendable {
    public var time: Date
    public var min: Double
    public var avg: Double
    public var max: Double
}

public struct HistorySeriesView: Codable, Equatable, Sendable {
    public var name: String
    public var unit: String
    public var points: [HistoryPointView]
}

public struct HistoryView: Codable, Equatable, Sendable {
    public var from: Date
    public var to: Date
    /// `raw`, `fiveMinutes` or `hourly`: what the points were read from.
    public var resolution: String
    /// Width of each point's bucket (0 for raw samples).
    public var bucket: Quantity
    public var series: [HistorySeriesView]
}

public struct CommandResultView: Codable, Equatable, Sendable {
    public var command: String
    /// `confirmed`, `sent`, `unconfirmed`, `refused` or `failed`.
    public var result: String
    public var succeeded: Bool
    public var message: String
    public var startedAt: Date
    public var duration: Quantity
}

public struct UserView: Codable, Equatable, Sendable {
    public var name: String
    public var role: Role
    public var createdAt: Date
    public var passwordChangedAt: Date
    public var activeSessions: Int
}

public struct TokenView: Codable, Equatable, Sendable {
    public var name: String
    public var role: Role
    public var prefix: String
    public var createdAt: Date
    public var createdBy: String
    public var lastUsedAt: Date?
}

public struct SessionView: Codable, Equatable, Sendable {
    public var authenticated: Bool
    public var user: String?
    public var role: Role?
    /// Send back in `X-CSRF-Token` with every request that changes something.
    public var csrfToken: String?
    /// Whether the first admin must still be created (then `/api/v1/setup` takes the setup code).
    public var setupRequired: Bool
    public var site: String
    public var version: String
}
