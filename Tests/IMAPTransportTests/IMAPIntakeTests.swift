import Foundation
import GenmonTesting
import MailProtocol
import MailTransport
import Testing

@Suite("IMAP intake loop against a real Dovecot", .tags(.process), .slowTier, .serialized, .timeLimit(.minutes(2)))
struct IMAPIntakeTests {
    static let incoming = try! IMAPMailbox("Generator")
    static let processed = try! IMAPMailbox("Generator/Processed")

    func intakeConfiguration(_ server: DovecotServer, pollInterval: Duration = .seconds(60)) -> IMAPIntakeConfiguration {
        IMAPIntakeConfiguration(
            client: server.configuration(.implicit), incoming: Self.incoming, processed: Self.processed,
            pollInterval: pollInterval, header: .whole, textBytes: 256,
            backoff: IMAPBackoff(initial: .milliseconds(200), maximum: .seconds(1)))
    }

    @Test("IDLE: folders are created, a message delivered later is handled within seconds, then moved")
    func idleWakeUp() async throws {
        try await DovecotServer.with { server in
            let recorder = IntakeRecorder()
            let task = recorder.start(intakeConfiguration(server))  // polling alone would take 60 s
            defer { task.cancel() }
            #expect(await eventually { !recorder.readyEvents.isEmpty }, "events: \(recorder.events)")
            #expect(recorder.readyEvents.first == .ready(idle: true, createdMailboxes: [Self.incoming, Self.processed]))
            try await Task.sleep(for: .milliseconds(300))  // let it settle into IDLE
            let delivered = ContinuousClock.now
            try server.deliver(testMessage(subject: "generator: status"))
            #expect(await eventually { recorder.moves == 1 })
            let handledAt = try #require(recorder.handledAt.first)
            #expect(handledAt - delivered < .seconds(5), "handled \(handledAt - delivered) after delivery")
            #expect(recorder.subjects() == ["generator: status"])
            #expect(recorder.log == ["claim \(recorder.handled[0].identity.uid)", "handle \(recorder.handled[0].identity.uid)"])
            if case let .bytes(text)? = recorder.handled.first?.summary.text { #expect(String(decoding: text, as: UTF8.self) == "body\r\n") }
            #expect(await eventually { server.messageCount(in: "Generator") == 0 && server.messageCount(in: "Generator/Processed") == 1 })
            task.cancel()
            await task.value
            #expect(recorder.disconnects == 0)
        }
    }

    @Test("polling when the server has no IDLE: found within the poll interval, moved by COPY + STORE + EXPUNGE")
    func polling() async throws {
        try await DovecotServer.with(idle: false) { server in
            let recorder = IntakeRecorder()
            let task = recorder.start(intakeConfiguration(server, pollInterval: .seconds(1)))
            defer { task.cancel() }
            #expect(await eventually { !recorder.readyEvents.isEmpty })
            #expect(recorder.readyEvents.first == .ready(idle: false, createdMailboxes: [Self.incoming, Self.processed]))
            for index in 1...3 { try server.deliver(testMessage(subject: "generator: poll \(index)")) }
            #expect(await eventually { recorder.moves == 3 })
            #expect(Set(recorder.subjects()) == ["generator: poll 1", "generator: poll 2", "generator: poll 3"])
            #expect(await eventually { server.messageCount(in: "Generator") == 0 && server.messageCount(in: "Generator/Processed") == 3 })
            task.cancel()
            await task.value
        }
    }

    @Test("every message is claimed before it is handled; one claimed earlier is moved unhandled; 500 at once keep up")
    func claimsAndVolume() async throws {
        try await DovecotServer.with { server in
            var pacer = CooperativePacer()
            for index in 1...500 {
                try server.deliver(testMessage(subject: "generator: bulk \(index)"))
                await pacer.pace()
            }
            pacer.finish()
            // The folder existed before (deliver made it); the UIDs of a fresh folder start at 1.
            let recorder = IntakeRecorder(alreadyHandled: [5])
            let task = recorder.start(intakeConfiguration(server))
            defer { task.cancel() }
            #expect(await eventually(.seconds(90)) { recorder.moves == 500 })
            #expect(recorder.handled.count == 499)
            #expect(Set(recorder.subjects()).count == 499)
            #expect(!recorder.handled.contains { $0.identity.uid == 5 })
            let log = recorder.log
            for message in recorder.handled {
                let claim = log.firstIndex(of: "claim \(message.identity.uid)"), handle = log.firstIndex(of: "handle \(message.identity.uid)")
                #expect(claim != nil && handle != nil && claim! < handle!)
            }
            #expect(Set(recorder.handled.map(\.identity.uidValidity)).count == 1)
            #expect(await eventually { server.messageCount(in: "Generator/Processed") == 500 && server.messageCount(in: "Generator") == 0 })
            task.cancel()
            await task.value
        }
    }

    @Test("after the server restarts, the intake reconnects with back-off and handles new mail")
    func reconnectAfterRestart() async throws {
        try await DovecotServer.with { server in
            let recorder = IntakeRecorder()
            let task = recorder.start(intakeConfiguration(server))
            defer { task.cancel() }
            #expect(await eventually { !recorder.readyEvents.isEmpty })
            try server.deliver(testMessage(subject: "generator: before"))
            #expect(await eventually { recorder.moves == 1 })
            await server.stop()
            #expect(await eventually { recorder.disconnects >= 1 })
            try await Task.sleep(for: .seconds(1))  // a few refused attempts, backing off
            try await server.start()
            try server.deliver(testMessage(subject: "generator: after"))
            #expect(await eventually(.seconds(30)) { recorder.moves == 2 })
            #expect(recorder.subjects() == ["generator: before", "generator: after"])
            #expect(recorder.readyEvents.count >= 2)
            for case let .disconnected(_, retryIn) in recorder.events {
                #expect(retryIn <= .seconds(1) && retryIn >= .milliseconds(100))
            }
            task.cancel()
            await task.value
        }
    }
}
