import GenmonTesting
import ModbusCore
@testable import ModbusTransport
import Testing

/// The client against a small slave on a real pseudo-terminal: the counters must say exactly what happened.
@Suite("Modbus client over a pseudo-terminal", .tags(.pseudoTerminal), .slowTier, .timingSensitive, .timeLimit(.minutes(1)))
struct PTYClientTests {
    @Test("reads and writes registers through a real pseudo-terminal")
    func readsAndWrites() async throws {
        let link = try PTYLink(slave: RegisterSlave([0x0000: 0x0009, 0x0001: 0x0003]))
        #expect(try await link.client.readHoldingRegisters(address: 0, count: 1) == [0x0009])
        #expect(try await link.client.readHoldingRegisters(address: 1, count: 2) == [0x0003, 0x0000])
        try await link.client.writeRegisters(address: 0x000E, values: [0x0E1E, 0x0305, 0x0018])
        #expect(try await link.client.readHoldingRegisters(address: 0x000E, count: 3) == [0x0E1E, 0x0305, 0x0018])
        try await link.client.writeSingleRegister(address: 0x002F, value: 1)
        #expect(try await link.client.readHoldingRegisters(address: 0x002F, count: 1) == [1])
        let stats = await link.client.statistics
        #expect(stats.requestsSent == 6)
        #expect(stats.responsesReceived == 6)
        #expect(stats.successes == 6)
        #expect(stats.failures == 0 && stats.discardedBytes == 0 && stats.unexpectedData == 0)
        #expect(stats.averageTransactionTime != nil)
        #expect(stats.outcomesAddUp)
        await link.close()
    }

    @Test("a silent slave gives a timeout, and the next request succeeds")
    func silentSlave() async throws {
        let link = try PTYLink(slave: RegisterSlave([0: 7]), shaper: ScriptedShaper([.silent]))
        await #expect(throws: ModbusClientError.timeout(after: PTYLink.fastConfiguration.timeout(requestBytes: 8, responseBytes: 7))) {
            try await link.client.readHoldingRegisters(address: 0, count: 1)
        }
        #expect(try await link.client.readHoldingRegisters(address: 0, count: 1) == [7])
        let stats = await link.client.statistics
        #expect(stats.timeouts == 1 && stats.successes == 1 && stats.requestsSent == 2)
        #expect(stats.crcErrors == 0 && stats.discardedBytes == 0)
        #expect(stats.outcomesAddUp)
        await link.close()
    }

    @Test("a late answer is a timeout, and is thrown away before the next request")
    func lateSlave() async throws {
        let link = try PTYLink(slave: RegisterSlave([0: 7, 1: 8]), shaper: ScriptedShaper([.late(.milliseconds(700))]))
        await #expect(throws: ModbusClientError.self) { try await link.client.readHoldingRegisters(address: 0, count: 1) }
        // The late reply (7 bytes) arrives while the client settles; it must not be taken as this answer.
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await link.client.readHoldingRegisters(address: 1, count: 1) == [8])
        let stats = await link.client.statistics
        #expect(stats.timeouts == 1)
        #expect(stats.successes == 1)
        #expect(stats.discardedBytes == 7, "the late 7-byte answer is discarded")
        #expect(stats.unexpectedData == 1)
        #expect(stats.outcomesAddUp)
        await link.close()
    }

    @Test("a garbled answer is a CRC error, never a value")
    func garblingSlave() async throws {
        let link = try PTYLink(slave: RegisterSlave([0: 7]), shaper: ScriptedShaper([.garbleCRC]))
        let error = await #expect(throws: ModbusClientError.self) { try await link.client.readHoldingRegisters(address: 0, count: 1) }
        guard case .crcError? = error else { Issue.record("expected a CRC error, got \(String(describing: error))"); return }
        #expect(try await link.client.readHoldingRegisters(address: 0, count: 1) == [7])
        let stats = await link.client.statistics
        #expect(stats.crcErrors == 1 && stats.successes == 1 && stats.timeouts == 0)
        #expect(stats.discardedBytes == 7)
        #expect(stats.outcomesAddUp)
        await link.close()
    }

    @Test("a truncated answer ends at the quiet gap, not the full timeout")
    func truncatingSlave() async throws {
        // A full timeout far above the quiet gap (40 ms), so the two cannot be confused however late a
        // loaded machine lets the slave answer: ending before it proves the quiet gap ended the read.
        let configuration = ModbusClientConfiguration(responseAllowance: .seconds(3), quietGap: .milliseconds(40))
        let link = try PTYLink(slave: RegisterSlave([1: 3]), shaper: ScriptedShaper([.truncate(keep: 5)]), configuration: configuration)
        let started = ContinuousClock.now
        await #expect(throws: ModbusClientError.truncatedFrame(received: 5)) {
            try await link.client.readHoldingRegisters(address: 1, count: 2)
        }
        #expect(started.duration(to: .now) < configuration.timeout(requestBytes: 8, responseBytes: 9))
        #expect(try await link.client.readHoldingRegisters(address: 1, count: 2) == [3, 0])
        let stats = await link.client.statistics
        #expect(stats.truncatedFrames == 1 && stats.successes == 1 && stats.discardedBytes == 5)
        #expect(stats.outcomesAddUp)
        await link.close()
    }

    @Test("noise before an answer is skipped and counted, and the answer is used")
    func noiseBeforeAnswer() async throws {
        let noise: [UInt8] = [0x00, 0xFF, 0x9D, 0x55, 0x12, 0x9D, 0x03, 0xFE]
        let link = try PTYLink(slave: RegisterSlave([0x05: 0x0E00]), shaper: ScriptedShaper([.prefixNoise(noise)]))
        #expect(try await link.client.readHoldingRegisters(address: 5, count: 1) == [0x0E00])
        let stats = await link.client.statistics
        #expect(stats.successes == 1 && stats.discardedBytes == noise.count)
        #expect(stats.failures == 0)
        await link.close()
    }

    @Test("an exception answer is reported with its code and counted")
    func exceptionAnswer() async throws {
        let link = try PTYLink()
        await #expect(throws: ModbusClientError.exception(.illegalDataAddress)) {
            try await link.client.readHoldingRegisters(address: 0x0FFF, count: 2)
        }
        let stats = await link.client.statistics
        #expect(stats.exceptions == 1 && stats.exceptionsByCode[.illegalDataAddress] == 1)
        #expect(stats.responsesReceived == 1 && stats.outcomesAddUp)
        await link.close()
    }

    @Test("an answer with the wrong byte count is a validation and sync error")
    func wrongByteCount() async throws {
        let wrong = try RTUFrame.encode(slave: 0x9D, pdu: [0x03, 0x02, 0x00, 0x01])
        let link = try PTYLink(shaper: ScriptedShaper([.replaceWith(wrong)]))
        await #expect(throws: ModbusClientError.invalidResponse(.byteCountMismatch(expected: 4, received: 2))) {
            try await link.client.readHoldingRegisters(address: 1, count: 2)
        }
        let stats = await link.client.statistics
        #expect(stats.validationErrors == 1 && stats.syncErrors == 1 && stats.outcomesAddUp)
        await link.close()
    }

    @Test("many transactions from concurrent tasks never overlap on the line")
    func concurrentCallersAreSerialised() async throws {
        let link = try PTYLink(slave: RegisterSlave(Dictionary(uniqueKeysWithValues: (0..<64).map { (UInt16($0), UInt16($0 * 3)) })))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for address in 0..<64 {
                group.addTask {
                    let value = try await link.client.readHoldingRegisters(address: UInt16(address), count: 1)
                    #expect(value == [UInt16(address * 3)])
                }
            }
            try await group.waitForAll()
        }
        let stats = await link.client.statistics
        #expect(stats.successes == 64 && stats.failures == 0 && stats.discardedBytes == 0)
        await link.close()
    }

    @Test("a request that cannot be encoded is refused before it reaches the line")
    func invalidRequest() async throws {
        let link = try PTYLink()
        await #expect(throws: ModbusClientError.invalidRequest(.invalidQuantity(200, allowed: 1...125))) {
            try await link.client.readHoldingRegisters(address: 0, count: 200)
        }
        #expect(await link.client.statistics.requestsSent == 0)
        await link.close()
    }
}
