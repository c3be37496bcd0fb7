import GenmonConfig
@testable import GPIO
import Testing

/// Outputs and inputs end to end, on a simulated Raspberry Pi 4.
@Suite("GPIO outputs and inputs on a simulated chip")
struct DriverTests {
    let configuration: OutputConfiguration

    init() throws {
        configuration = try OutputConfiguration(file: IniFile(path: "gengpio.conf", text: """
            [gengpio]
            STATUS_OUTAGE = 7
            ER_COMMUNICATION = 8
            active_low = STATUS_RUNNING
            """))
    }

    /// The physical level of BOARD pin `pin` on the simulated header.
    private func level(_ chip: SimulatedChip, _ pin: Int) -> Bool {
        chip.physicalLevel(LineOffset((try? RaspberryPiHeader.bcm(forPin: pin)) ?? 0))
    }

    /// The BOARD pins that are electrically high.
    private func high(_ chip: SimulatedChip) -> Set<Int> {
        Set(configuration.pins.map(\.pin).filter { level(chip, $0) })
    }

    @Test("outputs start inactive, then follow an outage, an alarm, communication loss and the return to ready")
    func outputsFollowTheGenerator() throws {
        let (gpio, header) = simulatedPi4()
        let outputs = try GPIOOutputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, rules: OutputRules(configuration: configuration))
        // Defined start: everything inactive; the active-low running relay input is therefore high.
        #expect(high(header) == [26])
        #expect(try outputs.update(GeneratorFacts(baseState: .ready, internetReachable: true)).map(\.role) == [.ready])
        #expect(high(header) == [16, 26])

        // The utility fails: the outage pin at once, then the engine starts and transfers.
        #expect(try outputs.update(GeneratorFacts(baseState: .ready, utilityOut: true, internetReachable: true)).map(\.role) == [.utilityOut])
        #expect(high(header) == [16, 26, 7])
        try outputs.update(GeneratorFacts(baseState: .running, utilityOut: true, internetReachable: true))
        #expect(high(header) == [7])

        // Low oil shuts it down in alarm: the alarm and low-oil pins.
        try outputs.update(GeneratorFacts(baseState: .alarm, alarmCode: 1300, utilityOut: true, internetReachable: true))
        #expect(high(header) == [18, 31, 7, 26])

        // The controller stops answering: the state is the last known, genmon's error pins say it is stale.
        try outputs.update(GeneratorFacts(baseState: .alarm, alarmCode: 1300, utilityOut: true, communicationLost: true, monitorHealthy: false, internetReachable: true))
        #expect(high(header) == [18, 31, 7, 26, 3, 8])

        // Back: communication, utility, alarm reset, ready.
        let changed = try outputs.update(GeneratorFacts(baseState: .ready, internetReachable: true))
        #expect(Set(changed.map(\.role)) == [.ready, .alarm, .lowOil, .utilityOut, .monitorError, .communicationLost])
        #expect(high(header) == [16, 26])
        #expect(try outputs.update(GeneratorFacts(baseState: .ready, internetReachable: true)).isEmpty)
        #expect(outputs.current.filter(\.active).map(\.role) == [.ready])
    }

    @Test("a clean shutdown turns every output off, or keeps them, as configured")
    func shutdown() throws {
        for state in ShutdownState.allCases {
            var configuration = self.configuration
            configuration.shutdownState = state
            let (gpio, header) = simulatedPi4()
            let outputs = try GPIOOutputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, rules: OutputRules(configuration: configuration))
            try outputs.update(GeneratorFacts(baseState: .running, utilityOut: true))
            outputs.shutdown()
            #expect(high(header) == (state == .off ? [26] : [7]), "\(state)")
            #expect(!header.isRequested(23))
        }
    }

    @Test("a test pattern walks one pin at a time")
    func testPattern() throws {
        let (gpio, header) = simulatedPi4()
        let outputs = try GPIOOutputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, rules: OutputRules(configuration: configuration))
        let steps = OutputTestPattern.steps(pins: [16, 18, 26])
        #expect(steps.count == 6)
        try outputs.set(steps[2])
        #expect(level(header, 18) && !level(header, 16) && level(header, 26))
        try outputs.set(steps[4])
        #expect(level(header, 16) && level(header, 18) && !level(header, 26))
        #expect(throws: GPIOError.self) { try outputs.set([1: true]) }
        #expect(OutputTestPattern.steps(pins: []).isEmpty)
    }

    @Test("a pin held by another program gives the error naming the program and the pin")
    func heldPin() throws {
        let (gpio, header) = simulatedPi4()
        header.hold(23, consumer: "gengpio")
        #expect {
            try GPIOOutputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, rules: OutputRules(configuration: configuration))
        } throws: { error in
            let error = error as? GPIOError
            return error == .lineBusy(chip: "/dev/gpiochip0", offset: 23, consumer: "gengpio", pin: 16)
                && error?.description.hasPrefix("Header pin 16 (GPIO line 23 on /dev/gpiochip0) is held by another program: \"gengpio\".") == true
        }
        header.hold(17, consumer: "pigpio")
        #expect(throws: GPIOError.lineBusy(chip: "/dev/gpiochip0", offset: 17, consumer: "pigpio", pin: 11)) {
            try GPIOInputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, configuration: .defaults)
        }
    }

    @Test("a missing chip and a machine without chips give the clear errors")
    func missingChip() {
        let (gpio, _) = simulatedPi4()
        #expect(throws: GPIOError.chipMissing(path: "/dev/gpiochip99")) { try gpio.openChip("/dev/gpiochip99") }
        #expect(throws: GPIOError.noChips(directory: "/dev")) { try HeaderChip.find(model: pi4, provider: SimulatedGPIO()) }
    }

    @Test("a bouncing button gives one press per press, with the software debounce alone")
    func bouncingButtonSoftware() async throws {
        let gpio = SimulatedGPIO()
        gpio.addRaspberryPiHeaderChip(label: "pinctrl-rp1", lineCount: 54, supportsDebounce: false)
        let configuration = try InputConfiguration(file: IniFile(text: "[gengpioin]\nbounce = 200\ncontrol_inputs = 13\n"))
        let inputs = try GPIOInputs(chip: gpio.openChip("/dev/gpiochip0"), model: BoardModel.parse("Raspberry Pi 5 Model B Rev 1.0"), configuration: configuration)
        #expect(!inputs.kernelDebounce)
        let result = try await pressButtons(gpio: gpio, inputs: inputs)
        #expect(result.map { "\($0.binding.commandText)@\($0.binding.pin) \($0.binding.mayControl)" } == ["setremote=start@13 true", "setremote=stop@11 true"])
    }

    @Test("a bouncing button gives one press per press with the kernel's debounce too")
    func bouncingButtonKernel() async throws {
        let (gpio, _) = simulatedPi4()
        let configuration = try InputConfiguration(file: IniFile(text: "[gengpioin]\nbounce = 200\n"))
        let inputs = try GPIOInputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, configuration: configuration)
        #expect(inputs.kernelDebounce)
        let result = try await pressButtons(gpio: gpio, inputs: inputs)
        #expect(result.map { "\($0.binding.commandText)@\($0.binding.pin) \($0.binding.mayControl)" } == ["setremote=start@13 false", "setremote=stop@11 true"])
    }

    @Test("a quick tap is one press: the kernel's debounce is kept far shorter than the software window")
    func quickTap() async throws {
        let (gpio, header) = simulatedPi4()
        let configuration = try InputConfiguration(file: IniFile(text: "[gengpioin]\nbounce = 200\n"))
        let inputs = try GPIOInputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, configuration: configuration)
        #expect(try gpio.openChip("/dev/gpiochip0").lineInfo(27).debounceMicroseconds == 10_000)
        let ms: UInt64 = 1_000_000
        header.drive(27, [(100 * ms, false), (101 * ms, true), (102 * ms, false), (180 * ms, true), (181 * ms, false), (182 * ms, true)])
        header.advanceClock(to: 500 * ms)
        inputs.close()
        #expect(await collect(inputs.presses).map(\.binding.role) == [.start])
    }

    /// Presses the start button (pin 13) with bouncing contacts, then the stop button (pin 11), and
    /// returns the presses genmon saw.
    private func pressButtons(gpio: SimulatedGPIO, inputs: GPIOInputs) async throws -> [InputPress] {
        let header = try #require(gpio.chip("/dev/gpiochip0"))
        #expect(try inputs.levels() == [11: true, 13: true, 15: true])
        let ms: UInt64 = 1_000_000
        let start: LineOffset = 27, stop: LineOffset = 17
        header.drive(start, [(1000 * ms, false), (1001 * ms, true), (1002 * ms, false), (1004 * ms, true), (1005 * ms, false)])
        header.advanceClock(to: 1300 * ms)
        #expect(try inputs.levels()[13] == false)
        header.drive(start, [(1500 * ms, true), (1501 * ms, false), (1503 * ms, true)])
        header.advanceClock(to: 1800 * ms)
        header.drive(stop, [(3000 * ms, false), (3002 * ms, true), (3003 * ms, false)])
        header.advanceClock(to: 3400 * ms)
        header.drive(stop, [(3500 * ms, true)])
        header.advanceClock(to: 4000 * ms)
        inputs.close()
        return await collect(inputs.presses)
    }

    @Test("the listing shows every chip and line with its consumer, the header pins, and what cannot be opened")
    func listing() throws {
        let (gpio, header) = simulatedPi4()
        header.hold(18, consumer: "pigpio")
        let outputs = try GPIOOutputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, rules: OutputRules(configuration: configuration))
        gpio.addChip(path: "/dev/gpiochip2", label: "locked", lineCount: 2).denyAccess()
        let inventory = GPIOInventory.collect(provider: gpio, model: pi4)
        #expect(inventory.header?.info.path == "/dev/gpiochip0" && inventory.header?.choice == .modelLabel)
        #expect(inventory.chips.map(\.info.path) == ["/dev/gpiochip0", "/dev/gpiochip1"])
        #expect(inventory.chips[0].lines.count == 58 && inventory.chips[0].isHeaderChip && !inventory.chips[1].isHeaderChip)
        #expect(inventory.problems == [.permissionDenied(path: "/dev/gpiochip2")])
        let text = inventory.render()
        #expect(text.hasPrefix("Board: Raspberry Pi 4 Model B Rev 1.4\nHeader pins: /dev/gpiochip0 [pinctrl-bcm2711] (label expected for this model)\n"))
        #expect(text.contains("/dev/gpiochip0  gpiochip0  [pinctrl-bcm2711]  58 lines  <- header"))
        #expect(text.contains("    23   16  GPIO23            output                            \"genmon\"\n"))
        #expect(text.contains("     7   26  GPIO7             output active-low                 \"genmon\"\n"))
        #expect(text.contains("    18   12  GPIO18            input                             \"pigpio\"\n"))
        #expect(text.contains("     0    -  BT_ON             input                             unused\n"))
        #expect(text.contains("Permission denied opening /dev/gpiochip2"))
        let used = inventory.render(usedOnly: true)
        #expect(!used.contains("unused") && used.contains("\"pigpio\""))
        outputs.shutdown()
    }

    @Test("the reports show what would be driven and what the inputs read")
    func reports() throws {
        let drives = OutputRules(configuration: configuration).drive(for: GeneratorFacts(baseState: .running, utilityOut: true))
        let outputs = GPIOReport.outputs(drives)
        #expect(outputs.contains("pin 26 (GPIO7)   STATUS_RUNNING        on   low  (active-low)  the engine runs (RUNNING or RUNNING-MANUAL)\n"))
        #expect(outputs.contains("pin 16 (GPIO23)  STATUS_READY          off  low                the generator is ready (READY)\n"))
        let inputs = GPIOReport.inputs(.defaults, levels: [11: true, 13: false])
        #expect(inputs == """
            pin 11 (GPIO17)  INPUT_STOP            high  setremote=stop              allowed
            pin 13 (GPIO27)  INPUT_START           low   setremote=start             refused until listed in control_inputs
            pin 15 (GPIO22)  INPUT_START_TRANSFER  ?     setremote=starttransfer     refused until listed in control_inputs

            """)
    }
}
