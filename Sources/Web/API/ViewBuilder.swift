import Foundation
import Generac
import GenmonBasics
import Monitor

/// Builds the API's views from a snapshot: pure functions of (snapshot, settings, zone, now).
public struct ViewBuilder: Sendable {
    public var settings: GeneracSettings
    public var timeZone: TimeZone { didSet { calendar.timeZone = timeZone } }
    /// Gregorian in `timeZone`, made once rather than for every log entry.
    private var calendar: Calendar

    public init(settings: GeneracSettings = .defaults, timeZone: TimeZone = .current) {
        self.settings = settings
        self.timeZone = timeZone
        calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
    }

    // MARK: Status

    public func status(_ snapshot: GeneratorSnapshot, now: Date) -> StatusView {
        let readings = snapshot.readings
        let state: GeneratorState = snapshot.isInitialized ? readings.map { GeneratorState($0.status.baseStatus) } ?? .starting : .starting
        var view = StatusView(
            site: snapshot.monitor.siteName,
            time: now,
            updatedAt: snapshot.updatedAt,
            initialized: snapshot.isInitialized,
            state: state,
            switchState: readings?.status.switchState.rawValue,
            engineState: readings?.status.engineState.description,
            summary: readings?.status.oneLine ?? "genmon is reading the controller",
            controllerAnswering: snapshot.communication.isReceiving,
            health: snapshot.health(at: now),
            controller: readings.map(controller),
            engine: readings.map(engine),
            utility: readings.map { utility($0, snapshot: snapshot) },
            outage: OutageNowView(inOutage: snapshot.outage.inOutage, since: snapshot.outage.currentStart),
            alerts: alerts(snapshot, now: now),
            readings: ages(snapshot.freshness, now: now))
        view.power = power(snapshot)
        view.externalSensors = externalSensors(snapshot)
        view.externalTank = externalTank(snapshot)
        return view
    }

    /// Each live value's age, and whether it is stale as of `now` (as the health text judges it).
    func ages(_ freshness: Freshness, now: Date) -> [String: ReadingAgeView] {
        var views: [String: ReadingAgeView] = [:]
        let stale = freshness.stale(at: now)
        for (reading, time) in freshness.readings {
            views[reading.rawValue] = ReadingAgeView(lastRead: time.lastRead, age: (time.age(at: now) * 10).rounded() / 10,
                                                     expectedRefresh: time.expectedRefresh, stale: stale.contains(reading))
        }
        return views
    }

    func controller(_ readings: GeneratorReadings) -> ControllerView {
        let identity = readings.identity
        return ControllerView(name: identity.displayName, family: identity.isEvolution ? "evolution" : "nexus",
                              cooling: identity.isLiquidCooled ? "liquid" : "air", model: readings.nominal.modelName)
    }

    func engine(_ readings: GeneratorReadings) -> EngineView {
        let engine = readings.engine
        let temperature = engine.ambientTemperature
        return EngineView(
            running: readings.status.engineState.isRunning,
            batteryVoltage: Quantity(engine.batteryVolts, "V"),
            batteryStatus: engine.batteryStatus?.rawValue,
            batteryChargerCurrent: Quantity(engine.batteryChargerMilliamps.map { Double($0) / 1000 }, "A"),
            rpm: Quantity(engine.rpm, "rpm"),
            frequency: Quantity(engine.frequencyHz, "Hz"),
            outputVoltage: Quantity(engine.outputVolts, "V"),
            outputCurrent: Quantity(engine.outputCurrent?.totalAmps, "A"),
            outputPower: Quantity(engine.outputPowerKW, "kW"),
            ambientTemperature: temperature.flatMap { Quantity($0.value, $0.unit.trimmingCharacters(in: .whitespaces)) })
    }

    func utility(_ readings: GeneratorReadings, snapshot: GeneratorSnapshot) -> UtilityView {
        let line = readings.line
        return UtilityView(
            voltage: Quantity(line.utilityVolts, "V"),
            threshold: Quantity(line.effectiveThresholdVolts, "V"),
            pickup: Quantity(line.effectivePickupVolts, "V"),
            nominal: Quantity(readings.nominal.effectiveLineVolts, "V"),
            minimum: Quantity(snapshot.outage.utilityMinimumVolts, "V"),
            maximum: Quantity(snapshot.outage.utilityMaximumVolts, "V"),
            transferSwitch: line.transferSwitch.map { $0 == .utility ? "utility" : "generator" })
    }

    /// Active alarm and warnings, with what they mean and what to check; then the monitor's own
    /// warnings (controller silent, outage, service due).
    public func alerts(_ snapshot: GeneratorSnapshot, now: Date) -> [AlertView] {
        var alerts: [AlertView] = []
        if !snapshot.communication.isReceiving {
            alerts.append(AlertView(
                severity: "alarm", title: "Controller not answering", code: nil,
                description: "genmon has no answer from the generator's controller. What is shown may be out of date.",
                whatToCheck: "Check the cable or network adapter between genmon and the controller, and that the controller has power.",
                since: snapshot.communication.lastResponse))
        }
        guard let readings = snapshot.readings else {
            alerts.append(AlertView(severity: "notice", title: "Starting up", code: nil,
                                    description: "genmon is still reading the controller for the first time.",
                                    whatToCheck: "Wait a few seconds; if this stays, check the link to the controller."))
            return alerts
        }
        if readings.status.isInAlarm { alerts.append(alarmAlert(readings)) }
        if snapshot.outage.inOutage {
            alerts.append(AlertView(
                severity: "warning", title: "Utility power is out", code: nil,
                description: "The utility voltage is below the controller's threshold.",
                whatToCheck: "In Auto the generator starts and takes the load after its start-up delay. Watch the engine and the transfer switch.",
                since: snapshot.outage.currentStart))
        }
        let today = CalendarDate.today(in: calendar, now: now)
        for item in readings.maintenance.serviceItems where isDue(item, today: today) {
            // The controller's own service alarm already says so.
            if readings.status.isInAlarm, readings.status.alarm.text.lowercased() == item.label.lowercased() { continue }
            alerts.append(AlertView(
                severity: "warning", title: item.label, code: nil,
                description: "This maintenance item is due (\(item.text().trimmingCharacters(in: .whitespaces))).",
                whatToCheck: "Do the service, then reset the controller's maintenance counter."))
        }
        return alerts
    }

    func isDue(_ item: ServiceItem, today: CalendarDate) -> Bool {
        if let hours = item.hoursUntilDue, hours <= 1 { return true }
        if let date = item.dueDate, date.year > 2000, date <= today { return true }
        return false
    }

    /// The active alarm, explained from the alarm catalog when the code is known.
    func alarmAlert(_ readings: GeneratorReadings) -> AlertView {
        guard let explanation = AlarmExplanation(readings.status) else {
            return AlertView(severity: "warning", title: "", code: nil, description: "", whatToCheck: "")
        }
        return AlertView(
            severity: explanation.isWarning || explanation.isServiceReminder ? "warning" : "alarm",
            title: explanation.title, code: explanation.code, description: explanation.description,
            whatToCheck: explanation.whatToCheck)
    }

    // MARK: Maintenance

    public func maintenance(_ snapshot: GeneratorSnapshot, now: Date) -> MaintenanceView {
        guard let readings = snapshot.readings else {
            return MaintenanceView(service: [], commands: commands(nil), exerciseFrequencies: ["weekly"])
        }
        let maintenance = readings.maintenance
        let today = CalendarDate.today(in: calendar, now: now)
        var clockText: String?
        var offset: Quantity?
        if let clock = readings.clock, clock.isValid {
            clockText = String(format: "%04d-%02d-%02dT%02d:%02d", clock.year, clock.month, clock.day, clock.hour, clock.minute)
            // The same figure the monitor's clock-drift event uses.
            offset = Quantity(EventDetector.drift(of: clock, at: now, timeZone: timeZone), "s")
        }
        return MaintenanceView(
            controller: controller(readings),
            serialNumber: maintenance.serialNumber,
            firmwareVersion: maintenance.firmwareVersion.text,
            hardwareVersion: maintenance.hardwareVersion.text,
            ratedPower: Quantity(readings.nominal.kilowatts, "kW"),
            nominalVoltage: Quantity(readings.nominal.effectiveLineVolts, "V"),
            nominalFrequency: Quantity(readings.nominal.frequency, "Hz"),
            nominalRPM: Quantity(readings.nominal.rpm, "rpm"),
            fuelType: readings.nominal.fuelType.rawValue,
            runHours: Quantity(maintenance.totalRunHours, "h"),
            exercise: readings.exercise.map(exercise),
            controllerTime: clockText,
            controllerClockOffset: offset,
            service: maintenance.serviceItems.map { item in
                ServiceItemView(kind: item.kind.rawValue, name: item.label, hoursUntilDue: Quantity(item.hoursUntilDue, "h"),
                                dueDate: item.dueDate.map { String(format: "%04d-%02d-%02d", $0.year, $0.month, $0.day) },
                                due: isDue(item, today: today))
            },
            commands: commands(readings),
            exerciseFrequencies: readings.identity.enhancedExerciseActive(settings) ? ["weekly", "biweekly", "monthly"] : ["weekly"])
    }

    func exercise(_ settings: ExerciseSettings) -> ExerciseView {
        var weekday: String?
        var dayOfMonth: Int?
        switch settings.day {
        case let .weekday(value): weekday = Weekday(rawValue: value)?.name
        case let .dayOfMonth(value): dayOfMonth = value
        }
        let quiet = switch settings.quietMode {
        case .on: "on"
        case .off: "off"
        case .unknown: "unknown"
        }
        return ExerciseView(frequency: settings.frequency.name.lowercased(), weekday: weekday, dayOfMonth: dayOfMonth,
                            time: String(format: "%02d:%02d", settings.hour, settings.minute), quietMode: quiet,
                            enhanced: settings.enhancedMode)
    }

    /// The controls this controller offers, in the order the page shows them.
    public func commands(_ readings: GeneratorReadings?) -> [CommandCapabilityView] {
        let identity = readings?.identity
        let remote = identity.map { $0.offersRemoteStartStop(settings) } ?? false
        return WebCommand.allCases.map { command in
            let available: Bool = switch command {
            case .start, .stop, .startTransfer, .startExercise: remote
            case .resetAlarm: identity?.offersResetAlarm ?? false
            case .auto, .manual, .off: identity?.offersFrontPanelButtons ?? false
            case .setTime, .setExercise: identity != nil
            case .setQuietMode: identity?.supportsQuietModeWrite ?? false
            }
            return CommandCapabilityView(command: command.rawValue, label: command.label, available: available,
                                         confirmation: command.confirmation)
        }
    }

    // MARK: Logs

    public func logs(_ snapshot: GeneratorSnapshot) -> LogsView {
        guard let readings = snapshot.readings else { return LogsView(logs: []) }
        return LogsView(logs: readings.logs.logs.map { log in
            ControllerLogView(kind: log.range.kind.rawValue, title: log.range.kind.title, entries: log.entries.map { decoded in
                let entry = decoded.entry
                let catalog = entry.alarmCode.flatMap { AlarmCatalog.entry(forCode: $0) }
                return LogEntryView(time: date(of: entry), text: decoded.text, code: entry.alarmCode.map(Int.init),
                                    description: catalog?.description, whatToCheck: catalog?.whatToCheck)
            })
        })
    }

    func date(of entry: LogEntry) -> Date? {
        let components = DateComponents(year: 2000 + Int(entry.year), month: Int(entry.month), day: Int(entry.day),
                                        hour: Int(entry.hour), minute: Int(entry.minute), second: Int(entry.second))
        guard (1...12).contains(entry.month), (1...31).contains(entry.day), entry.hour < 24, entry.minute < 60, entry.second < 60,
              let date = calendar.date(from: components) else { return nil }
        return date
    }

    // MARK: Communication

    public func communication(_ snapshot: GeneratorSnapshot, now: Date, liveClients: Int) -> CommunicationView {
        let stats = snapshot.communication.statistics
        let transport = switch snapshot.communication.transport {
        case let .serial(baud): "serial (\(baud) baud)"
        case .tcp: "tcp"
        }
        return CommunicationView(
            controllerAnswering: snapshot.communication.isReceiving,
            transport: transport,
            endpoint: snapshot.communication.endpoint,
            lastResponse: snapshot.communication.lastResponse,
            statistics: .init(
                requests: stats.requestsSent, responses: stats.responsesReceived, successes: stats.successes,
                crcErrors: stats.crcErrors, timeouts: stats.timeouts, exceptions: stats.exceptions,
                validationErrors: stats.validationErrors, syncErrors: stats.syncErrors, discardedBytes: stats.discardedBytes,
                reconnects: stats.commRestarts,
                averageResponseTime: Quantity(stats.averageTransactionTime.map { $0.seconds * 1000 }, "ms"),
                packetsPerSecond: Quantity(stats.packetsPerSecond, "1/s")),
            monitor: .init(
                version: snapshot.monitor.version, startedAt: snapshot.monitor.startedAt,
                uptime: Quantity(max(0, now.timeIntervalSince(snapshot.monitor.startedAt)).rounded(), "s")!,
                initialized: snapshot.isInitialized, health: snapshot.health(at: now),
                firstCompleteStatusAfter: Quantity(snapshot.monitor.firstCompleteStatusAfter?.seconds, "s"),
                logsCompleteAfter: Quantity(snapshot.monitor.logsCompleteAfter?.seconds, "s"),
                liveClients: liveClients))
    }
}

extension CalendarDate {
    static func today(in calendar: Calendar, now: Date) -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}
