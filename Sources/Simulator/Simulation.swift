import Foundation
import Generac

/// Something a command asks of the host around the model (the wire, the clock), not of the generator.
public enum HostEffect: Sendable, Equatable {
    case speed(Double)
    case faults([String: Double])
    case silence(seconds: Double)
    case pacing(Bool)
    /// A scenario step the model refused (e.g. a fault this family does not have), by file line.
    case stepFailed(line: Int, reason: String)
}

/// The model plus the scenario that drives it: the whole simulator minus the wire. Pure and
/// synchronous, so tests step it with a manual clock and check registers at each step.
public struct Simulation: Sendable {
    public private(set) var model: GeneratorModel
    public let start: Date
    private var pending: [Scenario.Step]

    public init(model: GeneratorModel, scenario: Scenario = Scenario(steps: [])) {
        self.model = model
        self.start = model.now
        self.pending = scenario.steps
    }

    /// Advances to `date`, running every scenario step that falls due on the way, in order.
    /// Returns what the steps ask of the host (fault rates, speed...) and any step errors.
    @discardableResult
    public mutating func advance(to date: Date) -> [HostEffect] {
        var effects: [HostEffect] = []
        while let step = pending.first, start.addingTimeInterval(step.at) <= date {
            pending.removeFirst()
            model.advance(to: start.addingTimeInterval(step.at))
            let (reply, stepEffects) = perform(step.command)
            effects += stepEffects
            if reply.hasPrefix(Self.errorPrefix) {
                effects.append(.stepFailed(line: step.line, reason: String(reply.dropFirst(Self.errorPrefix.count))))
            }
        }
        model.advance(to: date)
        return effects
    }

    /// Carries out one command at the model's current time. The reply is what a person sees.
    static let errorPrefix = "error: "

    public mutating func perform(_ command: SimulatorCommand) -> (reply: String, effects: [HostEffect]) {
        do {
            switch command {
            case let .utility(utility):
                switch utility {
                case .off: model.setUtility(volts: 0)
                case .on: model.setUtility(volts: 240)
                case let .volts(volts): model.setUtility(volts: volts)
                }
            case let .alarm(fault): try model.raise(fault, severity: .alarm)
            case let .warning(fault): try model.raise(fault, severity: .warning)
            case .clearWarning: model.clearWarning()
            case .reset: model.setSwitch(.off)
            case let .switchTo(position): model.setSwitch(position)
            case let .remote(remote):
                let index: IndexedCommand = switch remote {
                case .start: .remoteStart
                case .stop: .remoteStop
                case .starttransfer: .remoteStartTransfer
                case .startexercise: .remoteStartExercise
                case .resetalarm: .resetAlarm
                }
                model.execute(index: index.rawValue, value: 0)
            case let .battery(volts): model.setBattery(volts: volts)
            case let .serviceDue(schedule): model.makeServiceDue(schedule)
            case let .load(amps): model.setLoad(amps: amps)
            case .exerciseNow: model.exerciseNow()
            case let .speed(factor): return ("speed \(factor)×", [.speed(factor)])
            case let .faults(rates): return ("faults " + rates.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), [.faults(rates)])
            case let .silence(seconds): return ("silent for \(seconds) s", [.silence(seconds: seconds)])
            case let .pacing(on): return ("pacing \(on ? "on" : "off")", [.pacing(on)])
            case .status: return (statusLine, [])
            case .help: return (SimulatorCommand.helpText + "\nfault names: " + GeneratorModel.faultNames.joined(separator: ", "), [])
            }
            return ("ok: " + statusLine, [])
        } catch {
            return (Self.errorPrefix + "\(error)", [])
        }
    }

    /// Gives mutable access to the model for the register side (reads clear flags, writes act).
    mutating func withModel<Result>(_ body: (inout GeneratorModel) -> Result) -> Result {
        body(&model)
    }

    /// One line a person can read: what the simulated generator is doing.
    public var statusLine: String {
        let model = self.model
        var parts = [
            "\(model.identity.displayName) (simulated)",
            "switch \(model.switchPosition.rawValue)",
            "engine \(Self.describe(model.phase))" + (model.runReason.map { " (\(Self.describe($0)))" } ?? ""),
            "utility \(model.utilityVolts) V",
            "battery " + String(format: "%.1f V", Double(model.register(Register.batteryVolts)) / 10),
        ]
        if model.transferred { parts.append("load on generator") }
        if let fault = model.activeFault {
            parts.append("\(fault.severity.rawValue): \(fault.definition?.name ?? AlarmCatalog.nameText(forCode: fault.alarmCode))")
        }
        return parts.joined(separator: ", ")
    }

    static func describe(_ phase: GeneratorModel.Phase) -> String {
        switch phase {
        case .ready: "ready"
        case .startupDelay: "start-up delay"
        case .cranking: "cranking"
        case .warmingUp: "warming up"
        case .running: "running"
        case .exercising: "exercising"
        case .returnDelay: "waiting to return to utility"
        case .coolingDown: "cooling down"
        case .stopping: "stopping"
        case .stoppedInAlarm: "stopped in alarm"
        }
    }

    static func describe(_ reason: GeneratorModel.RunReason) -> String {
        switch reason {
        case .outage: "utility outage"
        case .remoteStart: "remote start"
        case .remoteStartTransfer: "remote start and transfer"
        case let .exercise(quiet): quiet ? "quiet exercise" : "exercise"
        case .manual: "manual"
        }
    }
}
