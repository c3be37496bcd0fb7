import Foundation
import GenmonTesting
@testable import LegacyProtocol
import Monitor
import Testing

@Suite("Dispatcher: the e-mail channel")
struct EmailChannelTests {
    @Test("an e-mailed write waits for the confirmation through execute and says how it ended; a refusal reaches the door with its reason")
    func confirmedWrites() async throws {
        let service = FixedGeneratorService(snapshot: try snapshot(),
                                            outcome: CommandOutcome(result: .confirmed, message: "confirmed by the controller",
                                                                    legacyReply: "Remote command sent successfully"))
        let dispatcher = makeDispatcher(service)
        let owner = CommandOrigin(interface: .email, principal: "owner@example.com", mayControl: true)
        let reply = await dispatcher.reply(to: "generator: setremote=start", origin: owner, channel: .email(readOnly: false))
        #expect(reply == "\nRemote command sent successfully (confirmed by the controller)\n")
        let refusedOrigin = CommandOrigin(interface: .email, principal: "owner@example.com", mayControl: false, refusalReason: "the one-time code is wrong")
        let refused = await dispatcher.reply(to: "generator: setremote=start", origin: refusedOrigin, channel: .email(readOnly: false))
        #expect(refused == "\nAccess denied\n", "\(refused)")
        let commands = await service.commands
        #expect(commands.map(\.1) == [owner, refusedOrigin])
        // The socket still answers as soon as the command is written.
        #expect(await dispatcher.reply(to: "generator: setremote=start", origin: localOrigin) == "Remote command sent successfullyEndOfMessage")
    }

    @Test("a refusal reason is kept only for origins that may not control, and is told in the refusal message")
    func refusalReason() {
        let allowed = CommandOrigin(interface: .email, principal: "a@b.c", mayControl: true, refusalReason: "ignored")
        #expect(allowed.refusalReason == nil)
        let refused = CommandOrigin(interface: .email, principal: "a@b.c", mayControl: false, refusalReason: "no code")
        #expect(refused.refusalMessage == "email:a@b.c is not allowed to control the generator: no code")
        #expect(CommandOrigin(interface: .socket, principal: "192.0.2.1", mayControl: false).refusalMessage
            == "socket:192.0.2.1 is not allowed to control the generator")
    }
}
