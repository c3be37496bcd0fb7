import GenmonBasics
import Testing
@testable import ModbusCore

@Suite("Response assembly from a byte stream")
struct ResponseAssemblerTests {
    let request = ModbusRequest.readHoldingRegisters(address: 1, count: 2)
    let answer = bytes("9D 03 04 00 03 00 00 56 3A")

    func assembler() -> ResponseAssembler { ResponseAssembler(request: request, framing: .rtu, slave: 0x9D) }

    @Test("a response fed one byte at a time completes on its last byte")
    func byteByByte() {
        var assembler = assembler()
        for byte in answer.dropLast() { #expect(assembler.append([byte]) == nil) }
        #expect(assembler.append([answer.last!]) == .registers([3, 0]))
        #expect(assembler.discardedBytes == 0)
    }

    @Test("noise before the response is skipped byte by byte and counted")
    func noisePrefix() {
        var assembler = assembler()
        #expect(assembler.append(bytes("00 9D 10 FF 9D") + answer) == .registers([3, 0]))
        #expect(assembler.discardedBytes == 5)
    }

    @Test("a candidate with a bad CRC is remembered, and a good frame after it still wins")
    func badCandidateThenGoodFrame() {
        var assembler = assembler()
        var corrupted = answer
        corrupted[4] ^= 0x01
        #expect(assembler.append(corrupted) == nil)
        guard case .badCRC? = assembler.lastRejection else { Issue.record("no CRC rejection"); return }
        #expect(assembler.append(answer) == .registers([3, 0]))
        #expect(assembler.discardedBytes == corrupted.count)
    }

    @Test("a CRC-valid frame that answers another request is skipped whole")
    func foreignFrameSkipped() throws {
        var assembler = assembler()
        let lateAnswerToOneRegister = bytes("9D 03 02 00 09 A8 5E")
        #expect(assembler.append(lateAnswerToOneRegister) == nil)
        #expect(assembler.lastRejection == .mismatch(.byteCountMismatch(expected: 4, received: 2)))
        #expect(assembler.append(answer) == .registers([3, 0]))
        #expect(assembler.discardedBytes == 7)
    }

    @Test("anything after the accepted frame is counted as discarded")
    func trailingBytes() {
        var assembler = assembler()
        #expect(assembler.append(answer + [0x00, 0x11]) == .registers([3, 0]))
        #expect(assembler.discardedBytes == 2)
        #expect(assembler.bufferedCount == 0)
    }

    @Test("the alternate response address is accepted when configured")
    func alternateAddress() throws {
        var assembler = ResponseAssembler(request: request, framing: .rtu, slave: 0x9D, alternateAddress: 0x41)
        let fromAlternate = try RTUFrame.encode(slave: 0x41, pdu: [0x03, 0x04, 0, 3, 0, 0])
        #expect(assembler.append(fromAlternate) == .registers([3, 0]))
    }

    @Test("random noise around a valid response, split at random points, always yields the response", arguments: 0..<50)
    func randomSplits(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        // Noise without the slave address, so it can never form a candidate.
        let noise = generator.bytes(generator.int(in: 0...40)).map { $0 == 0x9D ? 0x00 : $0 }
        let stream = noise + answer
        var assembler = assembler()
        var offset = 0, result: ModbusResponse?
        while offset < stream.count {
            let take = min(stream.count - offset, generator.int(in: 1...6))
            result = assembler.append(Array(stream[offset..<(offset + take)]))
            offset += take
        }
        #expect(result == .registers([3, 0]))
        #expect(assembler.discardedBytes == noise.count)
    }
}
