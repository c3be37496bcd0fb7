@testable import GPIO
import Testing

@Suite("GPIO simulated chip")
struct SimulatedChipTests {
    @Test("a missing chip and a refused chip give the clear errors")
    func openErrors() throws {
        let (gpio, header) = simulatedPi4()
        #expect(throws: GPIOError.chipMissing(path: "/dev/gpiochip99")) { try gpio.openChip("/dev/gpiochip99") }
        header.denyAccess()
        #expect(throws: GPIOError.permissionDenied(path: "/dev/gpiochip0")) { try gpio.openChip("/dev/gpiochip0") }
        gpio.removeChip("/dev/gpiochip1")
        #expect(try gpio.chipPaths() == ["/dev/gpiochip0"])
    }

    @Test("a line held by another program gives the busy error naming it")
    func heldLine() throws {
        let (gpio, header) = simulatedPi4()
        header.hold(23, consumer: "gengpio")
        let chip = try gpio.openChip("/dev/gpiochip0")
        #expect(throws: GPIOError.lineBusy(chip: "/dev/gpiochip0", offset: 23, consumer: "gengpio", pin: nil)) {
            try chip.request(LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 22, settings: .input()), LineSpec(offset: 23, settings: .output(initial: false))]))
        }
        // Nothing of the failed request stays held.
        #expect(!header.isRequested(22))
        let info = try chip.lineInfo(23)
        #expect(info.used && info.consumer == "gengpio")
        header.releaseHold(23)
        _ = try chip.request(LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 23, settings: .output(initial: false))]))
        #expect(throws: GPIOError.lineBusy(chip: "/dev/gpiochip0", offset: 23, consumer: "genmon", pin: nil)) {
            try chip.request(LineRequestSpec(consumer: "other", lines: [LineSpec(offset: 23, settings: .input())]))
        }
    }

    @Test("outputs drive physical levels, inverted when active-low, and stay after release")
    func outputs() throws {
        let (gpio, header) = simulatedPi4()
        let chip = try gpio.openChip("/dev/gpiochip0")
        let request = try chip.request(LineRequestSpec(consumer: "genmon", lines: [
            LineSpec(offset: 23, settings: .output(initial: true)),
            LineSpec(offset: 7, settings: .output(initial: true, activeLow: true)),
        ]))
        #expect(header.physicalLevel(23) && !header.physicalLevel(7))
        try request.setValues([23: false, 7: false])
        #expect(!header.physicalLevel(23) && header.physicalLevel(7))
        #expect(try request.values() == [23: false, 7: false])
        let info = try chip.lineInfo(7)
        #expect(info.isOutput && info.activeLow && info.consumer == "genmon" && info.name == "GPIO7")
        request.release()
        #expect(header.physicalLevel(7) && !header.isRequested(7))
        #expect(throws: GPIOError.released) { try request.setValues([7: true]) }
    }

    @Test("inputs read their bias when floating and what the test drives otherwise")
    func inputs() throws {
        let (gpio, header) = simulatedPi4()
        let chip = try gpio.openChip("/dev/gpiochip0")
        let request = try chip.request(LineRequestSpec(consumer: "genmon", lines: [
            LineSpec(offset: 17, settings: .input(bias: .pullUp)),
            LineSpec(offset: 27, settings: .input(bias: .pullDown)),
            LineSpec(offset: 22, settings: .input(bias: .pullUp, activeLow: true)),
        ]))
        #expect(try request.values() == [17: true, 27: false, 22: false])
        header.setInput(17, false, at: 10)
        header.setInput(27, true, at: 10)
        #expect(try request.values() == [17: false, 27: true, 22: false])
        // The kernel refuses to set an input (EPERM).
        #expect(throws: GPIOError.system(call: "GPIO_V2_LINE_SET_VALUES_IOCTL", path: "/dev/gpiochip0", errno: 1)) { try request.setValues([17: true]) }
    }

    @Test("edges come as events with sequence numbers, only the watched kind, logical for active-low lines")
    func edgeEvents() async throws {
        let (gpio, header) = simulatedPi4()
        let chip = try gpio.openChip("/dev/gpiochip0")
        let request = try chip.request(LineRequestSpec(consumer: "genmon", lines: [
            LineSpec(offset: 17, settings: .input(bias: .pullUp, edges: .falling)),
            LineSpec(offset: 27, settings: .input(bias: .pullUp, edges: .both, activeLow: true)),
        ]))
        // Events before anyone reads wait in the kernel's queue.
        header.setInput(17, false, at: 100)
        let stream = try request.edgeEvents()
        #expect(throws: GPIOError.eventsAlreadyWatched) { try request.edgeEvents() }
        header.setInput(17, true, at: 200)
        header.setInput(27, false, at: 300)
        header.setInput(27, false, at: 350)
        header.setInput(17, false, at: 400)
        request.release()
        #expect(await collect(stream) == [
            EdgeEvent(offset: 17, edge: .falling, timestampNanoseconds: 100, sequence: 1, lineSequence: 1),
            EdgeEvent(offset: 27, edge: .rising, timestampNanoseconds: 300, sequence: 2, lineSequence: 1),
            EdgeEvent(offset: 17, edge: .falling, timestampNanoseconds: 400, sequence: 3, lineSequence: 2),
        ])
    }

    @Test("the kernel's queue keeps the newest events when nobody reads")
    func queueOverflow() async throws {
        let (gpio, header) = simulatedPi4()
        let chip = try gpio.openChip("/dev/gpiochip0")
        let request = try chip.request(LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 5, settings: .input(edges: .both))], eventBufferSize: 4))
        for step in 1...10 { header.setInput(5, step % 2 == 1, at: UInt64(step)) }
        let stream = try request.edgeEvents()
        request.release()
        #expect(await collect(stream).map(\.timestampNanoseconds) == [7, 8, 9, 10])
    }

    @Test("kernel debounce reports a change only after the line held it for the period")
    func kernelDebounce() async throws {
        let (gpio, header) = simulatedPi4()
        let chip = try gpio.openChip("/dev/gpiochip0")
        let request = try chip.request(LineRequestSpec(consumer: "genmon", lines: [
            LineSpec(offset: 17, settings: .input(bias: .pullUp, edges: .both, debounceMicroseconds: 10_000)),
        ]))
        #expect(try chip.lineInfo(17).debounceMicroseconds == 10_000)
        let stream = try request.edgeEvents()
        let ms: UInt64 = 1_000_000
        // A bouncing press: low, high, low, high, low within 3 ms, then held.
        header.drive(17, [(0, false), (1 * ms, true), (2 * ms, false), (2 * ms + 500, true), (3 * ms, false)])
        #expect(try request.values() == [17: true])
        header.advanceClock(to: 13 * ms - 1)
        #expect(try request.values() == [17: true])
        header.advanceClock(to: 13 * ms)
        #expect(try request.values() == [17: false])
        // A glitch shorter than the period is never reported.
        header.drive(17, [(50 * ms, true), (55 * ms, false)])
        header.advanceClock(to: 100 * ms)
        header.drive(17, [(200 * ms, true)])
        header.advanceClock(to: 300 * ms)
        request.release()
        #expect(await collect(stream).map { "\($0.edge)@\($0.timestampNanoseconds / ms)" } == ["falling@13", "rising@210"])
    }

    @Test("a chip without debounce refuses a debounce period as unsupported")
    func noDebounce() throws {
        let gpio = SimulatedGPIO()
        gpio.addChip(path: "/dev/gpiochip0", label: "pinctrl-rp1", lineCount: 54, supportsDebounce: false)
        let chip = try gpio.openChip("/dev/gpiochip0")
        #expect(throws: GPIOError.unsupportedSettings(chip: "/dev/gpiochip0", detail: "debounce")) {
            try chip.request(LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 17, settings: .input(debounceMicroseconds: 1000))]))
        }
    }

    @Test("reconfigure turns an input into an output and back, through SET_CONFIG's encoding")
    func reconfigure() throws {
        let (gpio, header) = simulatedPi4()
        let chip = try gpio.openChip("/dev/gpiochip0")
        let request = try chip.request(LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 4, settings: .input(bias: .pullDown)), LineSpec(offset: 5, settings: .input())]))
        try request.reconfigure([LineSpec(offset: 5, settings: .input()), LineSpec(offset: 4, settings: .output(initial: true))])
        #expect(try header.physicalLevel(4) && chip.lineInfo(4).isOutput)
        try request.setValues([4: false])
        #expect(!header.physicalLevel(4))
        #expect(throws: GPIOError.self) { try request.reconfigure([LineSpec(offset: 4, settings: .input())]) }
        try request.reconfigure([LineSpec(offset: 4, settings: .input(bias: .pullUp)), LineSpec(offset: 5, settings: .input())])
        #expect(try request.values()[4] == true)
    }

    @Test("a closed chip handle refuses further use; its requests stay valid")
    func closedHandle() throws {
        let (gpio, header) = simulatedPi4()
        let chip = try gpio.openChip("/dev/gpiochip0")
        let request = try chip.request(LineRequestSpec(consumer: "genmon", lines: [LineSpec(offset: 4, settings: .output(initial: false))]))
        chip.close()
        #expect(throws: GPIOError.self) { try chip.lineInfo(4) }
        try request.setValues([4: true])
        #expect(header.physicalLevel(4))
    }
}
