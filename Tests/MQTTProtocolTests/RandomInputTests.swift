import GenmonBasics
import GenmonTesting
import Testing
@testable import MQTTProtocol

/// A seeded run of over half a million random and mutated inputs through the framer and every decoder.
///
/// Nothing may trap, and anything a decoder accepts must re-encode to exactly the bytes it was given, so a
/// broker's garbage can never be half-understood.
@Suite("Random input")
struct RandomInputTests {
    static let seed: UInt64 = 0x6D71_7474  // "mqtt"
    static let inputCount = 600_000

    @Test("600,000 random packets through the decoders never trap and every accepted packet re-encodes exactly")
    func randomPackets() async throws {
        var generator = SeededGenerator(seed: Self.seed)
        let valid: [(MQTTVersion, [UInt8])] = Vectors.v3.map { (.v3_1_1, $0.1) } + Vectors.v5.map { (.v5, $0.1) }
        var accepted = 0, rejected = 0
        var acceptedByType = [Int](repeating: 0, count: 16)
        var pacer = CooperativePacer()
        for index in 0..<Self.inputCount {
            // CPU-bound work must not hold a cooperative thread for long on a 2-core machine.
            await pacer.pace()
            let (sourceVersion, source) = valid[generator.int(in: 0...(valid.count - 1))]
            var packet: [UInt8]
            switch index % 5 {
            case 0:  // noise of any length
                packet = generator.bytes(generator.int(in: 0...40))
            case 1:  // a valid packet with bytes changed
                packet = source
                for _ in 0..<generator.int(in: 1...3) { packet[generator.int(in: 0...(packet.count - 1))] = generator.byte() }
            case 2:  // a valid packet cut or extended
                packet = source
                if generator.bool() { packet = Array(packet.prefix(generator.int(in: 0...(packet.count - 1)))) }
                else { packet += generator.bytes(generator.int(in: 1...6)) }
            case 3:  // a valid body with a random first byte and a consistent length: every type/flag decoder
                packet = [generator.byte()] + (try VariableByteInteger.encode(source.count - 2)) + source[2...]
            default:  // a plausible header with a random body of the right length
                let body = generator.bytes(generator.int(in: 0...30))
                packet = [source[0] & 0xF0 | (generator.int(in: 0...3) == 0 ? generator.byte() & 0x0F : source[0] & 0x0F)]
                    + (try VariableByteInteger.encode(body.count)) + body
            }
            for version in [sourceVersion, sourceVersion == .v5 ? MQTTVersion.v3_1_1 : .v5] {
                do {
                    let decoded = try MQTTPacket.decode(packet, version: version)
                    accepted += 1
                    acceptedByType[Int(packet[0] >> 4)] += 1
                    let reencoded = try decoded.encode(version: version)
                    #expect(reencoded == packet, "accepted \(packet) re-encodes as \(reencoded)")
                } catch {
                    rejected += 1
                }
            }
        }
        #expect(accepted + rejected == 2 * Self.inputCount)
        #expect(accepted > 10_000, "the mix should include many accepted packets, got \(accepted)")
        // Every packet type was accepted at least once, so every encoder was compared.
        #expect(acceptedByType[1...15].allSatisfy { $0 > 0 }, "\(acceptedByType)")
    }

    @Test("a random byte stream through the framer in random chunks never traps and stays within its memory bound")
    func randomStream() async throws {
        var generator = SeededGenerator(seed: Self.seed &+ 1)
        let valid = Vectors.v5.map(\.1)
        var packets = 0, oversize = 0, failures = 0
        var pacer = CooperativePacer()
        for run in 0..<2_000 {
            await pacer.pace()
            var framer = MQTTFramer(maximumPacketSize: 64)
            var failed = false
            // Mostly valid packets, with noise and large announced lengths mixed in.
            var stream: [UInt8] = []
            for _ in 0..<150 {
                switch generator.int(in: 0...9) {
                case 0: stream += generator.bytes(generator.int(in: 1...10))
                case 1: stream += [0x30] + (try VariableByteInteger.encode(generator.int(in: 65...5000))) + generator.bytes(generator.int(in: 0...100))
                default: stream += valid[generator.int(in: 0...(valid.count - 1))]
                }
            }
            var offset = 0
            while offset < stream.count && !failed {
                let size = generator.int(in: 1...40)
                framer.append(stream[offset..<min(offset + size, stream.count)])
                offset += size
                do {
                    while let frame = try framer.next() {
                        switch frame {
                        case let .packet(packet):
                            packets += 1
                            #expect(packet.count <= 64)
                            if let decoded = try? MQTTPacket.decode(packet, version: .v5) {
                                #expect(try decoded.encode(version: .v5) == packet)
                            }
                        case .oversize: oversize += 1
                        }
                    }
                } catch {
                    failures += 1
                    failed = true
                }
                #expect(framer.bufferedByteCount <= 64 + 40, "run \(run)")
            }
        }
        #expect(packets > 10_000 && oversize > 100 && failures > 100)
    }
}
