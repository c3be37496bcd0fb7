import Foundation
import GenmonConfig
import GenmonTesting
@testable import GPIO
import Monitor
import Testing

/// gengpio and gengpioin inside genmon: pins driven by a real monitor's snapshots (on a manual clock,
/// against a simulated controller) and presses turned into commands through the monitor's door.
@Suite("GPIO service with a monitor", .timeLimit(.minutes(1)))
struct GPIOServiceTests {
    static let outputs = """
        [gengpio]
        STATUS_OUTAGE = 7
        ER_COMMUNICATION = 8
        """

    /// The BOARD pins that are electrically high on the simulated header.
    static func high(_ header: SimulatedChip, _ pins: [Int]) -> Set<Int> {
        Set(pins.filter { header.physicalLevel(LineOffset((try? RaspberryPiHeader.bcm(forPin: $0)) ?? 0)) })
    }

    /// Waits (real time, briefly) until the pins settle to `expected`, as the service drives them from a stream.
    static func expectPins(_ header: SimulatedChip, _ pins: [Int], _ expected: Set<Int>, _ what: String) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while high(header, pins) != expected, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(high(header, pins) == expected, "\(what)")
    }

    @Test("outputs follow the monitor through an outage, an alarm, communication loss and the return to ready")
    func outputsFollowTheMonitor() async throws {
        let rig = ClockedMonitorRig()
        let (gpio, header) = simulatedPi4()
        let configuration = try OutputConfiguration(file: IniFile(path: "gengpio.conf", text: Self.outputs))
        let outputs = try GPIOOutputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, rules: OutputRules(configuration: configuration))
        let service = GPIOService(monitor: rig.monitor, outputs: outputs, inputs: nil, clock: rig.clock, internetReachable: { true })
        let running = Task { await service.run() }
        let pins = configuration.pins.map(\.pin)

        try await Self.expectPins(header, pins, [], "before the first complete status no pin is on")
        _ = try #require(await rig.run(until: .seconds(60), sleepers: 2) { $0.isInitialized })
        try await Self.expectPins(header, pins, [16], "ready")

        await rig.sim("utility off")
        _ = try #require(await rig.run(until: .seconds(120), sleepers: 2) { $0.readings?.status.baseStatus == .running })
        try await Self.expectPins(header, pins, [26, 7], "running for an outage")
        await rig.sim("utility on")
        _ = try #require(await rig.run(until: .seconds(600), sleepers: 2) { $0.readings?.status.baseStatus == .ready && !$0.outage.inOutage })
        try await Self.expectPins(header, pins, [16], "ready after the outage")

        await rig.sim("alarm overcrank")
        _ = try #require(await rig.run(until: .seconds(30), sleepers: 2) { $0.readings?.status.baseStatus == .alarm })
        try await Self.expectPins(header, pins, [18, 40], "in alarm, with the overcrank pin")
        await rig.sim("reset")
        await rig.sim("switch auto")
        _ = try #require(await rig.run(until: .seconds(30), sleepers: 2) { $0.readings?.status.baseStatus == .ready })
        try await Self.expectPins(header, pins, [16], "ready after the reset")

        rig.link.setSilent(true)
        _ = try #require(await rig.run(until: .seconds(120), sleepers: 2) { !$0.communication.isReceiving })
        try await Self.expectPins(header, pins, [16, 3, 8], "the last state kept, the error pins say the data is stale")
        rig.link.setSilent(false)
        // The error pin goes off once the values the silence left stale have been read again.
        _ = try #require(await rig.run(until: .seconds(30), sleepers: 2) { $0.communication.isReceiving && $0.healthText == "OK" })
        try await Self.expectPins(header, pins, [16], "back to ready")

        running.cancel()
        await running.value
        try await Self.expectPins(header, pins, [], "a clean stop turns every output off")
        await rig.stop()
    }

    @Test("a bouncing start button sends one start, refused unless the pin is a control input, and audited as gpio:13")
    func buttonsBecomeCommands() async throws {
        for optIn in [false, true] {
            let rig = ClockedMonitorRig()
            _ = try #require(await rig.run(until: .seconds(60)) { $0.isInitialized })
            let (gpio, header) = simulatedPi4()
            let configuration = try InputConfiguration(file: IniFile(text: "[gengpioin]\nbounce = 200\n" + (optIn ? "control_inputs = 13\n" : "")))
            let inputs = try GPIOInputs(chip: gpio.openChip("/dev/gpiochip0"), model: pi4, configuration: configuration)
            let service = GPIOService(monitor: rig.monitor, outputs: nil, inputs: inputs, clock: rig.clock)
            let running = Task { await service.run() }
            let ms: UInt64 = 1_000_000
            header.drive(27, [(1000 * ms, false), (1001 * ms, true), (1002 * ms, false), (1004 * ms, true), (1005 * ms, false)])
            header.advanceClock(to: 1300 * ms)
            header.drive(27, [(1500 * ms, true), (1501 * ms, false), (1503 * ms, true)])
            header.advanceClock(to: 2000 * ms)
            // Let the command run: its write and read-backs take time on the rig's clock.
            let deadline = ContinuousClock.now + .seconds(10)
            while await rig.persistence.audits.isEmpty, ContinuousClock.now < deadline { await rig.run(for: .milliseconds(500)) }
            await rig.run(for: .seconds(20))
            running.cancel()
            await running.value
            await rig.stop()
            let audits = await rig.persistence.audits.filter { $0.command.hasPrefix("setremote") }
            #expect(audits.count == 1, "one press, one command: \(audits)")
            let audit = try #require(audits.first)
            #expect(audit.command == "setremote=start")
            #expect(audit.origin.description == "gpio:13")
            #expect(audit.result == (optIn ? .confirmed : .refused), "\(audit)")
        }
    }

    @Test("genloader.conf switches the add-ons; without it their files beside genmon.conf do")
    func switches() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try GPIOSetup.configurations(directory: directory, switches: AddonSwitches(directory: directory)) .outputs == nil)
        try Self.outputs.write(toFile: directory + "/gengpio.conf", atomically: true, encoding: .utf8)
        let fromFile = try GPIOSetup.configurations(directory: directory, switches: AddonSwitches(directory: directory))
        #expect(fromFile.outputs?.pin(for: .utilityOut)?.pin == 7)
        #expect(fromFile.inputs == nil)
        try "[genmon]\nenable = True\n[gengpio]\nenable = False\n[gengpioin]\nenable = True\n".write(toFile: directory + "/genloader.conf", atomically: true, encoding: .utf8)
        let switched = try GPIOSetup.configurations(directory: directory, switches: AddonSwitches(directory: directory))
        #expect(switched.outputs == nil, "off in genloader.conf although gengpio.conf exists")
        #expect(switched.inputs == .defaults, "on in genloader.conf: the original's defaults without gengpioin.conf")
    }

    @Test("no GPIO chip, a held line and a refused device are reported, and genmon monitors on without the pins")
    func problems() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.outputs.write(toFile: directory + "/gengpio.conf", atomically: true, encoding: .utf8)
        let none = GPIOSetup.open(directory: directory, switches: .absent, provider: SimulatedGPIO(), model: pi4)
        #expect(none.isEmpty)
        #expect(none.problems.count == 1 && none.problems[0].contains("No GPIO chip"), "\(none.problems)")

        let (gpio, header) = simulatedPi4()
        header.hold(23, consumer: "gengpio.py")
        let held = GPIOSetup.open(directory: directory, switches: .absent, provider: gpio, model: pi4)
        #expect(held.outputs == nil)
        #expect(held.problems.first?.contains("gengpio.py") == true, "\(held.problems)")
        #expect(held.problems.first?.contains("pin 16") == true, "\(held.problems)")

        let (denied, deniedHeader) = simulatedPi4()
        deniedHeader.denyAccess()
        let refused = GPIOSetup.open(directory: directory, switches: .absent, provider: denied, model: pi4)
        #expect(refused.problems.first?.contains("gpio") == true, "\(refused.problems)")
    }
}
