import Generac
import GenmonBasics
import GenmonConfig
@testable import GPIO
import GenmonTesting
import Testing

@Suite("gengpio.conf and gengpioin.conf")
struct ConfigTests {
    @Test("the original's shipped gengpio.conf gives the default pin map")
    func shippedOutputs() throws {
        let configuration = try OutputConfiguration(contentsOf: fixture("gpio/gengpio.conf"))
        #expect(configuration.pins.map(\.role) == Array(OutputRole.allCases.prefix(17)))
        #expect(configuration.pins.map { [$0.role.key: $0.pin] } == [
            ["STATUS_READY": 16], ["STATUS_ALARM": 18], ["STATUS_SERVICE": 22], ["STATUS_RUNNING": 26], ["STATUS_EXERCISING": 24],
            ["STATUS_OFF": 21], ["ER_GENMON": 3], ["ER_INTERNET": 5], ["ER_SPEED": 29], ["ER_LOW_OIL": 31], ["ER_HIGH_TEMP": 33],
            ["ER_RPM_SENSE": 35], ["ER_VOLTAGE": 37], ["ER_OVERCRANK": 40], ["ER_OVERLOAD": 38], ["ER_GOVERNOR": 36], ["ER_WARNING": 32],
        ])
        #expect(configuration.pin(for: .ready)?.line == 7)
        #expect(configuration.pins.allSatisfy { !$0.activeLow })
        #expect(configuration.cpuThreshold == 158)
        #expect(configuration.externalSignalOn == TimeOfDay(hour: 22, minute: 0) && configuration.externalSignalOff == TimeOfDay(hour: 8, minute: 0))
        #expect(configuration.shutdownState == .off && !configuration.debug && configuration.warnings.isEmpty)
        #expect(configuration.pins == OutputConfiguration.defaults.pins.map { pin in
            var pin = pin
            pin.line = configuration.pin(for: pin.role)?.line
            return pin
        })
    }

    @Test("the original's shipped gengpioin.conf gives the default inputs, none opted in to control")
    func shippedInputs() throws {
        let configuration = try InputConfiguration(contentsOf: fixture("gpio/gengpioin.conf"))
        #expect(configuration.bindings.map { "\($0.role.key)=\($0.pin)" } == ["INPUT_STOP=11", "INPUT_START=13", "INPUT_START_TRANSFER=15"])
        #expect(configuration.trigger == .falling && configuration.bias == .pullUp && configuration.bounceMilliseconds == 200)
        #expect(configuration.useLibraryCallbacks && configuration.warnings.isEmpty)
        #expect(configuration.bindings.map(\.commandText) == ["setremote=stop", "setremote=start", "setremote=starttransfer"])
        #expect(configuration.bindings.map(\.mayControl) == [true, false, false])
    }

    @Test("an older shipped gengpioin.conf, with no pins and uselibcallbacks twice, reads as the original does")
    func olderInputs() throws {
        let text = "[gengpioin]\n# edge\ntrigger=falling\n\nresistorpull=up\n\nuselibcallbacks=False\n\nbounce = 200\n\nuselibcallbacks=True\n"
        let configuration = try InputConfiguration(file: IniFile(path: "gengpioin.conf", text: text))
        #expect(configuration.useLibraryCallbacks && configuration.bindings == InputConfiguration.defaults.bindings)
    }

    @Test("pin 0 turns an output off; genmon's own keys set active-low, the outage and communication pins, the shutdown state")
    func ownKeys() throws {
        let text = """
            [gengpio]
            STATUS_READY = 0
            ER_GENMON=0
            er_internet = 0
            STATUS_OUTAGE = 12
            ER_COMMUNICATION = 7
            ER_Low_Fuel = 11
            active_low = 26, STATUS_OUTAGE
            shutdown_state = keep
            debug = True
            """
        let configuration = try OutputConfiguration(file: IniFile(path: "gengpio.conf", text: text))
        #expect(configuration.pin(for: .ready) == nil && configuration.pin(for: .monitorError) == nil && configuration.pin(for: .internetDown) == nil)
        #expect(configuration.pin(for: .utilityOut) == OutputPin(role: .utilityOut, pin: 12, activeLow: true, line: 5))
        #expect(configuration.pin(for: .running)?.activeLow == true && configuration.pin(for: .alarm)?.activeLow == false)
        #expect(configuration.pin(for: .communicationLost)?.pin == 7 && configuration.pin(for: .lowFuel)?.pin == 11)
        #expect(configuration.shutdownState == .keep && configuration.debug)
    }

    @Test("control_inputs opts pins in to engine-starting commands; stop never needs it")
    func controlInputs() throws {
        let text = "[gengpioin]\nINPUT_START_TRANSFER = 0\nINPUT_START = 16\ncontrol_inputs = 16\ntrigger = Both\nresistorpull = off\nbounce = 0\n"
        let configuration = try InputConfiguration(file: IniFile(text: text))
        #expect(configuration.bindings.count == 2 && configuration.trigger == .both && configuration.bias == .disabled)
        let start = try #require(configuration.binding(forPin: 16))
        #expect(start.command == .start && start.startsEngine && start.controlOptIn && start.mayControl && start.principal == "16")
        let stop = try #require(configuration.binding(forPin: 11))
        #expect(!stop.startsEngine && !stop.controlOptIn && stop.mayControl)
        let byKey = try InputConfiguration(file: IniFile(text: "[gengpioin]\ncontrol_inputs = input_start, INPUT_START_TRANSFER"))
        #expect(byKey.bindings.map(\.controlOptIn) == [false, true, true])
    }

    @Test("bad values are refused with the file, line and key", arguments: [
        ("[gengpio]\nSTATUS_READY = sixteen", "o.conf:2: STATUS_READY: 'sixteen' is not a pin number (a header pin 1–40, or 0 for none)"),
        ("[gengpio]\n\nSTATUS_ALARM = 6", "o.conf:3: STATUS_ALARM: pin 6 cannot be used: it is ground, not a GPIO; use 0 (none) or a GPIO pin: "
            + "3, 5, 7, 8, 10, 11, 12, 13, 15, 16, 18, 19, 21, 22, 23, 24, 26, 27, 28, 29, 31, 32, 33, 35, 36, 37, 38, 40"),
        ("[gengpio]\nER_SPEED = 41", "o.conf:2: ER_SPEED: pin 41 cannot be used: the header has pins 1 to 40; use 0 (none) or a GPIO pin: "
            + "3, 5, 7, 8, 10, 11, 12, 13, 15, 16, 18, 19, 21, 22, 23, 24, 26, 27, 28, 29, 31, 32, 33, 35, 36, 37, 38, 40"),
        ("[gengpio]\nER_SPEED = 16", "o.conf:2: ER_SPEED: pin 16 is already used by STATUS_READY (its default); each output needs a pin of its own"),
        ("[gengpio]\nSTATUS_READY = 11\nSTATUS_OFF = 11", "o.conf:3: STATUS_OFF: pin 11 is already used by STATUS_READY (line 2); each output needs a pin of its own"),
        ("[gengpio]\nPIN_EXTERNAL_SIGNAL_ON_TIME = 25:00", "o.conf:2: PIN_EXTERNAL_SIGNAL_ON_TIME: '25:00' is not a 24-hour time such as 22:00 or 8:30"),
        ("[gengpio]\nPIN_EXTERNAL_SIGNAL_OFF_TIME = 8", "o.conf:2: PIN_EXTERNAL_SIGNAL_OFF_TIME: '8' is not a 24-hour time such as 22:00 or 8:30"),
        ("[gengpio]\nCPU_THRESHOLD_TEMP = hot", "o.conf:2: CPU_THRESHOLD_TEMP: 'hot' is not a number"),
        ("[gengpio]\nactive_low = 12", "o.conf:2: active_low: '12' is not a configured output pin or key"),
        ("[gengpio]\nactive_low = STATUS_NOPE", "o.conf:2: active_low: 'STATUS_NOPE' is not a configured output pin or key"),
        ("[gengpio]\nshutdown_state = dark", "o.conf:2: shutdown_state: 'dark' must be one of off, keep"),
        ("[gengpio]\ndebug = sometimes", "o.conf:2: debug: 'sometimes' is not a boolean (true/false)"),
        ("[genmon]\nSTATUS_READY = 16", "o.conf: no [gengpio] section"),
        ("STATUS_READY = 16", "o.conf:1: `STATUS_READY = 16` comes before any [section]"),
    ])
    func badOutputs(text: String, message: String) {
        #expect {
            try OutputConfiguration(file: IniFile(path: "o.conf", text: text))
        } throws: { error in
            (error as? ConfigError)?.description == message
        }
    }

    @Test("bad input values are refused with the file, line and key", arguments: [
        ("[gengpioin]\ntrigger = sideways", "i.conf:2: trigger: 'sideways' must be one of falling, rising, both"),
        ("[gengpioin]\nresistorpull = strong", "i.conf:2: resistorpull: 'strong' must be one of up, down, off"),
        ("[gengpioin]\nbounce = -5", "i.conf:2: bounce: -5 is outside 0...60000"),
        ("[gengpioin]\nbounce = 0.2", "i.conf:2: bounce: '0.2' is not a whole number"),
        ("[gengpioin]\nINPUT_STOP = 1", "i.conf:2: INPUT_STOP: pin 1 cannot be used: it is 3.3 V power, not a GPIO; use 0 (none) or a GPIO pin: "
            + "3, 5, 7, 8, 10, 11, 12, 13, 15, 16, 18, 19, 21, 22, 23, 24, 26, 27, 28, 29, 31, 32, 33, 35, 36, 37, 38, 40"),
        ("[gengpioin]\nINPUT_START = 11", "i.conf:2: INPUT_START: pin 11 is already used by INPUT_STOP (its default); each input needs a pin of its own"),
        ("[gengpioin]\ncontrol_inputs = 12", "i.conf:2: control_inputs: '12' is not a configured input pin or key"),
        ("[gengpioin]\nuselibcallbacks = maybe", "i.conf:2: uselibcallbacks: 'maybe' is not a boolean (true/false)"),
        ("[gengpio]\n", "i.conf: no [gengpioin] section"),
    ])
    func badInputs(text: String, message: String) {
        #expect {
            try InputConfiguration(file: IniFile(path: "i.conf", text: text))
        } throws: { error in
            (error as? ConfigError)?.description == message
        }
    }

    @Test("a missing file is reported with its path")
    func missingFile() {
        #expect(throws: ConfigError(path: "/nonexistent/gengpio.conf", line: nil, message: "cannot read the file (missing, or no permission)")) {
            try OutputConfiguration(contentsOf: "/nonexistent/gengpio.conf")
        }
    }

    @Test("unknown keys are warned about with their line, not silently ignored")
    func unknownKeys() throws {
        let configuration = try OutputConfiguration(file: IniFile(path: "o.conf", text: "[gengpio]\nSTATUS_REDY = 16\nSTATUS_READY = 12\n"))
        #expect(configuration.warnings.map(\.description) == ["o.conf:2: status_redy: unknown key, ignored"])
        #expect(configuration.pin(for: .ready)?.pin == 12)
    }

    @Test("a pin used by both files is refused")
    func sharedPins() throws {
        let inputs = try InputConfiguration(file: IniFile(path: "i.conf", text: "[gengpioin]\nINPUT_STOP = 16\n"))
        #expect(throws: ConfigError(path: "i.conf", line: 2, message: "INPUT_STOP: pin 16 is also the output STATUS_READY in gengpio.conf")) {
            try inputs.checkNoSharedPins(with: .defaults, inputPath: "i.conf")
        }
        try InputConfiguration.defaults.checkNoSharedPins(with: .defaults, inputPath: "i.conf")
    }

    @Test("times of day parse as the files write them")
    func times() {
        #expect(TimeOfDay(parsing: "8:00") == TimeOfDay(hour: 8, minute: 0))
        #expect(TimeOfDay(parsing: "22:45")?.minutesSinceMidnight == 22 * 60 + 45)
        for bad in ["", ":", "8", "8:0", "24:00", "12:60", "-1:30", "1:3a", "１:30", "123:00", "8:00:00"] {
            #expect(TimeOfDay(parsing: bad) == nil, "\(bad)")
        }
        #expect(TimeOfDay(hour: 8, minute: 5)?.description == "8:05")
    }

    @Test("seeded random files: nothing traps, and every error names a line inside the file or none")
    func randomFiles() async {
        var random = SeededGenerator(seed: 0x6770_6966)
        let keys = OutputRole.allCases.map(\.key) + InputRole.allCases.map(\.key)
            + ["trigger", "resistorpull", "bounce", "active_low", "control_inputs", "CPU_THRESHOLD_TEMP", "PIN_EXTERNAL_SIGNAL_ON_TIME", "debug", "junk"]
        let values = ["0", "16", "11", "6", "41", "-1", "x", "", "22:00", "25:61", "both", "up", "200", "1e9", "True", "STATUS_READY", "3, 5", "99999999999999999999"]
        var parsed = 0
        var pacer = CooperativePacer()
        for _ in 0..<20_000 {
            await pacer.pace()
            var lines = [Bool.random(using: &random) ? "[gengpio]" : "[gengpioin]"]
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                switch Int.random(in: 0..<10, using: &random) {
                case 0: lines.append("# comment")
                case 1: lines.append(String((0..<Int.random(in: 0...10, using: &random)).map { _ in "[]=:#; a\t".randomElement(using: &random) ?? " " }))
                default: lines.append((keys.randomElement(using: &random) ?? "") + ([" = ", "=", ": "].randomElement(using: &random) ?? "=") + (values.randomElement(using: &random) ?? ""))
                }
            }
            let text = lines.joined(separator: "\n")
            do {
                let file = try IniFile(path: "r.conf", text: text)
                if lines[0] == "[gengpio]" { _ = try OutputConfiguration(file: file) } else { _ = try InputConfiguration(file: file) }
                parsed += 1
            } catch {
                if let line = error.line, !(1...lines.count).contains(line) { Issue.record("line \(line) outside the file: \(error)") }
            }
        }
        #expect(parsed > 1000)
    }
}
