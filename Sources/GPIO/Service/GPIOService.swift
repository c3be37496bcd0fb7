import Foundation
import Generac
import GenmonBasics
import Logging
import Monitor
import ServiceLifecycle

/// The original's gengpio and gengpioin inside genmon: output pins follow the monitor's snapshot
/// (on every change, not by polling), and input presses become commands through the monitor's one
/// door, audited as `gpio:<pin>`.
///
/// Outputs are set to their idle state at start (before the first complete status no status pin is
/// on) and, at a clean stop, all off or kept as they are (`shutdown_state`).
public struct GPIOService: Service {
    let monitor: any GeneratorService
    let outputs: GPIOOutputs?
    let inputs: GPIOInputs?
    let clock: any GenmonClock
    let timeZone: TimeZone
    let logger: Logger
    /// Whether the internet answers (`ER_INTERNET`), checked at most once a minute; nil: not checked.
    let internetReachable: @Sendable () async -> Bool?
    /// The computer's CPU temperature in °C, for `ER_PITEMP`.
    let cpuTemperature: @Sendable () -> Double?

    public init(monitor: any GeneratorService, outputs: GPIOOutputs?, inputs: GPIOInputs?, clock: any GenmonClock = SystemClock(),
                timeZone: TimeZone = .current, logger: Logger = Logger(label: "genmon.gpio"),
                internetReachable: @escaping @Sendable () async -> Bool? = { nil },
                cpuTemperature: @escaping @Sendable () -> Double? = { nil }) {
        self.monitor = monitor
        self.outputs = outputs
        self.inputs = inputs
        self.clock = clock
        self.timeZone = timeZone
        self.logger = logger
        self.internetReachable = internetReachable
        self.cpuTemperature = cpuTemperature
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if let outputs { group.addTask { await drive(outputs) } }
                if let inputs { group.addTask { await listen(inputs) } }
            }
        }
        outputs?.shutdown()
        inputs?.close()
    }

    // MARK: Outputs

    /// Follows the snapshots; once a minute also re-evaluates what depends on time, the CPU
    /// temperature and the internet, which change without a new snapshot.
    func drive(_ outputs: GPIOOutputs) async {
        let latest = LatestFacts()
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await snapshot in monitor.snapshots() {
                    let facts = Self.facts(from: snapshot, at: clock.date, timeZone: timeZone,
                                           internet: await latest.internet, cpuTemperature: cpuTemperature())
                    await latest.set(snapshot: snapshot)
                    apply(facts, to: outputs)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    await latest.set(internet: await internetReachable())
                    if let snapshot = await latest.snapshot {
                        apply(Self.facts(from: snapshot, at: clock.date, timeZone: timeZone,
                                         internet: await latest.internet, cpuTemperature: cpuTemperature()), to: outputs)
                    }
                    try? await clock.sleep(for: .seconds(60))
                }
            }
        }
    }

    func apply(_ facts: GeneratorFacts, to outputs: GPIOOutputs) {
        do {
            let changed = try outputs.update(facts)
            for drive in changed { logger.debug("\(drive)") }
        } catch {
            logger.error("could not set the output pins: \(error)")
        }
    }

    /// The facts the output rules read, from one snapshot.
    public static func facts(from snapshot: GeneratorSnapshot, at date: Date, timeZone: TimeZone,
                             internet: Bool?, cpuTemperature: Double?) -> GeneratorFacts {
        let status = snapshot.readings?.status
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return GeneratorFacts(
            baseState: snapshot.isInitialized ? status?.baseStatus : nil,
            alarmCode: status?.isInAlarm == true ? status?.lastAlarmCode.map(Int.init) : nil,
            utilityOut: snapshot.outage.inOutage,
            communicationLost: !snapshot.communication.isReceiving,
            monitorHealthy: snapshot.healthText == "OK",
            internetReachable: internet,
            cpuTemperatureCelsius: cpuTemperature,
            localTime: TimeOfDay(hour: parts.hour ?? 0, minute: parts.minute ?? 0))
    }

    // MARK: Inputs

    func listen(_ inputs: GPIOInputs) async {
        for await press in inputs.presses {
            let binding = press.binding
            let origin = CommandOrigin(interface: .gpio, principal: binding.principal, mayControl: binding.mayControl)
            let outcome = await monitor.execute(.generac(.setRemote(binding.command)), origin: origin)
            let line = "pin \(binding.pin) (\(binding.role.rawValue)): \(binding.commandText) \(outcome.result.rawValue): \(outcome.message)"
            if outcome.result == .refused || outcome.result == .failed { logger.warning("\(line)") } else { logger.info("\(line)") }
        }
    }
}

/// The last snapshot and internet check, shared by the snapshot loop and the minute ticker.
actor LatestFacts {
    var snapshot: GeneratorSnapshot?
    var internet: Bool?

    func set(snapshot: GeneratorSnapshot) { self.snapshot = snapshot }
    func set(internet: Bool?) { self.internet = internet }
}
