import Foundation
import Generac

/// Where a command came from: the interface and, when known, who or what sent it.
public struct CommandOrigin: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public enum Interface: String, Sendable, Codable, CaseIterable {
        case socket, web, api, email, mqtt, cli, gpio, scheduler
    }

    public var interface: Interface
    /// User name, token name, e-mail sender, remote address...
    public var principal: String
    /// Whether the interface authenticated the principal as allowed to change the generator.
    public var mayControl: Bool
    /// Why the interface did not allow it (a wrong one-time code, an unauthenticated sender...), told in
    /// the refusal's audit record; nil: the origin is simply not one that may control.
    public var refusalReason: String?

    public init(interface: Interface, principal: String, mayControl: Bool, refusalReason: String? = nil) {
        self.interface = interface
        self.principal = principal
        self.mayControl = mayControl
        self.refusalReason = mayControl ? nil : refusalReason
    }

    /// The audit message of a refused command from this origin.
    public var refusalMessage: String {
        "\(self) is not allowed to control the generator" + (refusalReason.map { ": " + $0 } ?? "")
    }

    public var description: String { "\(interface.rawValue):\(principal)" }
}

/// A command for the generator, in genmon's terms.
public enum MonitorCommand: Sendable, Equatable, Hashable {
    /// Any of the original's write commands (setremote, setexercise, setquiet, settime, testcommand).
    case generac(GeneracCommand)
    /// A raw register write (the original's `writeregvalue`): for experts, audited like the rest.
    case writeRegister(address: UInt16, value: UInt16)
    /// An EvoLC controller button (reset maintenance, delays, voltages).
    case button(EvoLCButton, value: Int?)

    /// The command as the original's syntax writes it, for the audit log.
    public var text: String {
        switch self {
        case let .generac(command): command.text
        case let .writeRegister(address, value): "writeregvalue=" + Hex.word(address) + "," + Hex.word(value)
        case let .button(button, value): "button=" + button.rawValue + (value.map { "," + String($0) } ?? "")
        }
    }
}

extension GeneracCommand {
    /// The original's syntax for this command.
    public var text: String {
        switch self {
        case let .setRemote(command): "setremote=" + command.rawValue
        case let .setExercise(request): "setexercise=" + request.text
        case let .setQuiet(on): "setquiet=" + (on ? "on" : "off")
        case .setTime: "settime"
        case let .testCommand(index): "testcommand=\(index)"
        }
    }
}

/// How a command ended.
public struct CommandOutcome: Sendable, Equatable {
    public enum Result: String, Sendable, Codable {
        /// Written, and the controller was seen to take it.
        case confirmed
        /// Written; there is nothing the controller shows to confirm it by.
        case sent
        /// Written, but the controller did not show the change before the deadline.
        case unconfirmed
        /// Not allowed from this origin.
        case refused
        /// Cannot be done (unsupported on this controller, bad value, not connected...).
        case failed
    }

    public var result: Result
    /// What happened, for a person.
    public var message: String
    /// What the original replied for this command (its clients compare these texts).
    public var legacyReply: String

    public init(result: Result, message: String, legacyReply: String) {
        self.result = result
        self.message = message
        self.legacyReply = legacyReply
    }

    public var succeeded: Bool { result == .confirmed || result == .sent }
}

/// One line of the audit log: who asked for what, when, and how it ended.
public struct AuditRecord: Sendable, Equatable, Hashable, Codable {
    public var time: Date
    public var origin: CommandOrigin
    public var command: String
    public var result: CommandOutcome.Result
    public var message: String
    /// How long the command took until confirmed or given up.
    public var duration: TimeInterval

    public init(time: Date, origin: CommandOrigin, command: String, result: CommandOutcome.Result, message: String, duration: TimeInterval) {
        self.time = time
        self.origin = origin
        self.command = command
        self.result = result
        self.message = message
        self.duration = duration
    }
}
