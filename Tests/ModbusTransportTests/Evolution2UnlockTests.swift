import GenmonTesting
import ModbusCore
@testable import ModbusTransport
import Synchronization
import Testing

/// The worked example of docs/wire.md#the-evolution-20-unlock, byte for byte.
@Suite("Evolution 2.0 unlock frames")
struct Evolution2UnlockTests {
    func bytes(_ text: String) -> [UInt8] { text.split(separator: " ").map { UInt8($0, radix: 16)! } }

    @Test("the encrypted request matches the worked example")
    func encryption() throws {
        let plain = Evolution2Unlock.padded(bytes("9D 03 00 01 00 02 88 57"), to: 16)
        #expect(try Evolution2Unlock.encrypt(plain) == bytes("E8 DC 69 01 44 6C B9 8D 86 BD 92 26 F4 62 90 9F"))
    }

    @Test("the three frames for a read of 0001 × 2 are the documented ones")
    func frames() throws {
        let frames = try Evolution2Unlock.frames(for: .readHoldingRegisters(address: 1, count: 2), slave: 0x9D)
            .map { try RTUFrame.encode($0, slave: 0x9D) }
        #expect(frames[0] == bytes("9D 10 EA 60 00 11 22 F1 01 80 D0 90 05 46 62 94 84 61 B3 20 20 40 60 00 90 E0 0C 60 01 40 0C B0 0D 80 ED 90 06 F0 02 90 0F 40 C1"))
        #expect(frames[1] == bytes("9D 10 EA 60 00 11 22 F1 51 E8 4C D9 81 B4 6C 79 5D E6 0D 52 A6 34 E2 10 4F 5E D1 86 0E 34 6F 6B 8B 08 B9 29 2D FF 6A E9 91 DC 35"))
        #expect(frames[2] == bytes("9D 10 EA 60 00 11 22 F1 A7 00 00 00 05 06 02 04 04 01 E3 00 00 00 00 00 00 E8 DC 69 01 44 6C B9 8D 86 BD 92 26 F4 62 90 9F A8 BA"))
    }

    @Test("a write is announced as a read of the same registers")
    func writeAnnouncedAsRead() throws {
        let write = try Evolution2Unlock.frames(for: .writeMultipleRegisters(address: 1, values: [3, 0]), slave: 0x9D)
        let read = try Evolution2Unlock.frames(for: .readHoldingRegisters(address: 1, count: 2), slave: 0x9D)
        #expect(write == read)
    }
}

/// A controller that says "Acknowledge" to everything until it has seen the three unlock frames.
final class LockedEvolution2: ModbusSlave {
    private let state = Mutex<(unlockFrames: [[UInt16]], unlocked: Bool)>(([], false))
    var unlockFramesSeen: Int { state.withLock { $0.unlockFrames.count } }

    func respond(to request: ModbusRequest) async -> ModbusResponse? {
        state.withLock { state in
            if case let .writeMultipleRegisters(address, values) = request, address == Evolution2Unlock.register {
                state.unlockFrames.append(values)
                if state.unlockFrames.count % 3 == 0 { state.unlocked = true }
                return .success(for: request)
            }
            guard state.unlocked else { return .exception(function: request.functionCode.rawValue, code: .acknowledge) }
            state.unlocked = false  // this one answers each unlock with one request
            return .success(for: request, registers: [0x0003, 0x0000])
        }
    }
}

@Suite("Evolution 2.0 unlock on the wire", .tags(.pseudoTerminal), .slowTier, .timingSensitive)
struct Evolution2UnlockWireTests {
    @Test("after more than two Acknowledge exceptions the client unlocks before each request, and reads work")
    func unlocksAfterAcknowledges() async throws {
        let terminal = try PseudoTerminal()
        let slave = LockedEvolution2()
        let server = ModbusServer(stream: try terminal.masterStream(), framing: .rtu(address: 0x9D), slave: slave)
        let serving = Task { await server.run() }
        let client = ModbusClient(stream: try SerialPort.stream(path: terminal.path),
                                  configuration: .init(responseAllowance: .seconds(2), evolution2Unlock: .init(interval: .seconds(0))))
        for _ in 0..<3 {
            await #expect(throws: ModbusClientError.exception(.acknowledge)) {
                try await client.readHoldingRegisters(address: 1, count: 2)
            }
        }
        #expect(slave.unlockFramesSeen == 0)
        #expect(try await client.readHoldingRegisters(address: 1, count: 2) == [3, 0])
        #expect(slave.unlockFramesSeen == 3)
        #expect(try await client.readHoldingRegisters(address: 1, count: 2) == [3, 0], "interval 0: unlocked again")
        #expect(slave.unlockFramesSeen == 6)
        #expect(await client.evolution2UnlockArmed)
        client.stream.close()
        server.stream.close()
        serving.cancel()
    }

    @Test("with the bypass set the client never sends unlock frames")
    func bypass() async throws {
        let terminal = try PseudoTerminal()
        let slave = LockedEvolution2()
        let server = ModbusServer(stream: try terminal.masterStream(), framing: .rtu(address: 0x9D), slave: slave)
        let serving = Task { await server.run() }
        let client = ModbusClient(stream: try SerialPort.stream(path: terminal.path),
                                  configuration: .init(responseAllowance: .milliseconds(500), evolution2Unlock: .init(bypass: true)))
        for _ in 0..<5 { _ = try? await client.readHoldingRegisters(address: 1, count: 2) }
        #expect(slave.unlockFramesSeen == 0)
        client.stream.close()
        server.stream.close()
        serving.cancel()
    }
}
