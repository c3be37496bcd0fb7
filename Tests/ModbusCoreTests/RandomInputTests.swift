import GenmonBasics
import GenmonTesting
import Testing
@testable import ModbusCore

/// A seeded run of over a million random and mutated frames through every decoder.
///
/// Nothing may trap, and anything a decoder accepts must re-encode to exactly the bytes it was given,
/// so garbage can never be half-understood.
@Suite("Random input")
struct RandomInputTests {
    static let seed: UInt64 = 0x6765_6E6D_6F6E  // "genmon"
    static let frameCount = 1_050_000

    @Test("a million random frames never trap and every accepted frame re-encodes exactly")
    func millionRandomFrames() async throws {
        var generator = SeededGenerator(seed: Self.seed)
        let requests: [ModbusRequest] = [
            .readHoldingRegisters(address: 0, count: 1), .readHoldingRegisters(address: 1, count: 2),
            .readHoldingRegisters(address: 0x01F4, count: 5), .readHoldingRegisters(address: 0x012C, count: 4),
            .writeMultipleRegisters(address: 3, values: [1]), .writeSingleRegister(address: 4, value: 0x012C),
            .readFileRecord(file: 1, record: 0, count: 4),
        ]
        let valid: [[UInt8]] = try requests.map { request in
            let words = (0..<8).map { UInt16($0 * 0x0101) }
            let response: ModbusResponse
            switch request {
            case let .readHoldingRegisters(_, count), let .readInputRegisters(_, count), let .readFileRecord(_, _, count):
                response = .success(for: request, registers: Array(words.prefix(Int(count))))
            default:
                response = .success(for: request)
            }
            return try RTUFrame.encode(slave: 0x9D, pdu: response.encode(for: request.functionCode))
        }
        var accepted = 0, rejected = 0
        var pacer = CooperativePacer()
        for index in 0..<Self.frameCount {
            // Long CPU-bound work must not hold a cooperative thread for seconds: on a 2-core machine
            // that starves the timing-sensitive I/O tests running beside it.
            await pacer.pace()
            let requestIndex = generator.int(in: 0...(requests.count - 1))
            let request = requests[requestIndex]
            var frame: [UInt8]
            switch index % 4 {
            case 0:  // pure noise of any length, including empty and oversize
                frame = generator.bytes(generator.int(in: 0...300))
            case 1:  // a valid frame with some bytes changed
                frame = valid[requestIndex]
                for _ in 0..<generator.int(in: 1...3) {
                    frame[generator.int(in: 0...(frame.count - 1))] = generator.byte()
                }
            case 2:  // a valid frame cut short or extended
                frame = valid[requestIndex]
                if generator.bool() {
                    frame = Array(frame.prefix(generator.int(in: 0...(frame.count - 1))))
                } else {
                    frame += generator.bytes(generator.int(in: 1...8))
                }
            default:  // plausible header with random body and a correct CRC: exercises the PDU checks
                let body = [0x9D, request.functionCode.rawValue | (generator.bool() ? 0x80 : 0)] + generator.bytes(generator.int(in: 0...12))
                frame = CRC16.appending(to: body)
            }

            do {
                let response = try RTUFrame.decodeResponse(frame, slave: 0x9D, answering: request)
                accepted += 1
                let reencoded = try RTUFrame.encode(slave: 0x9D, pdu: response.encode(for: request.functionCode))
                #expect(reencoded == frame, "accepted frame \(frame) does not re-encode")
            } catch {
                rejected += 1
            }
            // The stream-side helpers see the same bytes.
            _ = FrameScanner.rtuResponse(frame, expecting: request.functionCode)
            _ = FrameScanner.rtuRequest(frame)
            _ = FrameScanner.mbap(frame)
            if let request = try? RTUFrame.decode(frame).pdu, let decoded = try? ModbusRequest.decode(request) {
                #expect(try RTUFrame.encode(decoded, slave: frame[0]) == frame)
            }
            if let (_, pdu) = try? MBAPFrame.decode(frame) { _ = try? ModbusRequest.decode(pdu) }
        }
        #expect(accepted + rejected == Self.frameCount)
        #expect(accepted > 500, "the mix should include accepted frames, got \(accepted)")
        #expect(rejected > Self.frameCount / 2)
    }
}
