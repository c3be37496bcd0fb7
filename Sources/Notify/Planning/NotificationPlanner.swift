import Foundation
import GenmonConfig
import Monitor

/// Decides what to tell people, from the monitor's events and snapshots and the passing of time:
/// pure, so every rule of noise control is tested on exact instants. The engine feeds it and
/// writes what it returns to the outbox.
///
/// Topics (utility power, the generator's state and alarms, the transfer switch, the link to the
/// controller, threshold rules) each hold their changes for a settle window and then say what is
/// true; a topic repeats a subject at most once per repeat interval (later news waits and is
/// checked again). Service due and low fuel go once per occurrence; `notify_message` obeys the
/// original's `onlyonce`/`oncedaily`.
public struct NotificationPlanner: Sendable {
    public struct Settings: Sendable, Equatable {
        public var siteName: String
        public var timeZone: TimeZone
        public var settle: Duration
        public var repeatInterval: Duration
        /// `outage_notice_interval`; nil or zero: no recurring notice.
        public var recurringOutageInterval: Duration?
        public var userURL: String?
        public var rules: [ThresholdRuleSpec]
        /// The host's address for the start-up notice (the original's `<ip>`).
        public var hostAddress: String?
        public var version: String

        public init(siteName: String, timeZone: TimeZone = .current, settle: Duration = .seconds(3), repeatInterval: Duration = .seconds(300),
                    recurringOutageInterval: Duration? = nil, userURL: String? = nil, rules: [ThresholdRuleSpec] = [],
                    hostAddress: String? = nil, version: String = MonitorStatus.currentVersion) {
            self.siteName = siteName
            self.timeZone = timeZone
            self.settle = settle
            self.repeatInterval = repeatInterval
            self.recurringOutageInterval = recurringOutageInterval
            self.userURL = userURL
            self.rules = rules
            self.hostAddress = hostAddress
            self.version = version
        }
    }

    public let settings: Settings
    let subjects: Subjects
    private var power: PowerTopic
    private var generator: GeneratorTopic
    private var transfer: TransferTopic
    private var communication: CommunicationTopic
    private var rules: [RuleTopic]
    private var once = OnceFilter()
    private var serviceAnnounced = Set<String>()
    private var snapshot: GeneratorSnapshot?

    public init(settings: Settings) {
        self.settings = settings
        subjects = Subjects(site: settings.siteName)
        let recurring = settings.recurringOutageInterval.flatMap { $0 > .zero ? $0 : nil }
        power = PowerTopic(settle: settings.settle, repeatInterval: settings.repeatInterval, recurringInterval: recurring)
        generator = GeneratorTopic(settle: settings.settle, repeatInterval: settings.repeatInterval)
        transfer = TransferTopic(settle: settings.settle, repeatInterval: settings.repeatInterval)
        communication = CommunicationTopic(settle: settings.settle, repeatInterval: settings.repeatInterval)
        rules = settings.rules.map { RuleTopic(spec: $0, repeatInterval: settings.repeatInterval) }
    }

    func context(_ date: Date) -> PlannerContext {
        PlannerContext(subjects: subjects, timeZone: settings.timeZone, snapshot: snapshot, userURL: settings.userURL, date: date)
    }

    /// The start-up notice ("Generator Monitor Starting at <site>").
    public func startup(at date: Date) -> NotificationDraft {
        var details: [String] = []
        if let address = settings.hostAddress { details.append("IP Address: \(address)") }
        return NotificationDraft(category: .info, subject: subjects.starting,
                                 headline: "genmon \(settings.version) is starting to monitor the generator at \(settings.siteName).",
                                 details: details, attachment: .none, source: "startup", time: date)
    }

    /// An event from the monitor, seen at `now`.
    public mutating func observe(_ event: MonitorEvent, now: ContinuousClock.Instant) -> [NotificationDraft] {
        switch event.kind {
        case .outageStarted:
            // The monitor dates the event at the outage's start, before outage_notice_delay.
            power.started(at: event.time, now: now)
        case let .outageEnded(duration), let .outageEndedWhileStopped(duration, _):
            // An outage that ended while genmon was stopped is still news: the owner hears it is over.
            let start = event.time.addingTimeInterval(-max(duration, 0))
            power.ended(OutageRecord(start: start, end: event.time), now: now)
        case .controllerDetected, .engineStateChanged, .switchStateChanged, .alarmRaised, .alarmCleared:
            generator.observe(event, now: now)
        case let .transferSwitchChanged(to):
            transfer.moved(to: to, now: now)
        case .communicationLost, .communicationRestored:
            communication.observe(event, now: now)
        case let .serviceDue(item):
            return serviceDue(item, at: event.time)
        case let .serviceCleared(item):
            serviceAnnounced.remove(item)
        case let .commandCompleted(command, origin, result):
            if command == "settime", origin == "scheduler:syncdst", result.hasPrefix("confirmed") || result.hasPrefix("sent") {
                return [NotificationDraft(category: .info, subject: subjects.timeUpdate,
                                          headline: "The controller's clock was set for the change of daylight-saving time.",
                                          attachment: .none, source: "time_update", time: event.time)]
            }
        case .clockDrift:
            break
        }
        return []
    }

    /// A new snapshot at `now`: threshold rules and fuel look at the readings.
    public mutating func observe(_ snapshot: GeneratorSnapshot, now: ContinuousClock.Instant) -> [NotificationDraft] {
        self.snapshot = snapshot
        transfer.learn(snapshot.readings?.line.transferSwitch?.rawValue)
        let context = context(snapshot.updatedAt)
        var drafts: [NotificationDraft] = []
        for index in rules.indices { drafts += rules[index].observe(snapshot, now: now, context) }
        drafts += fuel(snapshot)
        return drafts
    }

    /// Time has passed: windows close, held messages are looked at again, recurring notices fall due.
    public mutating func tick(now: ContinuousClock.Instant, date: Date) -> [NotificationDraft] {
        let context = context(date)
        var drafts = power.tick(now: now, context)
        drafts += generator.tick(now: now, context)
        drafts += transfer.tick(now: now, context)
        drafts += communication.tick(now: now, context)
        for index in rules.indices { drafts += rules[index].tick(now: now, context) }
        return drafts
    }

    /// When `tick` should next be called, if anything waits.
    public var nextDeadline: ContinuousClock.Instant? {
        ([power.nextDeadline, generator.nextDeadline, transfer.nextDeadline, communication.nextDeadline]
            + rules.map(\.nextDeadline)).compactMap { $0 }.min()
    }

    /// The socket's `notify_message`: subject `<site>: <title>`, the original's once-filters.
    public mutating func message(title: String, body: String, category: NotificationCategory, onlyOnce: Bool, onceDaily: Bool,
                                 at date: Date) -> NotificationDraft? {
        let subject = subjects.message(title)
        guard once.admit(subject, onlyOnce: onlyOnce, onceDaily: onceDaily, at: date) else { return nil }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return NotificationDraft(category: category, subject: subject, headline: lines.first ?? title,
                                 details: Array(lines.dropFirst()), attachment: .none, source: "notify_message", time: date,
                                 rateLimited: true)
    }

    /// A service item fell due. The controller usually shows it as its alarm, which the alarm
    /// message already tells; this one is for the counters that run out without an alarm.
    private mutating func serviceDue(_ item: String, at date: Date) -> [NotificationDraft] {
        if snapshot?.readings?.status.isInAlarm == true { return [] }
        guard serviceAnnounced.insert(item).inserted else { return [] }
        return [NotificationDraft(category: .warn, subject: subjects.warning(item), headline: "\(item): the generator's maintenance is due.",
                                  details: ["Do the service, then reset the controller's maintenance counter."],
                                  source: "service_due", time: date)]
    }

    /// The fuel sensor (diesel units) at or below 20 % and 10 %: once each per run, as the original.
    private mutating func fuel(_ snapshot: GeneratorSnapshot) -> [NotificationDraft] {
        guard let percent = snapshot.readings?.engine.fuelLevelSensorPercent, snapshot.communication.isReceiving else { return [] }
        for level in [10, 20] where percent <= level {
            let subject = subjects.fuelLow(level)
            guard once.admit(subject, onlyOnce: true, onceDaily: false, at: snapshot.updatedAt) else { return [] }
            return [NotificationDraft(category: .warn, subject: subject, headline: "The fuel level is \(percent) %.",
                                      source: "fuel_low", time: snapshot.updatedAt)]
        }
        return []
    }
}
