import Foundation
import Generac
import LegacyProtocol
import Monitor

/// Commands that arrive over MQTT, taken through the monitor's one door. Off by default: with
/// `allowed` false every command still reaches the door, marked `mayControl: false`, so it is
/// refused there and audited (`mqtt:<client id>`), and the refusal is published like any result.
public struct CommandGateway: Sendable {
    public let service: any GeneratorService
    /// The client id the commands arrived through: the audit names `mqtt:<client id>`.
    public let clientID: String
    public let allowed: Bool

    /// Longest command accepted (the original's setters are short; a long payload is a mistake or an attack).
    public static let maximumCommandLength = 256

    public init(service: any GeneratorService, clientID: String, allowed: Bool) {
        self.service = service
        self.clientID = clientID
        self.allowed = allowed
    }

    public var origin: CommandOrigin { CommandOrigin(interface: .mqtt, principal: clientID, mayControl: allowed) }

    /// Runs a command in the original's syntax (`setremote=start`, `setexercise=Monday,13:30,Weekly`,
    /// `setquiet=on`, `settime`), waiting for the controller to confirm it.
    public func run(_ text: String) async -> CommandOutcome {
        let command = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !command.isEmpty, command.utf8.count <= Self.maximumCommandLength else {
            return CommandOutcome(result: .failed, message: "empty or longer than \(Self.maximumCommandLength) bytes", legacyReply: LegacyDispatcher.noValidCommand)
        }
        switch CommandParser.parse(command) {
        case let .failure(error):
            return CommandOutcome(result: .failed, message: error.message, legacyReply: error.message)
        case let .success(parsed):
            return await service.execute(.generac(parsed), origin: origin)
        }
    }

    /// The JSON published on the response topic.
    public func response(command: String, outcome: CommandOutcome, time: Date, correlation: String? = nil) -> String {
        var pairs: [(String, ReportValue)] = [
            ("schema", .int(SiteLayout.schemaVersion)),
            ("time", .string(SiteLayout.iso(time))),
            ("origin", .string(origin.description)),
            ("command", .string(String(command.prefix(Self.maximumCommandLength)))),
            ("result", .string(outcome.result.rawValue)),
            ("succeeded", .bool(outcome.succeeded)),
            ("message", .string(outcome.message)),
            ("reply", .string(outcome.legacyReply.trimmingCharacters(in: .whitespacesAndNewlines))),
        ]
        if let correlation { pairs.append(("id", .string(correlation))) }
        return JSON.encode(.object(pairs))
    }

    /// A request on genmon's own command topic: `{"command": "setremote=start", "id": "…"}` or the bare command.
    public static func parseRequest(_ payload: [UInt8]) -> (command: String, id: String?) {
        let text = String(decoding: payload.prefix(4096), as: UTF8.self)
        if text.first == "{", case let .object(pairs)? = try? JSONParser.parse(text) {
            let command = pairs.first { $0.0 == "command" }?.1.text ?? ""
            return (command, pairs.first { $0.0 == "id" }?.1.text)
        }
        return (text, nil)
    }
}
