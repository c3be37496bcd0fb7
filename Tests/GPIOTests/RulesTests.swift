@testable import GPIO
import Generac
import Testing

@Suite("GPIO output rules")
struct RulesTests {
    let rules = OutputRules(configuration: .defaults)

    private func active(_ facts: GeneratorFacts, _ rules: OutputRules? = nil) -> Set<OutputRole> {
        Set((rules ?? self.rules).drive(for: facts).filter(\.active).map(\.role))
    }

    @Test("each getbase state lights exactly its status pin", arguments: [
        (BaseStatus.ready, [OutputRole.ready]),
        (.exercising, [.exercising]),
        (.running, [.running]),
        (.runningManual, [.running]),
        (.alarm, [.alarm]),
        (.serviceDue, [.serviceDue]),
        (.off, [.off]),
        (.manual, [.off]),
    ])
    func statusPins(state: BaseStatus, roles: [OutputRole]) {
        #expect(active(GeneratorFacts(baseState: state)) == Set(roles))
    }

    @Test("before the first reading nothing is lit, and idle is all inactive")
    func unknown() {
        #expect(active(GeneratorFacts()).isEmpty)
        #expect(rules.idle.allSatisfy { !$0.active } && rules.idle.count == 17)
    }

    @Test("alarm-code pins follow the last alarm code's range, only while in alarm", arguments: [
        (1100, OutputRole.overcrank), (1199, .overcrank), (1200, .speed), (1603, .speed), (1300, .lowOil), (1400, .highTemperature),
        (1505, .rpmSensor), (1800, .voltage), (1906, .voltage), (2100, .overload), (2500, .governor), (0, .warning),
    ])
    func alarmCodes(code: Int, role: OutputRole) {
        #expect(active(GeneratorFacts(baseState: .alarm, alarmCode: code)) == [.alarm, role])
        #expect(active(GeneratorFacts(baseState: .ready, alarmCode: code)) == [.ready])
    }

    @Test("codes outside every range, or unknown (Nexus), light only the alarm pin")
    func otherCodes() {
        for code in [1000, 1700, 2000, 2200, 2600, 9999, -1] {
            #expect(active(GeneratorFacts(baseState: .alarm, alarmCode: code)) == [.alarm], "\(code)")
        }
        #expect(active(GeneratorFacts(baseState: .alarm)) == [.alarm])
    }

    @Test("the alternate alarm pins light when configured")
    func alternates() throws {
        var configuration = OutputConfiguration.defaults
        configuration.pins += [OutputPin(role: .controllerFault, pin: 7), OutputPin(role: .ignition, pin: 8), OutputPin(role: .lowFuel, pin: 10),
                               OutputPin(role: .lowCoolant, pin: 11), OutputPin(role: .battery, pin: 12), OutputPin(role: .charger, pin: 13)]
        let rules = OutputRules(configuration: configuration)
        let expected: [(Int, OutputRole)] = [(1010, .controllerFault), (2669, .ignition), (2680, .lowFuel), (2700, .lowFuel), (2720, .lowCoolant),
                                             (2750, .battery), (2760, .battery), (2770, .charger), (2780, .charger)]
        for (code, role) in expected {
            #expect(active(GeneratorFacts(baseState: .alarm, alarmCode: code), rules) == [.alarm, role], "\(code)")
        }
        #expect(active(GeneratorFacts(baseState: .alarm, alarmCode: 2690), rules) == [.alarm])
    }

    @Test("genmon's health, communication, the internet and the utility")
    func monitorPins() {
        var configuration = OutputConfiguration.defaults
        configuration.pins += [OutputPin(role: .utilityOut, pin: 7), OutputPin(role: .communicationLost, pin: 8)]
        let rules = OutputRules(configuration: configuration)
        #expect(active(GeneratorFacts(baseState: .ready, monitorHealthy: false), rules) == [.ready, .monitorError])
        #expect(active(GeneratorFacts(baseState: .ready, communicationLost: true), rules) == [.ready, .monitorError, .communicationLost])
        #expect(active(GeneratorFacts(baseState: .running, utilityOut: true), rules) == [.running, .utilityOut])
        #expect(active(GeneratorFacts(baseState: .ready, internetReachable: false), rules) == [.ready, .internetDown])
        #expect(active(GeneratorFacts(baseState: .ready, internetReachable: true), rules) == [.ready])
    }

    @Test("the CPU pin compares in the unit of genmon's metric setting")
    func cpuTemperature() {
        var configuration = OutputConfiguration.defaults
        configuration.pins.append(OutputPin(role: .cpuTemperature, pin: 7))
        configuration.cpuThreshold = 158
        let fahrenheit = OutputRules(configuration: configuration, metric: false)
        #expect(fahrenheit.isActive(.cpuTemperature, GeneratorFacts(cpuTemperatureCelsius: 70)))
        #expect(!fahrenheit.isActive(.cpuTemperature, GeneratorFacts(cpuTemperatureCelsius: 69.9)))
        configuration.cpuThreshold = 70
        let celsius = OutputRules(configuration: configuration, metric: true)
        #expect(celsius.isActive(.cpuTemperature, GeneratorFacts(cpuTemperatureCelsius: 70)))
        #expect(!celsius.isActive(.cpuTemperature, GeneratorFacts(cpuTemperatureCelsius: 69)))
        #expect(!celsius.isActive(.cpuTemperature, GeneratorFacts()) && !celsius.isActive(.cpuTemperature, GeneratorFacts(cpuTemperatureCelsius: .nan)))
    }

    @Test("the external signal window, wrapping past midnight")
    func externalSignal() throws {
        let at = { (text: String) in GeneratorFacts(localTime: TimeOfDay(parsing: text)) }
        var configuration = OutputConfiguration.defaults
        configuration.pins.append(OutputPin(role: .externalSignal, pin: 7))
        let night = OutputRules(configuration: configuration)
        for (time, on) in [("21:59", false), ("22:00", true), ("23:59", true), ("0:00", true), ("7:59", true), ("8:00", false), ("12:00", false)] {
            #expect(night.isActive(.externalSignal, at(time)) == on, "\(time)")
        }
        configuration.externalSignalOn = try #require(TimeOfDay(parsing: "9:30"))
        configuration.externalSignalOff = try #require(TimeOfDay(parsing: "17:00"))
        let day = OutputRules(configuration: configuration)
        #expect(!day.isActive(.externalSignal, at("9:29")) && day.isActive(.externalSignal, at("9:30")) && !day.isActive(.externalSignal, at("17:00")))
        configuration.externalSignalOff = configuration.externalSignalOn
        #expect(!OutputRules(configuration: configuration).isActive(.externalSignal, at("9:30")))
        #expect(!night.isActive(.externalSignal, GeneratorFacts()))
    }

    @Test("an active-low pin is low when its condition holds")
    func activeLow() {
        var configuration = OutputConfiguration.defaults
        configuration.pins[0].activeLow = true
        let drives = OutputRules(configuration: configuration).drive(for: GeneratorFacts(baseState: .ready))
        #expect(drives[0] == OutputDrive(role: .ready, pin: 16, activeLow: true, active: true) && !drives[0].level)
        #expect(drives[1].role == .alarm && !drives[1].active && !drives[1].level)
        #expect(drives[0].description == "pin 16 (GPIO23) STATUS_READY on (low)")
    }

    @Test("every role has a meaning to show")
    func meanings() {
        for role in OutputRole.allCases { #expect(!role.meaning.isEmpty && !role.meaning.contains("code ,")) }
        #expect(OutputRole.speed.meaning == "in alarm with code 1200–1299 or 1600–1699")
        #expect(OutputRole.lowFuel.meaning == "in alarm with code 2680 or 2700")
    }
}
