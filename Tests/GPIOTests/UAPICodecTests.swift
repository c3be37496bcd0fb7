import CGPIO
import GenmonTesting
@testable import GPIO
import GenmonBasics
import Testing

@Suite("GPIO uAPI encoding")
struct UAPICodecTests {
    @Test("a mixed request lands at the documented offsets with the kernel's flag values")
    func requestBytes() throws {
        let spec = LineRequestSpec(consumer: "genmon", lines: [
            LineSpec(offset: 23, settings: .output(initial: true, activeLow: true)),
            LineSpec(offset: 24, settings: .output(initial: false)),
            LineSpec(offset: 17, settings: .input(bias: .pullUp, edges: .both, debounceMicroseconds: 200_000)),
        ], eventBufferSize: 32)
        let raw = bytes(of: try UAPI.lineRequest(spec))
        #expect(raw.count == 592)
        #expect(u32(raw, at: 0) == 23 && u32(raw, at: 4) == 24 && u32(raw, at: 8) == 17 && u32(raw, at: 12) == 0)
        #expect(Array(raw[256..<263]) == Array("genmon".utf8) + [0])
        #expect(u32(raw, at: 560) == 3 && u32(raw, at: 564) == 32)
        // Every line differs, so the first line's flags (output | active-low) are the default...
        #expect(u64(raw, at: 288) == 8 | 2)
        #expect(u32(raw, at: 296) == 4)
        // ...and the others are attributes masked by request index, then output values, then debounce.
        let attributes = 288 + 32
        #expect(u32(raw, at: attributes) == 1 && u64(raw, at: attributes + 8) == 8 && u64(raw, at: attributes + 16) == 0b010)
        #expect(u32(raw, at: attributes + 24) == 1 && u64(raw, at: attributes + 32) == 4 | 16 | 32 | 256 && u64(raw, at: attributes + 40) == 0b100)
        #expect(u32(raw, at: attributes + 48) == 2 && u64(raw, at: attributes + 56) == 0b001 && u64(raw, at: attributes + 64) == 0b011)
        #expect(u32(raw, at: attributes + 72) == 3 && u32(raw, at: attributes + 80) == 200_000 && u64(raw, at: attributes + 88) == 0b100)
        #expect(raw[(attributes + 96)..<560].allSatisfy { $0 == 0 })
    }

    @Test("lines that share settings share the default flags and need no attribute")
    func commonFlags() throws {
        let lines = (0..<5).map { LineSpec(offset: LineOffset($0), settings: .input(bias: .pullDown, edges: .falling)) }
        let config = try UAPI.lineConfig(lines)
        #expect(config.flags == 4 | 32 | 512 && config.num_attrs == 0)
    }

    @Test("more distinct settings than the kernel's ten attributes are refused before the kernel sees them")
    func tooManyAttributes() {
        let lines = (0..<12).map { LineSpec(offset: LineOffset($0), settings: .input(debounceMicroseconds: UInt32($0 + 1) * 1000)) }
        #expect(throws: GPIOError.self) { try UAPI.lineConfig(lines) }
        let sixtyFive = (0..<65).map { LineSpec(offset: LineOffset($0), settings: .input()) }
        #expect(throws: GPIOError.self) { try UAPI.lineConfig(sixtyFive) }
    }

    @Test("a consumer name is cut to 31 bytes and always terminated")
    func consumerTruncated() {
        var request = gpio_v2_line_request()
        UAPI.write(String(repeating: "x", count: 40), into: &request.consumer)
        #expect(UAPI.string(request.consumer) == String(repeating: "x", count: 31))
        #expect(bytes(of: request)[256 + 31] == 0)
    }

    @Test("requests are validated against the chip before any ioctl", arguments: [
        (LineRequestSpec(consumer: "genmon", lines: []), "no lines requested"),
        (LineRequestSpec(consumer: "", lines: [LineSpec(offset: 1, settings: .input())]), "consumer"),
        (LineRequestSpec(consumer: String(repeating: "c", count: 32), lines: [LineSpec(offset: 1, settings: .input())]), "consumer"),
        (LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 1, settings: .input()), LineSpec(offset: 1, settings: .input())]), "twice"),
        (LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 58, settings: .input())]), "does not exist"),
    ])
    func validation(spec: LineRequestSpec, fragment: String) {
        let chip = GPIOChipInfo(path: "/dev/gpiochip0", name: "gpiochip0", label: "pinctrl-bcm2711", lineCount: 58)
        #expect {
            try spec.validate(chip: chip)
        } throws: { error in
            (error as? GPIOError)?.description.contains(fragment) == true
        }
    }

    @Test("values are masked by request index, not by line offset")
    func valueMasks() {
        let offsets: [LineOffset] = [23, 5, 40]
        let raw = UAPI.values([40: true, 5: false], in: offsets)
        #expect(raw.mask == 0b110 && raw.bits == 0b100)
        #expect(UAPI.decodeValues(raw, in: offsets) == [40: true, 5: false])
    }

    @Test("line information decodes names, consumer, flags and the debounce attribute")
    func lineInfo() {
        let info = LineInfo(offset: 17, name: "GPIO17", consumer: "genmon", used: true, isOutput: false, activeLow: true, bias: .pullUp,
                            edges: .falling, debounceMicroseconds: 5000)
        let raw = UAPI.encodeLineInfo(info)
        let encoded = bytes(of: raw)
        #expect(u32(encoded, at: 64) == 17 && u32(encoded, at: 68) == 1)
        #expect(u64(encoded, at: 72) == 1 | 2 | 4 | 32 | 256)
        #expect(u32(encoded, at: 80) == 3 && u32(encoded, at: 88) == 5000)
        #expect(UAPI.lineInfo(raw) == info)
        #expect(info.flagsDescription == "input active-low pull-up edges=falling debounce=5000us")
    }

    @Test("a line name that is not UTF-8 is repaired, not trapped on")
    func badName() {
        var raw = gpio_v2_line_info()
        withUnsafeMutableBytes(of: &raw.name) { $0.copyBytes(from: [0x47, 0xFF, 0xFE, 0x31] + [UInt8](repeating: 0x41, count: 28)) }
        // Unterminated too: all 32 bytes are read, never more; each bad byte becomes U+FFFD.
        let name = UAPI.lineInfo(raw).name
        #expect(name == "G\u{FFFD}\u{FFFD}1" + String(repeating: "A", count: 28))
    }

    @Test("the kernel's checks of flags")
    func kernelChecks() {
        #expect(LineFlags([.input, .output]).kernelProblem != nil)
        #expect(LineFlags([.output, .edgeRising]).kernelProblem != nil)
        #expect(LineFlags([.input, .openDrain]).kernelProblem != nil)
        #expect(LineFlags([.output, .openDrain, .openSource]).kernelProblem != nil)
        #expect(LineFlags([.biasPullUp]).kernelProblem != nil)
        #expect(LineFlags([.input, .biasPullUp, .biasPullDown]).kernelProblem != nil)
        #expect(LineFlags(rawValue: 1 << 20 | 4).kernelProblem != nil)
        #expect(LineFlags([.input, .biasPullUp, .edgeFalling, .activeLow]).kernelProblem == nil)
        #expect(LineFlags([.output, .openDrain, .biasDisabled]).kernelProblem == nil)
    }

    @Test("seeded random requests: encoded, read back as the kernel does, give the same lines")
    func randomRequests() async {
        var random = SeededGenerator(seed: 0x6770_696F)
        var accepted = 0
        var mismatches = 0
        var pacer = CooperativePacer()
        for _ in 0..<40_000 {
            await pacer.pace()
            let count = Int.random(in: 1...64, using: &random)
            let offsets = Array((0..<LineOffset(64)).shuffled(using: &random).prefix(count))
            let lines = offsets.map { LineSpec(offset: $0, settings: randomSettings(&random)) }
            let consumer = String((0..<Int.random(in: 1...31, using: &random)).map { _ in "abcxyz-_09".randomElement(using: &random) ?? "a" })
            let spec = LineRequestSpec(consumer: consumer, lines: lines, eventBufferSize: UInt32.random(in: 0...1024, using: &random))
            guard let raw = try? UAPI.lineRequest(spec) else { continue }
            accepted += 1
            let kernel = UAPI.kernelRequest(raw)
            let same = kernel.offsets == offsets && kernel.consumer == consumer && kernel.eventBufferSize == spec.eventBufferSize
                && kernel.lines.map { LineSettings(kernel: $0) } == lines.map(\.settings)
                && kernel.lines.allSatisfy { $0.flags.kernelProblem == nil }
            if !same { mismatches += 1 }
        }
        #expect(mismatches == 0)
        // Requests with more than ten distinct settings are refused; most fit.
        #expect(accepted > 15_000)
    }

    private func randomSettings(_ random: inout SeededGenerator) -> LineSettings {
        // Few distinct values, so most requests fit the kernel's ten attributes.
        if Bool.random(using: &random) {
            return .output(initial: Bool.random(using: &random), activeLow: Int.random(in: 0..<8, using: &random) == 0,
                           drive: Int.random(in: 0..<16, using: &random) == 0 ? .openDrain : .pushPull)
        }
        return .input(bias: [.pullUp, .pullUp, .pullUp, .pullDown, .disabled].randomElement(using: &random) ?? .asIs,
                      edges: [.both, .both, .falling, .none].randomElement(using: &random) ?? .none,
                      debounceMicroseconds: [0, 0, 0, 0, 200_000].randomElement(using: &random) ?? 0,
                      activeLow: Int.random(in: 0..<16, using: &random) == 0)
    }
}

@Suite("GPIO edge event records")
struct EdgeEventCodecTests {
    @Test("an event is 48 bytes at the documented offsets, and decodes back")
    func record() throws {
        let event = EdgeEvent(offset: 17, edge: .falling, timestampNanoseconds: 0x0102_0304_0506_0708, sequence: 9, lineSequence: 3)
        let record = event.record
        #expect(record.count == 48)
        #expect(u64(record, at: 0) == 0x0102_0304_0506_0708 && u32(record, at: 8) == 2 && u32(record, at: 12) == 17)
        #expect(u32(record, at: 16) == 9 && u32(record, at: 20) == 3 && record[24...].allSatisfy { $0 == 0 })
        #expect(try EdgeEvent(record: record) == event)
    }

    @Test("every truncation and an unknown edge id are refused")
    func malformed() {
        let record = EdgeEvent(offset: 4, edge: .rising, timestampNanoseconds: 1).record
        for length in 0..<48 {
            #expect(throws: EdgeEventDecodingError.wrongSize(length)) { try EdgeEvent(record: record.prefix(length)) }
        }
        #expect(throws: EdgeEventDecodingError.wrongSize(49)) { try EdgeEvent(record: record + [0]) }
        var bad = record
        bad[8] = 3
        #expect(throws: EdgeEventDecodingError.unknownEdge(3)) { try EdgeEvent(record: bad) }
    }

    @Test("records split across reads are joined; a bad record is skipped and counted")
    func streamDecoder() {
        let events = (1...3).map { EdgeEvent(offset: 5, edge: $0 % 2 == 0 ? .rising : .falling, timestampNanoseconds: UInt64($0) * 1000, sequence: UInt32($0)) }
        var stream = events.flatMap(\.record)
        stream.replaceSubrange(48 + 8..<48 + 12, with: [9, 0, 0, 0])
        var decoder = EdgeEventStreamDecoder()
        #expect(decoder.feed(stream[0..<30]).isEmpty)
        #expect(decoder.feed(stream[30..<100]) == [events[0]])
        #expect(decoder.feed(stream[100...]) == [events[2]])
        #expect(decoder.rejected == 1 && decoder.pending.isEmpty)
    }

    @Test("seeded random byte streams: nothing traps, the buffer stays under one record, accepted records re-encode")
    func randomStreams() async {
        var random = SeededGenerator(seed: 48)
        var decoder = EdgeEventStreamDecoder()
        var fed: [UInt8] = []
        var events: [EdgeEvent] = []
        var pacer = CooperativePacer()
        for _ in 0..<100_000 {
            await pacer.pace()
            var record = (0..<6).flatMap { _ in withUnsafeBytes(of: random.next()) { Array($0) } }
            // Mostly valid ids, so both paths are exercised.
            let id: UInt32 = [1, 2, 1, 2, UInt32.random(in: 0...UInt32.max, using: &random)].randomElement(using: &random) ?? 1
            withUnsafeBytes(of: id.littleEndian) { record.replaceSubrange(8..<12, with: $0) }
            fed += record
        }
        var position = 0
        var largestPending = 0
        while position < fed.count {
            let end = min(fed.count, position + Int.random(in: 0...300, using: &random))
            events += decoder.feed(fed[position..<end])
            largestPending = max(largestPending, decoder.pending.count)
            position = end
        }
        #expect(largestPending < 48)
        #expect(events.count + decoder.rejected == 100_000)
        var index = 0
        var mismatches = 0
        for start in stride(from: 0, to: fed.count, by: 48) {
            let record = Array(fed[start..<start + 48])
            guard let event = try? EdgeEvent(record: record) else { continue }
            if index >= events.count || events[index] != event || event.record != Array(record[0..<24]) + [UInt8](repeating: 0, count: 24) {
                mismatches += 1
            }
            index += 1
        }
        #expect(mismatches == 0 && index == events.count)
    }
}
