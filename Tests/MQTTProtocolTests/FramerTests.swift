import GenmonTesting
import Testing
@testable import MQTTProtocol

@Suite("Framer")
struct FramerTests {
    static let stream: [[UInt8]] = Vectors.v3.map(\.1)

    @Test("packets are cut whole whatever the chunking, byte by byte included")
    func chunking() throws {
        let joined = Self.stream.flatMap { $0 }
        for chunkSize in [1, 2, 3, 5, 7, 64, joined.count] {
            var framer = MQTTFramer()
            var cut: [[UInt8]] = []
            var offset = 0
            while offset < joined.count {
                framer.append(joined[offset..<min(offset + chunkSize, joined.count)])
                offset += chunkSize
                while let frame = try framer.next() {
                    guard case let .packet(packet) = frame else { Issue.record("unexpected \(frame)"); return }
                    cut.append(packet)
                }
            }
            #expect(cut == Self.stream, "chunk size \(chunkSize)")
            #expect(framer.bufferedByteCount == 0)
        }
    }

    @Test("an oversize packet is reported from its header and skipped without being stored")
    func oversize() throws {
        var framer = MQTTFramer(maximumPacketSize: 100)
        let big = try MQTTPacket.publish(MQTTPublish(topic: "t", payload: Array(repeating: 0xAB, count: 10_000))).encode(version: .v3_1_1)
        let after = bytes("D0 00")
        framer.append(big.prefix(10))
        #expect(try framer.next() == .oversize(firstByte: 0x30, size: big.count))
        #expect(framer.bufferedByteCount == 0)
        // The rest arrives in pieces and is dropped as it comes, then the next packet is cut normally.
        var rest = Array(big.dropFirst(10)) + after
        while !rest.isEmpty {
            framer.append(rest.prefix(333))
            rest.removeFirst(min(333, rest.count))
            #expect(framer.bufferedByteCount <= 2)
        }
        #expect(try framer.next() == .packet(after))
        #expect(try framer.next() == nil)
    }

    @Test("a packet exactly at the maximum is accepted, one byte more is not")
    func maximumBoundary() throws {
        let packet = try MQTTPacket.publish(MQTTPublish(topic: "t", payload: Array(repeating: 1, count: 95))).encode(version: .v3_1_1)
        #expect(packet.count == 100)
        var exact = MQTTFramer(maximumPacketSize: 100)
        exact.append(packet)
        #expect(try exact.next() == .packet(packet))
        var smaller = MQTTFramer(maximumPacketSize: 99)
        smaller.append(packet)
        #expect(try smaller.next() == .oversize(firstByte: 0x30, size: 100))
    }

    @Test("a malformed remaining length fails the framer for good")
    func malformedLength() {
        var framer = MQTTFramer()
        framer.append(bytes("30 FF FF FF FF 01"))
        #expect(protocolError { _ = try framer.next() } == .malformedVariableByteInteger)
        framer.append(bytes("C0 00"))
        #expect(protocolError { _ = try framer.next() } == .malformedVariableByteInteger)
        var padded = MQTTFramer()
        padded.append(bytes("C0 80 00"))
        #expect(protocolError { _ = try padded.next() } == .nonMinimalVariableByteInteger)
    }

    @Test("an incomplete header or body waits for more bytes")
    func incomplete() throws {
        var framer = MQTTFramer()
        framer.append(bytes("30"))
        #expect(try framer.next() == nil)
        framer.append(bytes("FF"))
        #expect(try framer.next() == nil)
        framer.append(bytes("01"))  // 255 bytes announced
        #expect(try framer.next() == nil)
        framer.append([UInt8](repeating: 0, count: 254))
        #expect(try framer.next() == nil)
        #expect(framer.bufferedByteCount == 257)
    }

    @Test("many small packets do not let the buffer grow")
    func steadyState() async throws {
        var framer = MQTTFramer()
        let ping = bytes("D0 00")
        var pacer = CooperativePacer()
        for _ in 0..<100_000 {
            await pacer.pace()
            framer.append(ping + ping.prefix(1))
            _ = try framer.next()
            framer.append(ping.suffix(1))
            _ = try framer.next()
        }
        #expect(framer.bufferedByteCount == 0)
    }
}
