import Testing
@testable import Generac

@Suite("Status pair: engine, switch, alarm")
struct StatusDecodingTests {
    static let engineTexts: [(UInt16, String)] = [
        (0x00, "Off - Ready"), (0x01, "Startup Delay Timer Activated"), (0x02, "Cranking"), (0x03, "Running"),
        (0x04, "Exercising"), (0x05, "Cooling Down"), (0x06, "Running in Warning"), (0x08, "Stopped in Alarm"),
        (0x09, "Stopped"), (0x0A, "Stopped in Warning"), (0x0B, "Cranking Paused"), (0x0C, "Running - Warm Up"),
        (0x0D, "Cranking in Warning"), (0x0E, "Cranking in Alarm"), (0x0F, "Off - Remote Switch Off"),
        (0x18, "Running - Transfer Switch Activated"), (0x1B, "Running Remote Transfer"),
        (0x1F, "Firmware Update in Progress"),
    ]

    @Test("Every known engine code decodes to upstream's text and back to its code", arguments: engineTexts)
    func engineStates(code: UInt16, text: String) {
        let state = EngineState.decode(StatusPair(engine: code, mode: 0), systemInAlarm: false)
        #expect(state.description == text)
        #expect(state.code == code)
    }

    @Test("Unknown engine codes print the whole pair", arguments: [UInt16(0x07), 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x19, 0x1A, 0x1C, 0x1D, 0x1E])
    func unknownEngineCodes(code: UInt16) {
        let pair = StatusPair(engine: code, mode: 0x0024)
        let state = EngineState.decode(pair, systemInAlarm: true)
        #expect(state == .unknown(pair))
        #expect(state.description == "UNKNOWN: " + pair.hex8)
        #expect(state.description.count == "UNKNOWN: ".count + 8)
    }

    @Test("Cranking and running read 'in Alarm' only while the system is in alarm")
    func alarmDependentTexts() {
        #expect(EngineState.decode(StatusPair(engine: 2, mode: 0), systemInAlarm: true).description == "Cranking in Alarm")
        #expect(EngineState.decode(StatusPair(engine: 3, mode: 0), systemInAlarm: true).description == "Running in Alarm")
        #expect(EngineState.decode(StatusPair(engine: 0x23, mode: 0), systemInAlarm: false) == .running)
        #expect(StatusPair(0x0000_00FF).hex8 == "000000ff")
    }

    @Test("Switch state follows upstream's test order", arguments: [
        (UInt32(0x0000_0000), SwitchState.auto),
        (0x0000_0007, .off),
        (0x0000_0006, .manual),
        (0x0000_0017, .twoWireStop),
        (0x0000_0024, .systemInAlarm),
        (0x000F_0000, .auto), // mode 0 wins over the remote-off test
        (0x000F_0007, .off),
        (0x000F_0006, .offViaRemoteCommand), // remote-off test comes before Manual
        (0x001F_0024, .offViaRemoteCommand),
        (0x0003_00FF, .systemInAlarm),
    ])
    func switchStates(value: UInt32, expected: SwitchState) {
        #expect(SwitchState.decode(StatusPair(value)) == expected)
    }

    @Test("Modes encode back to the words a controller stores")
    func modeWords() {
        for state in [SwitchState.auto, .off, .manual, .twoWireStop] {
            #expect(SwitchState.decode(StatusPair(engine: 0, mode: state.modeWord ?? 0xFFFF)) == state)
        }
        #expect(SwitchState.systemInAlarm.modeWord == nil)
        #expect(SwitchState.decodePZ200(StatusPair(engine: 0x0F, mode: 0)) == .off)
        #expect(SwitchState.decodePZ200(StatusPair(engine: 0x03, mode: 0)) == nil)
    }

    @Test("Every alarm index of the table is reported by name", arguments: AlarmIndex.names.sorted { $0.key < $1.key })
    func alarmIndexTable(index: UInt16, name: String) {
        let pair = StatusPair(engine: 0x08, mode: index)
        let alarm = AlarmState.decode(pair: pair, switchState: SwitchState.decode(pair),
                                      identity: ControllerIdentity(variant: .nexusAC), lastAlarmCode: 0)
        #expect(alarm.text == name)
        #expect(alarm.source == .index(index))
    }

    @Test("Alarm index table has upstream's 52 entries")
    func alarmIndexCount() {
        #expect(AlarmIndex.names.count == 52)
        #expect(AlarmIndex.index(named: "Low Fuel Pressure") == 0x05)
        #expect(AlarmIndex.name(0x04) == nil)
    }

    @Test("An unknown index uses the last alarm code on Evolution only, never an 'unknown' catalog text")
    func unknownIndexFallback() {
        let pair = StatusPair(engine: 0x08, mode: 0x0004)
        let evolution = ControllerIdentity(variant: .evolutionAC)
        let nexus = ControllerIdentity(variant: .nexusLC)
        let withCode = AlarmState.decode(pair: pair, switchState: .systemInAlarm, identity: evolution, lastAlarmCode: 0x0514)
        #expect(withCode.text == "Low Oil Pressure (While Running)")
        #expect(withCode.source == .lastAlarmCode(index: 4, code: 0x0514))
        #expect(AlarmState.decode(pair: pair, switchState: .systemInAlarm, identity: nexus, lastAlarmCode: 0x0514).text == "UNKNOWN ALARM: 00080004")
        #expect(AlarmState.decode(pair: pair, switchState: .systemInAlarm, identity: evolution, lastAlarmCode: 0).text == "UNKNOWN ALARM: 00080004")
        #expect(AlarmState.decode(pair: pair, switchState: .systemInAlarm, identity: evolution, lastAlarmCode: 0x1234).text == "UNKNOWN ALARM: 00080004")
        #expect(AlarmState.decode(pair: pair, switchState: .auto, identity: evolution, lastAlarmCode: 0x0514) == .none)
    }

    @Test("A fresh monitor that filters the first Evo2 value shows upstream's 0xFF state")
    func evolution2FilterQuirk() {
        var image = RegisterImage()
        image[0x0000] = 0x15
        image.store([0x6F67, 0x0000], at: 0x0001) // "og": ignored
        let readings = GeneracDecoder.decode(image: image, timeZone: .gmt)
        #expect(readings.status.statusPair == .initial)
        #expect(readings.status.engineState == .offReady)
        #expect(readings.status.switchState == .systemInAlarm)
        #expect(readings.status.alarm.text == "UNKNOWN ALARM: 000000ff")
        #expect(readings.status.baseStatus == .alarm)

        var settings = GeneracSettings()
        settings.ignoreUnknown = false
        let unfiltered = GeneracDecoder.decode(image: image, settings: settings, timeZone: .gmt)
        #expect(unfiltered.status.engineState.description == "UNKNOWN: 6f670000")
    }

    @Test("Evo2 ignores out-of-range and ASCII-looking values; other controllers do not", arguments: [
        (UInt32(0x0003_0000), false), (0x0020_0000, true), (0x0000_0040, true), (0x0000_3F3D, true),
        (0x3F3D_0000, true), (0x0000_6538, true), (0x0000_0024, false), (0x001F_003F, false),
    ])
    func evolution2Filter(value: UInt32, ignored: Bool) {
        let pair = StatusPair(value)
        #expect(pair.isIgnored(identity: ControllerIdentity(variant: .evolution2), settings: .defaults) == ignored)
        #expect(!pair.isIgnored(identity: ControllerIdentity(variant: .evolutionAC), settings: .defaults))
    }

    @Test("The tracker reports each change once and keeps the last accepted value on filtered input")
    func statusTracker() {
        let evo2 = ControllerIdentity(variant: .evolution2)
        var tracker = StatusTracker()
        func feed(_ value: UInt32, _ identity: ControllerIdentity, _ settings: GeneracSettings = .defaults) -> Bool {
            tracker.accept(StatusPair(value), identity: identity, settings: settings)
        }
        #expect(tracker.current == .initial)
        var changed = feed(0x0003_0000, evo2)
        #expect(changed)
        changed = feed(0x0003_0000, evo2)
        #expect(!changed)
        changed = feed(0x2020_0000, evo2)
        #expect(!changed)
        #expect(tracker.current == StatusPair(0x0003_0000))
        var settings = GeneracSettings()
        settings.ignoreUnknown = false
        changed = feed(0x2020_0000, evo2, settings) // fails the validity test
        #expect(!changed)
        changed = feed(0x0000_0000, evo2, settings)
        #expect(changed)
        let pz = ControllerIdentity(variant: .pz200)
        tracker = StatusTracker()
        changed = feed(0x0017_0000, pz)
        #expect(!changed)
        changed = feed(0x0003_0000, pz)
        #expect(changed)
    }

    @Test("PZ200 alarm text joins the catalog name and the active flags")
    func pz200Alarm() {
        var image = RegisterImage()
        #expect(AlarmState.decodePZ200(pair: StatusPair(0), image: image) == .none)
        image[0x0637] = 1
        #expect(AlarmState.decodePZ200(pair: StatusPair(0), image: image).text == "Unknown Alarm")
        image[0x21CB] = 1
        image[0x2198] = 1
        #expect(AlarmState.decodePZ200(pair: StatusPair(0x0000_0A8C), image: image).text
                == "Fuel Level Low, Alarm - EMERGENCY STOP, Warning - BATTERY VOLT LOW")
    }
}

@Suite("Base status")
struct BaseStatusTests {
    @Test("Evaluation order: alarm, service due, exercising, running, mode", arguments: [
        (true, true, false, "Running", "System in Alarm", BaseStatus.serviceDue),
        (true, false, true, "Running", "System in Alarm", .alarm),
        (false, false, true, "Exercising", "Auto", .serviceDue),
        (false, true, false, "Off - Ready", "Auto", .serviceDue),
        (false, false, false, "Exercising", "Manual", .exercising),
        (false, false, false, "Running", "Auto", .running),
        (false, false, false, "Running - Warm Up", "Manual", .runningManual),
        (false, false, false, "Running in Warning", "Off", .runningManual),
        (false, false, false, "Off - Ready", "Off", .off),
        (false, false, false, "Off - Ready", "Off via Remote Command", .off),
        (false, false, false, "Stopped", "Manual", .manual),
        (false, false, false, "Off - Ready", "Auto", .ready),
        (false, false, false, "Cranking", "Two Wire Stop", .ready),
    ])
    func ordering(inAlarm: Bool, serviceDueAlarm: Bool, hoursDue: Bool, engine: String, mode: String, expected: BaseStatus) {
        #expect(BaseStatus.evaluate(inAlarm: inAlarm, serviceDueAlarm: serviceDueAlarm, serviceHoursDue: hoursDue,
                                    engineText: engine, switchText: mode) == expected)
    }

    @Test("Service A/B indexes give SERVICEDUE through the decoder")
    func serviceDueThroughDecoder() throws {
        var image = try Fixture.evolutionAC.image()
        image.store([0x0000, 0x001F], at: 0x0001)
        let readings = GeneracDecoder.decode(image: image, timeZone: .gmt)
        #expect(readings.status.alarm.text == "Service A Due")
        #expect(readings.status.baseStatus == .serviceDue)
        #expect(readings.status.engineState.description == "Off - Ready")
        image[0x0002] = 0x0000
        image[0x001E] = 1
        #expect(GeneracDecoder.decode(image: image, timeZone: .gmt).status.baseStatus == .serviceDue)
        #expect(BaseStatus.allCases.filter(\.isRunning) == [.exercising, .running, .runningManual])
    }
}
